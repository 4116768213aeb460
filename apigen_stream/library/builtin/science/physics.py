"""Science APIs for physics and astronomy: decay, gases, light, gravity, orbits, E = mc2."""

from __future__ import annotations

import math
from typing import Any

from apigen_stream.library.builtin.science.chemistry import (
    AU_M,
    ELECTRON_VOLT_J,
    GAS_CONSTANT,
    LIGHT_M_S,
    LIGHT_YEAR_M,
    PARSEC_M,
    PLANCK_J_S,
)
from apigen_stream.library.registry import api


@api(
    category="Science",
    description=(
        "Radioactive decay: amount remaining after a time given the half-life (same time unit), "
        "fraction left and decay constant."
    ),
    params={
        "initial_amount": {
            "type": "number",
            "exclusiveMinimum": 0,
            "description": "Initial quantity (any unit).",
        },
        "half_life": {"type": "number", "exclusiveMinimum": 0, "description": "Half-life."},
        "elapsed": {
            "type": "number",
            "minimum": 0,
            "description": "Elapsed time, in the half-life's unit.",
        },
    },
    templates=[
        "How much of {initial_amount} g remains after {elapsed} years with a half-life of "
        "{half_life} years?",
        "Decay of {initial_amount} units over {elapsed} with half-life {half_life}?",
    ],
    examples=[
        (
            "Carbon-14 has a half-life of 5730 years; how much of 100 g is left after 10000 years?",
            {"initial_amount": 100, "half_life": 5730, "elapsed": 10000},
        )
    ],
)
def radioactive_decay(initial_amount: float, half_life: float, elapsed: float) -> dict[str, float]:
    """Exponential decay."""
    fraction = 0.5 ** (elapsed / half_life)
    return {
        "remaining": round(initial_amount * fraction, 6),
        "fraction_remaining": round(fraction, 8),
        "decay_constant": math.log(2) / half_life,
    }


@api(
    category="Science",
    description="Pressure of an ideal gas, P = nRT/V, in kPa and atm.",
    params={
        "moles": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 1e6,
            "description": "Amount of gas in mol.",
        },
        "temperature_k": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 100000,
            "description": "Temperature in kelvin.",
        },
        "volume_l": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 1e9,
            "description": "Volume in litres.",
        },
    },
    templates=[
        "What's the pressure of {moles} mol of gas at {temperature_k} K in {volume_l} L?",
        "Ideal gas pressure for n={moles}, T={temperature_k} K, V={volume_l} L?",
    ],
    examples=[
        (
            "Pressure of 1 mol at 273.15 K in 22.414 L?",
            {"moles": 1, "temperature_k": 273.15, "volume_l": 22.414},
        )
    ],
)
def ideal_gas_pressure(moles: float, temperature_k: float, volume_l: float) -> dict[str, float]:
    """PV = nRT."""
    pa = moles * GAS_CONSTANT * temperature_k / (volume_l / 1000)
    return {"pressure_kpa": round(pa / 1000, 4), "pressure_atm": round(pa / 101325, 6)}


@api(
    category="Science",
    description=(
        "Frequency, photon energy (J and eV) and spectral band of light of a given wavelength."
    ),
    params={
        "wavelength_nm": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 1e9,
            "description": "Wavelength in nanometres.",
        }
    },
    templates=[
        "What is the photon energy of {wavelength_nm} nm light?",
        "Frequency and band for a wavelength of {wavelength_nm} nm?",
    ],
    examples=[("What's the energy of a 532 nm green laser photon?", {"wavelength_nm": 532})],
)
def photon_energy(wavelength_nm: float) -> dict[str, Any]:
    """E = hc/lambda."""
    metres = wavelength_nm * 1e-9
    joules = PLANCK_J_S * LIGHT_M_S / metres
    # ISO 21348 spectral category boundaries, in nm.
    bands = [
        (0.01, "gamma"),
        (10, "X-ray"),
        (380, "ultraviolet"),
        (760, "visible"),
        (1e6, "infrared"),
        (1e9, "microwave"),
    ]
    band = next((name for limit, name in bands if wavelength_nm < limit), "radio")
    return {
        "frequency_hz": float(f"{LIGHT_M_S / metres:.6e}"),
        "energy_j": float(f"{joules:.6e}"),
        "energy_ev": round(joules / ELECTRON_VOLT_J, 6),
        "band": band,
    }


