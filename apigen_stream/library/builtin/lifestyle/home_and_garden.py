"""Lifestyle APIs for home, garden and household budget: materials, running costs, screens,
stairs, daily habits."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from typing import Any

from apigen_stream.library.registry import api

CATEGORY = "Lifestyle"


def _length(description: str, maximum: float = 100) -> dict[str, Any]:
    return {"type": "number", "exclusiveMinimum": 0, "maximum": maximum, "description": description}


@api(
    category=CATEGORY,
    description=(
        "Rolls of wallpaper for a room from its perimeter and wall height, the roll size and the "
        "pattern repeat, counting whole drops per roll."
    ),
    params={
        "perimeter_m": _length("Total width of the walls to paper, in metres.", 200),
        "wall_height_m": _length("Wall height in metres.", 10),
        "roll_width_m": _length("Roll width in metres (0.53 for a standard roll).", 2),
        "roll_length_m": _length("Roll length in metres (10.05 for a standard roll).", 50),
        "pattern_repeat_cm": {
            "type": "number",
            "minimum": 0,
            "maximum": 100,
            "description": "Pattern repeat in centimetres (0 for none).",
        },
    },
    templates=[
        "How many rolls of wallpaper for walls {perimeter_m} m around and {wall_height_m} m high?",
        "Wallpaper needed: perimeter {perimeter_m} m, height {wall_height_m} m, repeat "
        "{pattern_repeat_cm} cm.",
    ],
    examples=[
        (
            "My room's walls are 14 m around and 2.4 m high, with a 53 cm pattern repeat. "
            "How many rolls?",
            {
                "perimeter_m": 14,
                "wall_height_m": 2.4,
                "roll_width_m": 0.53,
                "roll_length_m": 10.05,
                "pattern_repeat_cm": 53,
            },
        )
    ],
)
def wallpaper_rolls_needed(
    perimeter_m: float,
    wall_height_m: float,
    roll_width_m: float = 0.53,
    roll_length_m: float = 10.05,
    pattern_repeat_cm: float = 0,
) -> dict[str, Any]:
    """Drops = ceil(perimeter / width); a drop is the height rounded up to whole repeats."""
    repeat = pattern_repeat_cm / 100
    drop = math.ceil(wall_height_m / repeat) * repeat if repeat else wall_height_m
    drops_per_roll = int(roll_length_m // drop)
    if drops_per_roll == 0:
        raise ValueError("a roll is shorter than one drop")
    drops = math.ceil(perimeter_m / roll_width_m)
    return {
        "drops": drops,
        "drops_per_roll": drops_per_roll,
        "rolls": math.ceil(drops / drops_per_roll),
    }


@api(
    category=CATEGORY,
    description=(
        "Soil, compost or mulch for a garden bed: the volume in cubic metres and litres and the "
        "number of bags of a given size, from the bed's length, width and depth."
    ),
    params={
        "length_m": _length("Bed length in metres."),
        "width_m": _length("Bed width in metres."),
        "depth_cm": _length("Depth to fill in centimetres.", 200),
        "bag_litres": {
            "type": "number",
            "enum": [40, 50, 60, 70, 75, 100],
            "description": "Size of one bag in litres.",
        },
    },
    templates=[
        "How much soil for a {length_m} by {width_m} m bed, {depth_cm} cm deep?",
        "How many {bag_litres} L bags of compost for {length_m} x {width_m} m at {depth_cm} cm?",
    ],
    examples=[
        (
            "How many 50 L bags of compost for a 3 m by 1.2 m raised bed, 30 cm deep?",
            {"length_m": 3, "width_m": 1.2, "depth_cm": 30, "bag_litres": 50},
        )
    ],
)
def garden_soil_volume(
    length_m: float, width_m: float, depth_cm: float, bag_litres: float = 50
) -> dict[str, Any]:
    """Volume = length x width x depth."""
    litres = length_m * width_m * depth_cm / 100 * 1000
    return {
        "cubic_metres": round(litres / 1000, 3),
        "litres": round(litres),
        "bags": math.ceil(litres / bag_litres - 1e-9),
    }


@api(
    category=CATEGORY,
    description=(
        "Running cost of a household appliance from its power, hours of use a day and the "
        "electricity price: kWh and cost per day, month and year."
    ),
    params={
        "power_watts": _length("Power draw in watts.", 20000),
        "hours_per_day": {
            "type": "number",
            "minimum": 0,
            "maximum": 24,
            "description": "Hours of use per day.",
        },
        "price_per_kwh": {
            "type": "number",
            "minimum": 0,
            "maximum": 5,
            "description": "Electricity price per kWh in your currency.",
        },
    },
    templates=[
        "What does a {power_watts} W appliance cost to run {hours_per_day} hours a day at "
        "{price_per_kwh} per kWh?",
        "Yearly electricity cost of {power_watts} watts for {hours_per_day} h/day?",
    ],
    examples=[
        (
            "What does a 2000 W heater cost to run 3 hours a day at 0.28 per kWh?",
            {"power_watts": 2000, "hours_per_day": 3, "price_per_kwh": 0.28},
        )
    ],
)
def appliance_running_cost(
    power_watts: float, hours_per_day: float, price_per_kwh: float
) -> dict[str, Any]:
    """kWh = W x h / 1000; a month is 30.4 days."""
    kwh = power_watts * hours_per_day / 1000
    return {
        "kwh_per_day": round(kwh, 3),
        "cost_per_day": round(kwh * price_per_kwh, 2),
        "cost_per_month": round(kwh * price_per_kwh * 30.4, 2),
        "cost_per_year": round(kwh * price_per_kwh * 365, 2),
    }


@api(
    category=CATEGORY,
    description=(
        "Viewing distance for a 16:9 TV from its diagonal: the SMPTE 30° and THX 40° field-of-"
        "view distances in metres and feet."
    ),
    params={
        "diagonal_inches": {
            "type": "number",
            "minimum": 10,
            "maximum": 150,
            "description": "Screen diagonal in inches.",
        },
    },
    templates=[
        "How far should I sit from a {diagonal_inches}-inch TV?",
        "Ideal viewing distance for a {diagonal_inches} inch screen?",
    ],
    examples=[("How far from a 65-inch TV should I sit?", {"diagonal_inches": 65})],
)
def tv_viewing_distance(diagonal_inches: float) -> dict[str, Any]:
    """Distance = width / (2 tan(angle / 2)); a 16:9 screen's width is 0.8716 x diagonal."""
    width_m = diagonal_inches * 0.0254 * 16 / math.hypot(16, 9)
    smpte = width_m / (2 * math.tan(math.radians(15)))
    thx = width_m / (2 * math.tan(math.radians(20)))
    return {
        "screen_width_m": round(width_m, 3),
        "smpte_30deg_m": round(smpte, 2),
        "thx_40deg_m": round(thx, 2),
        "smpte_30deg_ft": round(smpte / 0.3048, 1),
        "thx_40deg_ft": round(thx / 0.3048, 1),
    }


