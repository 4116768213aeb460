"""Other APIs: calendar facts, movable feasts, moon phases, anniversaries, flags, number words."""

from __future__ import annotations

import calendar
import datetime as dt
import math
from typing import Any

import pycountry

from apigen_stream.library.registry import api

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def _date(text: str, what: str = "date") -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{what} must be an ISO date YYYY-MM-DD, got {text!r}") from None


@api(
    category="Other",
    description=(
        "Calendar facts about a date: weekday, ISO week number, day of the year, quarter, and "
        "whether the year is a leap year."
    ),
    params={
        "date": {
            "type": "string",
            "format": "date",
            "description": "Date, YYYY-MM-DD.",
            "examples": ["1969-07-20", "2024-02-29", "2025-12-25"],
        }
    },
    templates=["What day of the week was {date}?", "Which ISO week and day of the year is {date}?"],
    examples=[("What day of the week was the Moon landing, 1969-07-20?", {"date": "1969-07-20"})],
)
def date_calendar_facts(date: str) -> dict[str, Any]:
    """Weekday, ISO week, day of year."""
    day = _date(date)
    iso_year, week, _ = day.isocalendar()
    return {
        "weekday": day.strftime("%A"),
        "iso_year": iso_year,
        "iso_week": week,
        "day_of_year": day.timetuple().tm_yday,
        "quarter": (day.month - 1) // 3 + 1,
        "leap_year": calendar.isleap(day.year),
        "days_in_month": calendar.monthrange(day.year, day.month)[1],
    }


