"""Other APIs: traditions of the calendar (birthstones, birth flowers, era years, the Maya long
count, Japanese eras, seasons), special birthdays and dates, and the clock in words."""

from __future__ import annotations

import datetime as dt
from typing import Any

from apigen_stream.library.registry import api

CATEGORY = "Other"

_DATE = {
    "type": "string",
    "format": "date",
    "pattern": r"^\d{4}-\d{2}-\d{2}$",
    "description": "A date, YYYY-MM-DD.",
    "examples": ["2025-06-21", "1990-07-14", "2012-12-21"],
}
_MONTH = {"type": "integer", "minimum": 1, "maximum": 12, "description": "Month number, 1-12."}
_YEAR = {"type": "integer", "minimum": 1, "maximum": 9999, "description": "A year (CE)."}
_TIME = {
    "type": "string",
    "pattern": r"^([01]?\d|2[0-3]):[0-5]\d$",
    "description": "A time, HH:MM (24-hour).",
    "examples": ["15:45", "09:30", "12:00"],
}
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# The American Gem Society / Jewelers of America list (1912, updated 2016 and 2021).
_BIRTHSTONES = (
    ["garnet"],
    ["amethyst"],
    ["aquamarine", "bloodstone"],
    ["diamond"],
    ["emerald"],
    ["pearl", "alexandrite", "moonstone"],
    ["ruby"],
    ["peridot", "spinel", "sardonyx"],
    ["sapphire"],
    ["opal", "tourmaline"],
    ["topaz", "citrine"],
    ["turquoise", "zircon", "tanzanite"],
)


@api(
    category=CATEGORY,
    description=(
        "The birthstone of a month by the American Gem Society's modern list (January garnet "
        "... December turquoise, tanzanite or zircon), with the alternatives."
    ),
    params={"month": _MONTH},
    templates=["What is the birthstone for month {month}?", "Birthstone of month number {month}?"],
    examples=[("What's the birthstone for someone born in October?", {"month": 10})],
)
def birthstone_for_month(month: int) -> dict[str, Any]:
    """The first stone of each month is the traditional one."""
    stones = _BIRTHSTONES[month - 1]
    return {"month": _MONTH_NAMES[month - 1], "birthstone": stones[0], "alternatives": stones[1:]}


# Traditional birth flowers of the English-speaking world (Royal Horticultural Society lists).
_BIRTH_FLOWERS = (
    ("carnation", "snowdrop"),
    ("violet", "primrose"),
    ("daffodil", "jonquil"),
    ("daisy", "sweet pea"),
    ("lily of the valley", "hawthorn"),
    ("rose", "honeysuckle"),
    ("larkspur", "water lily"),
    ("gladiolus", "poppy"),
    ("aster", "morning glory"),
    ("marigold", "cosmos"),
    ("chrysanthemum", "peony"),
    ("narcissus", "holly"),
)


@api(
    category=CATEGORY,
    description=(
        "The traditional birth flowers of a month (January carnation and snowdrop ... December "
        "narcissus and holly)."
    ),
    params={"month": _MONTH},
    templates=["What is the birth flower of month {month}?", "Birth flowers for month {month}?"],
    examples=[("What is the birth flower for May?", {"month": 5})],
)
def birth_flower_for_month(month: int) -> dict[str, Any]:
    """Two flowers per month."""
    first, second = _BIRTH_FLOWERS[month - 1]
    return {"month": _MONTH_NAMES[month - 1], "flowers": [first, second]}


# GMT correlation: 13.0.0.0.0 4 Ahau 8 Cumku = Julian day number 584283 (11 August 3114 BCE).
_GMT = 584283
_TZOLKIN = (
    "Imix",
    "Ik'",
    "Ak'bal",
    "K'an",
    "Chikchan",
    "Kimi",
    "Manik'",
    "Lamat",
    "Muluk",
    "Ok",
    "Chuwen",
    "Eb",
    "Ben",
    "Ix",
    "Men",
    "K'ib'",
    "Kaban",
    "Etz'nab'",
    "Kawak",
    "Ajaw",
)
_HAAB = (
    "Pop",
    "Wo'",
    "Sip",
    "Sotz'",
    "Sek",
    "Xul",
    "Yaxk'in",
    "Mol",
    "Ch'en",
    "Yax",
    "Sak'",
    "Keh",
    "Mak",
    "K'ank'in",
    "Muwan",
    "Pax",
    "K'ayab",
    "Kumk'u",
    "Wayeb'",
)


