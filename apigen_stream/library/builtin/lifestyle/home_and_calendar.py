"""Lifestyle APIs: tiles, zodiac, shared costs, paint, coffee, clock changes, ring sizes."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apigen_stream.library.builtin.lifestyle.kitchen import _date
from apigen_stream.library.registry import api


@api(
    category="Lifestyle",
    description=(
        "Tiles needed to cover a floor or wall: area / tile area plus a waste allowance for cuts "
        "(about 10% straight lay, 15% diagonal), and the boxes to buy."
    ),
    params={
        "area_length_m": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 100,
            "description": "Length of the area in m.",
        },
        "area_width_m": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 100,
            "description": "Width of the area in m.",
        },
        "tile_length_cm": {
            "type": "number",
            "minimum": 1,
            "maximum": 300,
            "description": "Tile length in cm.",
        },
        "tile_width_cm": {
            "type": "number",
            "minimum": 1,
            "maximum": 300,
            "description": "Tile width in cm.",
        },
        "waste_pct": {
            "type": "number",
            "minimum": 0,
            "maximum": 50,
            "description": "Extra for cuts and breakage, percent.",
        },
        "tiles_per_box": {
            "type": "integer",
            "minimum": 1,
            "maximum": 500,
            "description": "Tiles in one box.",
        },
    },
    templates=[
        "How many {tile_length_cm} x {tile_width_cm} cm tiles do I need for a "
        "{area_length_m} by {area_width_m} m floor?",
        "Tiles and boxes ({tiles_per_box} per box) for {area_length_m} x {area_width_m} m "
        "with {waste_pct}% waste, tile {tile_length_cm}x{tile_width_cm} cm?",
    ],
    examples=[
        (
            "How many 30x30 cm tiles for a 3.2 x 2.5 m bathroom floor, boxes of 11?",
            {
                "area_length_m": 3.2,
                "area_width_m": 2.5,
                "tile_length_cm": 30,
                "tile_width_cm": 30,
                "tiles_per_box": 11,
            },
        )
    ],
)
def tiles_needed(
    area_length_m: float,
    area_width_m: float,
    tile_length_cm: float,
    tile_width_cm: float,
    waste_pct: float = 10.0,
    tiles_per_box: int = 10,
) -> dict[str, float | int]:
    """Tile count with waste."""
    area = area_length_m * area_width_m
    per_tile = tile_length_cm * tile_width_cm / 10000
    # round() first so that float noise (e.g. 88.00000001) does not buy an extra tile.
    tiles = math.ceil(round(area / per_tile * (1 + waste_pct / 100), 6))
    return {"area_m2": round(area, 3), "tiles": tiles, "boxes": math.ceil(tiles / tiles_per_box)}


# Tropical zodiac: first day (month, day) of each sign, in calendar order.
ZODIAC = [((1, 20), "Aquarius"), ((2, 19), "Pisces"), ((3, 21), "Aries"), ((4, 20), "Taurus"),
          ((5, 21), "Gemini"), ((6, 21), "Cancer"), ((7, 23), "Leo"), ((8, 23), "Virgo"),
          ((9, 23), "Libra"), ((10, 23), "Scorpio"), ((11, 22), "Sagittarius"),
          ((12, 22), "Capricorn")]  # fmt: skip


@api(
    category="Lifestyle",
    description=(
        "Western (tropical) zodiac sign for a birth date, using the conventional sign start dates."
    ),
    params={
        "birth_date": {
            "type": "string",
            "format": "date",
            "description": "Date of birth.",
            "examples": ["1990-07-15", "1985-12-25", "2001-03-21"],
        }
    },
    templates=[
        "What's the star sign for someone born {birth_date}?",
        "Which zodiac sign is {birth_date}?",
    ],
    examples=[("What sign am I if I was born on 1990-07-15?", {"birth_date": "1990-07-15"})],
)
def zodiac_sign(birth_date: str) -> dict[str, str]:
    """Sun sign."""
    day = _date(birth_date, "birth_date")
    sign = "Capricorn"
    for (month, first), name in ZODIAC:
        if (day.month, day.day) >= (month, first):
            sign = name
    return {"sign": sign}


@api(
    category="Lifestyle",
    description=(
        "Settles shared expenses (trip, flat, dinner): each person's share and balance, and the "
        "fewest payments that settle everyone up."
    ),
    params={
        "payments": {
            "type": "array",
            "minItems": 1,
            "maxItems": 50,
            "description": "What each person paid for the group (include people who paid 0).",
            "items": {
                "type": "object",
                "properties": {
                    "person": {
                        "type": "string",
                        "description": "Name.",
                        "examples": ["Ana", "Ben", "Chloe"],
                    },
                    "amount": {
                        "type": "number",
                        "minimum": 0,
                        "description": "Amount this person paid.",
                    },
                },
                "required": ["person", "amount"],
            },
        }
    },
    templates=[
        "Who owes whom? {payments}",
        "Split our shared costs evenly and settle up: {payments}",
    ],
    examples=[
        (
            "On our trip Ana paid 120, Ben 30 and Chloe nothing. Who owes whom?",
            {
                "payments": [
                    {"person": "Ana", "amount": 120},
                    {"person": "Ben", "amount": 30},
                    {"person": "Chloe", "amount": 0},
                ]
            },
        )
    ],
)
def split_shared_expenses(payments: list[dict[str, Any]]) -> dict[str, Any]:
    """Even split with greedy settlement (largest debtor pays largest creditor)."""
    paid: dict[str, int] = {}
    for p in payments:
        paid[str(p["person"])] = paid.get(str(p["person"]), 0) + round(float(p["amount"]) * 100)
    # Work in cents so that the transfers add up exactly.
    share, extra = divmod(sum(paid.values()), len(paid))
    owed = {
        name: cents - share - (1 if i < extra else 0)
        for i, (name, cents) in enumerate(sorted(paid.items()))
    }
    creditors = sorted(((c, n) for n, c in owed.items() if c > 0), reverse=True)
    debtors = sorted(((-c, n) for n, c in owed.items() if c < 0), reverse=True)
    transfers = []
    while creditors and debtors:
        (credit, to), (debt, frm) = creditors.pop(0), debtors.pop(0)
        amount = min(credit, debt)
        transfers.append({"from": frm, "to": to, "amount": amount / 100})
        if credit > amount:
            creditors.insert(0, (credit - amount, to))
        if debt > amount:
            debtors.insert(0, (debt - amount, frm))
    return {
        "share_per_person": share / 100,
        "balances": {n: c / 100 for n, c in owed.items()},
        "transfers": transfers,
    }


@api(
    category="Lifestyle",
    description=(
        "Litres of paint for a room's walls: perimeter x height minus doors (1.9 m² each) and "
        "windows (1.5 m² each), times coats, divided by coverage (m² per litre)."
    ),
    params={
        "room_length_m": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 100,
            "description": "Room length in m.",
        },
        "room_width_m": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 100,
            "description": "Room width in m.",
        },
        "wall_height_m": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 20,
            "description": "Wall height in m.",
        },
        "doors": {
            "type": "integer",
            "minimum": 0,
            "maximum": 20,
            "description": "Number of doors.",
        },
        "windows": {
            "type": "integer",
            "minimum": 0,
            "maximum": 40,
            "description": "Number of windows.",
        },
        "coats": {"type": "integer", "minimum": 1, "maximum": 5, "description": "Coats of paint."},
        "coverage_m2_per_litre": {
            "type": "number",
            "minimum": 5,
            "maximum": 20,
            "description": "Paint coverage (about 10-12 m²/L for emulsion).",
        },
    },
    templates=[
        "How much paint do I need for a {room_length_m} by {room_width_m} m room with "
        "{wall_height_m} m walls?",
        "Paint for {coats} coats on a {room_length_m} x {room_width_m} m room (doors: {doors}, "
        "windows: {windows})?",
    ],
    examples=[
        (
            "Paint for a 4 x 3.5 m room, 2.5 m high, one door, two windows, two coats?",
            {
                "room_length_m": 4,
                "room_width_m": 3.5,
                "wall_height_m": 2.5,
                "doors": 1,
                "windows": 2,
                "coats": 2,
            },
        )
    ],
)
def wall_paint_needed(
    room_length_m: float,
    room_width_m: float,
    wall_height_m: float,
    doors: int = 1,
    windows: int = 1,
    coats: int = 2,
    coverage_m2_per_litre: float = 10.0,
) -> dict[str, float]:
    """Paint quantity."""
    # Standard interior door 0.8 x 2.0 m (~1.9 m² with frame) and a 1.2 x 1.2 m window.
    area = 2 * (room_length_m + room_width_m) * wall_height_m - 1.9 * doors - 1.5 * windows
    if area <= 0:
        raise ValueError("doors and windows cover more than the walls")
    litres = area * coats / coverage_m2_per_litre
    return {
        "paintable_area_m2": round(area, 2),
        "litres": round(litres, 2),
        "litres_rounded_up": math.ceil(litres),
    }


# Specialty Coffee Association Golden Cup standard: 55 g of coffee per litre of water (±10%).
COFFEE_G_PER_L = {
    "sca_golden_cup": 55.0,
    "strong_1_to_15": 1000 / 15,
    "light_1_to_17": 1000 / 17,
    "french_press_1_to_12": 1000 / 12,
}


@api(
    category="Lifestyle",
    description=(
        "Grams of ground coffee for an amount of water at a brew ratio (SCA Golden Cup: 55 g per "
        "litre)."
    ),
    params={
        "water_ml": {
            "type": "number",
            "minimum": 30,
            "maximum": 10000,
            "description": "Water in millilitres.",
        },
        "ratio": {"type": "string", "enum": list(COFFEE_G_PER_L), "description": "Brew ratio."},
    },
    templates=[
        "How much coffee for {water_ml} ml of water?",
        "Grams of coffee for {water_ml} ml at the {ratio} ratio?",
    ],
    examples=[("How much coffee do I need for 500 ml of water?", {"water_ml": 500})],
)
def coffee_dose(water_ml: float, ratio: str = "sca_golden_cup") -> dict[str, float]:
    """Coffee dose."""
    grams = water_ml * COFFEE_G_PER_L[ratio] / 1000
    return {"coffee_g": round(grams, 1), "level_tablespoons": round(grams / 5, 1)}


@api(
    category="Lifestyle",
    description=(
        "When the clocks change (daylight saving time starts/ends) in a time zone in a year "
        "(IANA tz database), with the UTC offsets."
    ),
    params={
        "timezone": {
            "type": "string",
            "description": "IANA time zone.",
            "examples": ["Europe/London", "America/New_York", "Australia/Sydney"],
        },
        "year": {"type": "integer", "minimum": 1970, "maximum": 2037, "description": "Year."},
    },
    templates=[
        "When do the clocks change in {timezone} in {year}?",
        "Daylight saving dates for {timezone}, {year}?",
    ],
    examples=[
        (
            "When do the clocks go forward in London in 2025?",
            {"timezone": "Europe/London", "year": 2025},
        )
    ],
)
def clock_change_dates(timezone: str, year: int) -> dict[str, Any]:
    """DST transitions by scanning UTC offsets hour by hour."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown IANA time zone {timezone!r}") from None
    t = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC)
    changes, offset = [], t.astimezone(zone).utcoffset()
    while t < end:
        t += dt.timedelta(hours=1)
        now = t.astimezone(zone).utcoffset()
        if now != offset and now is not None and offset is not None:
            kind = "forward" if now > offset else "back"
            changes.append(
                {
                    "local_time": t.astimezone(zone).isoformat(),
                    "clocks_go": kind,
                    "utc_offset_hours": now.total_seconds() / 3600,
                }
            )
            offset = now
    return {"observes_dst": bool(changes), "changes": changes}


@api(
    category="Lifestyle",
    description=(
        "Ring size conversion from the inner circumference (ISO 8653 size = circumference in mm) "
        "to diameter and US/Canada size."
    ),
    params={
        "circumference_mm": {
            "type": "number",
            "minimum": 38,
            "maximum": 76,
            "description": "Inner circumference of the ring or finger in mm.",
        }
    },
    templates=[
        "What ring size is a {circumference_mm} mm circumference?",
        "My finger measures {circumference_mm} mm around; what's my US ring size?",
    ],
    examples=[("My finger is 54 mm around. What US ring size?", {"circumference_mm": 54})],
)
def ring_size_from_circumference(circumference_mm: float) -> dict[str, float]:
    """Ring size."""
    diameter = circumference_mm / math.pi
    # US sizing: size 0 has an inner diameter of 11.63 mm and each size adds 0.8128 mm.
    us = (diameter - 11.63) / 0.8128
    return {
        "diameter_mm": round(diameter, 2),
        "iso_size": round(circumference_mm, 1),
        "us_size": round(us * 4) / 4,
    }
