"""Lifestyle APIs for the kitchen, the table and sleep."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from apigen_stream.library.registry import api

# Exact kitchen measures: US customary by definition (NIST Handbook 44), UK imperial pint
# 568.26125 mL, metric cup 250 mL; avoirdupois ounce and pound.
VOLUME_ML = {
    "ml": 1.0, "l": 1000.0, "tsp": 4.92892159375, "tbsp": 14.78676478125, "fl_oz": 29.5735295625,
    "cup": 236.5882365, "metric_cup": 250.0, "pint_us": 473.176473, "pint_uk": 568.26125,
    "quart_us": 946.352946, "gallon_us": 3785.411784,
}  # fmt: skip
MASS_G = {"g": 1.0, "kg": 1000.0, "oz": 28.349523125, "lb": 453.59237}
UNITS = list(VOLUME_ML) + list(MASS_G)


def _date(text: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{what} must be an ISO date YYYY-MM-DD, got {text!r}") from None


# Grams per US cup (USDA FoodData Central, SR Legacy household measures), to cross between
# volume and mass for a given ingredient.
GRAMS_PER_CUP = {
    "water": 237.0, "whole_milk": 244.0, "all_purpose_flour": 125.0, "granulated_sugar": 200.0,
    "brown_sugar_packed": 220.0, "powdered_sugar": 120.0, "butter": 227.0, "honey": 339.0,
    "cocoa_powder": 86.0, "rolled_oats": 81.0, "white_rice_raw": 185.0,
}  # fmt: skip


def _to_base(quantity: float, unit: str, grams_per_ml: float) -> float:
    """The quantity in grams."""
    if unit in MASS_G:
        return quantity * MASS_G[unit]
    return quantity * VOLUME_ML[unit] * grams_per_ml


@api(
    category="Lifestyle",
    description=(
        "Converts a kitchen measure between any of volume (tsp, tbsp, cup, ml...) and mass (g, "
        "oz, lb...) units; volume-to-mass uses the ingredient's USDA weight per cup."
    ),
    params={
        "quantity": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 100000,
            "description": "Amount to convert.",
        },
        "from_unit": {"type": "string", "enum": UNITS, "description": "Unit of the amount."},
        "to_unit": {"type": "string", "enum": UNITS, "description": "Unit wanted."},
        "ingredient": {
            "type": "string",
            "enum": list(GRAMS_PER_CUP),
            "description": "Ingredient, used only between volume and mass.",
        },
    },
    templates=[
        "How many {to_unit} are in {quantity} {from_unit}?",
        "Convert {quantity} {from_unit} of {ingredient} to {to_unit} for my recipe.",
    ],
    examples=[
        (
            "How many tablespoons are in a quarter cup?",
            {"quantity": 0.25, "from_unit": "cup", "to_unit": "tbsp"},
        ),
        (
            "How many grams is 2 cups of flour?",
            {"quantity": 2, "from_unit": "cup", "to_unit": "g", "ingredient": "all_purpose_flour"},
        ),
    ],
)
def cooking_measure_convert(
    quantity: float, from_unit: str, to_unit: str, ingredient: str = "water"
) -> dict[str, Any]:
    """Kitchen unit conversion."""
    grams_per_ml = GRAMS_PER_CUP[ingredient] / VOLUME_ML["cup"]
    grams = _to_base(quantity, from_unit, grams_per_ml)
    result = grams / (MASS_G[to_unit] if to_unit in MASS_G else VOLUME_ML[to_unit] * grams_per_ml)
    crosses = (from_unit in MASS_G) != (to_unit in MASS_G)
    return {"quantity": round(result, 4), "unit": to_unit, "used_ingredient_density": crosses}


@api(
    category="Lifestyle",
    description=(
        "Scales a recipe's ingredient quantities from its original number of servings to a new one."
    ),
    params={
        "ingredients": {
            "type": "array",
            "minItems": 1,
            "maxItems": 50,
            "description": "Ingredients with name, quantity and unit.",
            "items": {
                "type": "object",
                "properties": {
                    "name": {
                        "type": "string",
                        "description": "Ingredient.",
                        "examples": ["flour", "sugar", "eggs"],
                    },
                    "quantity": {"type": "number", "exclusiveMinimum": 0, "description": "Amount."},
                    "unit": {
                        "type": "string",
                        "description": "Unit, e.g. g, cup, or piece.",
                        "examples": ["g", "cup", "piece"],
                    },
                },
                "required": ["name", "quantity", "unit"],
            },
        },
        "original_servings": {
            "type": "integer",
            "minimum": 1,
            "maximum": 200,
            "description": "Servings the recipe makes.",
        },
        "target_servings": {
            "type": "integer",
            "minimum": 1,
            "maximum": 200,
            "description": "Servings wanted.",
        },
    },
    templates=[
        "Scale this recipe from {original_servings} to {target_servings} servings: {ingredients}",
        "I need {target_servings} servings instead of {original_servings}; adjust {ingredients}.",
    ],
    examples=[
        (
            "Scale 200 g flour, 100 g sugar and 2 eggs from 4 to 6 servings.",
            {
                "ingredients": [
                    {"name": "flour", "quantity": 200, "unit": "g"},
                    {"name": "sugar", "quantity": 100, "unit": "g"},
                    {"name": "eggs", "quantity": 2, "unit": "piece"},
                ],
                "original_servings": 4,
                "target_servings": 6,
            },
        )
    ],
)
def recipe_scale(
    ingredients: list[dict[str, Any]], original_servings: int, target_servings: int
) -> dict[str, Any]:
    """Proportional recipe scaling."""
    factor = target_servings / original_servings
    scaled = [
        {"name": i["name"], "quantity": round(float(i["quantity"]) * factor, 3), "unit": i["unit"]}
        for i in ingredients
    ]
    return {"factor": round(factor, 4), "ingredients": scaled}


@api(
    category="Lifestyle",
    description=(
        "Converts an oven temperature between Celsius, Fahrenheit and UK gas mark (gas mark n = "
        "250 + 25n °F for n >= 1)."
    ),
    params={
        "value": {
            "type": "number",
            "minimum": 0.25,
            "maximum": 600,
            "description": "Temperature or gas mark.",
        },
        "scale": {
            "type": "string",
            "enum": ["celsius", "fahrenheit", "gas_mark"],
            "description": "Scale of the value.",
        },
    },
    templates=[
        "What is {value} {scale} in the other oven scales?",
        "My recipe says {value} ({scale}); what should I set my oven to?",
    ],
    examples=[("What's gas mark 4 in Celsius and Fahrenheit?", {"value": 4, "scale": "gas_mark"})],
)
def oven_temperature_convert(value: float, scale: str) -> dict[str, Any]:
    """Oven scale conversion."""
    if scale == "gas_mark":
        fahrenheit = 250 + 25 * value if value >= 1 else 200 + 50 * value
    else:
        fahrenheit = value if scale == "fahrenheit" else value * 9 / 5 + 32
    gas = (fahrenheit - 250) / 25 if fahrenheit >= 275 else (fahrenheit - 200) / 50
    return {
        "celsius": round((fahrenheit - 32) * 5 / 9, 1),
        "fahrenheit": round(fahrenheit, 1),
        "gas_mark": round(gas * 4) / 4 if 212.5 <= fahrenheit <= 487.5 else None,
    }


@api(
    category="Lifestyle",
    description=(
        "Wake-up times that end a whole number of ~90-minute sleep cycles after going to bed, "
        "allowing time to fall asleep."
    ),
    params={
        "bedtime": {
            "type": "string",
            "pattern": r"^([01]\d|2[0-3]):[0-5]\d$",
            "description": "Time you go to bed, HH:MM (24 h).",
            "examples": ["22:30", "23:00", "00:15"],
        },
        "minutes_to_fall_asleep": {
            "type": "integer",
            "minimum": 0,
            "maximum": 90,
            "description": "Minutes to fall asleep (about 15 on average).",
        },
    },
    templates=[
        "If I go to bed at {bedtime}, when should I wake up?",
        "Best wake-up times for a {bedtime} bedtime taking {minutes_to_fall_asleep} minutes "
        "to fall asleep?",
    ],
    examples=[("I'm going to bed at 23:00; when should I set my alarm?", {"bedtime": "23:00"})],
)
def sleep_cycle_wake_times(bedtime: str, minutes_to_fall_asleep: int = 15) -> dict[str, Any]:
    """Cycle-aligned wake times."""
    hour, minute = (int(x) for x in bedtime.split(":"))
    start = dt.datetime(2000, 1, 1, hour, minute) + dt.timedelta(minutes=minutes_to_fall_asleep)
    options = [
        {
            "cycles": n,
            "sleep_hours": n * 1.5,
            "wake_time": (start + dt.timedelta(minutes=90 * n)).strftime("%H:%M"),
        }
        for n in range(4, 7)
    ]
    return {"options": options}


@api(
    category="Lifestyle",
    description=(
        "Splits a restaurant bill with tip between people; optionally rounds each share up to a "
        "whole unit."
    ),
    params={
        "bill": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 100000,
            "description": "Bill before tip.",
        },
        "tip_pct": {
            "type": "number",
            "minimum": 0,
            "maximum": 100,
            "description": "Tip in percent.",
        },
        "people": {
            "type": "integer",
            "minimum": 1,
            "maximum": 100,
            "description": "People sharing.",
        },
        "round_up": {"type": "boolean", "description": "Round each share up to a whole unit."},
    },
    templates=[
        "Split a {bill} bill between {people} people with a {tip_pct}% tip.",
        "How much does each of {people} people pay on {bill} plus a {tip_pct}% tip, {round_up}?",
    ],
    examples=[
        (
            "We're 4 and the bill is 187.40; with 18% tip, how much each?",
            {"bill": 187.4, "tip_pct": 18, "people": 4},
        )
    ],
)
def bill_split_with_tip(
    bill: float, tip_pct: float, people: int, round_up: bool = False
) -> dict[str, float]:
    """Per-person share."""
    tip = bill * tip_pct / 100
    share = (bill + tip) / people
    if round_up:
        share = math.ceil(round(share, 6))
    return {"tip": round(tip, 2), "total": round(bill + tip, 2), "per_person": round(share, 2)}
