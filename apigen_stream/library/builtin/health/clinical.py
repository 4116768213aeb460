"""Clinical health APIs: body fat, surface area, kidney function, QTc, waist ratio, pack-years."""

from __future__ import annotations

import math
from typing import Any

from apigen_stream.library.builtin.health.body import _AGE, _HEIGHT, _SEX, _WEIGHT
from apigen_stream.library.registry import api


@api(
    category="Health",
    description="Body fat percentage by the US Navy circumference method (hip needed for women).",
    params={
        "sex": _SEX,
        "height_cm": _HEIGHT,
        "neck_cm": {
            "type": "number",
            "minimum": 25,
            "maximum": 55,
            "description": "Neck circumference, cm.",
        },
        "waist_cm": {
            "type": "number",
            "minimum": 56,
            "maximum": 200,
            "description": "Waist circumference at the navel (men) or narrowest (women), cm.",
        },
        "hip_cm": {
            "type": "number",
            "minimum": 50,
            "maximum": 200,
            "description": "Hip circumference at the widest point, cm (used for women only).",
        },
    },
    templates=[
        "What's my body fat as a {sex}, {height_cm} cm, neck {neck_cm} cm, waist {waist_cm} "
        "cm, hips {hip_cm} cm?",
        "US Navy body fat for a {sex}: height {height_cm}, neck {neck_cm}, waist {waist_cm}, "
        "hips {hip_cm}.",
    ],
    examples=[
        (
            "Male, 180 cm, neck 38 cm, waist 85 cm: body fat?",
            {"sex": "male", "height_cm": 180, "neck_cm": 38, "waist_cm": 85, "hip_cm": 98},
        )
    ],
)
def body_fat_navy_method(
    sex: str, height_cm: float, neck_cm: float, waist_cm: float, hip_cm: float
) -> dict[str, float]:
    """US Navy (Hodgdon-Beckett) body fat, metric form."""
    # The schema keeps the waist (>= 56 cm) above the neck (<= 55 cm), so the logs are defined.
    if sex == "male":
        density = (
            1.0324 - 0.19077 * math.log10(waist_cm - neck_cm) + 0.15456 * math.log10(height_cm)
        )
    else:
        density = (
            1.29579
            - 0.35004 * math.log10(waist_cm + hip_cm - neck_cm)
            + 0.22100 * math.log10(height_cm)
        )
    return {"body_fat_pct": round(495 / density - 450, 1)}


@api(
    category="Health",
    description=(
        "Body surface area in m² by the Mosteller or Du Bois formula (used for drug dosing)."
    ),
    params={
        "weight_kg": _WEIGHT,
        "height_cm": _HEIGHT,
        "formula": {"type": "string", "enum": ["mosteller", "du_bois"], "description": "Formula."},
    },
    templates=[
        "What's the body surface area for {weight_kg} kg and {height_cm} cm?",
        "BSA by {formula} for height {height_cm} cm and weight {weight_kg} kg?",
    ],
    examples=[
        (
            "BSA for a 70 kg, 175 cm adult (Mosteller)?",
            {"weight_kg": 70, "height_cm": 175, "formula": "mosteller"},
        )
    ],
)
def body_surface_area(
    weight_kg: float, height_cm: float, formula: str = "mosteller"
) -> dict[str, float]:
    """BSA."""
    if formula == "mosteller":
        bsa = math.sqrt(height_cm * weight_kg / 3600)
    else:
        bsa = 0.007184 * weight_kg**0.425 * height_cm**0.725
    return {"bsa_m2": round(bsa, 3)}


@api(
    category="Health",
    description=(
        "Estimated GFR (mL/min/1.73m²) from serum creatinine by the race-free CKD-EPI 2021 "
        "equation, with CKD stage."
    ),
    params={
        "creatinine_mg_dl": {
            "type": "number",
            "minimum": 0.1,
            "maximum": 20,
            "description": "Serum creatinine, mg/dL.",
        },
        "age": _AGE,
        "sex": _SEX,
    },
    templates=[
        "What's the eGFR for creatinine {creatinine_mg_dl} mg/dL in a {age}-year-old {sex}?",
        "Kidney function stage for a {sex}, age {age}, creatinine {creatinine_mg_dl}?",
    ],
    examples=[
        (
            "eGFR for a 60-year-old man with creatinine 1.2?",
            {"creatinine_mg_dl": 1.2, "age": 60, "sex": "male"},
        )
    ],
)
def egfr_ckd_epi_2021(creatinine_mg_dl: float, age: int, sex: str) -> dict[str, Any]:
    """CKD-EPI 2021 (Inker et al., NEJM 2021)."""
    kappa, alpha, factor = (0.7, -0.241, 1.012) if sex == "female" else (0.9, -0.302, 1.0)
    ratio = creatinine_mg_dl / kappa
    egfr = 142 * min(ratio, 1) ** alpha * max(ratio, 1) ** -1.200 * 0.9938**age * factor
    # KDIGO 2012 GFR categories.
    stages = [(90, "G1"), (60, "G2"), (45, "G3a"), (30, "G3b"), (15, "G4")]
    stage = next((s for limit, s in stages if egfr >= limit), "G5")
    return {"egfr": round(egfr, 1), "kdigo_stage": stage}