# Surface gravity in m/s² (NASA Planetary Fact Sheet).
GRAVITY = {
    "mercury": 3.7,
    "venus": 8.9,
    "earth": 9.8,
    "moon": 1.6,
    "mars": 3.7,
    "jupiter": 23.1,
    "saturn": 9.0,
    "uranus": 8.7,
    "neptune": 11.0,
    "pluto": 0.7,
}


@api(
    category="Science",
    description=(
        "What a mass would weigh on another planet or the Moon (NASA fact-sheet surface "
        "gravity), as force and Earth-equivalent kg."
    ),
    params={
        "mass_kg": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 1e6,
            "description": "Mass in kg (your bathroom-scale weight on Earth).",
        },
        "body": {"type": "string", "enum": list(GRAVITY), "description": "Planet or Moon."},
    },
    templates=[
        "How much would I weigh on {body} if I'm {mass_kg} kg?",
        "Weight of a {mass_kg} kg object on {body}?",
    ],
    examples=[("I weigh 70 kg; what would I weigh on Mars?", {"mass_kg": 70, "body": "mars"})],
)
def weight_on_planet(mass_kg: float, body: str) -> dict[str, float]:
    """Weight under another gravity."""
    g = GRAVITY[body]
    return {
        "weight_newtons": round(mass_kg * g, 2),
        "earth_equivalent_kg": round(mass_kg * g / GRAVITY["earth"], 2),
        "gravity_m_s2": g,
    }


@api(
    category="Science",
    description=(
        "Projectile motion without air resistance: range, maximum height and flight time for a "
        "launch speed, angle and height."
    ),
    params={
        "speed_m_s": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 10000,
            "description": "Launch speed in m/s.",
        },
        "angle_deg": {
            "type": "number",
            "minimum": 0,
            "maximum": 90,
            "description": "Launch angle above horizontal, degrees.",
        },
        "height_m": {
            "type": "number",
            "minimum": 0,
            "maximum": 10000,
            "description": "Launch height above the ground, m.",
        },
        "gravity_m_s2": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 30,
            "description": "Gravitational acceleration (9.80665 standard).",
        },
    },
    templates=[
        "How far does a projectile go at {speed_m_s} m/s and {angle_deg} degrees?",
        "Range and max height for speed {speed_m_s} m/s, angle {angle_deg}°, from {height_m} m?",
    ],
    examples=[
        (
            "A ball is kicked at 20 m/s at 45 degrees. How far does it go?",
            {"speed_m_s": 20, "angle_deg": 45},
        )
    ],
)
def projectile_motion(
    speed_m_s: float, angle_deg: float, height_m: float = 0.0, gravity_m_s2: float = 9.80665
) -> dict[str, float]:
    """Ideal projectile."""
    theta = math.radians(angle_deg)
    vx, vy = speed_m_s * math.cos(theta), speed_m_s * math.sin(theta)
    t = (vy + math.sqrt(vy**2 + 2 * gravity_m_s2 * height_m)) / gravity_m_s2
    return {
        "range_m": round(vx * t, 3),
        "max_height_m": round(height_m + vy**2 / (2 * gravity_m_s2), 3),
        "flight_time_s": round(t, 3),
    }


@api(
    category="Science",
    description=(
        "Dilution by C1V1 = C2V2: stock volume needed to make a target volume at a lower "
        "concentration, and the diluent to add."
    ),
    params={
        "stock_concentration": {
            "type": "number",
            "exclusiveMinimum": 0,
            "description": "Stock concentration (any unit).",
        },
        "target_concentration": {
            "type": "number",
            "exclusiveMinimum": 0,
            "description": "Wanted concentration (same unit).",
        },
        "target_volume": {
            "type": "number",
            "exclusiveMinimum": 0,
            "description": "Final volume wanted (any unit).",
        },
    },
    templates=[
        "How much {stock_concentration} M stock do I need for {target_volume} mL of "
        "{target_concentration} M?",
        "Dilute {stock_concentration} to {target_concentration} for a final volume of "
        "{target_volume}.",
    ],
    examples=[
        (
            "How much 10 M stock for 500 mL of 0.5 M solution?",
            {"stock_concentration": 10, "target_concentration": 0.5, "target_volume": 500},
        )
    ],
)
def dilution_volumes(
    stock_concentration: float, target_concentration: float, target_volume: float
) -> dict[str, Any]:
    """C1V1 = C2V2."""
    if target_concentration > stock_concentration:
        # A real answer, not a bad call: adding solvent can only lower the concentration.
        return {"possible": False, "stock_volume": None, "diluent_volume": None}
    stock = target_concentration * target_volume / stock_concentration
    return {
        "possible": True,
        "stock_volume": round(stock, 6),
        "diluent_volume": round(target_volume - stock, 6),
        "dilution_factor": round(stock_concentration / target_concentration, 6),
    }


