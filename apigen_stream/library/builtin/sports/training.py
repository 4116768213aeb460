"""Sports APIs for training: pace, race prediction, calories, strength and heart-rate zones."""

from __future__ import annotations

import re
from typing import Any

from apigen_stream.library.registry import api

CATEGORY = "Sports"

# Metres in a statute mile (international yard, 1959).
_MILE_M = 1609.344

_DURATION = re.compile(r"^(?:(\d+):)?([0-5]?\d):([0-5]\d(?:\.\d+)?)$")


def _seconds(duration: str) -> float:
    match = _DURATION.match(duration.strip())
    if not match:
        raise ValueError(f"time {duration!r} is not H:MM:SS or MM:SS")
    hours, minutes, seconds = match.groups()
    total = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    if total <= 0:
        raise ValueError("time must be positive")
    return total


def _clock(seconds: float) -> str:
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


_TIME = {
    "type": "string",
    "pattern": r"^(\d+:)?[0-5]?\d:[0-5]\d(\.\d+)?$",
    "description": "Finishing time as H:MM:SS or MM:SS.",
    "examples": ["25:30", "1:45:00", "3:59:59", "48:12"],
}
_DISTANCE = {
    "type": "number",
    "exclusiveMinimum": 0,
    "maximum": 500,
    "description": "Distance in kilometres (42.195 for a marathon).",
}


@api(
    category=CATEGORY,
    description=(
        "Running pace from distance and time: minutes per kilometre and per mile, and speed in "
        "km/h and mph."
    ),
    params={"distance_km": _DISTANCE, "time": _TIME},
    templates=[
        "What pace did I run if I covered {distance_km} km in {time}?",
        "I ran {distance_km} kilometres in {time}. What's my pace per mile?",
    ],
    examples=[("I ran 10 km in 48:12. What was my pace?", {"distance_km": 10, "time": "48:12"})],
)
def running_pace_calculator(distance_km: float, time: str) -> dict[str, Any]:
    """Pace = time / distance."""
    seconds = _seconds(time)
    return {
        "pace_per_km": _clock(seconds / distance_km),
        "pace_per_mile": _clock(seconds / (distance_km * 1000 / _MILE_M)),
        "speed_kmh": round(distance_km / (seconds / 3600), 2),
        "speed_mph": round(distance_km * 1000 / _MILE_M / (seconds / 3600), 2),
    }


# Riegel's fatigue exponent (Riegel 1981, "Athletic records and human endurance").
_RIEGEL_EXPONENT = 1.06


@api(
    category=CATEGORY,
    description=(
        "Predict a race time at a new distance from a known race result with Riegel's formula "
        "T2 = T1·(D2/D1)^1.06; best between about 1.5 km and the marathon."
    ),
    params={
        "known_distance_km": _DISTANCE,
        "known_time": _TIME,
        "target_distance_km": {**_DISTANCE, "description": "Distance to predict, in km."},
    },
    templates=[
        "I ran {known_distance_km} km in {known_time}. What time can I expect for "
        "{target_distance_km} km?",
        "Predict my {target_distance_km} km time from a {known_time} over {known_distance_km} km.",
    ],
    examples=[
        (
            "My 10K is 48:12. What marathon time does that predict?",
            {"known_distance_km": 10, "known_time": "48:12", "target_distance_km": 42.195},
        )
    ],
)
def race_time_prediction(
    known_distance_km: float, known_time: str, target_distance_km: float
) -> dict[str, Any]:
    """Riegel (1981)."""
    predicted = _seconds(known_time) * (target_distance_km / known_distance_km) ** _RIEGEL_EXPONENT
    return {
        "predicted_time": _clock(predicted),
        "predicted_seconds": round(predicted),
        "pace_per_km": _clock(predicted / target_distance_km),
    }


# MET values from the 2011 Compendium of Physical Activities (Ainsworth et al., Med Sci Sports
# Exerc 43(8)); activity code in the comment.
_MET = {
    "running_6mph": 9.8,  # 12050 running, 6 mph (10 min/mile)
    "running_8mph": 11.8,  # 12090 running, 8 mph (7.5 min/mile)
    "walking_3mph": 3.5,  # 17190 walking, 2.8-3.2 mph, level, moderate pace
    "cycling_12_14mph": 8.0,  # 01040 bicycling, 12-13.9 mph, leisure, moderate effort
    "swimming_freestyle_moderate": 5.8,  # 18310 swimming laps, freestyle, light/moderate
    "basketball_game": 8.0,  # 15055 basketball, game
    "soccer_competitive": 10.0,  # 15610 soccer, competitive
    "tennis_general": 7.3,  # 15675 tennis, general
    "yoga_hatha": 2.5,  # 02150 yoga, Hatha
    "jumping_rope_moderate": 11.8,  # 15552 rope jumping, moderate pace, 100-120 skips/min
    "hiking_cross_country": 6.0,  # 17080 hiking, cross country
    "weight_lifting_vigorous": 6.0,  # 02050 resistance training, vigorous effort
}


