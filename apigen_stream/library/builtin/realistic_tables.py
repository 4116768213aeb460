"""The rule and wording entries of ``realistic.py``: constraints, options, display names, bounds."""

from __future__ import annotations

from typing import Any

CONSTRAINTS: dict[str, list[str]] = {
    "dice_pool_success_odds": ["successes_needed <= pool", "success_threshold <= sides"],
    "dice_sum_probability": ["target >= dice", "target <= dice * sides"],
    "cricket_run_rate": [
        "runs <= overs * 11",
        "runs >= overs * 5",
        "runs < target",
        "target <= total_overs * 9",
        "target >= total_overs * 6",
        "overs < total_overs",
    ],
    "nfl_passer_rating": [
        "completions >= attempts * 0.5",
        "completions <= attempts",
        "touchdowns <= completions",
        "interceptions <= attempts - completions",
    ],
    "baseball_batting_stats": [
        "hits <= at_bats * 0.36",
        "hits >= at_bats * 0.18",
        "doubles + triples + home_runs <= hits",
        "home_runs <= hits * 0.3",
    ],
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
    "basketball_shooting_efficiency": [
        "field_goals_made <= field_goals_attempted",
        "three_pointers_made <= field_goals_made",
        "points <= 2 * field_goals_made + three_pointers_made + free_throws_attempted",
        "points >= 2 * field_goals_made",
    ],
    "imdb_weighted_rating": ["mean_rating <= 10"],
    "triangle_from_sides": ["a < b + c", "b < a + c", "c < a + b"],
    "color_contrast_ratio": ["foreground != background"],
    "terms_to_graduate": ["credits_earned < credits_required"],
    "race_time_prediction": ["known_distance_km != target_distance_km"],
    "gross_margin_and_markup": ["price >= cost * 1.1", "price <= cost * 3"],
    "black_scholes_option_price": [
        "strike_price <= spot_price * 1.3",
        "strike_price >= spot_price * 0.7",
    ],
    "compound_annual_growth_rate": [
        "end_value <= start_value * 3",
        "end_value >= start_value * 0.4",
    ],
    "employee_turnover_rate": [
        "headcount_end <= headcount_start * 1.3",
        "headcount_end >= headcount_start * 0.7",
        "separations <= headcount_start * 0.3",
    ],
    "break_even_units": ["unit_price > unit_variable_cost"],
    "price_elasticity_of_demand": [
        "price_after <= price_before * 1.5",
        "price_after >= price_before * 0.6",
        "price_after != price_before",
    ],
    "follower_growth_rate": [
        "end_followers > start_followers",
        "end_followers <= start_followers * 2",
    ],
    "pomodoro_study_plan": ["focus_minutes * 2 <= total_minutes"],
    "time_zone_difference": ["timezone_a != timezone_b"],
    "destination_local_time": ["from_timezone != to_timezone"],
    "airport_distance_between": ["from_iata != to_iata"],
    "working_hours_overlap": ["timezone_a != timezone_b"],
    "anagram_check": ["phrase_a != phrase_b"],
    "semver_compare": ["version_a != version_b"],
    "recipe_scale": ["original_servings != target_servings"],
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
    "roulette_bet_odds": {
        "bet": {"high_19_36": "high (19-36)", "low_1_18": "low (1-18)", "six_line": "six-line"}
    },
    "normalize_values": {
        "method": {"min_max": "min-max", "z_score": "z-score", "share_of_total": "share-of-total"}
    },
    "exercise_calories_burned": {
        "activity": {
            "basketball_game": "a basketball game",
            "cycling_12_14mph": "cycling at 12-14 mph",
            "hiking_cross_country": "cross-country hiking",
            "jumping_rope_moderate": "jumping rope",
            "running_6mph": "running at 6 mph",
            "running_8mph": "running at 8 mph",
            "soccer_competitive": "competitive soccer",
            "swimming_freestyle_moderate": "freestyle swimming",
            "tennis_general": "tennis",
            "walking_3mph": "walking at 3 mph",
            "weight_lifting_vigorous": "vigorous weight lifting",
            "yoga_hatha": "hatha yoga",
        }
    },
    "coffee_dose": {
        "ratio": {
            "sca_golden_cup": "SCA golden cup",
            "strong_1_to_15": "strong 1:15",
            "light_1_to_17": "light 1:17",
            "french_press_1_to_12": "French press 1:12",
        }
    },
    "us_air_quality_index": {
        "pollutant": {
            "pm25_ugm3_24h": "24-hour PM2.5 (µg/m³)",
            "pm10_ugm3_24h": "24-hour PM10 (µg/m³)",
            "o3_ppm_8h": "8-hour ozone (ppm)",
            "co_ppm_8h": "8-hour CO (ppm)",
            "no2_ppb_1h": "1-hour NO2 (ppb)",
            "so2_ppb_1h": "1-hour SO2 (ppb)",
        }
    },
    "parcel_billable_weight": {
        "divisor": {
            "ups_fedex_139": "UPS/FedEx 139",
            "usps_166": "USPS 166",
            "courier_5000": "courier 5000",
            "iata_6000": "IATA 6000",
        }
    },
    "cooking_measure_convert": {
        "from_unit": {
            "fl_oz": "fl oz",
            "metric_cup": "metric cups",
            "pint_us": "US pints",
            "pint_uk": "UK pints",
            "quart_us": "US quarts",
            "gallon_us": "US gallons",
            "cup": "cups",
        },
        "to_unit": {
            "fl_oz": "fl oz",
            "metric_cup": "metric cups",
            "pint_us": "US pints",
            "pint_uk": "UK pints",
            "quart_us": "US quarts",
            "gallon_us": "US gallons",
            "cup": "cups",
        },
        "ingredient": {
            "brown_sugar_packed": "packed brown sugar",
            "white_rice_raw": "raw white rice",
            "all_purpose_flour": "all-purpose flour",
        },
    },
    "oven_temperature_convert": {
        "scale": {"celsius": "°C", "fahrenheit": "°F", "gas_mark": "gas mark"}
    },
    "light_travel_time": {"unit": {"light_year": "light years", "parsec": "parsecs"}},
    "nth_weekday_of_month": {
        "n": {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"},
        "weekday": {
            d: d.capitalize()
            for d in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        },
        "month": {
            i + 1: m
            for i, m in enumerate(
                (
                    "January",
                    "February",
                    "March",
                    "April",
                    "May",
                    "June",
                    "July",
                    "August",
                    "September",
                    "October",
                    "November",
                    "December",
                )
            )
        },
    },
    "physical_unit_convert": {
        "from_unit": {
            "mile": "miles",
            "foot": "feet",
            "inch": "inches",
            "yard": "yards",
            "kilometer": "kilometers",
            "pound": "pounds",
            "ounce": "ounces",
            "gallon": "gallons",
            "meter": "meters",
            "kilogram": "kilograms",
        },
        "to_unit": {
            "kilometer": "kilometers",
            "meter": "meters",
            "centimeter": "centimeters",
            "mile": "miles",
            "kilogram": "kilograms",
            "gram": "grams",
            "liter": "liters",
            "foot": "feet",
            "pound": "pounds",
        },
    },
}

DISPLAY["recipe_scale"] = {"unit": {"piece": "whole"}}
DISPLAY["compound_interest_future_value"] = {
    "compounds_per_year": {1: "yearly", 2: "twice a year", 4: "quarterly", 12: "monthly",
                           365: "daily"}
}  # fmt: skip
DISPLAY["one_rep_max_estimate"] = {
    "formula": {"epley": "Epley", "brzycki": "Brzycki", "lombardi": "Lombardi"}
}
DISPLAY["text_hash_digest"] = {
    "algorithm": {
        "md5": "MD5",
        "sha1": "SHA-1",
        "sha256": "SHA-256",
        "sha512": "SHA-512",
        "sha3_256": "SHA3-256",
    }
}
DISPLAY["chord_notes"] = {
    "quality": {
        "dominant7": "dominant seventh",
        "major7": "major seventh",
        "minor7": "minor seventh",
        "half_diminished7": "half-diminished seventh",
        "diminished7": "diminished seventh",
    }
}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip
DISPLAY["fiscal_quarter_of_date"] = {
    "fiscal_year_start_month": {i + 1: m for i, m in enumerate(_MONTHS)}
}
# "in US" reads "in the US" where the template names the country on its own.
for _api, _param in (
    ("public_holidays_list", "country_code"),
    ("trip_calendar_summary", "country_code"),
    ("country_travel_facts", "country_code"),
    ("add_business_days", "country"),
    ("business_days_between", "country"),
):
    DISPLAY.setdefault(_api, {})[_param] = {"US": "the US"}
DISPLAY["classic_cipher_transform"]["cipher"] = {
    "caesar": "Caesar",
    "vigenere": "Vigenère",
    "rot13": "ROT13",
    "atbash": "Atbash",
}
_PLATFORMS = {
    "x": "X",
    "github": "GitHub",
    "tiktok": "TikTok",
    "linkedin": "LinkedIn",
    "instagram": "Instagram",
    "facebook": "Facebook",
    "bluesky": "Bluesky",
    "mastodon": "Mastodon",
    "threads": "Threads",
    "reddit": "Reddit",
}
DISPLAY["social_post_length_check"] = {"platform": _PLATFORMS}
DISPLAY["social_username_check"] = {"platform": _PLATFORMS}
DISPLAY["roulette_bet_odds"]["wheel"] = {"european": "European", "american": "American"}
DISPLAY["roulette_bet_odds"]["bet"]["straight"] = "straight-up"

RESULT_BOUNDS: dict[str, dict[str, tuple[float, float]]] = {
    "follower_growth_rate": {"projected_followers": (0, 5e7)},
    "basketball_shooting_efficiency": {"true_shooting_percent": (0, 100)},
    "body_fat_navy_method": {"body_fat_pct": (3, 60)},
    "final_exam_score_needed": {"needed_pct": (0, 100)},
    "blood_alcohol_estimate": {"bac_percent": (0.005, 0.4)},
}

PHRASES: dict[str, dict[str, str]] = {
    "league_table_standings": {"results": "{home} {home_goals}-{away_goals} {away}"},
    "unit_price_compare": {"offers": "{quantity} for {price}"},
    "gpa_from_letter_grades": {"courses": "{grade} in a {credits}-credit course"},
    "weighted_course_grade": {"components": "{score_pct}% on a part worth {weight_pct}%"},
    "split_shared_expenses": {"payments": "{person} paid {amount}"},
    "recipe_scale": {"ingredients": "{quantity} {unit} {name}"},
    "linear_system_solve": {"constants": "[]"},
    "polynomial_evaluate_derivative": {"coefficients": "[]"},
}
