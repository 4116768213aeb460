"""The per-API entries of ``realistic.py``: only where the seed example and names are not enough.

Ranges are what people ask about (sources: everyday experience of the domain, and the API's own
description); keys joined by a comma take their values together from one tuple.
"""

from __future__ import annotations

from typing import Any

KEEP = "keep"

_SIZES = [
    (700, "MB"),
    (4.7, "GB"),
    (25, "GB"),
    (1.5, "GiB"),
    (250, "MiB"),
    (2, "TB"),
    (12, "MB"),
    (80, "GB"),
    (3.2, "GB"),
    (500, "MB"),
]
_SPEEDS = [
    (100, "Mbps"),
    (1, "Gbps"),
    (50, "Mbps"),
    (500, "Mbps"),
    (20, "Mbps"),
    (300, "Mbps"),
    (10, "Mbps"),
    (2.5, "Gbps"),
]
_CITIES = [
    ("London", "GB"),
    ("Paris", "FR"),
    ("Tokyo", "JP"),
    ("New York", "US"),
    ("Berlin", "DE"),
    ("Chicago", "US"),
    ("Milan", "IT"),
    ("Osaka", "JP"),
    ("Toronto", "CA"),
    ("Sydney", "AU"),
    ("Houston", "US"),
    ("Rome", "IT"),
]
_NOTE_PAIRS = [
    ("C4", "G4"),
    ("A3", "E4"),
    ("F#3", "A3"),
    ("D4", "C5"),
    ("E4", "B4"),
    ("G3", "D4"),
    ("Bb3", "F4"),
    ("C4", "C5"),
    ("A4", "C#5"),
    ("E3", "G3"),
]
_UNITS = [
    ("mile", "kilometer"),
    ("foot", "meter"),
    ("inch", "centimeter"),
    ("yard", "meter"),
    ("kilometer", "mile"),
    ("pound", "kilogram"),
    ("ounce", "gram"),
    ("gallon", "liter"),
    ("meter", "foot"),
    ("kilogram", "pound"),
]

# By parameter name, for every API: people, weather and health readings in everyday ranges.
NAME_HINTS: dict[str, Any] = {
    "height_cm": (152, 195),
    "weight_kg": (50, 110),
    "age": (18, 80),
    "temperature_c": (-5, 35),
    "temperature_f": (20, 100),
    "relative_humidity": (25, 95),
    "heart_rate_bpm": (55, 100),
    "resting_heart_rate": (48, 80),
    "systolic": (100, 160),
    "diastolic": (60, 100),
    "consumption_l_per_100km": (4.5, 9.5, 1),
}


