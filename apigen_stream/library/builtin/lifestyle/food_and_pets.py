"""Lifestyle APIs for the kitchen table and pets: cooking times, party planning, caffeine and
drinks, pet ages and feeding."""

from __future__ import annotations

import math
from typing import Any

from apigen_stream.library.registry import api

CATEGORY = "Lifestyle"

_LB_PER_KG = 2.20462262


@api(
    category=CATEGORY,
    description=(
        "Boiling time for an egg from its weight, its starting temperature and the doneness "
        "wanted, by Charles Williams's heat-conduction formula for a yolk temperature."
    ),
    params={
        "weight_g": {
            "type": "number",
            "minimum": 30,
            "maximum": 100,
            "description": "Egg weight in grams (a large egg is about 60 g).",
        },
        "start_temperature_c": {
            "type": "number",
            "minimum": 0,
            "maximum": 30,
            "description": "Egg temperature before cooking (4 from the fridge).",
        },
        "doneness": {
            "type": "string",
            "enum": ["soft", "medium", "hard"],
            "description": "Yolk doneness: soft (63 °C), medium (70 °C), hard (77 °C).",
        },
    },
    templates=[
        "How long should I boil a {weight_g} g egg from {start_temperature_c} °C for a "
        "{doneness} yolk?",
        "Boiling time for a {doneness} egg of {weight_g} grams?",
    ],
    examples=[
        (
            "How long do I boil a 60 g egg straight from the fridge for a soft yolk?",
            {"weight_g": 60, "start_temperature_c": 4, "doneness": "soft"},
        )
    ],
)
def egg_boiling_time(weight_g: float, start_temperature_c: float, doneness: str) -> dict[str, Any]:
    """t = 0.451 M^(2/3) ln(0.76 (T_egg - T_water) / (T_yolk - T_water)), water at 100 °C
    (Williams, "The science of boiling an egg")."""
    yolk = {"soft": 63.0, "medium": 70.0, "hard": 77.0}[doneness]
    minutes = (
        0.451 * weight_g ** (2 / 3) * math.log(0.76 * (start_temperature_c - 100) / (yolk - 100))
    )
    return {"minutes": round(minutes, 1), "yolk_temperature_c": yolk}


# USDA FSIS roasting times at 325 °F for a whole turkey: (max pounds, unstuffed hours, stuffed).
_TURKEY = (
    (12, (2.75, 3.0), (3.0, 3.5)),
    (14, (3.0, 3.75), (3.5, 4.0)),
    (18, (3.75, 4.25), (4.0, 4.25)),
    (20, (4.25, 4.5), (4.25, 4.75)),
    (24, (4.5, 5.0), (4.75, 5.25)),
)


@api(
    category=CATEGORY,
    description=(
        "Roasting and thawing times for a whole turkey from its weight, by the USDA's tables: "
        "roasting at 325 °F (163 °C), stuffed or not, and thawing in the fridge or cold water."
    ),
    params={
        "weight_kg": {
            "type": "number",
            "minimum": 3.6,
            "maximum": 10.9,
            "description": "Turkey weight in kilograms (8 to 24 lb).",
        },
        "stuffed": {"type": "boolean", "description": "Whether the bird is stuffed."},
    },
    templates=[
        "How long do I roast a {weight_kg} kg turkey?",
        "Roasting and thawing time for a {weight_kg} kg turkey, stuffed: {stuffed}?",
    ],
    examples=[
        (
            "How long does a 6 kg turkey take to roast and to thaw?",
            {"weight_kg": 6.5, "stuffed": False},
        )
    ],
)
def turkey_roasting_time(weight_kg: float, stuffed: bool = False) -> dict[str, Any]:
    """USDA FSIS "Let's Talk Turkey": fridge thaw 24 h per 4-5 lb, cold water 30 min per lb."""
    pounds = weight_kg * _LB_PER_KG
    row = next((r for r in _TURKEY if pounds <= r[0] + 1e-9), _TURKEY[-1])
    low, high = row[2] if stuffed else row[1]
    return {
        "weight_lb": round(pounds, 1),
        "roast_hours": [low, high],
        "oven_temperature_f": 325,
        "safe_internal_temperature_f": 165,
        "fridge_thaw_days": math.ceil(pounds / 4.5),
        "cold_water_thaw_hours": round(pounds * 0.5, 1),
    }


