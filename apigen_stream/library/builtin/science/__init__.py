"""Science APIs: chemistry with the periodic table, physics formulas and astronomy."""

from apigen_stream.library.builtin.science.chemistry import (
    element_properties,
    grams_to_moles,
    molar_mass,
)
from apigen_stream.library.builtin.science.physics import (
    dilution_volumes,
    ideal_gas_pressure,
    kepler_orbital_period,
    light_travel_time,
    mass_energy_equivalence,
    ph_from_concentration,
    photon_energy,
    projectile_motion,
    radioactive_decay,
    weight_on_planet,
)

__all__ = [
    "dilution_volumes",
    "element_properties",
    "grams_to_moles",
    "ideal_gas_pressure",
    "kepler_orbital_period",
    "light_travel_time",
    "mass_energy_equivalence",
    "molar_mass",
    "ph_from_concentration",
    "photon_energy",
    "projectile_motion",
    "radioactive_decay",
    "weight_on_planet",
]
