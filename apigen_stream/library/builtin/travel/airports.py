"""Travel APIs over the world's IATA airports (airportsdata): lookup, distance, nearest, city."""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

from apigen_stream.library.registry import api

CATEGORY = "Travel"

# Mean Earth radius in km (IUGG), the usual constant for great-circle distances.
_EARTH_RADIUS_KM = 6371.0088
_KM_PER_MILE = 1.609344
_KM_PER_NAUTICAL_MILE = 1.852

_IATA = {
    "type": "string",
    "pattern": "^[A-Za-z]{3}$",
    "description": "Three-letter IATA airport code.",
    "examples": ["JFK", "LHR", "NRT", "SYD", "CDG"],
}


@lru_cache(maxsize=1)
def _airports() -> dict[str, dict[str, Any]]:
    import airportsdata  # noqa: PLC0415 - loaded on first use

    return {code: dict(entry) for code, entry in airportsdata.load("IATA").items()}


def _airport(code: str) -> dict[str, Any]:
    found = _airports().get(code.strip().upper())
    if found is None:
        raise ValueError(f"no airport with IATA code {code!r}")
    return found


def _summary(a: dict[str, Any]) -> dict[str, Any]:
    return {
        "iata": a["iata"],
        "icao": a["icao"],
        "name": a["name"],
        "city": a["city"],
        "country": a["country"],
        "latitude": a["lat"],
        "longitude": a["lon"],
    }


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on a spherical Earth."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(math.sqrt(h))


@api(
    category=CATEGORY,
    description=(
        "Details of an airport by IATA code: name, ICAO code, city, region, country, "
        "coordinates, elevation (feet) and IANA time zone."
    ),
    params={"iata_code": _IATA},
    templates=["Which airport has the code {iata_code}?", "Where is {iata_code} airport located?"],
    examples=[("What airport is NRT?", {"iata_code": "NRT"})],
)
def airport_lookup(iata_code: str) -> dict[str, Any]:
    """From the airportsdata table."""
    a = _airport(iata_code)
    return {**_summary(a), "region": a["subd"], "elevation_ft": a["elevation"], "timezone": a["tz"]}


@api(
    category=CATEGORY,
    description=(
        "Great-circle distance between two airports by IATA code, in km, statute miles and "
        "nautical miles, with the initial compass bearing from the first."
    ),
    params={
        "from_iata": {**_IATA, "description": "IATA code of the departure airport."},
        "to_iata": {
            **_IATA,
            "description": "IATA code of the arrival airport.",
            "examples": ["LAX", "DXB", "SIN", "GRU", "FRA"],
        },
    },
    templates=[
        "How far is it from {from_iata} to {to_iata}?",
        "What is the flight distance between {from_iata} and {to_iata} airports?",
    ],
    examples=[("How many km from JFK to LHR?", {"from_iata": "JFK", "to_iata": "LHR"})],
)
def airport_distance_between(from_iata: str, to_iata: str) -> dict[str, Any]:
    """Haversine distance and the forward azimuth."""
    a, b = _airport(from_iata), _airport(to_iata)
    km = haversine_km(a["lat"], a["lon"], b["lat"], b["lon"])
    p1, p2 = math.radians(a["lat"]), math.radians(b["lat"])
    dl = math.radians(b["lon"] - a["lon"])
    y = math.sin(dl) * math.cos(p2)
    x = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return {
        "from": a["iata"],
        "to": b["iata"],
        "km": round(km, 1),
        "miles": round(km / _KM_PER_MILE, 1),
        "nautical_miles": round(km / _KM_PER_NAUTICAL_MILE, 1),
        "initial_bearing_deg": round((math.degrees(math.atan2(y, x)) + 360) % 360, 1),
    }


@api(
    category=CATEGORY,
    description=(
        "The airports with an IATA code nearest to a point (latitude/longitude), closest "
        "first, each with its distance in km."
    ),
    params={
        "latitude": {"type": "number", "minimum": -90, "maximum": 90, "description": "Degrees."},
        "longitude": {
            "type": "number",
            "minimum": -180,
            "maximum": 180,
            "description": "Degrees east.",
        },
        "limit": {"type": "integer", "minimum": 1, "maximum": 20, "description": "How many."},
    },
    templates=[
        "What are the nearest airports to latitude {latitude}, longitude {longitude}?",
        "Find the {limit} closest airports to {latitude}, {longitude}.",
    ],
    examples=[
        (
            "Which airports are closest to the Eiffel Tower (48.8584, 2.2945)?",
            {"latitude": 48.8584, "longitude": 2.2945, "limit": 3},
        )
    ],
)
def nearest_airports_to_point(latitude: float, longitude: float, limit: int = 5) -> dict[str, Any]:
    """Linear scan of about 8,000 airports; ties broken by code for a stable order."""
    scored = sorted(
        (haversine_km(latitude, longitude, a["lat"], a["lon"]), code)
        for code, a in _airports().items()
    )
    return {
        "airports": [
            {**_summary(_airports()[code]), "distance_km": round(km, 1)}
            for km, code in scored[:limit]
        ]
    }


@api(
    category=CATEGORY,
    description=(
        "Airports with an IATA code in a given city (optionally restricted to a country by "
        "ISO alpha-2 code), useful to find every airport serving a destination."
    ),
    params={
        "city": {
            "type": "string",
            "minLength": 2,
            "description": "City name in English.",
            "examples": ["London", "Tokyo", "New York", "Paris"],
        },
        "country_code": {
            "type": ["string", "null"],
            "pattern": "^[A-Z]{2}$",
            "description": "ISO 3166-1 alpha-2 country code to disambiguate (null for any).",
            "examples": ["GB", "JP", "US", "FR"],
        },
    },
    templates=[
        "Which airports serve {city}?",
        "List the airports in {city}, {country_code}.",
    ],
    examples=[("What airports are there in London, GB?", {"city": "London", "country_code": "GB"})],
)
def airports_serving_city(city: str, country_code: str | None = None) -> dict[str, Any]:
    """Case-insensitive exact match on the city field; an empty list is a valid answer."""
    wanted = city.strip().casefold()
    found = [
        _summary(a)
        for _, a in sorted(_airports().items())
        if a["city"].casefold() == wanted and (country_code is None or a["country"] == country_code)
    ]
    return {"city": city, "country_code": country_code, "airports": found}
