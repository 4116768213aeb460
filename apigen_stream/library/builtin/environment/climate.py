"""Environment APIs: weather indices, wind, UV, rainwater, solar, degree days and noise."""

from __future__ import annotations

import math
from typing import Any

from apigen_stream.library.builtin.environment.air import US_GRID_G_PER_KWH
from apigen_stream.library.registry import api


@api(
    category="Environment",
    description=(
        "Heat index ('feels like' temperature) from air temperature and relative humidity (US "
        "NWS Rothfusz regression)."
    ),
    params={
        "temperature_f": {
            "type": "number",
            "minimum": -40,
            "maximum": 140,
            "description": "Air temperature in °F.",
        },
        "relative_humidity": {
            "type": "number",
            "minimum": 0,
            "maximum": 100,
            "description": "Relative humidity in percent.",
        },
    },
    templates=[
        "What's the heat index at {temperature_f}°F and {relative_humidity}% humidity?",
        "How hot does {temperature_f}F feel with humidity {relative_humidity}%?",
    ],
    examples=[
        ("Heat index at 96°F with 65% humidity?", {"temperature_f": 96, "relative_humidity": 65})
    ],
)
def heat_index(temperature_f: float, relative_humidity: float) -> dict[str, Any]:
    """NWS heat index."""
    t, rh = temperature_f, relative_humidity
    hi = 0.5 * (t + 61.0 + (t - 68.0) * 1.2 + rh * 0.094)
    if (hi + t) / 2 >= 80:
        hi = (-42.379 + 2.04901523 * t + 10.14333127 * rh - 0.22475541 * t * rh - 0.00683783 * t * t
              - 0.05481717 * rh * rh + 0.00122874 * t * t * rh + 0.00085282 * t * rh * rh
              - 0.00000199 * t * t * rh * rh)  # fmt: skip
        if rh < 13 and 80 <= t <= 112:
            hi -= (13 - rh) / 4 * math.sqrt((17 - abs(t - 95)) / 17)
        elif rh > 85 and 80 <= t <= 87:
            hi += (rh - 85) / 10 * ((87 - t) / 5)
    # NWS hazard bands for the heat index.
    bands = [(80, "none"), (90, "caution"), (103, "extreme caution"), (125, "danger")]
    level = next((name for limit, name in bands if hi < limit), "extreme danger")
    return {"heat_index_f": round(hi, 1), "heat_index_c": round((hi - 32) / 1.8, 1), "risk": level}


@api(
    category="Environment",
    description=(
        "Wind chill temperature (US NWS 2001 formula), valid for air at or below 50°F and wind "
        "above 3 mph."
    ),
    params={
        "temperature_f": {
            "type": "number",
            "minimum": -80,
            "maximum": 50,
            "description": "Air temperature in °F.",
        },
        "wind_mph": {
            "type": "number",
            "minimum": 3,
            "maximum": 120,
            "description": "Wind speed in mph.",
        },
    },
    templates=[
        "What's the wind chill at {temperature_f}°F with {wind_mph} mph wind?",
        "How cold does {temperature_f}F feel in a {wind_mph} mph wind?",
    ],
    examples=[("Wind chill at 10°F with 20 mph winds?", {"temperature_f": 10, "wind_mph": 20})],
)
def wind_chill(temperature_f: float, wind_mph: float) -> dict[str, float]:
    """NWS wind chill."""
    v = wind_mph**0.16
    wc = 35.74 + 0.6215 * temperature_f - 35.75 * v + 0.4275 * temperature_f * v
    return {"wind_chill_f": round(wc, 1), "wind_chill_c": round((wc - 32) / 1.8, 1)}


@api(
    category="Environment",
    description=(
        "Dew point from temperature and relative humidity (Magnus formula, Alduchov-Eskridge "
        "constants), in °C."
    ),
    params={
        "temperature_c": {
            "type": "number",
            "minimum": -40,
            "maximum": 60,
            "description": "Air temperature in °C.",
        },
        "relative_humidity": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 100,
            "description": "Relative humidity in percent.",
        },
    },
    templates=[
        "What's the dew point at {temperature_c}°C and {relative_humidity}% RH?",
        "Dew point for {temperature_c} C with humidity {relative_humidity}%?",
    ],
    examples=[
        ("Dew point at 25°C and 60% humidity?", {"temperature_c": 25, "relative_humidity": 60})
    ],
)
def dew_point(temperature_c: float, relative_humidity: float) -> dict[str, Any]:
    """Magnus dew point."""
    a, b = 17.625, 243.04  # Alduchov & Eskridge (1996), accurate to 0.35 °C over -40..50 °C.
    gamma = math.log(relative_humidity / 100) + a * temperature_c / (b + temperature_c)
    dp = b * gamma / (a - gamma)
    # Comfort bands commonly used by the US National Weather Service.
    feel = "dry" if dp < 10 else "comfortable" if dp < 16 else "humid" if dp < 21 else "oppressive"
    return {"dew_point_c": round(dp, 2), "comfort": feel}


