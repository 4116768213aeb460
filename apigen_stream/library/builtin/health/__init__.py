"""Health APIs: body measures, energy needs, blood pressure, kidney function, pregnancy dating."""

from apigen_stream.library.builtin.health.body import (
    blood_alcohol_estimate,
    blood_pressure_category,
    body_mass_index,
    daily_calorie_needs,
    ideal_body_weight,
    pregnancy_due_date,
)
from apigen_stream.library.builtin.health.clinical import (
    body_fat_navy_method,
    body_surface_area,
    creatinine_clearance,
    egfr_ckd_epi_2021,
    qtc_interval,
    smoking_pack_years,
    waist_to_height_ratio,
)

__all__ = [
    "blood_alcohol_estimate",
    "blood_pressure_category",
    "body_fat_navy_method",
    "body_mass_index",
    "body_surface_area",
    "creatinine_clearance",
    "daily_calorie_needs",
    "egfr_ckd_epi_2021",
    "ideal_body_weight",
    "pregnancy_due_date",
    "qtc_interval",
    "smoking_pack_years",
    "waist_to_height_ratio",
]
