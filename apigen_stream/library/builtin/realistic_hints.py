"""The value hints of ``realistic.py``: only where the seed example and names are not enough.

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

# For every API whose arguments they name: a person's weight fits their height (BMI 18.5-32).
GENERAL_CONSTRAINTS: tuple[str, ...] = (
    "weight_kg >= height_cm * height_cm * 0.00185",
    "weight_kg <= height_cm * height_cm * 0.0032",
)

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
    # Second-round built-ins: values that only make sense together or within a game's rules.
    "bingo_card_check": {
        "card": KEEP,
        "called": [[1, 17, 49, 65], [3, 18, 48, 63, 34], [16, 17, 18, 19, 20], [5, 35, 50, 65, 61]],
    },
    "movie_marathon_schedule": {
        "runtimes_minutes": [[208, 235, 263], [152, 121, 134], [98, 104, 95, 110], [169, 155]]
    },
    "yahtzee_score": {
        "dice": [
            [3, 3, 3, 5, 5],
            [1, 2, 3, 4, 6],
            [6, 6, 6, 6, 2],
            [2, 3, 4, 5, 6],
            [4, 4, 4, 4, 4],
            [1, 1, 5, 6, 2],
        ]
    },
    "baseball_pitching_stats": {"innings_pitched": [180.1, 65.2, 6.0, 201.0, 95.1, 7.2]},
    "cricket_net_run_rate": {
        "overs_faced": [180.0, 96.4, 240.0],
        "overs_bowled": [183.2, 99.5, 238.1],
    },
    "cricket_required_run_rate": {
        "target,runs_scored,overs_bowled,total_overs": [
            (286, 142, 27.3, 50),
            (181, 96, 12.4, 20),
            (312, 250, 41.0, 50),
            (165, 40, 6.2, 20),
        ],
    },
    "cricket_bowling_figures": {"overs": [9.4, 10.0, 4.0, 3.5, 22.3]},
    "hockey_goalie_stats": {
        "shots_against,saves,minutes_played": [(880, 812, 1500), (31, 29, 60), (1650, 1510, 2900)],
    },
    "tennis_game_score": {
        "server_points,receiver_points": [(3, 2), (0, 0), (1, 3), (4, 4), (5, 4), (4, 1), (2, 2)],
    },
    "basketball_efficiency_rating": {
        "field_goals_made,field_goals_attempted,free_throws_made,free_throws_attempted": [
            (10, 19, 6, 7),
            (4, 12, 2, 2),
            (13, 22, 9, 11),
            (7, 15, 0, 1),
        ],
    },
    "social_image_size": {
        "platform,placement": [
            ("youtube", "thumbnail"),
            ("instagram", "story"),
            ("linkedin", "banner"),
            ("x", "header"),
            ("pinterest", "pin"),
        ],
    },
    "sliding_puzzle_solvable": {"tiles": KEEP},
    "macro_split_grams": {
        "protein_percent,carb_percent,fat_percent": [
            (30, 40, 30),
            (20, 50, 30),
            (40, 30, 30),
            (25, 45, 30),
        ],
    },
    "game_2048_move": {"board": KEEP},
    "game_of_life_step": {"grid": KEEP},
    "connect_four_winner": {"board": KEEP},
    "minesweeper_numbers": {"board": KEEP},
    "magic_square_check": {"grid": KEEP},
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
    "loan_monthly_payment": {
        "years": [5, 10, 15, 20, 25, 30],
        "annual_rate_percent": (3.0, 8.5, 1),
    },
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
    # X moves first: an empty board is X's turn.
    "tic_tac_toe_best_move": {
        "board,player": [
            (".........", "X"),
            ("XX.OO....", "O"),
            ("X...O....", "X"),
            ("XO.......", "X"),
        ]
    },
    "values_percentile": {"percentile": [10, 25, 50, 75, 90, 95, 99]},
    "noise_exposure_limit": {"level_dba": (82, 110)},
    "emoji_shortcode_convert": {
        "text": ["Great job :thumbs_up: :fire:", "Ship it :rocket:!"],
        "direction": ["to_emoji"],
    },
    "sunrise_sunset_times": {
        "latitude,longitude,timezone": [
            (40.71, -74.01, "America/New_York"),
            (51.51, -0.13, "Europe/London"),
            (35.68, 139.69, "Asia/Tokyo"),
            (-33.87, 151.21, "Australia/Sydney"),
            (48.86, 2.35, "Europe/Paris"),
            (34.05, -118.24, "America/Los_Angeles"),
        ]
    },
    # Comma-separated only: a template that leaves the delimiter out gets the default comma.
    "csv_text_to_records": {"delimiter": [","]},
    "terms_to_graduate": {"credits_required": [120, 128, 180], "credits_per_term": (12, 18)},
    "gross_margin_and_markup": {"cost": (8, 120)},
    "percentage_calculate": {
        "operation,a,b": [
            ("percent_of", 15, 240),
            ("what_percent", 45, 180),
            ("percent_change", 80, 92),
            ("increase_by", 12, 250),
            ("decrease_by", 20, 65),
            ("percent_change", 1200, 950),
            ("percent_of", 8, 1250),
        ]
    },
    "semver_bump": {"part": ["major", "minor", "patch"]},
    "histogram_bins": {"bins": (3, 8)},
    "moving_average_series": {"window": (2, 4)},
    "compound_interest_future_value": {
        "monthly_contribution": [50, 100, 200, 250, 500],
        "annual_rate_percent": (2.0, 8.0, 1),
    },
    "elo_rating_update": {
        "rating_a": (1000, 2400),
        "rating_b": (1000, 2400),
        "k_factor": [10, 16, 20, 32, 40],
    },
    "tv_season_air_dates": {"episodes": (6, 24)},
    "meeting_cost": {"overhead_multiplier": [1.3, 1.5, 2]},
    "add_business_days": {"business_days": (3, 30)},
    "pregnancy_due_date": {"cycle_length_days": (25, 34)},
    "smoking_pack_years": {"years_smoked": (5, 40), "cigarettes_per_day": (5, 30)},
    "heat_index": {"temperature_f": (80, 108)},
    "wind_chill": {"temperature_f": (-10, 40)},
    "us_air_quality_index": {
        "pollutant,concentration": [
            ("pm25_ugm3_24h", 12),
            ("pm25_ugm3_24h", 35.5),
            ("pm25_ugm3_24h", 58),
            ("pm10_ugm3_24h", 60),
            ("o3_ppm_8h", 0.065),
            ("co_ppm_8h", 4.2),
            ("no2_ppb_1h", 48),
            ("so2_ppb_1h", 20),
        ]
    },
    "projectile_motion": {"angle_deg": (15, 75)},
    "sales_tax_breakdown": {"tax_rate_pct": [5, 6.25, 7, 8.25, 8.875, 10, 19, 20]},
    "loan_amortization_by_year": {"annual_rate_percent": (3.0, 8.5, 1)},
    "gpa_from_letter_grades": {
        "courses": [
            [
                {"grade": "A", "credits": 4},
                {"grade": "B+", "credits": 3},
                {"grade": "A-", "credits": 3},
            ],
            [
                {"grade": "B", "credits": 3},
                {"grade": "B+", "credits": 4},
                {"grade": "C+", "credits": 3},
            ],
            [
                {"grade": "A", "credits": 3},
                {"grade": "A", "credits": 3},
                {"grade": "B-", "credits": 4},
            ],
            [{"grade": "A-", "credits": 4}, {"grade": "B", "credits": 2}],
        ]
    },
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