# WMO Beaufort scale: upper wind speed limit of each force in m/s (WMO-No. 306 / 8 guide).
BEAUFORT = [(0.2, "Calm"), (1.5, "Light air"), (3.3, "Light breeze"), (5.4, "Gentle breeze"),
            (7.9, "Moderate breeze"), (10.7, "Fresh breeze"), (13.8, "Strong breeze"),
            (17.1, "Near gale"), (20.7, "Gale"), (24.4, "Strong gale"), (28.4, "Storm"),
            (32.6, "Violent storm")]  # fmt: skip
SPEED_TO_MS = {"m/s": 1.0, "km/h": 1 / 3.6, "mph": 0.44704, "knots": 0.514444}


@api(
    category="Environment",
    description="Beaufort force (0-12) and description for a wind speed (WMO scale).",
    params={
        "wind_speed": {
            "type": "number",
            "minimum": 0,
            "maximum": 500,
            "description": "Wind speed.",
        },
        "unit": {"type": "string", "enum": list(SPEED_TO_MS), "description": "Unit of the speed."},
    },
    templates=[
        "What Beaufort force is {wind_speed} {unit}?",
        "Describe a wind of {wind_speed} {unit} on the Beaufort scale.",
    ],
    examples=[("What Beaufort number is a 45 km/h wind?", {"wind_speed": 45, "unit": "km/h"})],
)
def beaufort_wind_force(wind_speed: float, unit: str = "km/h") -> dict[str, Any]:
    """Beaufort force."""
    ms = wind_speed * SPEED_TO_MS[unit]
    for force, (limit, name) in enumerate(BEAUFORT):
        if ms <= limit:
            return {"force": force, "description": name, "speed_ms": round(ms, 2)}
    return {"force": 12, "description": "Hurricane force", "speed_ms": round(ms, 2)}


@api(
    category="Environment",
    description="WHO UV index exposure category and sun protection advice for a UV index value.",
    params={
        "uv_index": {"type": "number", "minimum": 0, "maximum": 20, "description": "UV index."}
    },
    templates=[
        "Is a UV index of {uv_index} dangerous?",
        "What protection do I need at UV {uv_index}?",
    ],
    examples=[("UV index is 8 today, what should I do?", {"uv_index": 8})],
)
def uv_index_advice(uv_index: float) -> dict[str, str]:
    """WHO Global Solar UV Index categories (WHO 2002)."""
    bands = [
        (3, "Low", "No protection needed."),
        (6, "Moderate", "Seek shade at midday; shirt, sunscreen and hat."),
        (8, "High", "Seek shade at midday; shirt, sunscreen and hat."),
        (11, "Very high", "Avoid being outside at midday; shirt, sunscreen and hat are a must."),
    ]
    for limit, category, advice in bands:
        if uv_index < limit:
            return {"category": category, "advice": advice}
    return {
        "category": "Extreme",
        "advice": "Avoid being outside at midday; shirt, sunscreen and hat are a must.",
    }


@api(
    category="Environment",
    description=(
        "Rainwater a roof can collect: area x rainfall x runoff coefficient (1 mm on 1 m² = 1 "
        "litre)."
    ),
    params={
        "roof_area_m2": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 100000,
            "description": "Roof footprint in m².",
        },
        "rainfall_mm": {
            "type": "number",
            "minimum": 0,
            "maximum": 15000,
            "description": "Rainfall in mm.",
        },
        "runoff_coefficient": {
            "type": "number",
            "minimum": 0.1,
            "maximum": 1,
            "description": "Fraction captured (about 0.8-0.9 for metal or tile roofs).",
        },
    },
    templates=[
        "How much rain can I collect from a {roof_area_m2} m² roof with {rainfall_mm} mm of rain?",
        "Rainwater harvest for {roof_area_m2} m2, {rainfall_mm} mm, runoff {runoff_coefficient}?",
    ],
    examples=[
        (
            "How much water from a 120 m² roof in a year with 800 mm rain?",
            {"roof_area_m2": 120, "rainfall_mm": 800},
        )
    ],
)
def rainwater_harvest(
    roof_area_m2: float, rainfall_mm: float, runoff_coefficient: float = 0.85
) -> dict[str, float]:
    """Harvestable rainwater."""
    litres = roof_area_m2 * rainfall_mm * runoff_coefficient
    return {
        "litres": round(litres, 1),
        "cubic_metres": round(litres / 1000, 3),
        "us_gallons": round(litres / 3.785411784, 1),
    }