@api(
    category="Science",
    description=(
        "pH, pOH and hydroxide concentration from a hydrogen-ion concentration in mol/L (water "
        "at 25 °C, pKw = 14)."
    ),
    params={
        "h_concentration_mol_l": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 10,
            "description": "[H+] in mol/L.",
        }
    },
    templates=[
        "What is the pH of a solution with [H+] = {h_concentration_mol_l} M?",
        "pH and pOH for hydrogen ion concentration {h_concentration_mol_l} mol/L?",
    ],
    examples=[("pH of a solution with 0.001 M H+?", {"h_concentration_mol_l": 0.001})],
)
def ph_from_concentration(h_concentration_mol_l: float) -> dict[str, Any]:
    """pH at 25 °C."""
    ph = -math.log10(h_concentration_mol_l)
    nature = "acidic" if ph < 7 else "basic" if ph > 7 else "neutral"
    return {
        "ph": round(ph, 4),
        "poh": round(14 - ph, 4),
        "oh_concentration_mol_l": float(f"{10 ** (ph - 14):.6e}"),
        "nature": nature,
    }


DISTANCE_M = {"km": 1000.0, "au": AU_M, "light_year": LIGHT_YEAR_M, "parsec": PARSEC_M}


@api(
    category="Science",
    description=(
        "Time light takes to travel a distance (km, astronomical units, light-years or parsecs), "
        "in seconds, minutes and years."
    ),
    params={
        "distance": {"type": "number", "exclusiveMinimum": 0, "description": "Distance."},
        "unit": {
            "type": "string",
            "enum": list(DISTANCE_M),
            "description": "Unit of the distance.",
        },
    },
    templates=[
        "How long does light take to travel {distance} {unit}?",
        "Light travel time over {distance} {unit}?",
    ],
    examples=[
        ("How long does sunlight take to reach Earth (1 au)?", {"distance": 1, "unit": "au"})
    ],
)
def light_travel_time(distance: float, unit: str = "km") -> dict[str, float]:
    """Distance / c."""
    seconds = distance * DISTANCE_M[unit] / LIGHT_M_S
    return {
        "seconds": float(f"{seconds:.6e}"),
        "minutes": round(seconds / 60, 4),
        "years": float(f"{seconds / (365.25 * 86400):.6e}"),
    }


@api(
    category="Science",
    description=(
        "Orbital period by Kepler's third law (T² = a³/M with a in au, M in solar masses, T in "
        "years)."
    ),
    params={
        "semi_major_axis_au": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 100000,
            "description": "Semi-major axis in astronomical units.",
        },
        "central_mass_solar": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 1e10,
            "description": "Mass of the central body in solar masses.",
        },
    },
    templates=[
        "What's the orbital period of a planet {semi_major_axis_au} au from a star of "
        "{central_mass_solar} solar masses?",
        "How long is a year at {semi_major_axis_au} au?",
    ],
    examples=[
        (
            "How long is Mars's year at 1.524 au?",
            {"semi_major_axis_au": 1.524, "central_mass_solar": 1},
        )
    ],
)
def kepler_orbital_period(
    semi_major_axis_au: float, central_mass_solar: float = 1.0
) -> dict[str, float]:
    """Kepler's third law."""
    years = math.sqrt(semi_major_axis_au**3 / central_mass_solar)
    return {"period_years": round(years, 6), "period_days": round(years * 365.25, 3)}


@api(
    category="Science",
    description=(
        "Energy equivalent of a mass by E = mc², in joules, kWh and tonnes of TNT (4.184 GJ per "
        "tonne)."
    ),
    params={
        "mass_kg": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 1e30,
            "description": "Mass in kilograms.",
        }
    },
    templates=[
        "How much energy is in {mass_kg} kg of mass?",
        "E=mc² for {mass_kg} kg in kWh and TNT?",
    ],
    examples=[("How much energy is 1 gram of mass?", {"mass_kg": 0.001})],
)
def mass_energy_equivalence(mass_kg: float) -> dict[str, float]:
    """E = mc²."""
    joules = mass_kg * LIGHT_M_S**2
    return {
        "energy_j": float(f"{joules:.6e}"),
        "energy_kwh": float(f"{joules / 3.6e6:.6e}"),
        "tnt_tonnes": float(f"{joules / 4.184e9:.6e}"),
    }
