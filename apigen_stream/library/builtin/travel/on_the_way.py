"""Travel APIs for the journey itself: fuel economy units, jet lag and the cost of a hotel
stay."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from apigen_stream.library.registry import api

CATEGORY = "Travel"

# Litres per US and imperial gallon; kilometres per mile.
_US_GALLON_L = 3.785411784
_UK_GALLON_L = 4.54609
_MILE_KM = 1.609344


@api(
    category=CATEGORY,
    description=(
        "Convert a car's fuel economy between litres per 100 km, km per litre, US miles per "
        "gallon and UK (imperial) miles per gallon."
    ),
    params={
        "value": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 1000,
            "description": "The fuel economy figure.",
        },
        "unit": {
            "type": "string",
            "enum": ["l_per_100km", "km_per_l", "mpg_us", "mpg_uk"],
            "description": "Unit of the figure.",
        },
    },
    templates=[
        "What is {value} {unit} in other fuel economy units?",
        "Convert a fuel economy of {value} {unit}.",
    ],
    examples=[
        (
            "My rental car does 6.5 litres per 100 km. What's that in US mpg?",
            {"value": 6.5, "unit": "l_per_100km"},
        )
    ],
)
def fuel_economy_convert(value: float, unit: str) -> dict[str, Any]:
    """Everything through km per litre."""
    km_per_l = {
        "l_per_100km": 100 / value,
        "km_per_l": value,
        "mpg_us": value * _MILE_KM / _US_GALLON_L,
        "mpg_uk": value * _MILE_KM / _UK_GALLON_L,
    }[unit]
    return {
        "l_per_100km": round(100 / km_per_l, 2),
        "km_per_l": round(km_per_l, 2),
        "mpg_us": round(km_per_l * _US_GALLON_L / _MILE_KM, 1),
        "mpg_uk": round(km_per_l * _UK_GALLON_L / _MILE_KM, 1),
    }


@api(
    category=CATEGORY,
    description=(
        "Jet lag after a flight across time zones: the usual recovery estimate of about one day "
        "per zone flying east and two days per three zones flying west, and which way to shift "
        "sleep before leaving."
    ),
    params={
        "time_zones_crossed": {
            "type": "integer",
            "minimum": 0,
            "maximum": 12,
            "description": "Time zones crossed.",
        },
        "direction": {
            "type": "string",
            "enum": ["east", "west"],
            "description": "Direction of travel.",
        },
    },
    templates=[
        "How long will jet lag last after flying {direction} across {time_zones_crossed} "
        "time zones?",
        "Jet lag recovery for {time_zones_crossed} zones {direction}?",
    ],
    examples=[
        (
            "I'm flying from New York to Paris, six time zones east. How long will jet lag last?",
            {"time_zones_crossed": 6, "direction": "east"},
        )
    ],
)
def jet_lag_recovery(time_zones_crossed: int, direction: str) -> dict[str, Any]:
    """CDC Yellow Book (Travel-related jet lag): the body clock shifts about 1 h a day east,
    1.5 h a day west; fewer than three zones rarely need adjusting."""
    per_day = 1.0 if direction == "east" else 1.5
    days = math.ceil(time_zones_crossed / per_day) if time_zones_crossed >= 3 else 0
    advice = (
        "go to bed earlier for a few days before leaving"
        if direction == "east"
        else "go to bed later for a few days before leaving"
    )
    return {
        "recovery_days": days,
        "shift_hours_per_day": per_day,
        "advice": advice if days else "little or no jet lag expected",
    }


_DAY = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}


@api(
    category=CATEGORY,
    description=(
        "Cost of a hotel stay from check-in and check-out dates, the nightly rate, a weekend "
        "rate, the occupancy tax percent and a per-night resort fee."
    ),
    params={
        "check_in": {
            **_DAY,
            "description": "Check-in date, YYYY-MM-DD.",
            "examples": ["2025-07-10", "2025-07-01", "2025-06-28"],
        },
        "check_out": {
            **_DAY,
            "description": "Check-out date, YYYY-MM-DD.",
            "examples": ["2025-07-14", "2025-07-20", "2025-08-02"],
        },
        "nightly_rate": {
            "type": "number",
            "minimum": 0,
            "maximum": 100000,
            "description": "Rate per weeknight.",
        },
        "weekend_rate": {
            "type": "number",
            "minimum": 0,
            "maximum": 100000,
            "description": "Rate for Friday and Saturday nights (0: same as weeknights).",
        },
        "tax_percent": {
            "type": "number",
            "minimum": 0,
            "maximum": 50,
            "description": "Occupancy tax in percent.",
        },
        "resort_fee": {
            "type": "number",
            "minimum": 0,
            "maximum": 1000,
            "description": "Fee per night, taxed too.",
        },
    },
    templates=[
        "What does a hotel from {check_in} to {check_out} at {nightly_rate} a night "
        "cost with {tax_percent}% tax?",
        "Hotel cost {check_in} to {check_out}: {nightly_rate} weeknights, {weekend_rate} "
        "weekends, {resort_fee} resort fee.",
    ],
    examples=[
        (
            "A hotel from 2025-07-10 to 2025-07-14 is 180 a night, 220 on weekends, 14.75% "
            "tax. Total?",
            {
                "check_in": "2025-07-10",
                "check_out": "2025-07-14",
                "nightly_rate": 180,
                "weekend_rate": 220,
                "tax_percent": 14.75,
                "resort_fee": 0,
            },
        )
    ],
)
def hotel_stay_cost(
    check_in: str,
    check_out: str,
    nightly_rate: float,
    weekend_rate: float = 0,
    tax_percent: float = 0,
    resort_fee: float = 0,
) -> dict[str, Any]:
    """A night is charged at the rate of the day it starts."""
    start, end = dt.date.fromisoformat(check_in), dt.date.fromisoformat(check_out)
    nights = (end - start).days
    if nights <= 0:
        raise ValueError("check-out must be after check-in")
    weekend = sum((start + dt.timedelta(days=i)).weekday() in (4, 5) for i in range(nights))
    room = (nights - weekend) * nightly_rate + weekend * (weekend_rate or nightly_rate)
    before_tax = room + nights * resort_fee
    tax = before_tax * tax_percent / 100
    return {
        "nights": nights,
        "weekend_nights": weekend,
        "room": round(room, 2),
        "tax": round(tax, 2),
        "total": round(before_tax + tax, 2),
        "average_per_night": round((before_tax + tax) / nights, 2),
    }
