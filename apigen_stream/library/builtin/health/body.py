"""Health APIs for body measures, energy needs, blood pressure, alcohol and pregnancy dating."""

from __future__ import annotations

import datetime as dt
from typing import Any

from apigen_stream.library.registry import api

_SEX = {
    "type": "string",
    "enum": ["male", "female"],
    "description": "Sex used by the clinical formula.",
}
_WEIGHT = {"type": "number", "minimum": 2, "maximum": 400, "description": "Body weight in kg."}
_HEIGHT = {"type": "number", "minimum": 50, "maximum": 250, "description": "Height in cm."}
_AGE = {
    "type": "integer",
    "minimum": 18,
    "maximum": 120,
    "description": "Age in years (adult formula).",
}


@api(
    category="Health",
    description=(
        "Body mass index (kg/m²) with its WHO adult category and the healthy weight range for "
        "the height."
    ),
    params={"weight_kg": _WEIGHT, "height_cm": _HEIGHT},
    templates=[
        "What's my BMI if I weigh {weight_kg} kg and am {height_cm} cm tall?",
        "BMI and category for {weight_kg} kg at {height_cm} cm?",
    ],
    examples=[("I'm 180 cm and 82 kg; what's my BMI?", {"weight_kg": 82, "height_cm": 180})],
)
def body_mass_index(weight_kg: float, height_cm: float) -> dict[str, Any]:
    """BMI with WHO classes."""
    m = height_cm / 100
    bmi = weight_kg / m**2
    # WHO adult BMI classification (WHO Technical Report Series 894).
    bands = [
        (18.5, "Underweight"),
        (25, "Normal weight"),
        (30, "Pre-obesity"),
        (35, "Obesity class I"),
        (40, "Obesity class II"),
    ]
    category = next((name for limit, name in bands if bmi < limit), "Obesity class III")
    return {
        "bmi": round(bmi, 2),
        "category": category,
        "healthy_weight_kg": [round(18.5 * m**2, 1), round(24.9 * m**2, 1)],
    }


# Activity multipliers for total daily energy expenditure (FAO/WHO/UNU physical activity levels
# as commonly applied to Mifflin-St Jeor).
ACTIVITY = {"sedentary": 1.2, "light": 1.375, "moderate": 1.55, "active": 1.725, "very_active": 1.9}


@api(
    category="Health",
    description=(
        "Basal metabolic rate (Mifflin-St Jeor) and total daily energy expenditure for an "
        "activity level, in kcal/day."
    ),
    params={
        "weight_kg": _WEIGHT,
        "height_cm": _HEIGHT,
        "age": _AGE,
        "sex": _SEX,
        "activity_level": {
            "type": "string",
            "enum": list(ACTIVITY),
            "description": "Usual activity level.",
        },
    },
    templates=[
        "How many calories do I burn a day? I'm a {age}-year-old {sex}, {height_cm} cm, "
        "{weight_kg} kg, {activity_level}.",
        "What's the BMR of a {sex} aged {age}, {weight_kg} kg, {height_cm} cm?",
    ],
    examples=[
        (
            "I'm a 35-year-old woman, 165 cm, 60 kg, moderately active. Daily calories?",
            {
                "weight_kg": 60,
                "height_cm": 165,
                "age": 35,
                "sex": "female",
                "activity_level": "moderate",
            },
        )
    ],
)
def daily_calorie_needs(
    weight_kg: float, height_cm: float, age: int, sex: str, activity_level: str = "sedentary"
) -> dict[str, float]:
    """Mifflin-St Jeor BMR and TDEE."""
    bmr = 10 * weight_kg + 6.25 * height_cm - 5 * age + (5 if sex == "male" else -161)
    return {"bmr_kcal": round(bmr, 1), "tdee_kcal": round(bmr * ACTIVITY[activity_level], 1)}


@api(
    category="Health",
    description=(
        "Blood pressure category from systolic/diastolic readings per the 2017 ACC/AHA guideline."
    ),
    params={
        "systolic": {
            "type": "integer",
            "minimum": 50,
            "maximum": 300,
            "description": "Systolic pressure, mmHg.",
        },
        "diastolic": {
            "type": "integer",
            "minimum": 30,
            "maximum": 200,
            "description": "Diastolic pressure, mmHg.",
        },
    },
    templates=[
        "Is a blood pressure of {systolic}/{diastolic} normal?",
        "What category is {systolic} over {diastolic} mmHg?",
    ],
    examples=[("My BP is 134/82, is that high?", {"systolic": 134, "diastolic": 82})],
)
def blood_pressure_category(systolic: int, diastolic: int) -> dict[str, str]:
    """ACC/AHA 2017 BP category."""
    if systolic > 180 or diastolic > 120:
        category = "Hypertensive crisis"
    elif systolic >= 140 or diastolic >= 90:
        category = "Stage 2 hypertension"
    elif systolic >= 130 or diastolic >= 80:
        category = "Stage 1 hypertension"
    elif systolic >= 120:
        category = "Elevated"
    else:
        category = "Normal"
    return {"category": category}