@api(
    category=CATEGORY,
    description=(
        "Scale a recipe from one round cake tin to another by their areas: the factor for "
        "every ingredient, and the area of each tin."
    ),
    params={
        "from_diameter_cm": {
            "type": "number",
            "minimum": 5,
            "maximum": 60,
            "description": "Diameter of the tin the recipe was written for.",
        },
        "to_diameter_cm": {
            "type": "number",
            "minimum": 5,
            "maximum": 60,
            "description": "Diameter of the tin you have.",
        },
    },
    templates=[
        "My recipe is for a {from_diameter_cm} cm tin and I have a {to_diameter_cm} cm one. How "
        "do I scale it?",
        "Convert a cake from a {from_diameter_cm} cm to a {to_diameter_cm} cm round pan.",
    ],
    examples=[
        (
            "My recipe is for a 20 cm tin; I have a 23 cm one. By how much do I scale?",
            {"from_diameter_cm": 20, "to_diameter_cm": 23},
        )
    ],
)
def cake_tin_conversion(from_diameter_cm: float, to_diameter_cm: float) -> dict[str, Any]:
    """Factor = (d2 / d1)^2 (equal depth of batter)."""
    factor = (to_diameter_cm / from_diameter_cm) ** 2
    return {
        "factor": round(factor, 3),
        "from_area_cm2": round(math.pi * (from_diameter_cm / 2) ** 2, 1),
        "to_area_cm2": round(math.pi * (to_diameter_cm / 2) ** 2, 1),
    }


@api(
    category=CATEGORY,
    description=(
        "Which pizza is the better deal: price per square inch of round pizzas from their "
        "diameters and prices, best value first."
    ),
    params={
        "diameters_in": {
            "type": "array",
            "items": {"type": "number", "minimum": 4, "maximum": 36},
            "minItems": 1,
            "maxItems": 10,
            "description": "Diameters in inches, one per pizza.",
        },
        "prices": {
            "type": "array",
            "items": {"type": "number", "exclusiveMinimum": 0, "maximum": 200},
            "minItems": 1,
            "maxItems": 10,
            "description": "Prices, in the same order as the diameters.",
        },
    },
    templates=[
        "Pizzas of {diameters_in} inches cost {prices}. Which is the best value?",
        "Compare pizza prices per square inch: sizes {diameters_in}, prices {prices}.",
    ],
    examples=[
        (
            "A 12-inch pizza is 11.99 and an 18-inch is 19.99. Which is better value?",
            {"diameters_in": [12, 18], "prices": [11.99, 19.99]},
        )
    ],
)
def pizza_value_compare(diameters_in: list[float], prices: list[float]) -> dict[str, Any]:
    """Area = pi r^2."""
    if len(diameters_in) != len(prices):
        raise ValueError("give one price per diameter")
    rows = [
        {
            "diameter_in": d,
            "price": p,
            "area_in2": round(math.pi * (d / 2) ** 2, 1),
            "price_per_in2": round(p / (math.pi * (d / 2) ** 2), 4),
        }
        for d, p in zip(diameters_in, prices, strict=True)
    ]
    rows.sort(key=lambda r: r["price_per_in2"])
    return {"best_diameter_in": rows[0]["diameter_in"], "ranked": rows}


# Caffeine per serving (mg): USDA FoodData Central and the FDA's "Spilling the Beans" (2018).
_CAFFEINE_MG = {
    "brewed_coffee_8oz": 95,
    "espresso_shot": 63,
    "instant_coffee_8oz": 62,
    "decaf_coffee_8oz": 2,
    "black_tea_8oz": 47,
    "green_tea_8oz": 28,
    "cola_12oz": 34,
    "energy_drink_8oz": 80,
}


@api(
    category=CATEGORY,
    description=(
        "Caffeine in a day's drinks against the FDA's 400 mg daily guidance for adults, and the "
        "caffeine still in the body a number of hours after the last one (5-hour half-life)."
    ),
    params={
        "drink": {
            "type": "string",
            "enum": sorted(_CAFFEINE_MG),
            "description": "The kind of drink and serving.",
        },
        "servings": {
            "type": "number",
            "minimum": 0.5,
            "maximum": 20,
            "description": "Number of servings.",
        },
        "hours_since": {
            "type": "number",
            "minimum": 0,
            "maximum": 48,
            "description": "Hours since the drinks.",
        },
    },
    templates=[
        "How much caffeine is in {servings} servings of {drink}?",
        "I had {servings} x {drink} {hours_since} hours ago. How much caffeine is left?",
    ],
    examples=[
        (
            "I had 3 cups of brewed coffee 6 hours ago. How much caffeine is still in me?",
            {"drink": "brewed_coffee_8oz", "servings": 3, "hours_since": 6},
        )
    ],
)
def caffeine_intake(drink: str, servings: float, hours_since: float = 0) -> dict[str, Any]:
    """Remaining = dose x 0.5^(t / 5 h); the FDA names 400 mg a day for healthy adults."""
    dose = _CAFFEINE_MG[drink] * servings
    return {
        "caffeine_mg": round(dose),
        "share_of_daily_400mg": round(dose / 400, 2),
        "remaining_mg": round(dose * 0.5 ** (hours_since / 5.0)),
    }