def _part(score: int, weight: int) -> dict[str, int]:
    return {"score_pct": score, "weight_pct": weight}


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
    "baseball_batting_stats": {
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
    "bowling_score_calculate": {"rolls": KEEP},
    "http_status_code_info": {
        "code": [
            200,
            201,
            204,
            301,
            302,
            304,
            400,
            401,
            403,
            404,
            405,
            409,
            410,
            418,
            422,
            429,
            500,
            502,
            503,
            504,
        ]
    },
    "dnd_point_buy_cost": {
        "scores": [
            [15, 14, 13, 12, 10, 8],
            [15, 15, 15, 8, 8, 8],
            [14, 14, 14, 12, 10, 8],
            [13, 13, 13, 12, 12, 12],
            [15, 14, 12, 12, 10, 10],
            [15, 15, 13, 10, 10, 8],
        ]
    },
    "triangle_from_sides": {"a": (3, 12), "b": (3, 12), "c": (3, 12)},
    "basketball_shooting_efficiency": {
        "field_goals_attempted": (8, 25),
        "field_goals_made": (3, 12),
        "three_pointers_made": (0, 5),
        "free_throws_attempted": (0, 10),
    },
    "weekly_pay_with_overtime": {
        "hours_worked": (30, 60),
        "overtime_threshold": [35, 37.5, 40],
        "overtime_multiplier": [1.5, 2],
    },
    "working_hours_overlap": {"work_start_hour": (7, 10), "work_hours": (7, 9)},
    "regex_find_matches": {
        "pattern,text": [
            (r"\b\d{3}-\d{4}\b", "Call 555-1234 or 555-9876"),
            (r"[\w.+-]+@[\w-]+\.[\w.]+", "Contacts: bob@test.org, ada@example.com"),
            (r"#(\w+)", "Launch day! #release #opensource"),
        ]
    },
    "classic_cipher_transform": {"shift": (1, 13), "key": ["LEMON", "CIPHER", "SECRET"]},
    "black_scholes_option_price": {"years_to_expiry": [0.25, 0.5, 1, 2]},
    "loan_monthly_payment": {"years": [5, 10, 15, 20, 25, 30]},
    "final_exam_score_needed": {
        "current_grade_pct": (62, 92),
        "final_weight_pct": [20, 25, 30, 40],
        "target_grade_pct": [70, 75, 80, 85, 90],
    },
    "pomodoro_study_plan": {"total_minutes": (90, 240), "focus_minutes": [25, 30, 45, 50]},
    "tiles_needed": {
        "tile_length_cm,tile_width_cm": [(30, 30), (60, 60), (30, 60), (20, 20), (45, 45), (15, 15)]
    },
    "wall_paint_needed": {
        "room_length_m": (2.5, 6.0, 1),
        "room_width_m": (2.5, 5.0, 1),
        "wall_height_m": [2.4, 2.5, 2.6, 2.7],
    },
    "blood_alcohol_estimate": {"standard_drinks": (2, 6), "hours_since_first_drink": (1, 3)},
    "body_fat_navy_method": {"neck_cm": (32, 42), "waist_cm": (68, 100), "hip_cm": (85, 110)},
    "qtc_interval": {"qt_ms": (340, 450), "heart_rate_bpm": (55, 100)},
    "light_travel_time": {
        "distance,unit": [
            (384400, "km"),
            (1, "au"),
            (5.2, "au"),
            (4.24, "light_year"),
            (1.3, "parsec"),
            (150000000, "km"),
        ]
    },
    "oven_temperature_convert": {
        "value,scale": [
            (180, "celsius"),
            (200, "celsius"),
            (160, "celsius"),
            (350, "fahrenheit"),
            (425, "fahrenheit"),
            (4, "gas_mark"),
            (6, "gas_mark"),
        ]
    },
    "beaufort_wind_force": {
        "wind_speed,unit": [
            (45, "km/h"),
            (12, "m/s"),
            (30, "mph"),
            (20, "knots"),
            (80, "km/h"),
            (5, "m/s"),
        ]
    },
    "aspect_ratio_resize": {
        "width,height": [
            (1920, 1080),
            (3840, 2160),
            (1280, 720),
            (4000, 3000),
            (6000, 4000),
            (1080, 1350),
            (2560, 1440),
        ],
        "new_width": [640, 800, 1024, 1200, 1600],
    },
    "image_print_size": {
        "width_px,height_px": [
            (6000, 4000),
            (4032, 3024),
            (3000, 2000),
            (5472, 3648),
            (1920, 1080),
        ],
        "dpi": [150, 240, 300, 600],
    },
    "lottery_jackpot_odds": {
        "main_picks,main_pool": [(6, 49), (5, 69), (5, 50), (6, 59), (6, 45)],
        "bonus_picks,bonus_pool": [(1, 26), (2, 12), (1, 10), (1, 25)],
    },
    "running_pace_calculator": {
        "distance_km,time": [
            (5, "27:45"),
            (10, "48:12"),
            (21.1, "2:05:10"),
            (8, "44:30"),
            (42.195, "3:59:59"),
        ]
    },
    "race_time_prediction": {
        "known_distance_km,known_time": [
            (5, "25:30"),
            (10, "48:12"),
            (21.1, "1:52:40"),
            (10, "55:03"),
        ],
        "target_distance_km": [10, 21.1, 42.195],
    },
    "frequency_to_note": {"a4_hz": [440, 432, 442, 415], "frequency_hz": (80, 1000)},
    "note_frequency": {"a4_hz": [440, 432, 442, 415]},
    "trip_fuel_cost_estimate": {
        "consumption_l_per_100km": (4.5, 9.5, 1),
        "fuel_price_per_litre": (1.35, 2.05, 2),
    },
    "solar_pv_output": {
        "peak_sun_hours": (3.0, 6.0, 1),
        "capacity_kw": (3, 12),
        "performance_ratio": (0.75, 0.85, 2),
    },
    "json_format_validate": {"indent": [2, 4]},
    "ring_size_from_circumference": {"circumference_mm": (48, 68)},
    "price_elasticity_of_demand": {
        "price_before,quantity_before,price_after,quantity_after": [
            (10, 500, 12, 420),
            (8, 420, 9, 380),
            (2.5, 300, 3, 240),
            (20, 150, 24, 120),
            (4, 900, 5, 760),
            (1.5, 1000, 1.8, 850),
        ]
    },
    "currency_amount_format": {
        "amount,currency": [
            (1234.5, "EUR"),
            (761, "JPY"),
            (15800, "JPY"),
            (99.99, "USD"),
            (2471.7, "INR"),
            (3026.5, "EUR"),
            (849.95, "USD"),
        ]
    },
    "text_statistics_count": {"top_words": (3, 10)},
    "heating_cooling_degree_days": {"base_temperature": [15.5, 18, 65]},
    "scale_notes": {
        "root,scale": [
            ("C", "major"),
            ("G", "major"),
            ("D", "major"),
            ("A", "natural_minor"),
            ("E", "natural_minor"),
            ("D", "dorian"),
            ("G", "mixolydian"),
            ("F", "major"),
            ("C", "major_pentatonic"),
            ("A", "minor_pentatonic"),
            ("E", "blues"),
            ("A", "harmonic_minor"),
        ]
    },
    "diatonic_chords": {"key": ["C", "G", "D", "A", "E", "F", "Bb", "Eb"]},
    "chord_notes": {"root": ["C", "D", "E", "F", "G", "A", "B", "Bb", "Eb", "F#"]},
    "key_signature": {"key": ["C", "G", "D", "A", "E", "B", "F", "Bb", "Eb", "Ab"]},
    "article_reading_time": {"words_per_minute": (180, 300)},
    "rainwater_harvest": {"runoff_coefficient": (0.6, 0.9, 2)},
    "timecode_to_frame_count": {"offset_frames": (12, 2400)},
    "note_duration_ms": {"bpm": (60, 180)},
    "uncompressed_audio_file_size": {
        "sample_rate_hz,bit_depth": [
            (44100, 16),
            (48000, 16),
            (48000, 24),
            (44100, 24),
            (96000, 24),
            (192000, 24),
        ]
    },
    "cricket_run_rate": {"overs": (5, 19), "total_overs": [20, 50], "target": (140, 330)},
    "weighted_course_grade": {
        "components": [
            [_part(92, 20), _part(78, 30), _part(85, 50)],
            [_part(88, 25), _part(74, 25), _part(81, 50)],
            [_part(95, 10), _part(82, 40), _part(77, 50)],
            [_part(70, 30), _part(85, 30), _part(90, 40)],
            [_part(64, 40), _part(79, 60)],
        ]
    },
    "cooking_measure_convert": {
        "quantity,from_unit,to_unit": [
            (0.25, "cup", "tbsp"),
            (250, "ml", "cup"),
            (3, "tbsp", "ml"),
            (1, "lb", "g"),
            (8, "oz", "g"),
            (1.5, "l", "cup"),
            (2, "tsp", "ml"),
            (16, "fl_oz", "ml"),
            (2, "cup", "g"),
            (500, "g", "cup"),
        ]
    },
}

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
