"""Sports APIs for endurance and strength athletes: swimming, cycling, rowing, lifting, fitness
tests and training load."""

from __future__ import annotations

import math
from typing import Any

from apigen_stream.library.builtin.sports.training import _TIME, _clock, _seconds
from apigen_stream.library.registry import api

CATEGORY = "Sports"


@api(
    category=CATEGORY,
    description=(
        "Swimming pace per 100 m and per 100 yd from a swim distance in metres and a finishing "
        "time, with the speed in m/s."
    ),
    params={
        "distance_m": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 100000,
            "description": "Distance swum in metres.",
        },
        "time": _TIME,
    },
    templates=[
        "I swam {distance_m} m in {time}. What is my pace per 100 metres?",
        "What's my swim pace for {distance_m} metres in {time}?",
    ],
    examples=[
        (
            "I swam 1500 m in 25:30. What is my pace per 100 m?",
            {"distance_m": 1500, "time": "25:30"},
        )
    ],
)
def swimming_pace_per_100m(distance_m: float, time: str) -> dict[str, Any]:
    """Pace = time / (distance / 100); 100 yd = 91.44 m."""
    seconds = _seconds(time)
    return {
        "pace_per_100m": _clock(seconds / distance_m * 100),
        "pace_per_100yd": _clock(seconds / distance_m * 91.44),
        "speed_m_per_s": round(distance_m / seconds, 3),
    }


@api(
    category=CATEGORY,
    description=(
        "SWOLF swim efficiency score for one pool length: seconds taken plus strokes used "
        "(lower is more efficient), with the distance per stroke."
    ),
    params={
        "seconds": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 600,
            "description": "Seconds to swim one length.",
        },
        "strokes": {
            "type": "integer",
            "minimum": 1,
            "maximum": 200,
            "description": "Strokes taken over the length.",
        },
        "pool_length_m": {
            "type": "number",
            "enum": [25, 50, 22.86],
            "description": "Pool length in metres (22.86 m is 25 yd).",
        },
    },
    templates=[
        "What is my SWOLF if a {pool_length_m} m length takes {seconds} seconds and {strokes} "
        "strokes?",
        "Compute the SWOLF score for {strokes} strokes in {seconds} s.",
    ],
    examples=[
        (
            "My 25 m length took 22 seconds and 18 strokes. What's my SWOLF?",
            {"seconds": 22, "strokes": 18, "pool_length_m": 25},
        )
    ],
)
def swolf_score(seconds: float, strokes: int, pool_length_m: float = 25) -> dict[str, Any]:
    """SWOLF = time + strokes for one length."""
    return {
        "swolf": round(seconds + strokes, 1),
        "metres_per_stroke": round(pool_length_m / strokes, 2),
        "strokes_per_minute": round(strokes / seconds * 60, 1),
    }


@api(
    category=CATEGORY,
    description=(
        "Cycling average speed from a ride's distance and moving time, in km/h and mph, with the "
        "time per kilometre."
    ),
    params={
        "distance_km": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 2000,
            "description": "Distance ridden in kilometres.",
        },
        "time": _TIME,
    },
    templates=[
        "I rode {distance_km} km in {time}. What was my average speed?",
        "Average cycling speed for {distance_km} kilometres in {time}?",
    ],
    examples=[
        (
            "I cycled 80 km in 2:45:00. What was my average speed?",
            {"distance_km": 80, "time": "2:45:00"},
        )
    ],
)
def cycling_average_speed(distance_km: float, time: str) -> dict[str, Any]:
    """Speed = distance / time."""
    seconds = _seconds(time)
    kmh = distance_km / (seconds / 3600)
    return {
        "speed_kmh": round(kmh, 2),
        "speed_mph": round(kmh / 1.609344, 2),
        "time_per_km": _clock(seconds / distance_km),
    }


