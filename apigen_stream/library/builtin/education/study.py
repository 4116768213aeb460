"""Study APIs: exam plans, graduation, spaced repetition, citations, pomodoro, pronunciation."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from typing import Any

from apigen_stream.library.registry import api

WEEKDAY_NAMES = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def _iso_date(text: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{what} must be an ISO date YYYY-MM-DD, got {text!r}") from None


@api(
    category="Education",
    description=(
        "Terms (semesters or quarters) left to graduate given credits earned, credits required "
        "and the credit load per term, with the expected graduation term count."
    ),
    params={
        "credits_earned": {
            "type": "number",
            "minimum": 0,
            "maximum": 400,
            "description": "Credits completed.",
        },
        "credits_required": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 400,
            "description": "Credits needed for the degree (120 is typical for a US bachelor's).",
        },
        "credits_per_term": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 40,
            "description": "Credits taken each term (15 keeps a 4-year pace).",
        },
    },
    templates=[
        "I have {credits_earned} credits of {credits_required}; taking {credits_per_term} a "
        "term, how many terms are left?",
        "How long until I graduate with {credits_earned}/{credits_required} credits at "
        "{credits_per_term} credits per semester?",
    ],
    examples=[
        (
            "I've earned 54 of 120 credits and take 15 per semester. How many semesters left?",
            {"credits_earned": 54, "credits_required": 120, "credits_per_term": 15},
        )
    ],
)
def terms_to_graduate(
    credits_earned: float, credits_required: float, credits_per_term: float
) -> dict[str, Any]:
    """Remaining terms at a steady load."""
    remaining = max(0.0, credits_required - credits_earned)
    terms = math.ceil(round(remaining / credits_per_term, 6))
    last_load = remaining - (terms - 1) * credits_per_term if terms else 0.0
    return {
        "credits_remaining": remaining,
        "terms_remaining": terms,
        "credits_in_last_term": round(last_load, 2),
        "percent_complete": round(min(100.0, 100 * credits_earned / credits_required), 1),
    }


@api(
    category="Education",
    description=(
        "Study plan until an exam: spreads topics evenly over the study days between today and "
        "the exam (exam day excluded), keeping the final day for review."
    ),
    params={
        "today": {
            "type": "string",
            "format": "date",
            "description": "First study day.",
            "examples": ["2025-05-01", "2025-01-06", "2024-11-18"],
        },
        "exam_date": {
            "type": "string",
            "format": "date",
            "description": "Date of the exam.",
            "examples": ["2025-06-12", "2025-06-02", "2025-05-20"],
        },
        "topics": {
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "minItems": 1,
            "maxItems": 60,
            "description": "Topics to cover, in order.",
            "examples": [
                ["Algebra", "Geometry", "Statistics"],
                ["Cell biology", "Genetics", "Evolution", "Ecology"],
                ["Mechanics", "Waves"],
            ],
        },
        "rest_weekdays": {
            "type": "array",
            "items": {
                "type": "string",
                "enum": [
                    "monday",
                    "tuesday",
                    "wednesday",
                    "thursday",
                    "friday",
                    "saturday",
                    "sunday",
                ],
            },
            "maxItems": 6,
            "uniqueItems": True,
            "description": "Days of the week with no study.",
            "examples": [["sunday"], ["saturday", "sunday"], ["wednesday"]],
        },
    },
    templates=[
        "Make me a study plan from {today} to my exam on {exam_date} covering {topics}.",
        "Plan revision of {topics} before {exam_date}, starting {today}, resting on "
        "{rest_weekdays}.",
    ],
    examples=[
        (
            "My exam is on 2025-06-12; today is 2025-05-01. Plan Algebra, Geometry and Statistics.",
            {
                "today": "2025-05-01",
                "exam_date": "2025-06-12",
                "topics": ["Algebra", "Geometry", "Statistics"],
            },
        )
    ],
)
def study_plan_until_exam(
    today: str, exam_date: str, topics: list[str], rest_weekdays: Sequence[str] = ()
) -> dict[str, Any]:
    """Even topic schedule with a review day."""
    start, exam = _iso_date(today, "today"), _iso_date(exam_date, "exam_date")
    rest = {WEEKDAY_NAMES.index(d) for d in rest_weekdays}
    days = [start + dt.timedelta(n) for n in range((exam - start).days)]
    days = [d for d in days if d.weekday() not in rest]
    if len(days) < 2:
        raise ValueError("at least two study days are needed before the exam")
    study, review = days[:-1], days[-1]
    blocks = [
        study[i * len(study) // len(topics) : (i + 1) * len(study) // len(topics)]
        for i in range(len(topics))
    ]
    plan = [
        {"topic": t, "from": b[0].isoformat(), "to": b[-1].isoformat(), "days": len(b)}
        for t, b in zip(topics, blocks, strict=True)
        if b
    ]
    if len(plan) < len(topics):
        raise ValueError(f"{len(topics)} topics do not fit in {len(study)} study days")
    return {"study_days": len(study), "plan": plan, "review_day": review.isoformat()}


@api(
    category="Education",
    description=(
        "Next flashcard review with the SuperMemo SM-2 algorithm: new interval in days, "
        "repetition count and ease factor after answering with a quality grade 0-5."
    ),
    params={
        "quality": {
            "type": "integer",
            "minimum": 0,
            "maximum": 5,
            "description": "Recall quality: 5 perfect, 3 hard but correct, below 3 failed.",
        },
        "repetitions": {
            "type": "integer",
            "minimum": 0,
            "maximum": 1000,
            "description": "Consecutive correct reviews so far.",
        },
        "interval_days": {
            "type": "integer",
            "minimum": 0,
            "maximum": 36500,
            "description": "Current interval in days.",
        },
        "ease_factor": {
            "type": "number",
            "minimum": 1.3,
            "maximum": 5,
            "description": "Current ease factor (starts at 2.5).",
        },
    },
    templates=[
        "I answered a flashcard with quality {quality} after {repetitions} reviews; when "
        "should I see it again?",
        "SM-2 next interval for quality {quality}, interval {interval_days} days, ease "
        "{ease_factor}, repetitions {repetitions}?",
    ],
    examples=[
        (
            "Card seen twice, interval 6 days, ease 2.5, answered with quality 4: next review?",
            {"quality": 4, "repetitions": 2, "interval_days": 6, "ease_factor": 2.5},
        )
    ],
)
def sm2_next_review(
    quality: int, repetitions: int = 0, interval_days: int = 0, ease_factor: float = 2.5
) -> dict[str, Any]:
    """SM-2 scheduling step (Wozniak 1990)."""
    if quality < 3:
        repetitions, interval = 0, 1
    else:
        interval = (
            1
            if repetitions == 0
            else 6
            if repetitions == 1
            else math.ceil(interval_days * ease_factor)
        )
        repetitions += 1
    ease = max(1.3, ease_factor + 0.1 - (5 - quality) * (0.08 + (5 - quality) * 0.02))
    return {"interval_days": interval, "repetitions": repetitions, "ease_factor": round(ease, 4)}


@api(
    category="Education",
    description=(
        "APA 7th edition reference for a book, from its authors, year, title, edition and "
        "publisher."
    ),
    params={
        "authors": {
            "type": "array",
            "items": {"type": "string", "pattern": r"^[^,]+, [^,]+$"},
            "minItems": 1,
            "maxItems": 20,
            "description": "Authors as 'Family, Given Names', in order.",
            "examples": [
                ["Sapolsky, Robert M."],
                ["Strunk, William", "White, E. B."],
                ["Goodfellow, Ian", "Bengio, Yoshua", "Courville, Aaron"],
            ],
        },
        "year": {
            "type": "integer",
            "minimum": 1450,
            "maximum": 2100,
            "description": "Publication year.",
        },
        "title": {
            "type": "string",
            "minLength": 1,
            "maxLength": 300,
            "description": "Book title.",
            "examples": [
                "Behave: The biology of humans at our best and worst",
                "The elements of style",
                "Deep learning",
            ],
        },
        "publisher": {
            "type": "string",
            "minLength": 1,
            "maxLength": 200,
            "description": "Publisher name.",
            "examples": ["Penguin Press", "MIT Press", "Allyn & Bacon"],
        },
        "edition": {
            "type": "integer",
            "minimum": 1,
            "maximum": 50,
            "description": "Edition number (1 = first, not shown).",
        },
    },
    templates=[
        "Cite the book {title} by {authors} ({year}, {publisher}) in APA.",
        "Give me an APA reference for {title}, edition {edition}, published by {publisher} "
        "in {year}, authors {authors}.",
    ],
    examples=[
        (
            "APA citation for The Elements of Style by Strunk and White, 4th ed., Allyn & "
            "Bacon, 2000?",
            {
                "authors": ["Strunk, William", "White, E. B."],
                "year": 2000,
                "title": "The elements of style",
                "publisher": "Allyn & Bacon",
                "edition": 4,
            },
        )
    ],
)
def apa_book_citation(
    authors: list[str], year: int, title: str, publisher: str, edition: int = 1
) -> dict[str, str]:
    """APA 7 book reference."""
    names = [_apa_author(a) for a in authors]
    if len(names) > 20:
        raise ValueError("APA lists at most 20 authors")
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", & " + names[-1]
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(
        edition % 10 if edition % 100 not in (11, 12, 13) else 0, "th"
    )
    ed = f" ({edition}{suffix} ed.)" if edition > 1 else ""
    ending = "" if title.rstrip()[-1] in "?!." else "."
    return {
        "reference": f"{joined} ({year}). {title.strip()}{ed}{ending} {publisher.strip()}.",
        "in_text": _apa_in_text(authors, year),
    }


def _apa_author(author: str) -> str:
    family, _, given = author.partition(",")
    if not given.strip():
        raise ValueError(f"author {author!r} must be 'Family, Given Names'")
    initials = " ".join(p[0] + "." for p in re.split(r"[\s.]+", given.strip()) if p)
    return f"{family.strip()}, {initials}"


def _apa_in_text(authors: list[str], year: int) -> str:
    families = [a.partition(",")[0].strip() for a in authors]
    if len(families) == 1:
        return f"({families[0]}, {year})"
    if len(families) == 2:
        return f"({families[0]} & {families[1]}, {year})"
    return f"({families[0]} et al., {year})"


@api(
    category="Education",
    description=(
        "Pomodoro study plan for a session length: focus blocks of 25 minutes with 5-minute "
        "breaks and a longer break after every 4 blocks (Cirillo's technique), as a timeline."
    ),
    params={
        "total_minutes": {
            "type": "integer",
            "minimum": 25,
            "maximum": 720,
            "description": "Time available in minutes.",
        },
        "focus_minutes": {
            "type": "integer",
            "minimum": 10,
            "maximum": 90,
            "description": "Length of a focus block.",
        },
        "short_break": {
            "type": "integer",
            "minimum": 1,
            "maximum": 30,
            "description": "Short break length.",
        },
        "long_break": {
            "type": "integer",
            "minimum": 5,
            "maximum": 60,
            "description": "Long break after every 4 blocks.",
        },
    },
    templates=[
        "Plan my {total_minutes}-minute study session with pomodoros.",
        "Make a pomodoro schedule for {total_minutes} minutes with {focus_minutes}-minute "
        "focus blocks.",
    ],
    examples=[("I have 3 hours to study; give me a pomodoro plan.", {"total_minutes": 180})],
)
def pomodoro_study_plan(
    total_minutes: int, focus_minutes: int = 25, short_break: int = 5, long_break: int = 15
) -> dict[str, Any]:
    """Focus/break timeline."""
    plan, t, blocks = [], 0, 0
    while t + focus_minutes <= total_minutes:
        plan.append({"start_minute": t, "activity": "focus", "minutes": focus_minutes})
        t, blocks = t + focus_minutes, blocks + 1
        pause = long_break if blocks % 4 == 0 else short_break
        if t + pause + focus_minutes > total_minutes:
            break
        plan.append({"start_minute": t, "activity": "break", "minutes": pause})
        t += pause
    return {"focus_blocks": blocks, "focus_minutes_total": blocks * focus_minutes, "timeline": plan}


@api(
    category="Education",
    description=(
        "Pronunciation of an English word from the CMU Pronouncing Dictionary: ARPAbet phones, "
        "syllables and stress pattern."
    ),
    params={
        "word": {
            "type": "string",
            "pattern": r"^[A-Za-z']+$",
            "description": "An English word.",
            "examples": ["education", "photograph", "banana", "comfortable"],
        }
    },
    templates=[
        "How is {word} pronounced?",
        "Where is the stress in {word} and how many syllables does it have?",
    ],
    examples=[
        ("How many syllables are in 'education' and which is stressed?", {"word": "education"})
    ],
)
def word_pronunciation(word: str) -> dict[str, Any]:
    """CMU pronunciation."""
    import pronouncing  # type: ignore[import-untyped]  # noqa: PLC0415 - loads a large dictionary

    phones = pronouncing.phones_for_word(word.lower())
    if not phones:
        raise ValueError(f"{word!r} is not in the CMU Pronouncing Dictionary")
    stresses = pronouncing.stresses(phones[0])
    return {
        "phones": phones[0],
        "syllables": len(stresses),
        "stress_pattern": stresses,
        "primary_stress_syllable": stresses.index("1") + 1 if "1" in stresses else None,
        "variants": len(phones),
    }