@api(
    category="Health",
    description=(
        "Creatinine clearance (mL/min) by the Cockcroft-Gault equation, used for renal drug dosing."
    ),
    params={
        "age": _AGE,
        "weight_kg": _WEIGHT,
        "creatinine_mg_dl": {
            "type": "number",
            "minimum": 0.1,
            "maximum": 20,
            "description": "Serum creatinine, mg/dL.",
        },
        "sex": _SEX,
    },
    templates=[
        "Creatinine clearance for a {age}-year-old {sex}, {weight_kg} kg, creatinine "
        "{creatinine_mg_dl}?",
        "Cockcroft-Gault CrCl: age {age}, weight {weight_kg} kg, SCr {creatinine_mg_dl}, {sex}.",
    ],
    examples=[
        (
            "CrCl for a 70-year-old woman, 65 kg, creatinine 1.1?",
            {"age": 70, "weight_kg": 65, "creatinine_mg_dl": 1.1, "sex": "female"},
        )
    ],
)
def creatinine_clearance(
    age: int, weight_kg: float, creatinine_mg_dl: float, sex: str
) -> dict[str, float]:
    """Cockcroft-Gault (1976)."""
    crcl = (140 - age) * weight_kg / (72 * creatinine_mg_dl) * (0.85 if sex == "female" else 1.0)
    return {"crcl_ml_min": round(crcl, 1)}


@api(
    category="Health",
    description=(
        "Heart-rate-corrected QT interval (QTc, ms) by Bazett and Fridericia, flagging "
        "prolongation (>450 ms men, >460 ms women)."
    ),
    params={
        "qt_ms": {
            "type": "number",
            "minimum": 200,
            "maximum": 700,
            "description": "Measured QT interval, ms.",
        },
        "heart_rate_bpm": {
            "type": "number",
            "minimum": 30,
            "maximum": 220,
            "description": "Heart rate, beats per minute.",
        },
        "sex": _SEX,
    },
    templates=[
        "What's the QTc for a QT of {qt_ms} ms at {heart_rate_bpm} bpm?",
        "Correct QT {qt_ms} ms for heart rate {heart_rate_bpm} in a {sex}.",
    ],
    examples=[
        (
            "QT is 400 ms at a heart rate of 75; QTc?",
            {"qt_ms": 400, "heart_rate_bpm": 75, "sex": "male"},
        )
    ],
)
def qtc_interval(qt_ms: float, heart_rate_bpm: float, sex: str = "male") -> dict[str, Any]:
    """Bazett and Fridericia QTc."""
    rr = 60 / heart_rate_bpm
    bazett, fridericia = qt_ms / math.sqrt(rr), qt_ms / rr ** (1 / 3)
    limit = 450 if sex == "male" else 460
    return {
        "qtc_bazett_ms": round(bazett, 1),
        "qtc_fridericia_ms": round(fridericia, 1),
        "prolonged": bazett > limit,
    }


@api(
    category="Health",
    description=(
        "Waist-to-height ratio with the 0.5 boundary of increased cardiometabolic risk (Ashwell)."
    ),
    params={
        "waist_cm": {
            "type": "number",
            "minimum": 30,
            "maximum": 250,
            "description": "Waist circumference, cm.",
        },
        "height_cm": _HEIGHT,
    },
    templates=[
        "Is a {waist_cm} cm waist at {height_cm} cm tall healthy?",
        "Waist-to-height ratio for waist {waist_cm} and height {height_cm}?",
    ],
    examples=[
        ("My waist is 88 cm and I'm 172 cm tall. Ratio?", {"waist_cm": 88, "height_cm": 172})
    ],
)
def waist_to_height_ratio(waist_cm: float, height_cm: float) -> dict[str, Any]:
    """WHtR."""
    ratio = waist_cm / height_cm
    # Ashwell & Gibson (2016) boundaries: 0.4 and 0.6 bracket the 'consider action' band.
    band = (
        "low"
        if ratio < 0.4
        else "healthy"
        if ratio < 0.5
        else "increased risk"
        if ratio < 0.6
        else "high risk"
    )
    return {"ratio": round(ratio, 3), "band": band, "max_healthy_waist_cm": round(height_cm / 2, 1)}


@api(
    category="Health",
    description=(
        "Smoking exposure in pack-years (packs per day x years smoked; 20 cigarettes per pack), "
        "with the USPSTF 2021 lung-screening threshold of 20."
    ),
    params={
        "cigarettes_per_day": {
            "type": "number",
            "minimum": 0,
            "maximum": 200,
            "description": "Cigarettes smoked per day.",
        },
        "years_smoked": {
            "type": "number",
            "minimum": 0,
            "maximum": 90,
            "description": "Years of smoking.",
        },
    },
    templates=[
        "How many pack-years is {cigarettes_per_day} cigarettes a day for {years_smoked} years?",
        "Pack-year history for {cigarettes_per_day}/day over {years_smoked} years?",
    ],
    examples=[
        (
            "I smoked 15 a day for 30 years. Pack-years?",
            {"cigarettes_per_day": 15, "years_smoked": 30},
        )
    ],
)
def smoking_pack_years(cigarettes_per_day: float, years_smoked: float) -> dict[str, Any]:
    """Pack-years."""
    pack_years = cigarettes_per_day / 20 * years_smoked
    return {
        "pack_years": round(pack_years, 2),
        "meets_uspstf_screening_threshold": pack_years >= 20,
    }