@api(
    category=CATEGORY,
    description=(
        "Stair layout from the total floor-to-floor rise: number of steps, riser height and "
        "tread depth that keep Blondel's rule 2 x riser + tread = 63 cm."
    ),
    params={
        "total_rise_cm": {
            "type": "number",
            "minimum": 30,
            "maximum": 600,
            "description": "Floor-to-floor height in centimetres.",
        },
        "max_riser_cm": {
            "type": "number",
            "minimum": 14,
            "maximum": 22,
            "description": "Highest riser allowed (UK Part K: 22 cm private).",
        },
    },
    templates=[
        "How many stairs for a {total_rise_cm} cm rise?",
        "Design stairs for {total_rise_cm} cm with risers at most {max_riser_cm} cm.",
    ],
    examples=[
        (
            "How many steps do I need for a floor-to-floor height of 270 cm?",
            {"total_rise_cm": 270, "max_riser_cm": 19},
        )
    ],
)
def stair_dimensions(total_rise_cm: float, max_riser_cm: float = 19) -> dict[str, Any]:
    """Blondel (1675): 2R + G = 63 cm (60-65)."""
    risers = math.ceil(total_rise_cm / max_riser_cm - 1e-9)
    riser = total_rise_cm / risers
    tread = 63 - 2 * riser
    return {
        "risers": risers,
        "treads": risers - 1,
        "riser_cm": round(riser, 1),
        "tread_cm": round(tread, 1),
        "total_run_cm": round(tread * (risers - 1), 1),
    }


