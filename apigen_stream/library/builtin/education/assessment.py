"""Education assessment APIs: GPA, letter grades, course grades, exam targets and test scores."""

from __future__ import annotations

import math
from typing import Any

from apigen_stream.library.registry import api

# Common US 4.0 grade points (e.g. College Board / most US registrars).
GRADE_POINTS = {"A+": 4.0, "A": 4.0, "A-": 3.7, "B+": 3.3, "B": 3.0, "B-": 2.7, "C+": 2.3,
                "C": 2.0, "C-": 1.7, "D+": 1.3, "D": 1.0, "D-": 0.7, "F": 0.0}  # fmt: skip
# Lowest percentage for each letter on the common US 10-point scale with +/- thirds.
LETTER_CUTOFFS = [(97, "A+"), (93, "A"), (90, "A-"), (87, "B+"), (83, "B"), (80, "B-"), (77, "C+"),
                  (73, "C"), (70, "C-"), (67, "D+"), (63, "D"), (60, "D-"), (0, "F")]  # fmt: skip


@api(
    category="Education",
    description="Credit-weighted GPA on the US 4.0 scale from letter grades and credit hours.",
    params={
        "courses": {
            "type": "array",
            "minItems": 1,
            "maxItems": 100,
            "description": "Courses with a letter grade and credit hours.",
            "items": {
                "type": "object",
                "properties": {
                    "grade": {
                        "type": "string",
                        "enum": list(GRADE_POINTS),
                        "description": "Letter grade.",
                    },
                    "credits": {
                        "type": "number",
                        "exclusiveMinimum": 0,
                        "maximum": 20,
                        "description": "Credit hours.",
                    },
                },
                "required": ["grade", "credits"],
            },
        }
    },
    templates=[
        "What's my GPA with these courses: {courses}?",
        "Calculate my semester GPA from {courses}.",
    ],
    examples=[
        (
            "GPA for an A in a 4-credit class, B+ in 3 credits and A- in 3?",
            {
                "courses": [
                    {"grade": "A", "credits": 4},
                    {"grade": "B+", "credits": 3},
                    {"grade": "A-", "credits": 3},
                ]
            },
        )
    ],
)
def gpa_from_letter_grades(courses: list[dict[str, Any]]) -> dict[str, float]:
    """Weighted GPA."""
    credits = sum(float(c["credits"]) for c in courses)
    if credits <= 0:
        raise ValueError("total credits must be positive")
    points = sum(GRADE_POINTS[c["grade"]] * float(c["credits"]) for c in courses)
    return {
        "gpa": round(points / credits, 3),
        "total_credits": credits,
        "quality_points": round(points, 2),
    }


@api(
    category="Education",
    description=(
        "Letter grade for a percentage on the common US scale (93+ A, 90+ A-, 87+ B+ ... below "
        "60 F) with grade points."
    ),
    params={
        "percentage": {
            "type": "number",
            "minimum": 0,
            "maximum": 100,
            "description": "Score in percent.",
        }
    },
    templates=[
        "What letter grade is {percentage}%?",
        "I got {percentage} percent; what grade is that?",
    ],
    examples=[("What letter grade is an 88%?", {"percentage": 88})],
)
def percent_to_letter_grade(percentage: float) -> dict[str, Any]:
    """US letter grade."""
    letter = next(g for cut, g in LETTER_CUTOFFS if percentage >= cut)
    return {"letter": letter, "grade_points": GRADE_POINTS[letter]}


@api(
    category="Education",
    description=(
        "Course grade from weighted components (each a score in percent and a weight), "
        "normalised by total weight."
    ),
    params={
        "components": {
            "type": "array",
            "minItems": 1,
            "maxItems": 30,
            "description": "Graded components such as homework, midterm and final.",
            "items": {
                "type": "object",
                "properties": {
                    "score_pct": {
                        "type": "number",
                        "minimum": 0,
                        "maximum": 150,
                        "description": "Score in percent.",
                    },
                    "weight_pct": {
                        "type": "number",
                        "exclusiveMinimum": 0,
                        "maximum": 100,
                        "description": "Weight in percent.",
                    },
                },
                "required": ["score_pct", "weight_pct"],
            },
        }
    },
    templates=[
        "What's my course grade with {components}?",
        "Compute my weighted average from {components}.",
    ],
    examples=[
        (
            "Homework 92% (20%), midterm 78% (30%), final 85% (50%): my grade?",
            {
                "components": [
                    {"score_pct": 92, "weight_pct": 20},
                    {"score_pct": 78, "weight_pct": 30},
                    {"score_pct": 85, "weight_pct": 50},
                ]
            },
        )
    ],
)
def weighted_course_grade(components: list[dict[str, float]]) -> dict[str, Any]:
    """Weighted average grade."""
    weight = sum(c["weight_pct"] for c in components)
    grade = sum(c["score_pct"] * c["weight_pct"] for c in components) / weight
    return {
        "grade_pct": round(grade, 3),
        "total_weight_pct": weight,
        "letter": percent_to_letter_grade(min(grade, 100))["letter"],
    }