@api(
    category=CATEGORY,
    description=(
        "Estimate VO2max from the Cooper 12-minute run test distance, VO2max = (d - 504.9) / "
        "44.73 ml/kg/min (Cooper 1968)."
    ),
    params={
        "distance_m": {
            "type": "number",
            "minimum": 600,
            "maximum": 5000,
            "description": "Metres covered in 12 minutes of running.",
        },
    },
    templates=[
        "I covered {distance_m} m in the Cooper test. What's my VO2max?",
        "Estimate VO2max from a 12-minute run of {distance_m} metres.",
    ],
    examples=[
        ("I ran 2800 m in the 12-minute Cooper test. Estimate my VO2max.", {"distance_m": 2800})
    ],
)
def cooper_test_vo2max(distance_m: float) -> dict[str, Any]:
    """Cooper, JAMA 203(3), 1968."""
    vo2 = (distance_m - 504.9) / 44.73
    return {"vo2max_ml_kg_min": round(vo2, 1), "distance_m": distance_m}


@api(
    category=CATEGORY,
    description=(
        "Maximum heart rate estimated from age by three published equations: Fox (220 - age), "
        "Tanaka (208 - 0.7 age) and Gellish (207 - 0.7 age)."
    ),
    params={
        "age": {"type": "integer", "minimum": 5, "maximum": 110, "description": "Age in years."},
    },
    templates=[
        "What is the maximum heart rate of a {age}-year-old?",
        "Estimate my max heart rate; I'm {age}.",
    ],
    examples=[("I'm 40. What is my maximum heart rate?", {"age": 40})],
)
def max_heart_rate_estimates(age: int) -> dict[str, Any]:
    """Fox 1971; Tanaka, JACC 37(1), 2001; Gellish, MSSE 39(5), 2007."""
    return {
        "fox": 220 - age,
        "tanaka": round(208 - 0.7 * age, 1),
        "gellish": round(207 - 0.7 * age, 1),
    }


# Coggan's power zones as shares of FTP (Allen & Coggan, "Training and Racing with a Power Meter").
_POWER_ZONES = (
    ("active_recovery", 0.0, 0.55),
    ("endurance", 0.56, 0.75),
    ("tempo", 0.76, 0.90),
    ("threshold", 0.91, 1.05),
    ("vo2max", 1.06, 1.20),
    ("anaerobic", 1.21, 1.50),
)


@api(
    category=CATEGORY,
    description=(
        "Functional threshold power (FTP) from a 20-minute cycling test (95% of the average "
        "power) with Coggan's training zones in watts and the power-to-weight ratio."
    ),
    params={
        "twenty_minute_power_w": {
            "type": "number",
            "minimum": 30,
            "maximum": 700,
            "description": "Average power of a 20-minute all-out effort.",
        },
        "weight_kg": {
            "type": "number",
            "minimum": 25,
            "maximum": 200,
            "description": "Rider's body weight in kilograms.",
        },
    },
    templates=[
        "My 20-minute test averaged {twenty_minute_power_w} W and I weigh {weight_kg} kg. What "
        "is my FTP?",
        "Work out my cycling power zones from a {twenty_minute_power_w} W 20-minute test.",
    ],
    examples=[
        (
            "I averaged 260 W for a 20-minute test and weigh 72 kg. What's my FTP?",
            {"twenty_minute_power_w": 260, "weight_kg": 72},
        )
    ],
)
def functional_threshold_power(
    twenty_minute_power_w: float, weight_kg: float = 70
) -> dict[str, Any]:
    """FTP = 0.95 x 20-minute power."""
    ftp = 0.95 * twenty_minute_power_w
    zones = {name: [round(lo * ftp), round(hi * ftp)] for name, lo, hi in _POWER_ZONES}
    return {"ftp_w": round(ftp), "watts_per_kg": round(ftp / weight_kg, 2), "zones_w": zones}