@api(
    category=CATEGORY,
    description=(
        "Curtain fabric for a window: finished width with a fullness ratio, the number of fabric "
        "widths to join and the total length to buy, with hem allowances."
    ),
    params={
        "window_width_cm": _length("Track or pole width in centimetres.", 2000),
        "drop_cm": _length("Finished curtain drop in centimetres.", 1000),
        "fabric_width_cm": {
            "type": "number",
            "enum": [137, 140, 150, 280, 300],
            "description": "Width of the fabric roll in centimetres.",
        },
        "fullness": {
            "type": "number",
            "minimum": 1,
            "maximum": 3.5,
            "description": "Fullness ratio (2 for pencil pleat, 2.5 for pinch pleat).",
        },
    },
    templates=[
        "How much fabric for curtains on a {window_width_cm} cm track with a {drop_cm} cm drop?",
        "Fabric for a {window_width_cm} cm window at fullness {fullness}, drop {drop_cm} cm?",
    ],
    examples=[
        (
            "How much 137 cm fabric do I need for a 180 cm track and 220 cm drop?",
            {"window_width_cm": 180, "drop_cm": 220, "fabric_width_cm": 137, "fullness": 2},
        )
    ],
)
def curtain_fabric_needed(
    window_width_cm: float, drop_cm: float, fabric_width_cm: float = 137, fullness: float = 2
) -> dict[str, Any]:
    """Widths = ceil(track x fullness / fabric width); each cut is the drop + 25 cm hems."""
    widths = math.ceil(window_width_cm * fullness / fabric_width_cm - 1e-9)
    cut = drop_cm + 25
    return {
        "fabric_widths": widths,
        "cut_length_cm": cut,
        "total_fabric_m": round(widths * cut / 100, 2),
    }


@api(
    category=CATEGORY,
    description=(
        "The 50/30/20 budget rule applied to a monthly after-tax income: amounts for needs, "
        "wants and savings (Elizabeth Warren and Amelia Warren Tyagi)."
    ),
    params={
        "monthly_income": _length("Monthly take-home income.", 10_000_000),
    },
    templates=[
        "Split my {monthly_income} monthly income with the 50/30/20 rule.",
        "How much should go to needs, wants and savings from {monthly_income} a month?",
    ],
    examples=[
        ("I take home 3800 a month. What does the 50/30/20 rule give?", {"monthly_income": 3800})
    ],
)
def budget_50_30_20(monthly_income: float) -> dict[str, Any]:
    """ "All Your Worth" (2005)."""
    return {
        "needs": round(monthly_income * 0.5, 2),
        "wants": round(monthly_income * 0.3, 2),
        "savings": round(monthly_income * 0.2, 2),
    }


