"""Environment APIs for air: quality index and CO2 from driving and electricity."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal
from typing import Any

from apigen_stream.library.registry import api

AQI_LEVELS = [
    (0, 50, "Good"), (51, 100, "Moderate"), (101, 150, "Unhealthy for Sensitive Groups"),
    (151, 200, "Unhealthy"), (201, 300, "Very Unhealthy"), (301, 500, "Hazardous"),
]  # fmt: skip
# US EPA AQI concentration breakpoints (40 CFR Part 58 Appendix G; PM2.5 as revised in
# February 2024), with the number of decimals the concentration is truncated to.
AQI_BREAKPOINTS: dict[str, tuple[int, list[float]]] = {
    "pm25_ugm3_24h": (1, [0.0, 9.0, 35.4, 55.4, 125.4, 225.4, 325.4]),
    "pm10_ugm3_24h": (0, [0, 54, 154, 254, 354, 424, 604]),
    "o3_ppm_8h": (3, [0.0, 0.054, 0.070, 0.085, 0.105, 0.200]),
    "co_ppm_8h": (1, [0.0, 4.4, 9.4, 12.4, 15.4, 30.4, 50.4]),
    "no2_ppb_1h": (0, [0, 53, 100, 360, 649, 1249, 2049]),
    "so2_ppb_1h": (0, [0, 35, 75, 185, 304, 604, 1004]),
}


@api(
    category="Environment",
    description=(
        "US EPA Air Quality Index for one pollutant concentration (PM2.5 per the 2024 "
        "breakpoints), with its category such as Good or Unhealthy."
    ),
    params={
        "pollutant": {
            "type": "string",
            "enum": list(AQI_BREAKPOINTS),
            "description": "Pollutant and averaging period, with the concentration unit.",
        },
        "concentration": {
            "type": "number",
            "minimum": 0,
            "maximum": 2000,
            "description": "Measured concentration in the pollutant's unit.",
        },
    },
    templates=[
        "What's the AQI for {pollutant} at {concentration}?",
        "Is a {pollutant} reading of {concentration} healthy?",
    ],
    examples=[
        (
            "PM2.5 is 40 µg/m³ over 24 h; what's the AQI?",
            {"pollutant": "pm25_ugm3_24h", "concentration": 40},
        )
    ],
)
def us_air_quality_index(pollutant: str, concentration: float) -> dict[str, Any]:
    """EPA AQI by linear interpolation between breakpoints."""
    decimals, cuts = AQI_BREAKPOINTS[pollutant]
    # EPA truncates (not rounds); Decimal avoids binary float artefacts such as 4.35 -> 4.34.
    exact = Decimal(str(concentration)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_DOWN)
    c = float(exact)
    step = 10**-decimals
    for i in range(1, len(cuts)):
        if c <= cuts[i]:
            low_c = cuts[i - 1] + (step if i > 1 else 0)
            low_i, high_i, category = AQI_LEVELS[i - 1]
            aqi = round((high_i - low_i) / (cuts[i] - low_c) * (c - low_c) + low_i)
            return {"aqi": aqi, "category": category, "truncated_concentration": c}
    # Above the top breakpoint the index is undefined; AirNow reports it as "Beyond the AQI".
    return {"aqi": None, "category": "Beyond the AQI", "truncated_concentration": c}


# CO2 per litre of fuel burned, from US EPA: 8,887 g/gallon gasoline and 10,180 g/gallon
# diesel (EPA-420-F-18-008), divided by 3.78541 L/gallon.
FUEL_KG_CO2_PER_L = {"gasoline": 2.348, "diesel": 2.689}


@api(
    category="Environment",
    description=(
        "CO2 emitted by a car trip from its distance and fuel consumption (US EPA emission "
        "factors), in kg."
    ),
    params={
        "distance_km": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 100000,
            "description": "Distance driven in km.",
        },
        "consumption_l_per_100km": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 50,
            "description": "Fuel use in litres per 100 km.",
        },
        "fuel": {"type": "string", "enum": list(FUEL_KG_CO2_PER_L), "description": "Fuel type."},
        "passengers": {
            "type": "integer",
            "minimum": 1,
            "maximum": 9,
            "description": "People sharing the car.",
        },
    },
    templates=[
        "How much CO2 does a {distance_km} km drive emit at {consumption_l_per_100km} "
        "l/100km on {fuel}?",
        "Carbon footprint per person of driving {distance_km} km in a {fuel} car carrying "
        "{passengers}?",
    ],
    examples=[
        (
            "CO2 for a 450 km trip in a petrol car using 6.5 l/100km?",
            {"distance_km": 450, "consumption_l_per_100km": 6.5, "fuel": "gasoline"},
        )
    ],
)
def car_trip_co2(
    distance_km: float, consumption_l_per_100km: float, fuel: str = "gasoline", passengers: int = 1
) -> dict[str, float]:
    """Tailpipe CO2 of a trip."""
    litres = distance_km * consumption_l_per_100km / 100
    kg = litres * FUEL_KG_CO2_PER_L[fuel]
    return {
        "fuel_litres": round(litres, 3),
        "co2_kg": round(kg, 3),
        "co2_kg_per_passenger": round(kg / passengers, 3),
    }


# US average grid CO2 intensity: 823.1 lb CO2/MWh = 373.3 g/kWh (EPA eGRID2022, national).
US_GRID_G_PER_KWH = 373.3


@api(
    category="Environment",
    description=(
        "CO2 from electricity use: kWh x grid carbon intensity (default: US average, EPA "
        "eGRID2022), in kg."
    ),
    params={
        "kwh": {
            "type": "number",
            "minimum": 0,
            "maximum": 100000000,
            "description": "Electricity used in kWh.",
        },
        "grid_g_co2_per_kwh": {
            "type": "number",
            "minimum": 0,
            "maximum": 1500,
            "description": "Grid intensity in g CO2 per kWh.",
        },
    },
    templates=[
        "How much CO2 comes from using {kwh} kWh?",
        "Emissions of {kwh} kWh on a grid at {grid_g_co2_per_kwh} g/kWh?",
    ],
    examples=[("My house used 10500 kWh last year; how much CO2 is that?", {"kwh": 10500})],
)
def electricity_co2(kwh: float, grid_g_co2_per_kwh: float = US_GRID_G_PER_KWH) -> dict[str, float]:
    """Indirect CO2 of electricity."""
    kg = kwh * grid_g_co2_per_kwh / 1000
    return {"co2_kg": round(kg, 3), "co2_tonnes": round(kg / 1000, 6)}
