"""Science APIs for chemistry with the periodic table (periodictable)."""

from __future__ import annotations

import math
from typing import Any

import periodictable

from apigen_stream.library.registry import api

# CODATA 2018 exact SI constants.
PLANCK_J_S = 6.62607015e-34
LIGHT_M_S = 299_792_458.0
ELECTRON_VOLT_J = 1.602176634e-19
GAS_CONSTANT = 8.314462618  # J/(mol*K)
AVOGADRO = 6.02214076e23
# IAU 2012 astronomical unit; light-year from the Julian year; parsec = 648000/pi au.
AU_M = 149_597_870_700.0
LIGHT_YEAR_M = LIGHT_M_S * 365.25 * 86400
PARSEC_M = AU_M * 648000 / math.pi

_FORMULA = {
    "type": "string",
    "pattern": r"^[A-Za-z0-9()\[\]·.]+$",
    "description": "Chemical formula, e.g. H2O, C6H12O6 or Ca(OH)2.",
    "examples": ["H2O", "C6H12O6", "NaCl", "Ca(OH)2"],
}


def _parse_formula(formula: str) -> Any:
    try:
        parsed = periodictable.formula(formula)
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"cannot parse formula {formula!r}: {exc}") from None
    if not parsed.atoms:
        raise ValueError(f"formula {formula!r} has no atoms")
    return parsed


@api(
    category="Science",
    description=(
        "Molar mass (g/mol) of a chemical formula from IUPAC standard atomic weights "
        "(periodictable), with its elemental composition by mass."
    ),
    params={"formula": _FORMULA},
    templates=["What is the molar mass of {formula}?", "Give the mass composition of {formula}."],
    examples=[("What is the molar mass of water?", {"formula": "H2O"})],
)
def molar_mass(formula: str) -> dict[str, Any]:
    """Molar mass and mass fractions."""
    parsed = _parse_formula(formula)
    composition = {
        str(el): {"atoms": n, "mass_pct": round(100 * n * el.mass / parsed.mass, 3)}
        for el, n in parsed.atoms.items()
    }
    return {
        "formula": str(parsed),
        "molar_mass_g_mol": round(parsed.mass, 4),
        "composition": composition,
    }


@api(
    category="Science",
    description=(
        "Converts a mass of a substance to moles and number of molecules (Avogadro constant), "
        "via its molar mass."
    ),
    params={
        "mass_g": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 1e9,
            "description": "Mass in grams.",
        },
        "formula": _FORMULA,
    },
    templates=[
        "How many moles are in {mass_g} g of {formula}?",
        "Convert {mass_g} grams of {formula} to moles and molecules.",
    ],
    examples=[("How many moles are in 100 g of glucose?", {"mass_g": 100, "formula": "C6H12O6"})],
)
def grams_to_moles(mass_g: float, formula: str) -> dict[str, float]:
    """Mass to amount of substance."""
    mm = _parse_formula(formula).mass
    moles = mass_g / mm
    return {
        "moles": round(moles, 6),
        "molecules": float(f"{moles * AVOGADRO:.6e}"),
        "molar_mass_g_mol": round(mm, 4),
    }


@api(
    category="Science",
    description=(
        "Properties of a chemical element by symbol, name or atomic number (periodictable): "
        "number, symbol, name, atomic mass, density."
    ),
    params={
        "element": {
            "type": "string",
            "minLength": 1,
            "maxLength": 20,
            "description": "Element symbol, English name or atomic number.",
            "examples": ["Fe", "oxygen", "79", "Na"],
        }
    },
    templates=["Tell me about the element {element}.", "What is the atomic mass of {element}?"],
    examples=[("What's the atomic number and mass of iron?", {"element": "Fe"})],
)
def element_properties(element: str) -> dict[str, Any]:
    """Element data."""
    q = element.strip()
    try:
        el = (
            periodictable.elements[int(q)]
            if q.isdigit()
            else (
                periodictable.elements.symbol(q)
                if len(q) <= 2
                else periodictable.elements.name(q.lower())
            )
        )
    except (ValueError, KeyError, IndexError):
        raise ValueError(f"no element matches {element!r}") from None
    if el.number == 0:
        raise ValueError("the neutron is not an element")
    return {
        "number": el.number,
        "symbol": el.symbol,
        "name": el.name,
        "atomic_mass": el.mass,
        "density_g_cm3": el.density,
    }
