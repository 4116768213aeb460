"""Travel APIs for planning: local times, time zones, holidays, country facts, costs, daylight."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apigen_stream.library.registry import api

CATEGORY = "Travel"

_TZ_EXAMPLES = ["America/New_York", "Europe/London", "Asia/Tokyo", "Australia/Sydney"]
_COUNTRY = {
    "type": "string",
    "pattern": "^[A-Za-z]{2}$",
    "description": "ISO 3166-1 alpha-2 country code.",
    "examples": ["US", "FR", "JP", "BR", "DE"],
}
_DATE = {
    "type": "string",
    "format": "date",
    "pattern": r"^\d{4}-\d{2}-\d{2}$",
    "description": "Date as YYYY-MM-DD.",
}
# Currencies in force change rarely; answering as of a fixed date keeps results reproducible.
_CURRENCY_AS_OF = dt.date(2025, 1, 1)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (use an IANA name)") from None


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a YYYY-MM-DD date") from None


def _holidays(country: str, years: list[int]) -> Any:
    import holidays  # noqa: PLC0415 - loaded on first use

    try:
        return holidays.country_holidays(country.upper(), years=years)
    except NotImplementedError:
        raise ValueError(f"no holiday calendar for country {country!r}") from None


@api(
    category=CATEGORY,
    description=(
        "Convert a local date and time in one IANA time zone to another (daylight saving "
        "included): the destination's local time, UTC offsets and the day shift."
    ),
    params={
        "local_datetime": {
            "type": "string",
            "pattern": r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$",
            "description": "Local date and time as YYYY-MM-DDTHH:MM.",
            "examples": ["2024-07-15T09:30", "2024-12-24T18:00", "2025-03-30T01:30"],
        },
        "from_timezone": {
            "type": "string",
            "description": "IANA zone of the given time.",
            "examples": _TZ_EXAMPLES,
        },
        "to_timezone": {
            "type": "string",
            "description": "IANA zone to convert to.",
            "examples": ["Asia/Kolkata", "Europe/Paris", "America/Los_Angeles"],
        },
    },
    templates=[
        "If it is {local_datetime} in {from_timezone}, what time is it in {to_timezone}?",
        "My flight leaves {from_timezone} at {local_datetime}. What is that in {to_timezone}?",
    ],
    examples=[
        (
            "When it's 9:30 on 15 July 2024 in New York, what time is it in Tokyo?",
            {
                "local_datetime": "2024-07-15T09:30",
                "from_timezone": "America/New_York",
                "to_timezone": "Asia/Tokyo",
            },
        )
    ],
)
def destination_local_time(
    local_datetime: str, from_timezone: str, to_timezone: str
) -> dict[str, Any]:
    """zoneinfo conversion; a nonexistent or ambiguous local time takes fold=0 (the earlier)."""
    try:
        naive = dt.datetime.fromisoformat(local_datetime)
    except ValueError:
        raise ValueError(f"{local_datetime!r} is not YYYY-MM-DDTHH:MM") from None
    src = naive.replace(tzinfo=_zone(from_timezone))
    dst = src.astimezone(_zone(to_timezone))
    offset = dst.utcoffset() or dt.timedelta()
    return {
        "destination_time": dst.replace(tzinfo=None).isoformat(timespec="minutes"),
        "destination_weekday": dst.strftime("%A"),
        "from_utc_offset": str(src.utcoffset()),
        "to_utc_offset": str(offset),
        "day_shift": (dst.date() - naive.date()).days,
    }


@api(
    category=CATEGORY,
    description=(
        "Time difference in hours between two IANA time zones on a given date (daylight "
        "saving aware), positive when the second zone is ahead."
    ),
    params={
        "timezone_a": {
            "type": "string",
            "description": "First IANA zone.",
            "examples": _TZ_EXAMPLES,
        },
        "timezone_b": {
            "type": "string",
            "description": "Second IANA zone.",
            "examples": ["Europe/Berlin", "Asia/Singapore", "America/Chicago"],
        },
        "on_date": {**_DATE, "examples": ["2024-01-15", "2024-07-01", "2025-10-27"]},
    },
    templates=[
        "How many hours ahead is {timezone_b} of {timezone_a} on {on_date}?",
        "What's the time difference between {timezone_a} and {timezone_b}?",
    ],
    examples=[
        (
            "What's the time difference between London and Sydney on 1 July 2024?",
            {
                "timezone_a": "Europe/London",
                "timezone_b": "Australia/Sydney",
                "on_date": "2024-07-01",
            },
        )
    ],
)
def time_zone_difference(timezone_a: str, timezone_b: str, on_date: str) -> dict[str, Any]:
    """Offsets at local noon of the date, away from most DST switch hours."""
    noon = dt.datetime.combine(_date(on_date), dt.time(12))
    off_a = noon.replace(tzinfo=_zone(timezone_a)).utcoffset() or dt.timedelta()
    off_b = noon.replace(tzinfo=_zone(timezone_b)).utcoffset() or dt.timedelta()
    return {
        "hours_b_ahead_of_a": (off_b - off_a).total_seconds() / 3600,
        "utc_offset_a_hours": off_a.total_seconds() / 3600,
        "utc_offset_b_hours": off_b.total_seconds() / 3600,
    }


@api(
    category=CATEGORY,
    description=(
        "Public holidays of a country in a year, from the "
        "'holidays' package: date, weekday and name of each, in date order."
    ),
    params={
        "country_code": _COUNTRY,
        "year": {"type": "integer", "minimum": 1950, "maximum": 2100, "description": "Year."},
    },
    templates=[
        "What are the public holidays in {country_code} in {year}?",
        "List the bank holidays of {country_code} for {year}.",
    ],
    examples=[("What are the US federal holidays in 2024?", {"country_code": "US", "year": 2024})],
)
def public_holidays_list(country_code: str, year: int) -> dict[str, Any]:
    """Official holidays only (no observances)."""
    calendar = _holidays(country_code, [year])
    days = [
        {"date": d.isoformat(), "weekday": d.strftime("%A"), "name": name}
        for d, name in sorted(calendar.items())
    ]
    return {
        "country_code": country_code.upper(),
        "year": year,
        "count": len(days),
        "holidays": days,
    }


@lru_cache(maxsize=1)
def _zones_by_country() -> dict[str, list[str]]:
    text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text()
    zones: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            cols = line.split("\t")
            zones.setdefault(cols[0], []).append(cols[2])
    return zones


@api(
    category=CATEGORY,
    description=(
        "Practical facts for visiting a country: its name, currency (ISO 4217 code and name), "
        "official languages, international dialling code and IANA time zones."
    ),
    params={"country_code": _COUNTRY},
    templates=[
        "What currency and language do they use in {country_code}?",
        "I'm travelling to {country_code}: what's the dialling code and time zone?",
    ],
    examples=[
        ("What should I know about currency and languages in Japan (JP)?", {"country_code": "JP"})
    ],
)
def country_travel_facts(country_code: str) -> dict[str, Any]:
    """pycountry names, CLDR (babel) currency and languages, libphonenumber dialling code."""
    import phonenumbers  # noqa: PLC0415 - loaded on first use
    import pycountry  # noqa: PLC0415 - loaded on first use
    from babel import Locale  # noqa: PLC0415 - loaded on first use
    from babel.languages import get_official_languages  # noqa: PLC0415 - loaded on first use
    from babel.numbers import get_currency_name, get_territory_currencies  # noqa: PLC0415 - loaded on first use

    code = country_code.upper()
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        raise ValueError(f"unknown country code {country_code!r}")
    currencies = get_territory_currencies(code, start_date=_CURRENCY_AS_OF, tender=True)
    english = Locale("en")
    return {
        "country": country.name,
        "currencies": [{"code": c, "name": get_currency_name(c, locale="en")} for c in currencies],
        "official_languages": [
            english.languages.get(lang, lang) for lang in get_official_languages(code)
        ],
        "dialling_code": f"+{phonenumbers.country_code_for_region(code)}",
        "timezones": _zones_by_country().get(code, []),
    }


@api(
    category=CATEGORY,
    description=(
        "Fuel needed and cost of a road trip from distance, the car's consumption "
        "(litres/100 km) and fuel price per litre, total and per traveller, one way or return."
    ),
    params={
        "distance_km": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 50000,
            "description": "One-way km.",
        },
        "consumption_l_per_100km": {
            "type": "number",
            "minimum": 1,
            "maximum": 40,
            "description": "Fuel consumption in litres per 100 km.",
        },
        "fuel_price_per_litre": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 10,
            "description": "Price of a litre of fuel.",
        },
        "travellers": {"type": "integer", "minimum": 1, "maximum": 9, "description": "People."},
        "return_trip": {"type": "boolean", "description": "Whether to count the way back."},
    },
    templates=[
        "How much fuel cost for a {distance_km} km drive at {consumption_l_per_100km} L/100km "
        "with fuel at {fuel_price_per_litre} per litre?",
        "We are {travellers} driving {distance_km} km; the car uses {consumption_l_per_100km} "
        "L/100km and fuel is {fuel_price_per_litre}. Cost each?",
    ],
    examples=[
        (
            "Cost of driving 450 km at 6.5 L/100km with petrol at 1.85, split between 3?",
            {
                "distance_km": 450,
                "consumption_l_per_100km": 6.5,
                "fuel_price_per_litre": 1.85,
                "travellers": 3,
            },
        )
    ],
)
def trip_fuel_cost_estimate(
    distance_km: float,
    consumption_l_per_100km: float,
    fuel_price_per_litre: float,
    travellers: int = 1,
    return_trip: bool = False,
) -> dict[str, float]:
    """litres = km × L/100km / 100."""
    km = distance_km * (2 if return_trip else 1)
    litres = km * consumption_l_per_100km / 100
    cost = litres * fuel_price_per_litre
    return {
        "distance_km": km,
        "litres": round(litres, 2),
        "total_cost": round(cost, 2),
        "cost_per_traveller": round(cost / travellers, 2),
    }


@api(
    category=CATEGORY,
    description=(
        "Summary of a trip's dates: nights, days, weekdays, weekend days, and the public "
        "holidays of the destination country that fall within the trip."
    ),
    params={
        "start_date": {**_DATE, "examples": ["2024-12-20", "2024-07-01", "2025-04-14"]},
        "nights": {"type": "integer", "minimum": 1, "maximum": 365, "description": "Nights."},
        "country_code": _COUNTRY,
    },
    templates=[
        "I'm in {country_code} for {nights} nights from {start_date}. Any public holidays then?",
        "How many weekend days in a {nights}-night stay in {country_code} starting {start_date}?",
    ],
    examples=[
        (
            "I'm in France for 14 nights from 2024-12-20. Any public holidays while I'm there?",
            {"start_date": "2024-12-20", "nights": 14, "country_code": "FR"},
        )
    ],
)
def trip_calendar_summary(start_date: str, nights: int, country_code: str) -> dict[str, Any]:
    """Days count both the arrival and the departure day."""
    if not 1 <= nights <= 365:
        raise ValueError("nights must be between 1 and 365")
    start = _date(start_date)
    end = start + dt.timedelta(nights)
    calendar = _holidays(country_code, list(range(start.year, end.year + 1)))
    days = [start + dt.timedelta(n) for n in range((end - start).days + 1)]
    weekend = sum(1 for d in days if d.weekday() >= 5)
    return {
        "end_date": end.isoformat(),
        "nights": nights,
        "days": len(days),
        "weekdays": len(days) - weekend,
        "weekend_days": weekend,
        "public_holidays": [
            {"date": d.isoformat(), "name": calendar[d]} for d in days if d in calendar
        ],
    }


@api(
    category=CATEGORY,
    description=(
        "Dawn, sunrise, solar noon, sunset and dusk (civil twilight) at a place and date, in "
        "the given time zone's local time, with the day length."
    ),
    params={
        "latitude": {
            "type": "number",
            "minimum": -66,
            "maximum": 66,
            "description": "Degrees north.",
        },
        "longitude": {
            "type": "number",
            "minimum": -180,
            "maximum": 180,
            "description": "Degrees east.",
        },
        "on_date": {**_DATE, "examples": ["2024-06-21", "2024-12-21", "2025-03-20"]},
        "timezone": {
            "type": "string",
            "description": "IANA zone for the times.",
            "examples": _TZ_EXAMPLES,
        },
    },
    templates=[
        "When is sunrise and sunset at {latitude}, {longitude} on {on_date} ({timezone} time)?",
        "How long is the day on {on_date} at latitude {latitude}, longitude {longitude}?",
    ],
    examples=[
        (
            "Sunrise and sunset in London (51.5074, -0.1278) on 2024-06-21?",
            {
                "latitude": 51.5074,
                "longitude": -0.1278,
                "on_date": "2024-06-21",
                "timezone": "Europe/London",
            },
        )
    ],
)
def sunrise_sunset_times(
    latitude: float, longitude: float, on_date: str, timezone: str = "UTC"
) -> dict[str, Any]:
    """NOAA solar equations as implemented by astral; latitudes capped below the polar circles."""
    from astral import Observer  # noqa: PLC0415 - loaded on first use
    from astral.sun import sun  # noqa: PLC0415 - loaded on first use

    events = sun(Observer(latitude, longitude), date=_date(on_date), tzinfo=_zone(timezone))
    times = {k: v.strftime("%H:%M") for k, v in events.items()}
    minutes = int((events["sunset"] - events["sunrise"]).total_seconds() // 60)
    return {
        **times,
        "day_length": f"{minutes // 60}h {minutes % 60:02d}m",
    }