def _western_easter(year: int) -> dt.date:
    """Gregorian Easter by the anonymous (Meeus/Jones/Butcher) algorithm."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * l_) // 433
    month = (h + l_ - 7 * m + 90) // 25
    return dt.date(year, month, (h + l_ - 7 * m + 33 * month + 19) % 32)


def _orthodox_easter(year: int) -> dt.date:
    """Julian Easter (Meeus) converted to the Gregorian calendar."""
    a, b, c = year % 4, year % 7, year % 19
    d = (19 * c + 15) % 30
    e = (2 * a + 4 * b - d + 34) % 7
    month, day = divmod(d + e + 114, 31)
    julian_offset = year // 100 - year // 400 - 2
    return dt.date(year, month, day + 1) + dt.timedelta(days=julian_offset)


@api(
    category="Other",
    description=(
        "Date of Easter Sunday (Western/Gregorian or Orthodox) in a year, with Ash Wednesday, "
        "Good Friday, Ascension and Pentecost."
    ),
    params={
        "year": {
            "type": "integer",
            "minimum": 1583,
            "maximum": 4099,
            "description": "Year (Gregorian calendar).",
        },
        "tradition": {
            "type": "string",
            "enum": ["western", "orthodox"],
            "description": "Church tradition.",
        },
    },
    templates=[
        "When is Easter in {year}?",
        "What's the {tradition} Easter date in {year}, and when is Pentecost?",
    ],
    examples=[("When is Easter Sunday in 2025?", {"year": 2025, "tradition": "western"})],
)
def easter_date(year: int, tradition: str = "western") -> dict[str, str]:
    """Computus and dependent feasts."""
    easter = _western_easter(year) if tradition == "western" else _orthodox_easter(year)
    shift = {
        "ash_wednesday": -46,
        "good_friday": -2,
        "easter_sunday": 0,
        "ascension": 39,
        "pentecost": 49,
    }
    return {name: (easter + dt.timedelta(days=d)).isoformat() for name, d in shift.items()}


@api(
    category="Other",
    description=(
        "Date of the n-th (or last, n = -1) given weekday of a month, e.g. the 4th Thursday of "
        "November."
    ),
    params={
        "year": {"type": "integer", "minimum": 1, "maximum": 9999, "description": "Year."},
        "month": {"type": "integer", "minimum": 1, "maximum": 12, "description": "Month 1-12."},
        "weekday": {"type": "string", "enum": WEEKDAYS, "description": "Day of the week."},
        "n": {
            "type": "integer",
            "enum": [1, 2, 3, 4, -1],
            "description": "Which occurrence; -1 for the last.",
        },
    },
    templates=[
        "Which date is the {n} {weekday} of {month} {year}?",
        "Find the {n} {weekday} in {month} {year}.",
    ],
    examples=[
        (
            "What date is the 4th Thursday of November 2025?",
            {"year": 2025, "month": 11, "weekday": "thursday", "n": 4},
        )
    ],
)
def nth_weekday_of_month(year: int, month: int, weekday: str, n: int) -> dict[str, str]:
    """N-th weekday of a month."""
    target = WEEKDAYS.index(weekday)
    days = [
        d
        for d in calendar.Calendar().itermonthdates(year, month)
        if d.month == month and d.weekday() == target
    ]
    if n > len(days):
        raise ValueError(f"{calendar.month_name[month]} {year} has only {len(days)} {weekday}s")
    return {"date": days[n - 1 if n > 0 else -1].isoformat()}


@api(
    category="Other",
    description="First (Monday) and last (Sunday) dates of an ISO 8601 week of a year.",
    params={
        "year": {
            "type": "integer",
            "minimum": 1,
            "maximum": 9998,
            "description": "ISO week-numbering year.",
        },
        "week": {"type": "integer", "minimum": 1, "maximum": 53, "description": "ISO week number."},
    },
    templates=[
        "Which dates are in week {week} of {year}?",
        "When does ISO week {week} of {year} start and end?",
    ],
    examples=[("What are the dates of week 1 of 2025?", {"year": 2025, "week": 1})],
)
def iso_week_dates(year: int, week: int) -> dict[str, str]:
    """ISO week span."""
    try:
        monday = dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        raise ValueError(f"{year} has no ISO week {week}") from None
    return {"monday": monday.isoformat(), "sunday": (monday + dt.timedelta(days=6)).isoformat()}


# Names of the eight conventional moon phases over astral's 0-28 day phase scale.
MOON_PHASES = ["New moon", "Waxing crescent", "First quarter", "Waxing gibbous",
               "Full moon", "Waning gibbous", "Last quarter", "Waning crescent"]  # fmt: skip


@api(
    category="Other",
    description=(
        "Moon phase on a date (astral): age in days of the 29.53-day cycle, phase name and "
        "illuminated fraction."
    ),
    params={
        "date": {
            "type": "string",
            "format": "date",
            "description": "Date, YYYY-MM-DD.",
            "examples": ["2024-04-08", "2025-01-13", "2024-12-30"],
        }
    },
    templates=["What phase is the moon on {date}?", "Is there a full moon on {date}?"],
    examples=[
        ("What was the moon phase on 2024-04-08, the day of the eclipse?", {"date": "2024-04-08"})
    ],
)
def moon_phase_on_date(date: str) -> dict[str, Any]:
    """Moon phase from astral."""
    from astral import moon  # noqa: PLC0415 - only this API needs it

    age = float(moon.phase(_date(date)))  # 0 .. 27.99 on astral's scale
    angle = 2 * math.pi * age / 28
    name = MOON_PHASES[int((age / 28 * 8) + 0.5) % 8]
    return {
        "phase_day": round(age, 2),
        "phase": name,
        "illuminated_fraction": round((1 - math.cos(angle)) / 2, 3),
    }


@api(
    category="Other",
    description=(
        "Chinese zodiac animal, element and yin/yang of a Gregorian year (the sexagenary cycle; "
        "the year starts at Lunar New Year)."
    ),
    params={
        "year": {"type": "integer", "minimum": 1, "maximum": 9999, "description": "Gregorian year."}
    },
    templates=[
        "What is the Chinese zodiac animal for {year}?",
        "Which Chinese zodiac year is {year}?",
    ],
    examples=[("What Chinese zodiac year is 2024?", {"year": 2024})],
)
def chinese_zodiac_year(year: int) -> dict[str, str]:
    """Sexagenary-cycle animal and element."""
    animals = [
        "Rat",
        "Ox",
        "Tiger",
        "Rabbit",
        "Dragon",
        "Snake",
        "Horse",
        "Goat",
        "Monkey",
        "Rooster",
        "Dog",
        "Pig",
    ]
    elements = ["Wood", "Fire", "Earth", "Metal", "Water"]
    # 4 CE was a Wood Rat year, the start of a 60-year cycle.
    offset = (year - 4) % 60
    return {
        "animal": animals[offset % 12],
        "element": elements[offset % 10 // 2],
        "yin_yang": "Yang" if offset % 2 == 0 else "Yin",
    }


# Traditional US anniversary gifts (Emily Post Institute list).
ANNIVERSARY_GIFTS = {
    1: "paper", 2: "cotton", 3: "leather", 4: "fruit or flowers", 5: "wood", 6: "candy or iron",
    7: "wool or copper", 8: "bronze", 9: "pottery", 10: "tin or aluminum", 11: "steel",
    12: "silk or linen", 13: "lace", 14: "ivory", 15: "crystal", 20: "china", 25: "silver",
    30: "pearl", 35: "coral", 40: "ruby", 45: "sapphire", 50: "gold", 55: "emerald", 60: "diamond",
}  # fmt: skip


@api(
    category="Other",
    description=(
        "Traditional wedding anniversary gift/material for a number of years, and the next "
        "milestone with a named gift."
    ),
    params={
        "years": {"type": "integer", "minimum": 1, "maximum": 80, "description": "Years married."}
    },
    templates=[
        "What's the traditional gift for a {years}th anniversary?",
        "What material goes with {years} years of marriage?",
    ],
    examples=[("What's the traditional 10th anniversary gift?", {"years": 10})],
)
def anniversary_gift(years: int) -> dict[str, Any]:
    """Traditional anniversary gift."""
    upcoming = [y for y in ANNIVERSARY_GIFTS if y > years]
    nxt = upcoming[0] if upcoming else None
    return {
        "gift": ANNIVERSARY_GIFTS.get(years),
        "next_milestone": nxt,
        "next_gift": ANNIVERSARY_GIFTS.get(nxt) if nxt else None,
    }


@api(
    category="Other",
    description=(
        "Flag emoji, official name and codes of a country (ISO 3166-1 via pycountry) from its "
        "name or code."
    ),
    params={
        "country": {
            "type": "string",
            "minLength": 2,
            "maxLength": 60,
            "description": "Country name or ISO alpha-2/alpha-3 code.",
            "examples": ["Japan", "DE", "BRA", "Kenya"],
        }
    },
    templates=["What is the flag emoji of {country}?", "Show me {country}'s flag."],
    examples=[("What's the flag emoji for Japan?", {"country": "Japan"})],
)
def country_flag_emoji(country: str) -> dict[str, str]:
    """Regional-indicator flag."""
    q = country.strip()
    found = pycountry.countries.get(alpha_2=q.upper()) if len(q) == 2 else None
    found = found or (pycountry.countries.get(alpha_3=q.upper()) if len(q) == 3 else None)
    if found is None:
        try:
            found = pycountry.countries.lookup(q)
        except LookupError:
            raise ValueError(f"no country matches {country!r}") from None
    flag = "".join(chr(0x1F1E6 + ord(c) - ord("A")) for c in found.alpha_2)
    return {"flag": flag, "name": found.name, "alpha_2": found.alpha_2, "alpha_3": found.alpha_3}


_SMALL = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
          "nineteen"]  # fmt: skip
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SCALES = ["", "thousand", "million", "billion", "trillion"]


def _below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    parts = [f"{_SMALL[hundreds]} hundred"] if hundreds else []
    if rest >= 20:
        parts.append(_TENS[rest // 10] + (f"-{_SMALL[rest % 10]}" if rest % 10 else ""))
    elif rest:
        parts.append(_SMALL[rest])
    return " ".join(parts)


@api(
    category="Other",
    description=(
        "Writes an integer in English words (short scale), e.g. for cheques: 1234 -> one "
        "thousand two hundred thirty-four."
    ),
    params={
        "number": {
            "type": "integer",
            "minimum": -999999999999999,
            "maximum": 999999999999999,
            "description": "Integer to spell out.",
        }
    },
    templates=["How do you write {number} in words?", "Spell out the number {number}."],
    examples=[("How do I write 1234 in words on a cheque?", {"number": 1234})],
)
def integer_to_english_words(number: int) -> dict[str, str]:
    """Number in words."""
    if number == 0:
        return {"words": "zero"}
    groups, n = [], abs(number)
    for scale in _SCALES:
        n, chunk = divmod(n, 1000)
        if chunk:
            groups.append(_below_thousand(chunk) + (f" {scale}" if scale else ""))
        if not n:
            break
    words = " ".join(reversed(groups))
    return {"words": ("minus " if number < 0 else "") + words}


@api(
    category="Other",
    description="Every Friday the 13th in a year.",
    params={"year": {"type": "integer", "minimum": 1, "maximum": 9999, "description": "Year."}},
    templates=[
        "Which Friday the 13ths are there in {year}?",
        "How many Friday the 13th days does {year} have?",
    ],
    examples=[("Are there any Friday the 13ths in 2026?", {"year": 2026})],
)
def friday_13ths(year: int) -> dict[str, Any]:
    """Fridays falling on the 13th."""
    dates = [
        dt.date(year, m, 13).isoformat()
        for m in range(1, 13)
        if dt.date(year, m, 13).weekday() == 4
    ]
    return {"count": len(dates), "dates": dates}


@api(
    category="Other",
    description=(
        "Exact difference between two dates: total days and weeks, and the span in years, months "
        "and days."
    ),
    params={
        "start_date": {
            "type": "string",
            "format": "date",
            "description": "Earlier date.",
            "examples": ["2020-03-15", "1999-12-31", "2024-01-01"],
        },
        "end_date": {
            "type": "string",
            "format": "date",
            "description": "Later date.",
            "examples": ["2025-03-15", "2024-02-29", "2025-12-25"],
        },
    },
    templates=[
        "How long is it from {start_date} to {end_date}?",
        "How many days between {start_date} and {end_date}?",
    ],
    examples=[
        (
            "How many days from 2020-03-15 to 2025-03-15?",
            {"start_date": "2020-03-15", "end_date": "2025-03-15"},
        )
    ],
)
def date_span_between(start_date: str, end_date: str) -> dict[str, int]:
    """Days and Y/M/D between dates."""
    a, b = _date(start_date, "start_date"), _date(end_date, "end_date")
    if b < a:
        raise ValueError("end_date is before start_date")
    months = (b.year - a.year) * 12 + b.month - a.month - (b.day < a.day)
    year, month = divmod(a.month - 1 + months, 12)
    anchor = dt.date(
        a.year + year, month + 1, min(a.day, calendar.monthrange(a.year + year, month + 1)[1])
    )
    return {
        "days": (b - a).days,
        "weeks": (b - a).days // 7,
        "years": months // 12,
        "months": months % 12,
        "remaining_days": (b - anchor).days,
    }