@api(
    category="Education",
    description=(
        "Score needed on the final exam to reach a target course grade, given the current grade "
        "and the final's weight."
    ),
    params={
        "current_grade_pct": {
            "type": "number",
            "minimum": 0,
            "maximum": 150,
            "description": "Current grade before the final, in percent.",
        },
        "final_weight_pct": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 100,
            "description": "Weight of the final exam in percent.",
        },
        "target_grade_pct": {
            "type": "number",
            "minimum": 0,
            "maximum": 100,
            "description": "Course grade wanted, in percent.",
        },
    },
    templates=[
        "I have {current_grade_pct}% and the final is worth {final_weight_pct}%. What do I "
        "need to get {target_grade_pct}%?",
        "What final exam score gets me a {target_grade_pct} if my grade is "
        "{current_grade_pct} and the final counts {final_weight_pct}%?",
    ],
    examples=[
        (
            "I have an 84, the final is 30%, I want a 90. What do I need?",
            {"current_grade_pct": 84, "final_weight_pct": 30, "target_grade_pct": 90},
        )
    ],
)
def final_exam_score_needed(
    current_grade_pct: float, final_weight_pct: float, target_grade_pct: float
) -> dict[str, Any]:
    """Required final score."""
    w = final_weight_pct / 100
    needed = (target_grade_pct - (1 - w) * current_grade_pct) / w
    return {"needed_pct": round(needed, 2), "achievable": needed <= 100}


@api(
    category="Education",
    description=(
        "Standardises a test score: z-score, T-score, percentile (normal distribution) and stanine."
    ),
    params={
        "raw_score": {"type": "number", "description": "The student's score."},
        "mean": {"type": "number", "description": "Mean score of the group."},
        "std_dev": {
            "type": "number",
            "exclusiveMinimum": 0,
            "description": "Standard deviation of the scores.",
        },
    },
    templates=[
        "I scored {raw_score}; the mean was {mean} with SD {std_dev}. What percentile is that?",
        "Z-score and percentile for {raw_score} (mean {mean}, sd {std_dev})?",
    ],
    examples=[
        (
            "I got 82 on a test with mean 70 and standard deviation 8. Percentile?",
            {"raw_score": 82, "mean": 70, "std_dev": 8},
        )
    ],
)
def exam_score_percentile(raw_score: float, mean: float, std_dev: float) -> dict[str, float | int]:
    """Normal-model score conversions."""
    z = (raw_score - mean) / std_dev
    percentile = 50 * (1 + math.erf(z / math.sqrt(2)))
    stanine = min(9, max(1, round(z * 2 + 5)))
    return {
        "z_score": round(z, 4),
        "t_score": round(50 + 10 * z, 2),
        "percentile": round(percentile, 2),
        "stanine": stanine,
    }


@api(
    category="Education",
    description=(
        "Score of a test with formula scoring: points per correct answer minus a penalty per "
        "wrong answer; blanks score 0."
    ),
    params={
        "correct": {
            "type": "integer",
            "minimum": 0,
            "maximum": 1000,
            "description": "Correct answers.",
        },
        "wrong": {
            "type": "integer",
            "minimum": 0,
            "maximum": 1000,
            "description": "Wrong answers.",
        },
        "blank": {
            "type": "integer",
            "minimum": 0,
            "maximum": 1000,
            "description": "Unanswered questions.",
        },
        "points_correct": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 100,
            "description": "Points per correct answer.",
        },
        "penalty_wrong": {
            "type": "number",
            "minimum": 0,
            "maximum": 100,
            "description": "Points lost per wrong answer (0.25 on 5-option tests).",
        },
    },
    templates=[
        "I got {correct} right, {wrong} wrong and left {blank} blank. What's my score with a "
        "{penalty_wrong} penalty?",
        "Formula score for {correct} correct and {wrong} wrong answers?",
    ],
    examples=[
        (
            "40 right, 8 wrong, 2 blank with a quarter-point penalty: score?",
            {"correct": 40, "wrong": 8, "blank": 2, "penalty_wrong": 0.25},
        )
    ],
)
def formula_test_score(
    correct: int,
    wrong: int,
    blank: int = 0,
    points_correct: float = 1.0,
    penalty_wrong: float = 0.25,
) -> dict[str, float]:
    """Formula-scored test."""
    total = correct + wrong + blank
    if total == 0:
        raise ValueError("the test has no questions")
    score = correct * points_correct - wrong * penalty_wrong
    return {
        "score": round(score, 4),
        "max_score": total * points_correct,
        "percent": round(100 * score / (total * points_correct), 2),
    }
