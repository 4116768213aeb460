"""Education APIs: grades and GPA, test scores, study planning, citations, pronunciation."""

from apigen_stream.library.builtin.education.assessment import (
    exam_score_percentile,
    final_exam_score_needed,
    formula_test_score,
    gpa_from_letter_grades,
    percent_to_letter_grade,
    weighted_course_grade,
)
from apigen_stream.library.builtin.education.study import (
    apa_book_citation,
    pomodoro_study_plan,
    sm2_next_review,
    study_plan_until_exam,
    terms_to_graduate,
    word_pronunciation,
)

__all__ = [
    "apa_book_citation",
    "exam_score_percentile",
    "final_exam_score_needed",
    "formula_test_score",
    "gpa_from_letter_grades",
    "percent_to_letter_grade",
    "pomodoro_study_plan",
    "sm2_next_review",
    "study_plan_until_exam",
    "terms_to_graduate",
    "weighted_course_grade",
    "word_pronunciation",
]