@api(
    category=CATEGORY,
    description=(
        "Alcohol in a drink: UK units (10 ml of pure alcohol), US standard drinks (14 g) and "
        "grams of alcohol, from the volume and the strength (ABV)."
    ),
    params={
        "volume_ml": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 5000,
            "description": "Volume of the drink in millilitres.",
        },
        "abv_percent": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 80,
            "description": "Alcohol by volume, percent.",
        },
    },
    templates=[
        "How many units are in {volume_ml} ml at {abv_percent}% ABV?",
        "How many standard drinks is {volume_ml} ml of a {abv_percent}% drink?",
    ],
    examples=[
        ("How many units are in a 568 ml pint of 5% beer?", {"volume_ml": 568, "abv_percent": 5})
    ],
)
def alcohol_units(volume_ml: float, abv_percent: float) -> dict[str, Any]:
    """Pure alcohol = volume x ABV; ethanol density 0.789 g/ml (NHS; NIAAA)."""
    ml = volume_ml * abv_percent / 100
    grams = ml * 0.789
    return {
        "uk_units": round(ml / 10, 2),
        "us_standard_drinks": round(grams / 14, 2),
        "alcohol_grams": round(grams, 1),
    }


@api(
    category=CATEGORY,
    description=(
        "Drinks and ice for a party from the number of guests and hours: the caterers' rule of "
        "two drinks per guest in the first hour and one per hour after, and 0.5 kg ice per guest."
    ),
    params={
        "guests": {
            "type": "integer",
            "minimum": 1,
            "maximum": 5000,
            "description": "Number of guests.",
        },
        "hours": {
            "type": "number",
            "minimum": 0.5,
            "maximum": 24,
            "description": "Length of the party in hours.",
        },
    },
    templates=[
        "How many drinks do I need for {guests} guests over {hours} hours?",
        "Party for {guests} people lasting {hours} hours: drinks and ice?",
    ],
    examples=[
        (
            "I'm hosting 40 guests for 4 hours. How many drinks and how much ice?",
            {"guests": 40, "hours": 4},
        )
    ],
)
def party_drinks_needed(guests: int, hours: float) -> dict[str, Any]:
    """Drinks = guests x (2 + (hours - 1)); a 750 ml bottle of wine pours 5 glasses."""
    drinks = math.ceil(guests * (2 + max(hours - 1, 0)))
    return {
        "drinks": drinks,
        "wine_bottles_if_all_wine": math.ceil(drinks / 5),
        "ice_kg": round(guests * 0.5, 1),
    }


# Resting energy requirement factors of the NRC (2006) / WSAVA guidelines.
_PET_FACTORS = {
    ("dog", "neutered_adult"): 1.6,
    ("dog", "intact_adult"): 1.8,
    ("dog", "weight_loss"): 1.0,
    ("dog", "puppy"): 2.5,
    ("cat", "neutered_adult"): 1.2,
    ("cat", "intact_adult"): 1.4,
    ("cat", "weight_loss"): 0.8,
    ("cat", "kitten"): 2.5,
}


@api(
    category=CATEGORY,
    description=(
        "Daily calories for a dog or cat: resting energy requirement 70 x kg^0.75 times the "
        "life-stage factor of the WSAVA feeding guidelines."
    ),
    params={
        "species": {"type": "string", "enum": ["dog", "cat"], "description": "The pet."},
        "weight_kg": {
            "type": "number",
            "minimum": 0.5,
            "maximum": 100,
            "description": "Body weight in kilograms.",
        },
        "life_stage": {
            "type": "string",
            "enum": ["neutered_adult", "intact_adult", "weight_loss", "puppy", "kitten"],
            "description": "Life stage (puppy for dogs, kitten for cats).",
        },
    },
    templates=[
        "How many calories a day does a {weight_kg} kg {life_stage} {species} need?",
        "Daily food energy for my {species} of {weight_kg} kg?",
    ],
    examples=[
        (
            "How many calories a day should my neutered 20 kg dog eat?",
            {"species": "dog", "weight_kg": 20, "life_stage": "neutered_adult"},
        )
    ],
)
def pet_daily_calories(
    species: str, weight_kg: float, life_stage: str = "neutered_adult"
) -> dict[str, Any]:
    """RER = 70 x kg^0.75 kcal."""
    factor = _PET_FACTORS.get((species, life_stage))
    if factor is None:
        raise ValueError(f"life stage {life_stage!r} is not one of a {species}'s")
    rer = 70 * weight_kg**0.75
    return {"resting_kcal": round(rer), "daily_kcal": round(rer * factor), "factor": factor}


