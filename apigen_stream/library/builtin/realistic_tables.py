"""The per-API entries of ``realistic.py``: only where the seed example and names are not enough.

Ranges are what people ask about (sources: everyday experience of the domain, and the API's own
description); keys joined by a comma take their values together from one tuple.
"""

from __future__ import annotations

from typing import Any

KEEP = "keep"

_SIZES = [(700, "MB"), (4.7, "GB"), (25, "GB"), (1.5, "GiB"), (250, "MiB"), (2, "TB"),
          (12, "MB"), (80, "GB"), (3.2, "GB"), (500, "MB")]  # fmt: skip
_SPEEDS = [(100, "Mbps"), (1, "Gbps"), (50, "Mbps"), (500, "Mbps"), (20, "Mbps"), (300, "Mbps"),
           (10, "Mbps"), (2.5, "Gbps")]  # fmt: skip
_CITIES = [("London", "GB"), ("Paris", "FR"), ("Tokyo", "JP"), ("New York", "US"),
           ("Berlin", "DE"), ("Chicago", "US"), ("Milan", "IT"), ("Osaka", "JP"),
           ("Toronto", "CA"), ("Sydney", "AU"), ("Houston", "US"), ("Rome", "IT")]  # fmt: skip
_NOTE_PAIRS = [("C4", "G4"), ("A3", "E4"), ("F#3", "A3"), ("D4", "C5"), ("E4", "B4"),
               ("G3", "D4"), ("Bb3", "F4"), ("C4", "C5"), ("A4", "C#5"), ("E3", "G3")]  # fmt: skip
_UNITS = [("mile", "kilometer"), ("foot", "meter"), ("inch", "centimeter"), ("yard", "meter"),
          ("kilometer", "mile"), ("pound", "kilogram"), ("ounce", "gram"),
          ("gallon", "liter"), ("meter", "foot"), ("kilogram", "pound")]  # fmt: skip

HINTS: dict[str, dict[str, Any]] = {
    "dice_pool_success_odds": {
        "pool": (2, 12),
        "successes_needed": (1, 5),
        "success_threshold": (4, 8),
    },
    "dice_sum_probability": {"dice": (1, 6)},
    "data_transfer_time": {"size,size_unit": _SIZES, "speed,speed_unit": _SPEEDS},
    "airports_serving_city": {"city,country_code": _CITIES},
    "interval_between_notes": {"lower_note,upper_note": _NOTE_PAIRS},
    "physical_unit_convert": {"from_unit,to_unit": _UNITS, "value": (1.0, 120.0, 1)},
    "exam_score_percentile": {"mean": (55, 80), "std_dev": (6, 15), "raw_score": (40, 98)},
    "imdb_weighted_rating": {
        "rating": (5.5, 9.3, 1),
        "votes": (800, 450000),
        "min_votes": [1000, 5000, 10000, 25000],
        "mean_rating": (6.2, 7.4, 1),
    },
    "elo_rating_update": {"rating_a": (1000, 2400), "rating_b": (1000, 2400)},
    "golf_handicap_differential": {
        "adjusted_gross_score": (72, 110),
        "course_rating": (67.0, 75.0, 1),
        "slope_rating": (105, 145),
    },
    "baseball_slash_line": {
        "at_bats": (150, 620),
        "hits": (30, 200),
        "home_runs": (0, 45),
        "walks": (10, 100),
    },
    "nfl_passer_rating": {
        "attempts": (18, 48),
        "completions": (10, 35),
        "yards": (120, 420),
        "touchdowns": (0, 4),
        "interceptions": (0, 3),
    },
    "waist_to_height_ratio": {"waist_cm": (62, 110), "height_cm": (150, 195)},
    "heart_rate_training_zones": {"age": (18, 70), "resting_heart_rate": (48, 80)},
    "follower_growth_rate": {"days": (7, 90), "project_days": (7, 60)},
    "birthday_countdown": {"birth_date": ("1955-01-01", "2015-12-31")},
    "compound_annual_growth_rate": {"years": (2, 15)},
    "social_engagement_rate": {"followers": (2000, 500000)},
    "stacked_discount_price": {
        "discounts_pct": [[20, 10], [30, 10], [15, 5], [25, 15], [40, 20], [10, 10], [50, 10]]
    },
    "quadratic_equation_solve": {"a": (1, 5)},
    "ten_pin_bowling_score": {"rolls": KEEP},
    "classic_cipher_transform": {"shift": (1, 13)},
}

CONSTRAINTS: dict[str, list[str]] = {
    "dice_pool_success_odds": ["successes_needed <= pool", "success_threshold <= sides"],
    "dice_sum_probability": ["target >= dice", "target <= dice * sides"],
    "nfl_passer_rating": [
        "completions <= attempts",
        "touchdowns <= completions",
        "interceptions <= attempts - completions",
    ],
    "baseball_slash_line": ["hits <= at_bats", "home_runs <= hits"],
    "weighted_course_grade": ["sum(components.weight_pct) == 100"],
    "social_engagement_rate": [
        "likes <= followers",
        "comments <= likes",
        "shares <= likes",
        "saves <= likes",
    ],
    "exam_score_percentile": [
        "raw_score <= mean + 3 * std_dev",
        "raw_score >= mean - 3 * std_dev",
        "raw_score <= 100",
    ],
    "waist_to_height_ratio": ["waist_cm < height_cm"],
    "asset_depreciation_schedule": ["salvage_value < cost"],
    "basketball_shooting_efficiency": ["field_goals_made <= field_goals_attempted"],
    "imdb_weighted_rating": ["mean_rating <= 10"],
}

ONLY_WITH: dict[str, dict[str, tuple[str, tuple[Any, ...]]]] = {
    "classic_cipher_transform": {
        "shift": ("cipher", ("caesar",)),
        "key": ("cipher", ("vigenere",)),
    },
}

DISPLAY: dict[str, dict[str, dict[Any, str]]] = {
    "note_duration_ms": {"note_value": {"thirty_second": "thirty-second"}},
    "sales_tax_breakdown": {"tax_inclusive": {True: "tax included", False: "before tax"}},
    "bill_split_with_tip": {"round_up": {True: "rounded up", False: "not rounded"}},
    "radio_q_code_lookup": {
        "as_question": {True: "with a question mark", False: "without a question mark"}
    },
    "percentage_calculate": {
        "operation": {
            "percent_of": "a% of b",
            "what_percent": "a as a percent of b",
            "percent_change": "the percent change from a to b",
            "increase_by": "b increased by a%",
            "decrease_by": "b decreased by a%",
        }
    },
    "classic_cipher_transform": {"decode": {True: "Decode", False: "Encode"}},
    "normalize_values": {
        "method": {"min_max": "min-max", "z_score": "z-score", "share_of_total": "share-of-total"}
    },
}

PHRASES: dict[str, dict[str, str]] = {
    "league_table_standings": {"results": "{home} {home_goals}-{away_goals} {away}"},
    "unit_price_compare": {"offers": "{quantity} for {price}"},
    "gpa_from_letter_grades": {"courses": "{grade} in a {credits}-credit course"},
    "weighted_course_grade": {"components": "{score_pct}% on a part worth {weight_pct}%"},
    "split_shared_expenses": {"payments": "{person} paid {amount}"},
    "recipe_scale": {"ingredients": "{quantity} {unit} {name}"},
}