def _julian_day(day: dt.date) -> int:
    return day.toordinal() + 1721425


@api(
    category=CATEGORY,
    description=(
        "The Maya calendar for a Gregorian date: the Long Count (baktun.katun.tun.uinal.kin), "
        "the Tzolk'in and the Haab' dates, by the GMT correlation 584283."
    ),
    params={"date": _DATE},
    templates=["What is {date} in the Maya Long Count?", "Maya calendar date for {date}?"],
    examples=[("What was 2012-12-21 in the Maya Long Count?", {"date": "2012-12-21"})],
)
def maya_calendar_date(date: str) -> dict[str, Any]:
    """Days since the creation date, in the positional counts 20 x 20 x 18 x 20."""
    days = _julian_day(dt.date.fromisoformat(date)) - _GMT
    parts = []
    rest = days
    for size in (144000, 7200, 360, 20, 1):
        parts.append(rest // size)
        rest %= size
    tzolkin = f"{(days + 3) % 13 + 1} {_TZOLKIN[(days + 19) % 20]}"
    haab_day = (days + 348) % 365
    return {
        "long_count": ".".join(map(str, parts)),
        "tzolkin": tzolkin,
        "haab": f"{haab_day % 20} {_HAAB[haab_day // 20]}",
    }


# Japanese eras since Meiji and their first Gregorian days.
_ERAS = (
    (dt.date(2019, 5, 1), "Reiwa", "令和"),
    (dt.date(1989, 1, 8), "Heisei", "平成"),
    (dt.date(1926, 12, 25), "Shōwa", "昭和"),
    (dt.date(1912, 7, 30), "Taishō", "大正"),
    (dt.date(1873, 1, 1), "Meiji", "明治"),  # the Gregorian calendar's adoption in Japan
)


@api(
    category=CATEGORY,
    description=(
        "The Japanese era (nengō) year of a Gregorian date since 1873: Reiwa, Heisei, Shōwa, "
        "Taishō or Meiji, with the year of the era as written (Reiwa 7)."
    ),
    params={"date": {**_DATE, "examples": ["2025-06-21", "1989-01-07", "1964-10-10"]}},
    templates=["What Japanese era year is {date}?", "Convert {date} to the Japanese calendar."],
    examples=[("What year of the Japanese era is 2025-06-21?", {"date": "2025-06-21"})],
)
def japanese_era_year(date: str) -> dict[str, Any]:
    """The first year of an era is gannen (year 1)."""
    day = dt.date.fromisoformat(date)
    for start, name, kanji in _ERAS:
        if day >= start:
            year = day.year - start.year + 1
            if name == "Meiji":
                year = day.year - 1867
            return {"era": name, "kanji": kanji, "era_year": year, "written": f"{name} {year}"}
    raise ValueError("dates before 1873 used the lunisolar calendar")


@api(
    category=CATEGORY,
    description=(
        "A year in other year numberings: the Buddhist Era (+543), the Holocene calendar "
        "(+10,000), the Byzantine Anno Mundi, the Korean Dangi (+2,333) and the Republic of "
        "China (Minguo) year."
    ),
    params={"year": _YEAR},
    templates=[
        "What is the year {year} in the Buddhist calendar?",
        "Show {year} in other era numberings.",
    ],
    examples=[("What year is 2025 in the Thai Buddhist Era?", {"year": 2025})],
)
def year_in_other_eras(year: int) -> dict[str, Any]:
    """Year-number offsets at the start of the Gregorian year (Anno Mundi begins 1 September)."""
    return {
        "buddhist_era": year + 543,
        "holocene": year + 10000,
        "byzantine_anno_mundi": [year + 5508, year + 5509],
        "korean_dangi": year + 2333,
        "minguo": year - 1911 if year > 1911 else None,
    }


@api(
    category=CATEGORY,
    description=(
        "Meteorological season of a date (whole months: Dec-Feb winter in the north) and the "
        "astronomical one (from the approximate equinox and solstice days), for a hemisphere."
    ),
    params={
        "date": _DATE,
        "hemisphere": {"type": "string", "enum": ["north", "south"], "description": "Hemisphere."},
    },
    templates=[
        "What season is {date} in the {hemisphere}ern hemisphere?",
        "Season on {date} ({hemisphere})?",
    ],
    examples=[
        (
            "What season is it on 2025-03-10 in Australia?",
            {"date": "2025-03-10", "hemisphere": "south"},
        )
    ],
)
def season_of_date(date: str, hemisphere: str = "north") -> dict[str, Any]:
    """Astronomical boundaries as 20 March, 21 June, 22 September and 21 December."""
    day = dt.date.fromisoformat(date)
    names = ("winter", "spring", "summer", "autumn")
    meteo = names[(day.month % 12) // 3]
    key = (day.month, day.day)
    astro = (
        "winter"
        if key < (3, 20)
        else "spring"
        if key < (6, 21)
        else "summer"
        if key < (9, 22)
        else "autumn"
        if key < (12, 21)
        else "winter"
    )
    if hemisphere == "south":
        flip = {"winter": "summer", "summer": "winter", "spring": "autumn", "autumn": "spring"}
        meteo, astro = flip[meteo], flip[astro]
    return {"meteorological": meteo, "astronomical": astro}


def _minutes_words(m: int) -> str:
    return _cardinal(m) if m else ""


@api(
    category=CATEGORY,
    description=(
        "Say a time in British English words: 'quarter past three', 'twenty-five to seven', "
        "'noon', 'midnight', with the period of the day."
    ),
    params={"time": _TIME},
    templates=["How do you say {time} in words?", "Write the time {time} in English words."],
    examples=[("How do you say 15:45 in words?", {"time": "15:45"})],
)
def time_in_words(time: str) -> dict[str, Any]:
    """Past the hour up to half past, then to the next hour."""
    hour, minute = (int(x) for x in time.split(":"))
    period = (
        "night"
        if hour < 5
        else "morning"
        if hour < 12
        else "afternoon"
        if hour < 18
        else "evening"
        if hour < 22
        else "night"
    )
    if minute == 0 and hour in (0, 12):
        return {"words": "midnight" if hour == 0 else "noon", "period": period}
    shown = hour % 12 if minute <= 30 else (hour + 1) % 12
    name = _cardinal(shown or 12)
    if minute == 0:
        words = f"{name} o'clock"
    elif minute == 15:
        words = f"quarter past {name}"
    elif minute == 30:
        words = f"half past {name}"
    elif minute == 45:
        words = f"quarter to {name}"
    elif minute < 30:
        words = f"{_minutes_words(minute)} past {name}"
    else:
        words = f"{_minutes_words(60 - minute)} to {name}"
    return {"words": words, "period": period}


@api(
    category=CATEGORY,
    description=(
        "Angle between the hour and minute hands of an analogue clock at a time: the smaller "
        "angle and the reflex one, in degrees (the classic puzzle)."
    ),
    params={"time": _TIME},
    templates=[
        "What angle do the clock hands make at {time}?",
        "Angle between hour and minute hand at {time}?",
    ],
    examples=[("What is the angle between the clock hands at 3:15?", {"time": "03:15"})],
)
def clock_hands_angle(time: str) -> dict[str, Any]:
    """Hour hand 0.5°/min, minute hand 6°/min."""
    hour, minute = (int(x) for x in time.split(":"))
    angle = abs(30 * (hour % 12) - 5.5 * minute)
    small = min(angle, 360 - angle)
    return {"angle_deg": small, "reflex_angle_deg": 360 - small}


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@api(
    category=CATEGORY,
    description=(
        "The century, millennium and decade a year belongs to, counted both ways: strictly "
        "(the 21st century is 2001-2100) and popularly (the 2000s)."
    ),
    params={"year": _YEAR},
    templates=["Which century is the year {year} in?", "Century, decade and millennium of {year}?"],
    examples=[("Which century and millennium is 2000 in?", {"year": 2000})],
)
def century_of_year(year: int) -> dict[str, Any]:
    """No year 0: century n runs 100(n-1)+1 to 100n."""
    century = (year - 1) // 100 + 1
    millennium = (year - 1) // 1000 + 1
    return {
        "century": f"{_ordinal(century)} century",
        "century_years": [100 * (century - 1) + 1, 100 * century],
        "millennium": f"{_ordinal(millennium)} millennium",
        "decade": f"{year // 10 * 10}s",
        "popular_century": f"{year // 100 * 100}s",
    }


@api(
    category=CATEGORY,
    description=(
        "The palindrome dates of a year: days whose date digits read the same backwards, in "
        "YYYYMMDD (ISO) and in MMDDYYYY (US) order."
    ),
    params={"year": {**_YEAR, "minimum": 1000}},
    templates=["Which dates in {year} are palindromes?", "Palindrome days of {year}?"],
    examples=[("Are there any palindrome dates in 2021?", {"year": 2021})],
)
def palindrome_dates(year: int) -> dict[str, Any]:
    """Every day of the year checked."""
    day = dt.date(year, 1, 1)
    iso, us = [], []
    while day.year == year:
        a = day.strftime("%Y%m%d")
        b = day.strftime("%m%d%Y")
        if a == a[::-1]:
            iso.append(day.isoformat())
        if b == b[::-1]:
            us.append(day.isoformat())
        day += dt.timedelta(days=1)
    return {"yyyymmdd": iso, "mmddyyyy": us}


def _birthday(born: dt.date, year: int) -> dt.date:
    day = min(born.day, 28) if born.month == 2 and born.day == 29 else born.day
    try:
        return dt.date(year, born.month, born.day)
    except ValueError:
        return dt.date(year, born.month, day)


@api(
    category=CATEGORY,
    description=(
        "Special birthdays of a birth date: the golden birthday (turning the age of your birth "
        "day of the month), the half birthday, and the 10,000th day."
    ),
    params={"birth_date": {**_DATE, "description": "Birth date, YYYY-MM-DD."}},
    templates=[
        "When is the golden birthday of someone born {birth_date}?",
        "Half birthday and 10,000th day for a birth date of {birth_date}?",
    ],
    examples=[
        ("I was born on 1998-03-24. When is my golden birthday?", {"birth_date": "1998-03-24"})
    ],
)
def special_birthdays(birth_date: str) -> dict[str, Any]:
    """Half birthday = six months on (the last day of a shorter month)."""
    born = dt.date.fromisoformat(birth_date)
    golden = _birthday(born, born.year + born.day)
    month, year = born.month + 6, born.year
    if month > 12:
        month, year = month - 12, year + 1
    days_in = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    half = dt.date(year, month, min(born.day, days_in))
    return {
        "golden_birthday": golden.isoformat(),
        "golden_age": born.day,
        "first_half_birthday": half.isoformat(),
        "ten_thousandth_day": (born + dt.timedelta(days=9999)).isoformat(),
    }


@api(
    category=CATEGORY,
    description=(
        "Julian day number and Modified Julian Date of a calendar date (astronomers' running "
        "day count; the JDN starts at noon, 1 January 4713 BCE, Julian calendar)."
    ),
    params={"date": _DATE},
    templates=["What is the Julian day number of {date}?", "Julian date and MJD for {date}?"],
    examples=[("What's the Julian day number of 2000-01-01?", {"date": "2000-01-01"})],
)
def julian_day_number(date: str) -> dict[str, Any]:
    """JDN of 2000-01-01 is 2451545; MJD = JD - 2400000.5."""
    jdn = _julian_day(dt.date.fromisoformat(date))
    return {
        "julian_day_number": jdn,
        "julian_date_at_midnight": jdn - 0.5,
        "modified_julian_date": jdn - 2400001,
    }


@api(
    category=CATEGORY,
    description=(
        "Leap years in a range of years under the Gregorian rule (every 4th year, not centuries "
        "unless divisible by 400): the count and the list."
    ),
    params={"start_year": {**_YEAR, "minimum": 1583}, "end_year": {**_YEAR, "minimum": 1583}},
    templates=[
        "How many leap years between {start_year} and {end_year}?",
        "List the leap years from {start_year} to {end_year}.",
    ],
    examples=[
        ("How many leap years are there from 1900 to 2024?", {"start_year": 1900, "end_year": 2024})
    ],
)
def leap_years_between(start_year: int, end_year: int) -> dict[str, Any]:
    """Both ends included."""
    low, high = sorted((start_year, end_year))
    years = [y for y in range(low, high + 1) if y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)]
    return {"count": len(years), "leap_years": years[:200]}


@api(
    category=CATEGORY,
    description=(
        "Golden number and epact of a year, the Metonic-cycle figures medieval calendars and "
        "the Gregorian Easter tables use (golden number 1-19)."
    ),
    params={"year": {**_YEAR, "minimum": 1583}},
    templates=["What is the golden number of {year}?", "Golden number and epact for {year}?"],
    examples=[("What's the golden number of the year 2025?", {"year": 2025})],
)
def golden_number_and_epact(year: int) -> dict[str, Any]:
    """Golden number = year mod 19 + 1; the Gregorian epact with its solar and lunar
    corrections, as in Knuth's Easter algorithm (TAOCP vol. 1, 1.3.2, exercise 14)."""
    golden = year % 19 + 1
    century = year // 100 + 1
    solar = 3 * century // 4 - 12
    lunar = (8 * century + 5) // 25 - 5
    epact = (11 * golden - 10 - solar + lunar) % 30
    if (epact == 25 and golden > 11) or epact == 24:
        epact += 1
    return {"golden_number": golden, "epact": epact % 30}


# Conway's doomsdays: a date in each month that falls on the year's doomsday (leap years: 4 Jan
# and 29 Feb).
_DOOMSDAYS = (3, 28, 14, 4, 9, 6, 11, 8, 5, 10, 7, 12)
_WEEKDAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")


@api(
    category=CATEGORY,
    description=(
        "The weekday of a date worked out by John Conway's Doomsday rule, step by step as it is "
        "done in the head: the century's anchor, the year's doomsday, the month's doomsday date."
    ),
    params={"date": _DATE},
    templates=[
        "Work out the weekday of {date} with the Doomsday rule.",
        "Show the Doomsday method for {date}.",
    ],
    examples=[
        ("What day of the week was 1969-07-20, by the Doomsday rule?", {"date": "1969-07-20"})
    ],
)
def doomsday_weekday(date: str) -> dict[str, Any]:
    """Anchor = (5 (c mod 4) + 2) mod 7 (Sunday = 0); the year's doomsday = anchor + y + y // 4
    (mod 7), y the year within the century (Conway, "Tomorrow is the day after Doomsday")."""
    day = dt.date.fromisoformat(date)
    century, y = divmod(day.year, 100)
    anchor = (5 * (century % 4) + 2) % 7
    doomsday = (anchor + y + y // 4) % 7
    leap = day.year % 4 == 0 and (day.year % 100 != 0 or day.year % 400 == 0)
    marker = _DOOMSDAYS[day.month - 1] + (1 if leap and day.month <= 2 else 0)
    weekday = (doomsday + day.day - marker) % 7
    return {
        "century_anchor": _WEEKDAYS[anchor],
        "year_doomsday": _WEEKDAYS[doomsday],
        "month_doomsday_date": marker,
        "weekday": _WEEKDAYS[weekday],
    }


_ORDINAL_WORDS = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}
_UNITS = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
)
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def _cardinal(n: int) -> str:
    if n < 20:
        return _UNITS[n]
    if n < 100:
        return _TENS[n // 10] + ("-" + _UNITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        return _UNITS[n // 100] + " hundred" + (" and " + _cardinal(rest) if rest else "")
    thousands, rest = divmod(n, 1000)
    tail = "" if not rest else (" and " if rest < 100 else " ") + _cardinal(rest)
    return _cardinal(thousands) + " thousand" + tail


@api(
    category=CATEGORY,
    description=(
        "An ordinal number in English words and figures (21 -> 'twenty-first', '21st'), as in "
        "dates, anniversaries and rankings, up to 999,999."
    ),
    params={
        "n": {"type": "integer", "minimum": 1, "maximum": 999_999, "description": "The number."}
    },
    templates=["How do you write {n} as an ordinal?", "Ordinal words for {n}?"],
    examples=[("How do you write 21 as an ordinal word?", {"n": 21})],
)
def ordinal_in_words(n: int) -> dict[str, Any]:
    """The last word takes the ordinal form (British 'and' after hundreds)."""
    words = _cardinal(n)
    head, _, last = words.rpartition(" ")
    stem, dash, unit = last.rpartition("-")
    if unit in _ORDINAL_WORDS:
        unit = _ORDINAL_WORDS[unit]
    elif unit.endswith("y"):
        unit = unit[:-1] + "ieth"
    else:
        unit += "th"
    ordinal = (head + " " if head else "") + stem + dash + unit
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return {"words": ordinal, "figures": f"{n}{suffix}"}