@api(
    category="Health",
    description=(
        "Estimated blood alcohol concentration (Widmark formula; r = 0.68 men, 0.55 women; "
        "elimination 0.015 %/h) after drinks of 14 g alcohol each (US standard drink)."
    ),
    params={
        "standard_drinks": {
            "type": "number",
            "minimum": 0,
            "maximum": 40,
            "description": "US standard drinks (14 g ethanol each).",
        },
        "weight_kg": _WEIGHT,
        "sex": _SEX,
        "hours_since_first_drink": {
            "type": "number",
            "minimum": 0,
            "maximum": 48,
            "description": "Hours since drinking started.",
        },
    },
    templates=[
        "What's my BAC after {standard_drinks} drinks over {hours_since_first_drink} hours? "
        "I'm a {sex} weighing {weight_kg} kg.",
        "Estimate blood alcohol for a {sex} weighing {weight_kg} kg after {standard_drinks} "
        "standard drinks.",
    ],
    examples=[
        (
            "I'm a 80 kg man and had 4 drinks over 2 hours. BAC?",
            {"standard_drinks": 4, "weight_kg": 80, "sex": "male", "hours_since_first_drink": 2},
        )
    ],
)
def blood_alcohol_estimate(
    standard_drinks: float, weight_kg: float, sex: str, hours_since_first_drink: float = 0.0
) -> dict[str, Any]:
    """Widmark BAC in % (g/100 mL)."""
    r = 0.68 if sex == "male" else 0.55
    peak = standard_drinks * 14 / (weight_kg * 1000 * r) * 100
    bac = max(0.0, peak - 0.015 * hours_since_first_drink)
    return {
        "bac_percent": round(bac, 4),
        "hours_until_zero": round(bac / 0.015, 2),
        "over_us_limit_0_08": bac >= 0.08,
    }


@api(
    category="Health",
    description=(
        "Pregnancy due date by Naegele's rule (first day of last period + 280 days, adjusted for "
        "cycle length) and gestational age on a date."
    ),
    params={
        "last_period_date": {
            "type": "string",
            "format": "date",
            "description": "First day of the last menstrual period.",
            "examples": ["2024-09-01", "2024-12-15", "2025-01-20"],
        },
        "on_date": {
            "type": "string",
            "format": "date",
            "description": "Date to report gestational age for.",
            "examples": ["2025-02-01", "2025-03-10", "2025-04-30"],
        },
        "cycle_length_days": {
            "type": "integer",
            "minimum": 20,
            "maximum": 45,
            "description": "Usual cycle length in days.",
        },
    },
    templates=[
        "My last period started {last_period_date}. When is my due date?",
        "How many weeks pregnant am I on {on_date} if my LMP was {last_period_date} and "
        "cycles are {cycle_length_days} days?",
    ],
    examples=[
        (
            "LMP was 2024-09-01; due date and weeks on 2025-02-01?",
            {"last_period_date": "2024-09-01", "on_date": "2025-02-01"},
        )
    ],
)
def pregnancy_due_date(
    last_period_date: str, on_date: str, cycle_length_days: int = 28
) -> dict[str, Any]:
    """Naegele due date."""
    try:
        lmp, today = dt.date.fromisoformat(last_period_date), dt.date.fromisoformat(on_date)
    except ValueError:
        raise ValueError("dates must be YYYY-MM-DD") from None
    due = lmp + dt.timedelta(days=280 + cycle_length_days - 28)
    days = (today - lmp).days - (cycle_length_days - 28)
    if days < 0:
        raise ValueError("on_date is before the estimated conception")
    trimester = 1 if days < 14 * 7 else 2 if days < 28 * 7 else 3
    return {
        "due_date": due.isoformat(),
        "gestational_weeks": days // 7,
        "gestational_days": days % 7,
        "trimester": trimester,
    }


@api(
    category="Health",
    description=(
        "Ideal body weight in kg by the Devine, Robinson, Miller or Hamwi formula (base weight "
        "plus kg per inch over 5 ft)."
    ),
    params={
        "height_cm": _HEIGHT,
        "sex": _SEX,
        "formula": {
            "type": "string",
            "enum": ["devine", "robinson", "miller", "hamwi"],
            "description": "Formula.",
        },
    },
    templates=[
        "What is the ideal body weight of a {height_cm} cm {sex}?",
        "Ideal weight for {height_cm} cm {sex} by the {formula} formula?",
    ],
    examples=[
        (
            "Ideal body weight for a 178 cm man (Devine)?",
            {"height_cm": 178, "sex": "male", "formula": "devine"},
        )
    ],
)
def ideal_body_weight(height_cm: float, sex: str, formula: str = "devine") -> dict[str, float]:
    """IBW formulas."""
    # (male base, male per inch, female base, female per inch) in kg.
    table = {
        "devine": (50, 2.3, 45.5, 2.3),
        "robinson": (52, 1.9, 49, 1.7),
        "miller": (56.2, 1.41, 53.1, 1.36),
        "hamwi": (48, 2.7, 45.5, 2.2),
    }
    mb, mi, fb, fi = table[formula]
    base, per = (mb, mi) if sex == "male" else (fb, fi)
    inches_over = height_cm / 2.54 - 60
    return {"ideal_weight_kg": round(base + per * inches_over, 1)}