@api(
    category=CATEGORY,
    description=(
        "Training Stress Score of a ride from its duration, normalized power and the rider's "
        "FTP: TSS = hours x IF^2 x 100, with the intensity factor IF = NP / FTP."
    ),
    params={
        "duration_minutes": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 1440,
            "description": "Ride duration in minutes.",
        },
        "normalized_power_w": {
            "type": "number",
            "minimum": 20,
            "maximum": 800,
            "description": "Normalized power of the ride in watts.",
        },
        "ftp_w": {
            "type": "number",
            "minimum": 50,
            "maximum": 600,
            "description": "Rider's functional threshold power in watts.",
        },
    },
    templates=[
        "What's the TSS of a {duration_minutes}-minute ride at {normalized_power_w} W NP with "
        "an FTP of {ftp_w} W?",
        "Training stress for {duration_minutes} min at NP {normalized_power_w} W, FTP {ftp_w}.",
    ],
    examples=[
        (
            "I rode 90 minutes at 210 W normalized power; my FTP is 250 W. What's the TSS?",
            {"duration_minutes": 90, "normalized_power_w": 210, "ftp_w": 250},
        )
    ],
)
def training_stress_score(
    duration_minutes: float, normalized_power_w: float, ftp_w: float
) -> dict[str, Any]:
    """Coggan's TSS."""
    intensity = normalized_power_w / ftp_w
    tss = duration_minutes / 60 * intensity**2 * 100
    return {"tss": round(tss, 1), "intensity_factor": round(intensity, 3)}


@api(
    category=CATEGORY,
    description=(
        "Bicycle gearing: gear ratio, gear inches, metres of development per pedal turn and the "
        "speed at a cadence, from chainring and cog teeth and the wheel circumference."
    ),
    params={
        "chainring_teeth": {
            "type": "integer",
            "minimum": 20,
            "maximum": 60,
            "description": "Teeth on the front chainring.",
        },
        "cog_teeth": {
            "type": "integer",
            "minimum": 9,
            "maximum": 52,
            "description": "Teeth on the rear cog.",
        },
        "cadence_rpm": {
            "type": "number",
            "minimum": 20,
            "maximum": 150,
            "description": "Pedalling cadence in revolutions per minute.",
        },
        "wheel_circumference_mm": {
            "type": "number",
            "minimum": 1000,
            "maximum": 2500,
            "description": "Wheel circumference (2105 for 700x25c).",
        },
    },
    templates=[
        "What speed do I get with a {chainring_teeth}x{cog_teeth} gear at {cadence_rpm} rpm?",
        "Gear inches and development of {chainring_teeth} by {cog_teeth} teeth?",
    ],
    examples=[
        (
            "How fast am I going in 50x17 at 90 rpm on 700x25c wheels?",
            {
                "chainring_teeth": 50,
                "cog_teeth": 17,
                "cadence_rpm": 90,
                "wheel_circumference_mm": 2105,
            },
        )
    ],
)
def bicycle_gear_calculator(
    chainring_teeth: int, cog_teeth: int, cadence_rpm: float, wheel_circumference_mm: float = 2105
) -> dict[str, Any]:
    """Development = ratio x circumference; gear inches = ratio x wheel diameter in inches."""
    ratio = chainring_teeth / cog_teeth
    development_m = ratio * wheel_circumference_mm / 1000
    diameter_in = wheel_circumference_mm / math.pi / 25.4
    return {
        "gear_ratio": round(ratio, 3),
        "gear_inches": round(ratio * diameter_in, 1),
        "development_m": round(development_m, 2),
        "speed_kmh": round(development_m * cadence_rpm * 60 / 1000, 1),
    }


@api(
    category=CATEGORY,
    description=(
        "Rowing ergometer split per 500 m and average watts from a distance and time, with "
        "Concept2's pace-to-power formula watts = 2.80 / pace^3 (pace in s/m)."
    ),
    params={
        "distance_m": {
            "type": "number",
            "minimum": 100,
            "maximum": 100000,
            "description": "Metres rowed.",
        },
        "time": _TIME,
    },
    templates=[
        "I rowed {distance_m} m in {time}. What's my 500 m split?",
        "Average watts for a {distance_m} metre erg piece in {time}?",
    ],
    examples=[
        (
            "I rowed 2000 m on the erg in 7:30. What's my split and wattage?",
            {"distance_m": 2000, "time": "7:30"},
        )
    ],
)
def rowing_split_and_watts(distance_m: float, time: str) -> dict[str, Any]:
    """Concept2 pace calculator formula."""
    seconds = _seconds(time)
    pace = seconds / distance_m
    return {"split_per_500m": _clock(pace * 500), "watts": round(2.80 / pace**3, 1)}