@api(
    category=CATEGORY,
    description=(
        "Calories (kcal) burned by an activity from its MET value in the 2011 Compendium of "
        "Physical Activities, body weight and duration (kcal = MET × kg × hours)."
    ),
    params={
        "activity": {"type": "string", "enum": sorted(_MET), "description": "The activity."},
        "weight_kg": {
            "type": "number",
            "minimum": 20,
            "maximum": 300,
            "description": "Body weight in kg.",
        },
        "minutes": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 1440,
            "description": "Duration in minutes.",
        },
    },
    templates=[
        "How many calories do I burn with {minutes} minutes of {activity} at {weight_kg} kg?",
        "I weigh {weight_kg} kg. Calories burned by {minutes} min of {activity}?",
    ],
    examples=[
        (
            "How many calories does a 70 kg person burn running at 6 mph for 30 minutes?",
            {"activity": "running_6mph", "weight_kg": 70, "minutes": 30},
        )
    ],
)
def exercise_calories_burned(activity: str, weight_kg: float, minutes: float) -> dict[str, Any]:
    """1 MET ≈ 1 kcal per kg per hour."""
    if activity not in _MET:
        raise ValueError(f"unknown activity {activity!r}")
    met = _MET[activity]
    return {"activity": activity, "met": met, "kcal": round(met * weight_kg * minutes / 60, 1)}


@api(
    category=CATEGORY,
    description=(
        "Estimated one-repetition maximum from a weight lifted for several reps, by the Epley, "
        "Brzycki or Lombardi formula, with training loads at 90/80/70% of it."
    ),
    params={
        "weight": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 1000,
            "description": "Weight lifted (kg or lb; the answer is in the same unit).",
        },
        "reps": {"type": "integer", "minimum": 1, "maximum": 30, "description": "Reps done."},
        "formula": {
            "type": "string",
            "enum": ["epley", "brzycki", "lombardi"],
            "description": "Estimation formula.",
        },
    },
    templates=[
        "I lifted {weight} for {reps} reps. What's my estimated one-rep max?",
        "Estimate my 1RM with the {formula} formula: {weight} x {reps}.",
    ],
    examples=[
        (
            "I benched 100 kg for 5 reps. What's my 1RM?",
            {"weight": 100, "reps": 5, "formula": "epley"},
        )
    ],
)
def one_rep_max_estimate(weight: float, reps: int, formula: str = "epley") -> dict[str, Any]:
    """Epley w(1 + r/30); Brzycki w·36/(37 − r); Lombardi w·r^0.10."""
    if formula == "epley":
        one_rm = weight * (1 + reps / 30) if reps > 1 else weight
    elif formula == "brzycki":
        one_rm = weight * 36 / (37 - reps)
    elif formula == "lombardi":
        one_rm = weight * reps**0.10
    else:
        raise ValueError(f"unknown formula {formula!r}")
    loads = {f"{p}%": round(one_rm * p / 100, 1) for p in (90, 80, 70)}
    return {"formula": formula, "one_rep_max": round(one_rm, 1), "training_loads": loads}


@api(
    category=CATEGORY,
    description=(
        "Heart-rate training zones 1-5 by the Karvonen (heart-rate reserve) method; maximum "
        "heart rate from age by the Tanaka (208 − 0.7·age) or Fox (220 − age) formula; bpm."
    ),
    params={
        "age": {"type": "integer", "minimum": 10, "maximum": 100, "description": "Age in years."},
        "resting_heart_rate": {
            "type": "integer",
            "minimum": 30,
            "maximum": 120,
            "description": "Resting heart rate in bpm.",
        },
        "max_formula": {
            "type": "string",
            "enum": ["tanaka", "fox"],
            "description": "Formula for the maximum heart rate.",
        },
    },
    templates=[
        "What are my heart rate zones? I'm {age} with a resting heart rate of "
        "{resting_heart_rate}.",
        "Give Karvonen training zones for age {age}, resting HR {resting_heart_rate} bpm.",
    ],
    examples=[
        (
            "I'm 35 and my resting heart rate is 60. What are my training zones?",
            {"age": 35, "resting_heart_rate": 60},
        )
    ],
)
def heart_rate_training_zones(
    age: int, resting_heart_rate: int, max_formula: str = "tanaka"
) -> dict[str, Any]:
    """Zone n spans (40 + 10n)% to (50 + 10n)% of the reserve, on top of the resting rate."""
    if max_formula not in ("tanaka", "fox"):
        raise ValueError(f"unknown max_formula {max_formula!r}")
    max_hr = 208 - 0.7 * age if max_formula == "tanaka" else 220 - age
    reserve = max_hr - resting_heart_rate
    if reserve <= 0:
        raise ValueError("resting heart rate is not below the maximum")
    zones = [
        {
            "zone": z,
            "low_bpm": round(resting_heart_rate + reserve * (0.4 + 0.1 * z)),
            "high_bpm": round(resting_heart_rate + reserve * (0.5 + 0.1 * z)),
        }
        for z in range(1, 6)
    ]
    return {"max_heart_rate": round(max_hr), "heart_rate_reserve": round(reserve), "zones": zones}
