"""Lifestyle APIs: cooking, bills and shared costs, sleep, home projects, clock changes."""

from apigen_stream.library.builtin.lifestyle.home_and_calendar import (
    clock_change_dates,
    coffee_dose,
    ring_size_from_circumference,
    split_shared_expenses,
    tiles_needed,
    wall_paint_needed,
    zodiac_sign,
)
from apigen_stream.library.builtin.lifestyle.kitchen import (
    bill_split_with_tip,
    cooking_measure_convert,
    oven_temperature_convert,
    recipe_scale,
    sleep_cycle_wake_times,
)

__all__ = [
    "bill_split_with_tip",
    "clock_change_dates",
    "coffee_dose",
    "cooking_measure_convert",
    "oven_temperature_convert",
    "recipe_scale",
    "ring_size_from_circumference",
    "sleep_cycle_wake_times",
    "split_shared_expenses",
    "tiles_needed",
    "wall_paint_needed",
    "zodiac_sign",
]