@api(
    category="Environment",
    description=(
        "Energy from a solar PV system: capacity x peak sun hours x performance ratio, per day and "
        "year, and the CO2 it avoids at a grid intensity."
    ),
    params={
        "capacity_kw": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 100000,
            "description": "Panel capacity in kWp.",
        },
        "peak_sun_hours": {
            "type": "number",
            "minimum": 0.5,
            "maximum": 8,
            "description": "Average daily peak sun hours at the site.",
        },
        "performance_ratio": {
            "type": "number",
            "minimum": 0.5,
            "maximum": 1,
            "description": "System efficiency after losses (typically 0.75-0.85).",
        },
        "grid_g_co2_per_kwh": {
            "type": "number",
            "minimum": 0,
            "maximum": 1500,
            "description": "Grid intensity displaced, g CO2/kWh.",
        },
    },
    templates=[
        "How much power will a {capacity_kw} kW solar system make with {peak_sun_hours} sun hours?",
        "Yearly output and CO2 saved by {capacity_kw} kWp of panels at {peak_sun_hours} peak "
        "hours and PR {performance_ratio}?",
    ],
    examples=[
        (
            "What does a 6 kW array produce with 4.5 peak sun hours?",
            {"capacity_kw": 6, "peak_sun_hours": 4.5},
        )
    ],
)
def solar_pv_output(
    capacity_kw: float,
    peak_sun_hours: float,
    performance_ratio: float = 0.8,
    grid_g_co2_per_kwh: float = US_GRID_G_PER_KWH,
) -> dict[str, float]:
    """PV yield estimate."""
    daily = capacity_kw * peak_sun_hours * performance_ratio
    return {
        "kwh_per_day": round(daily, 3),
        "kwh_per_year": round(daily * 365, 1),
        "co2_avoided_kg_per_year": round(daily * 365 * grid_g_co2_per_kwh / 1000, 1),
    }


@api(
    category="Environment",
    description=(
        "Heating and cooling degree days from daily mean temperatures against a base "
        "temperature (18 °C / 65 °F are the usual bases), the standard measure of heating and "
        "air-conditioning energy demand."
    ),
    params={
        "daily_mean_temps": {
            "type": "array",
            "items": {"type": "number", "minimum": -90, "maximum": 140},
            "minItems": 1,
            "maxItems": 366,
            "description": "Daily mean temperatures, one per day, in the base's unit.",
        },
        "base_temperature": {
            "type": "number",
            "minimum": -20,
            "maximum": 80,
            "description": "Base temperature (18 for °C, 65 for °F).",
        },
    },
    templates=[
        "How many heating and cooling degree days for these daily temperatures: "
        "{daily_mean_temps}?",
        "Degree days with base {base_temperature} for daily means {daily_mean_temps}?",
    ],
    examples=[
        (
            "Heating degree days for a week with daily means 5, 8, 12, 15, 18, 21, 10 °C "
            "(base 18)?",
            {"daily_mean_temps": [5, 8, 12, 15, 18, 21, 10], "base_temperature": 18},
        )
    ],
)
def heating_cooling_degree_days(
    daily_mean_temps: list[float], base_temperature: float = 18.0
) -> dict[str, float | int]:
    """HDD and CDD by the mean-temperature method."""
    hdd = sum(max(0.0, base_temperature - t) for t in daily_mean_temps)
    cdd = sum(max(0.0, t - base_temperature) for t in daily_mean_temps)
    return {
        "heating_degree_days": round(hdd, 2),
        "cooling_degree_days": round(cdd, 2),
        "days": len(daily_mean_temps),
    }


@api(
    category="Environment",
    description=(
        "Maximum safe daily exposure time to a noise level (NIOSH REL: 85 dBA for 8 h, 3 dB "
        "exchange rate)."
    ),
    params={
        "level_dba": {
            "type": "number",
            "minimum": 70,
            "maximum": 140,
            "description": "A-weighted sound level in dBA.",
        }
    },
    templates=[
        "How long can I be exposed to {level_dba} dB safely?",
        "Safe listening time at {level_dba} dBA per NIOSH?",
    ],
    examples=[("How long can I stay at a 100 dB concert?", {"level_dba": 100})],
)
def noise_exposure_limit(level_dba: float) -> dict[str, float]:
    """NIOSH permissible time."""
    hours = 8 / 2 ** ((level_dba - 85) / 3)
    return {"max_hours": round(hours, 4), "max_minutes": round(hours * 60, 2)}