@api(
    category=CATEGORY,
    description=(
        "A dog's age in human years by the epigenetic-clock formula of Wang et al. (2020), "
        "16 ln(age) + 31, beside the old seven-years rule."
    ),
    params={
        "dog_age_years": {
            "type": "number",
            "minimum": 0.5,
            "maximum": 30,
            "description": "The dog's age in years.",
        },
    },
    templates=[
        "How old is a {dog_age_years}-year-old dog in human years?",
        "My dog is {dog_age_years}. What's that in people years?",
    ],
    examples=[("My dog is 5. How old is that in human years?", {"dog_age_years": 5})],
)
def dog_age_in_human_years(dog_age_years: float) -> dict[str, Any]:
    """Wang et al., Cell Systems 11(2), 2020 (calibrated on Labrador retrievers)."""
    return {
        "human_years": round(16 * math.log(dog_age_years) + 31, 1),
        "seven_year_rule": round(7 * dog_age_years, 1),
    }


@api(
    category=CATEGORY,
    description=(
        "A cat's age in human years by the AAHA/AAFP feline life-stage guidelines: 15 at one, "
        "24 at two, then four human years for every cat year, with the life stage."
    ),
    params={
        "cat_age_years": {
            "type": "number",
            "minimum": 0.1,
            "maximum": 30,
            "description": "The cat's age in years.",
        },
    },
    templates=[
        "How old is my {cat_age_years}-year-old cat in human years?",
        "Convert cat age {cat_age_years} to human years.",
    ],
    examples=[("My cat is 8. How old is that in human years?", {"cat_age_years": 8})],
)
def cat_age_in_human_years(cat_age_years: float) -> dict[str, Any]:
    """AAHA/AAFP 2021 Feline Life Stage Guidelines."""
    a = cat_age_years
    human = 15 * a if a <= 1 else 15 + 9 * (a - 1) if a <= 2 else 24 + 4 * (a - 2)
    stage = (
        "kitten" if a < 1 else "young adult" if a <= 6 else "mature adult" if a <= 10 else "senior"
    )
    return {"human_years": round(human, 1), "life_stage": stage}


@api(
    category=CATEGORY,
    description=(
        "Macronutrient grams for a daily calorie target and a protein/carbohydrate/fat split, "
        "using the Atwater factors of 4, 4 and 9 kcal per gram."
    ),
    params={
        "calories": {
            "type": "number",
            "minimum": 800,
            "maximum": 6000,
            "description": "Daily calorie target in kcal.",
        },
        "protein_percent": {
            "type": "number",
            "minimum": 5,
            "maximum": 60,
            "description": "Share of calories from protein.",
        },
        "carb_percent": {
            "type": "number",
            "minimum": 5,
            "maximum": 80,
            "description": "Share of calories from carbohydrate.",
        },
        "fat_percent": {
            "type": "number",
            "minimum": 5,
            "maximum": 80,
            "description": "Share of calories from fat.",
        },
    },
    templates=[
        "How many grams of protein, carbs and fat in {calories} kcal at "
        "{protein_percent}/{carb_percent}/{fat_percent}?",
        "Macros for {calories} calories split {protein_percent}% protein, {carb_percent}% carbs, "
        "{fat_percent}% fat.",
    ],
    examples=[
        (
            "I eat 2200 kcal a day, 30% protein, 40% carbs, 30% fat. How many grams each?",
            {"calories": 2200, "protein_percent": 30, "carb_percent": 40, "fat_percent": 30},
        )
    ],
)
def macro_split_grams(
    calories: float, protein_percent: float, carb_percent: float, fat_percent: float
) -> dict[str, Any]:
    """grams = kcal x share / factor."""
    if abs(protein_percent + carb_percent + fat_percent - 100) > 0.5:
        raise ValueError("the three shares must add up to 100")
    return {
        "protein_g": round(calories * protein_percent / 100 / 4),
        "carb_g": round(calories * carb_percent / 100 / 4),
        "fat_g": round(calories * fat_percent / 100 / 9),
    }