@api(
    category=CATEGORY,
    description=(
        "Highest affordable monthly rent by the 30%-of-gross-income guideline (HUD), and the "
        "annual gross income a given rent asks for."
    ),
    params={
        "annual_gross_income": _length("Yearly gross income.", 100_000_000),
        "rent": {
            "type": "number",
            "minimum": 0,
            "maximum": 1_000_000,
            "description": "A monthly rent to check.",
        },
    },
    templates=[
        "What rent can I afford on {annual_gross_income} a year?",
        "Is {rent} a month affordable on an income of {annual_gross_income}?",
    ],
    examples=[
        (
            "I earn 62000 a year. Can I afford 1700 a month?",
            {"annual_gross_income": 62000, "rent": 1700},
        )
    ],
)
def rent_affordability(annual_gross_income: float, rent: float = 0) -> dict[str, Any]:
    """US HUD's cost-burden threshold: housing over 30% of income."""
    max_rent = annual_gross_income * 0.30 / 12
    return {
        "max_rent": round(max_rent, 2),
        "rent_share_of_income": round(rent * 12 / annual_gross_income, 3),
        "affordable": rent <= max_rent,
        "income_needed_for_rent": round(rent * 12 / 0.30, 2),
    }


@api(
    category=CATEGORY,
    description=(
        "Sleep debt over recent nights against a nightly target: total hours short, the average "
        "night, and the nights under the target."
    ),
    params={
        "hours_slept": {
            "type": "array",
            "items": {"type": "number", "minimum": 0, "maximum": 24},
            "minItems": 1,
            "maxItems": 60,
            "description": "Hours slept each night, oldest first.",
        },
        "target_hours": {
            "type": "number",
            "minimum": 4,
            "maximum": 12,
            "description": "Sleep need per night (AASM: at least 7 for adults).",
        },
    },
    templates=[
        "I slept {hours_slept} hours the last nights. What's my sleep debt?",
        "Sleep debt against {target_hours} hours a night for {hours_slept}?",
    ],
    examples=[
        (
            "This week I slept 6, 5.5, 7, 6.5, 8, 5, 7 hours. What's my sleep debt?",
            {"hours_slept": [6, 5.5, 7, 6.5, 8, 5, 7], "target_hours": 8},
        )
    ],
)
def sleep_debt(hours_slept: list[float], target_hours: float = 8) -> dict[str, Any]:
    """Debt = sum of max(0, target - slept)."""
    short = sum(max(0.0, target_hours - h) for h in hours_slept)
    return {
        "sleep_debt_hours": round(short, 2),
        "average_hours": round(sum(hours_slept) / len(hours_slept), 2),
        "nights_short": sum(h < target_hours for h in hours_slept),
    }


@api(
    category=CATEGORY,
    description=(
        "Walking distance from a step count, with the stride estimated from height (0.415 x "
        "height for men, 0.413 x height for women), in km and miles."
    ),
    params={
        "steps": {
            "type": "integer",
            "minimum": 1,
            "maximum": 200000,
            "description": "Steps walked.",
        },
        "height_cm": {
            "type": "number",
            "minimum": 100,
            "maximum": 230,
            "description": "Walker's height in centimetres.",
        },
        "sex": {"type": "string", "enum": ["male", "female"], "description": "Walker's sex."},
    },
    templates=[
        "How far is {steps} steps for someone {height_cm} cm tall?",
        "Convert {steps} steps to kilometres for a {sex} walker of {height_cm} cm.",
    ],
    examples=[
        (
            "How far did I walk with 10000 steps? I'm a 175 cm man.",
            {"steps": 10000, "height_cm": 175, "sex": "male"},
        )
    ],
)
def steps_to_distance(steps: int, height_cm: float, sex: str = "male") -> dict[str, Any]:
    """Stride ratios as used by pedometer makers (height x 0.415 / 0.413)."""
    stride_m = height_cm / 100 * (0.415 if sex == "male" else 0.413)
    km = steps * stride_m / 1000
    return {"stride_m": round(stride_m, 3), "km": round(km, 2), "miles": round(km / 1.609344, 2)}