# Wilks (1995) coefficients a..f for men and women.
_WILKS = {
    "male": (-216.0475144, 16.2606339, -0.002388645, -0.00113732, 7.01863e-06, -1.291e-08),
    "female": (
        594.31747775582,
        -27.23842536447,
        0.82112226871,
        -0.00930733913,
        4.731582e-05,
        -9.054e-08,
    ),
}


@api(
    category=CATEGORY,
    description=(
        "Wilks score of a powerlifting total: the total times 500 over a fifth-degree polynomial "
        "of bodyweight, so lifters of different weights compare (1995 coefficients)."
    ),
    params={
        "bodyweight_kg": {
            "type": "number",
            "minimum": 40,
            "maximum": 200,
            "description": "Lifter's bodyweight in kilograms.",
        },
        "total_kg": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 1300,
            "description": "Squat + bench + deadlift total in kilograms.",
        },
        "sex": {"type": "string", "enum": ["male", "female"], "description": "Lifter's sex."},
    },
    templates=[
        "What's the Wilks score of a {total_kg} kg total at {bodyweight_kg} kg bodyweight?",
        "Wilks for a {sex} lifter weighing {bodyweight_kg} kg with a {total_kg} kg total?",
    ],
    examples=[
        (
            "I'm a male lifter at 83 kg with a 600 kg total. What's my Wilks?",
            {"bodyweight_kg": 83, "total_kg": 600, "sex": "male"},
        )
    ],
)
def wilks_score(bodyweight_kg: float, total_kg: float, sex: str) -> dict[str, Any]:
    """Wilks = total x 500 / (a + b w + c w^2 + d w^3 + e w^4 + f w^5)."""
    a, b, c, d, e, f = _WILKS[sex]
    w = bodyweight_kg
    denominator = a + b * w + c * w**2 + d * w**3 + e * w**4 + f * w**5
    coefficient = 500 / denominator
    return {"wilks": round(total_kg * coefficient, 2), "coefficient": round(coefficient, 5)}


@api(
    category=CATEGORY,
    description=(
        "Even pacing splits for a race: the cumulative time at every split point (each 5 km by "
        "default) to finish a distance in a target time."
    ),
    params={
        "distance_km": {
            "type": "number",
            "minimum": 1,
            "maximum": 250,
            "description": "Race distance in kilometres (42.195 for a marathon).",
        },
        "target_time": {**_TIME, "description": "Target finishing time, H:MM:SS or MM:SS."},
        "split_km": {
            "type": "number",
            "minimum": 0.4,
            "maximum": 50,
            "description": "Distance between split points in km.",
        },
    },
    templates=[
        "Give me even splits to run {distance_km} km in {target_time}.",
        "What should my {split_km} km splits be for a {target_time} over {distance_km} km?",
    ],
    examples=[
        (
            "What are my 5 km splits for a 3:30:00 marathon?",
            {"distance_km": 42.195, "target_time": "3:30:00", "split_km": 5},
        )
    ],
)
def race_pacing_splits(distance_km: float, target_time: str, split_km: float = 5) -> dict[str, Any]:
    """Constant pace: time at d = d x (target / distance)."""
    per_km = _seconds(target_time) / distance_km
    points: list[float] = []
    mark = split_km
    while mark < distance_km - 1e-9:
        points.append(round(mark, 3))
        mark += split_km
    points.append(distance_km)
    return {
        "pace_per_km": _clock(per_km),
        "splits": [{"km": p, "time": _clock(p * per_km)} for p in points],
    }