@api(
    category=CATEGORY,
    description=(
        "Habit streaks from the dates a habit was done: the longest run of consecutive days, the "
        "run that ends on the last date, and the number of days done."
    ),
    params={
        "dates": {
            "type": "array",
            "items": {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
            "minItems": 1,
            "maxItems": 1000,
            "description": "Dates (YYYY-MM-DD) the habit was done, any order.",
            "examples": [
                ["2025-03-01", "2025-03-02", "2025-03-04"],
                ["2024-12-30", "2024-12-31", "2025-01-01"],
                ["2025-06-10"],
            ],
        },
    },
    templates=[
        "What's my longest streak given these days: {dates}?",
        "I did my habit on {dates}. Current and best streak?",
    ],
    examples=[
        (
            "I meditated on 2025-03-01, 03-02, 03-03, 03-05 and 03-06. What are my streaks?",
            {"dates": ["2025-03-01", "2025-03-02", "2025-03-03", "2025-03-05", "2025-03-06"]},
        )
    ],
)
def habit_streaks(dates: list[str]) -> dict[str, Any]:
    """Runs of consecutive calendar days."""
    days = sorted({dt.date.fromisoformat(d) for d in dates})
    longest = run = 1
    for before, after in itertools.pairwise(days):
        run = run + 1 if (after - before).days == 1 else 1
        longest = max(longest, run)
    return {
        "days_done": len(days),
        "longest_streak": longest,
        "current_streak": run,
        "last_date": days[-1].isoformat(),
    }


@api(
    category=CATEGORY,
    description=(
        "Shoe sizes of a foot length in the UK, US men's, US women's, EU (Paris point) and "
        "Mondopoint systems, by the systems' defining formulas."
    ),
    params={
        "foot_length_cm": {
            "type": "number",
            "minimum": 15,
            "maximum": 35,
            "description": "Foot length, heel to longest toe, in centimetres.",
        },
    },
    templates=[
        "What shoe size is a {foot_length_cm} cm foot?",
        "Convert a foot length of {foot_length_cm} cm to UK, US and EU sizes.",
    ],
    examples=[("My foot is 26.5 cm long. What size shoe is that?", {"foot_length_cm": 26.5})],
)
def shoe_size_from_foot_length(foot_length_cm: float) -> dict[str, Any]:
    """Last length = foot + 1.5 cm allowance; UK = 3 x last(in) - 25; US men = UK + 1, women
    = UK + 2.5 (common convention); EU = 1.5 x last(cm) (Paris points of 2/3 cm)."""
    last_cm = foot_length_cm + 1.5
    uk = 3 * last_cm / 2.54 - 25
    return {
        "uk": round(uk * 2) / 2,
        "us_men": round((uk + 1) * 2) / 2,
        "us_women": round((uk + 2.5) * 2) / 2,
        "eu": round(1.5 * last_cm),
        "mondopoint_mm": round(foot_length_cm * 10 / 5) * 5,
    }


@api(
    category=CATEGORY,
    description=(
        "Aquarium volume from its inside dimensions: litres, US gallons, the weight of the water "
        "and a stocking guide of one centimetre of fish per litre."
    ),
    params={
        "length_cm": _length("Inside length in centimetres.", 1000),
        "width_cm": _length("Inside width (front to back) in centimetres.", 500),
        "height_cm": _length("Water height in centimetres.", 500),
    },
    templates=[
        "How many litres is a {length_cm} x {width_cm} x {height_cm} cm aquarium?",
        "Volume and water weight of a tank {length_cm} by {width_cm} by {height_cm} cm?",
    ],
    examples=[
        (
            "How many litres does a 100 x 40 x 50 cm tank hold?",
            {"length_cm": 100, "width_cm": 40, "height_cm": 50},
        )
    ],
)
def aquarium_volume(length_cm: float, width_cm: float, height_cm: float) -> dict[str, Any]:
    """1 litre = 1000 cm³; fresh water 1 kg per litre."""
    litres = length_cm * width_cm * height_cm / 1000
    return {
        "litres": round(litres, 1),
        "us_gallons": round(litres / 3.785411784, 1),
        "water_kg": round(litres, 1),
        "stocking_cm_of_fish": round(litres),
    }


@api(
    category=CATEGORY,
    description=(
        "Grass seed for a new lawn or overseeding from the area and the sowing rate in grams "
        "per square metre, with the number of boxes of a given weight."
    ),
    params={
        "area_m2": _length("Lawn area in square metres.", 100000),
        "purpose": {
            "type": "string",
            "enum": ["new_lawn", "overseeding"],
            "description": "New lawn (35 g/m²) or overseeding (17.5 g/m²).",
        },
        "box_kg": {
            "type": "number",
            "enum": [0.5, 1, 1.5, 2.5, 5, 10, 20],
            "description": "Weight of one box or bag in kg.",
        },
    },
    templates=[
        "How much grass seed for {area_m2} m² ({purpose})?",
        "How many {box_kg} kg boxes of seed for a {area_m2} square metre {purpose}?",
    ],
    examples=[
        (
            "How much grass seed do I need to sow a new 120 m² lawn?",
            {"area_m2": 120, "purpose": "new_lawn", "box_kg": 2.5},
        )
    ],
)
def lawn_seed_needed(
    area_m2: float, purpose: str = "new_lawn", box_kg: float = 1
) -> dict[str, Any]:
    """Sowing rates on the RHS and seed makers' guidance."""
    rate = 35.0 if purpose == "new_lawn" else 17.5
    grams = area_m2 * rate
    return {
        "rate_g_per_m2": rate,
        "seed_kg": round(grams / 1000, 2),
        "boxes": math.ceil(grams / 1000 / box_kg - 1e-9),
    }


@api(
    category=CATEGORY,
    description=(
        "Daily water to drink from body weight and minutes of exercise: 35 ml per kg, plus "
        "about 350 ml per 30 minutes of exercise, in litres and cups."
    ),
    params={
        "weight_kg": {
            "type": "number",
            "minimum": 20,
            "maximum": 250,
            "description": "Body weight in kilograms.",
        },
        "exercise_minutes": {
            "type": "number",
            "minimum": 0,
            "maximum": 600,
            "description": "Minutes of exercise today.",
        },
    },
    templates=[
        "How much water should I drink at {weight_kg} kg with {exercise_minutes} minutes of "
        "exercise?",
        "Daily water intake for {weight_kg} kg?",
    ],
    examples=[
        (
            "I weigh 70 kg and run 45 minutes today. How much water should I drink?",
            {"weight_kg": 70, "exercise_minutes": 45},
        )
    ],
)
def daily_water_intake(weight_kg: float, exercise_minutes: float = 0) -> dict[str, Any]:
    """ESPEN's 30-35 ml/kg for adults; ACSM's 0.4-0.8 l per hour of exercise (about 0.7 l)."""
    litres = weight_kg * 0.035 + exercise_minutes / 30 * 0.35
    return {"litres": round(litres, 2), "cups_250ml": math.ceil(litres / 0.25)}


@api(
    category=CATEGORY,
    description=(
        "Lights and garland for a Christmas tree from its height: the decorators' rule of 100 "
        "mini lights per foot of tree (more for a full look), garland of twice the height."
    ),
    params={
        "tree_height_ft": {
            "type": "number",
            "minimum": 1,
            "maximum": 30,
            "description": "Tree height in feet.",
        },
        "look": {
            "type": "string",
            "enum": ["subtle", "classic", "full"],
            "description": "How bright: 50, 100 or 150 lights per foot.",
        },
    },
    templates=[
        "How many lights for a {tree_height_ft} ft Christmas tree?",
        "Lights and garland for a {tree_height_ft}-foot tree, {look} look?",
    ],
    examples=[
        ("How many lights do I need for a 7 ft tree?", {"tree_height_ft": 7, "look": "classic"})
    ],
)
def christmas_tree_lights(tree_height_ft: float, look: str = "classic") -> dict[str, Any]:
    """Lights = height x per-foot rate; strands of 100."""
    per_foot = {"subtle": 50, "classic": 100, "full": 150}[look]
    lights = math.ceil(tree_height_ft * per_foot)
    return {
        "lights": lights,
        "strands_of_100": math.ceil(lights / 100),
        "garland_ft": round(tree_height_ft * 2, 1),
    }


@api(
    category=CATEGORY,
    description=(
        "A baby's age on a date in weeks and days, whole months and days, and days, as "
        "parents and baby books count it."
    ),
    params={
        "birth_date": {
            "type": "string",
            "format": "date",
            "pattern": r"^\d{4}-\d{2}-\d{2}$",
            "description": "Date of birth, YYYY-MM-DD.",
            "examples": ["2025-01-15", "2024-11-30", "2025-06-01"],
        },
        "on_date": {
            "type": "string",
            "format": "date",
            "pattern": r"^\d{4}-\d{2}-\d{2}$",
            "description": "The date to measure on, YYYY-MM-DD.",
            "examples": ["2025-08-01", "2025-12-25", "2026-01-15"],
        },
    },
    templates=[
        "How old is a baby born on {birth_date} on {on_date}, in weeks?",
        "Baby born {birth_date}: age in weeks and months on {on_date}?",
    ],
    examples=[
        (
            "My baby was born on 2025-01-15. How many weeks old is she on 2025-08-01?",
            {"birth_date": "2025-01-15", "on_date": "2025-08-01"},
        )
    ],
)
def baby_age(birth_date: str, on_date: str) -> dict[str, Any]:
    """Calendar months, then days; weeks from the day count."""
    born, day = dt.date.fromisoformat(birth_date), dt.date.fromisoformat(on_date)
    if day < born:
        raise ValueError("on_date is before the birth date")
    months = (day.year - born.year) * 12 + day.month - born.month - (day.day < born.day)
    anchor_year, anchor_month = divmod(born.month - 1 + months, 12)
    anchor_day = min(born.day, _month_days(born.year + anchor_year, anchor_month + 1))
    anchor = dt.date(born.year + anchor_year, anchor_month + 1, anchor_day)
    days = (day - born).days
    return {
        "days": days,
        "weeks": days // 7,
        "extra_days": days % 7,
        "months": months,
        "days_after_months": (day - anchor).days,
    }


def _month_days(year: int, month: int) -> int:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day


@api(
    category=CATEGORY,
    description=(
        "Heating savings from setting the thermostat back at night or while out, by the US DOE's "
        "rule of about 1% a year per °F of setback held for 8 hours a day."
    ),
    params={
        "setback_f": {
            "type": "number",
            "minimum": 1,
            "maximum": 20,
            "description": "Degrees Fahrenheit turned down.",
        },
        "hours_per_day": {
            "type": "number",
            "minimum": 1,
            "maximum": 24,
            "description": "Hours a day the setback lasts.",
        },
        "annual_heating_cost": {
            "type": "number",
            "minimum": 0,
            "maximum": 100000,
            "description": "Yearly heating bill.",
        },
    },
    templates=[
        "How much do I save turning the heat down {setback_f} °F for {hours_per_day} hours a day?",
        "Savings on a {annual_heating_cost} heating bill with a {setback_f} degree setback?",
    ],
    examples=[
        (
            "I spend 1400 a year on heating. What do I save with a 8 °F setback for 8 hours?",
            {"setback_f": 8, "hours_per_day": 8, "annual_heating_cost": 1400},
        )
    ],
)
def thermostat_setback_savings(
    setback_f: float, hours_per_day: float, annual_heating_cost: float = 0
) -> dict[str, Any]:
    """DOE Energy Saver: up to 10% a year by turning back 7-10 °F for 8 hours a day."""
    percent = min(setback_f * hours_per_day / 8, 15.0)
    return {
        "savings_percent": round(percent, 1),
        "savings": round(annual_heating_cost * percent / 100, 2),
    }
