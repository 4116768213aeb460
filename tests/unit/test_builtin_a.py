"""Built-in APIs of Finance, Data, Sports, Travel, Technology, Social, Media, Entertainment,
Tools and Math: declarations are complete and valid, seed calls run, and answers are right."""

from __future__ import annotations

import importlib
import json
import re
import string
from collections.abc import Callable
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from apigen_stream.library.registry import BUILTIN_PACKAGE, Api, apis_in_module

CATEGORIES = (
    "Finance", "Data", "Sports", "Travel", "Technology", "Social", "Media", "Entertainment",
    "Tools", "Math",
)  # fmt: skip

# The bar of the library issue is 10 per category; each category here carries one spare.
MIN_PER_CATEGORY = 10


def _module_apis(category: str) -> list[Api]:
    return apis_in_module(importlib.import_module(f"{BUILTIN_PACKAGE}.{category.lower()}"))


ALL_APIS: list[Api] = [a for c in CATEGORIES for a in _module_apis(c)]


def _function(entry: Api) -> Callable[..., Any]:
    module_name, func_name = entry.target.split(":")
    func: Callable[..., Any] = getattr(importlib.import_module(module_name), func_name)
    return func


def _call(api_name: str, /, **arguments: Any) -> Any:
    entry = next(a for a in ALL_APIS if a.name == api_name)
    return _function(entry)(**arguments)


def _seed_arguments(entry: Api) -> dict[str, Any]:
    return dict(entry.examples[0].calls[0].arguments)


@pytest.mark.parametrize("category", CATEGORIES)
def test_each_category_has_enough_apis_all_declared_in_it(category: str) -> None:
    apis = _module_apis(category)
    assert len(apis) >= MIN_PER_CATEGORY
    assert {a.category for a in apis} == {category}


def test_api_names_are_unique_across_the_whole_builtin_library() -> None:
    from apigen_stream.library.registry import Registry, builtin_apis

    # Registry.add raises on a second tool with the same name.
    assert len(Registry(builtin_apis())) >= len(ALL_APIS)


@pytest.mark.parametrize("entry", ALL_APIS, ids=lambda a: a.name)
def test_declaration_is_complete(entry: Api) -> None:
    assert len(entry.description) >= 40
    assert len(entry.templates) >= 2
    assert entry.examples
    props: dict[str, Any] = entry.parameters["properties"]
    Draft202012Validator.check_schema(entry.parameters)
    for pname, prop in props.items():
        assert prop.get("description"), f"{pname} has no description"
        if prop.get("type") == "string" and "enum" not in prop:
            assert len(prop.get("examples", [])) >= 3, f"{pname} needs 3 examples"
        if prop.get("type") == "array":
            assert "items" in prop, f"{pname} has no items"


@pytest.mark.parametrize("entry", ALL_APIS, ids=lambda a: a.name)
def test_templates_use_parameter_names_and_cover_required(entry: Api) -> None:
    props = set(entry.parameters["properties"])
    used: set[str] = set()
    for template in entry.templates:
        fields = {f for _, f, _, _ in string.Formatter().parse(template) if f}
        assert fields <= props, f"unknown placeholders {fields - props}"
        used |= fields
    assert set(entry.parameters["required"]) <= used


@pytest.mark.parametrize("entry", ALL_APIS, ids=lambda a: a.name)
def test_seed_call_validates_and_is_deterministic_json(entry: Api) -> None:
    validator = Draft202012Validator(entry.parameters)
    for example in entry.examples:
        arguments = example.calls[0].arguments
        validator.validate(arguments)
        first = _function(entry)(**arguments)
        second = _function(entry)(**arguments)
        assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


def _example_substitutions(entry: Api) -> list[tuple[str, Any]]:
    subs = []
    for pname, prop in entry.parameters["properties"].items():
        if prop.get("type") == "string" and "enum" not in prop:
            subs += [(pname, value) for value in prop["examples"]]
        if prop.get("type") == "array" and "examples" in prop:
            subs += [(pname, value) for value in prop["examples"]]
    return subs


@pytest.mark.parametrize("entry", ALL_APIS, ids=lambda a: a.name)
def test_every_schema_example_value_gives_a_successful_call(entry: Api) -> None:
    validator = Draft202012Validator(entry.parameters)
    for pname, value in _example_substitutions(entry):
        arguments = {**_seed_arguments(entry), pname: value}
        validator.validate(arguments)
        result = _function(entry)(**arguments)
        json.dumps(result)


# ---- correctness spot-checks against independently known values ----


def test_finance_known_values() -> None:
    # 200,000 at 6.5% over 30 years: the standard textbook payment is 1,264.14.
    assert _call("loan_monthly_payment", principal=200000, annual_rate_percent=6.5, years=30)[
        "monthly_payment"
    ] == pytest.approx(1264.14, abs=0.01)
    # Hull's textbook example: S=K=100, T=1, sigma=20%, r=5% gives a call of 10.4506.
    bs = _call(
        "black_scholes_option_price",
        spot_price=100,
        strike_price=100,
        years_to_expiry=1,
        volatility_percent=20,
        risk_free_rate_percent=5,
        option_type="call",
    )
    assert bs["price"] == pytest.approx(10.4506, abs=1e-3)
    irr = _call("internal_rate_of_return", cash_flows=[-100, 110])["irr_percent"]
    assert irr == pytest.approx(10.0, abs=1e-6)
    assert _call("iban_validate", iban="GB82 WEST 1234 5698 7654 32")["valid"] is True
    assert _call("iban_validate", iban="GB82 WEST 1234 5698 7654 33")["valid"] is False
    assert re.search(
        r"1\.234,50\s€",
        _call("currency_amount_format", amount=1234.5, currency="EUR", locale="de_DE")["formatted"],
    )


def test_data_known_values() -> None:
    stats = _call("descriptive_statistics", values=[2, 4, 4, 4, 5, 5, 7, 9])
    assert stats["mean"] == 5
    assert stats["modes"] == [4]
    assert stats["stdev"] == pytest.approx(2.13809, abs=1e-5)
    # Perfect line y = 2x + 1.
    fit = _call("linear_regression_fit", x=[1, 2, 3], y=[3, 5, 7], predict_x=10)
    assert (fit["slope"], fit["intercept"], fit["predicted_y"]) == (2, 1, 21)
    assert _call("values_percentile", values=[1, 2, 3, 4, 5], percentile=25)["value"] == 2
    assert _call("iso_country_codes_lookup", country="Germany")["alpha_3"] == "DEU"
    assert _call("iso_country_codes_lookup", country="392")["alpha_2"] == "JP"
    assert _call("iso_language_lookup", language="Swahili")["iso639_1"] == "sw"
    rows = _call("csv_text_to_records", csv_text="a;b\n1;x", delimiter=";")["records"]
    assert rows == [{"a": 1, "b": "x"}]
    with pytest.raises(ValueError, match="not found"):
        _call("json_path_extract", json_text='{"a": [1]}', path="a[3]")


def test_sports_known_values() -> None:
    # The maximum possible NFL passer rating is 158.3.
    perfect = _call(
        "nfl_passer_rating", completions=20, attempts=20, yards=400, touchdowns=8, interceptions=0
    )
    assert perfect["passer_rating"] == 158.3
    # Equal ratings: expected score 0.5, a win with K=32 moves 16 points.
    elo = _call("elo_rating_update", rating_a=1600, rating_b=1600, score_a=1, k_factor=32)
    assert (elo["expected_score_a"], elo["new_rating_a"]) == (0.5, 1616)
    assert _call("running_pace_calculator", distance_km=10, time="50:00")["pace_per_km"] == "5:00"
    # 0.300 hitter: 150 hits in 500 at-bats.
    assert _call("baseball_batting_stats", at_bats=500, hits=150)["avg"] == 0.3
    # 70 kg running at 6 mph (9.8 MET) for an hour burns 686 kcal.
    kcal = _call("exercise_calories_burned", activity="running_6mph", weight_kg=70, minutes=60)
    assert kcal["kcal"] == 686
    table = _call(
        "league_table_standings",
        results=[
            {"home": "A", "away": "B", "home_goals": 2, "away_goals": 0},
            {"home": "B", "away": "C", "home_goals": 1, "away_goals": 1},
        ],
    )["table"]
    assert [(r["team"], r["points"]) for r in table] == [("A", 3), ("C", 1), ("B", 1)]


def test_travel_known_values() -> None:
    # JFK-LHR great-circle distance is about 5,540 km.
    assert _call("airport_distance_between", from_iata="JFK", to_iata="LHR")["km"] == (
        pytest.approx(5540, abs=15)
    )
    # 11 US federal holidays in 2024 (Juneteenth included).
    assert _call("public_holidays_list", country_code="US", year=2024)["count"] == 11
    tokyo = _call(
        "destination_local_time",
        local_datetime="2024-07-15T09:30",
        from_timezone="America/New_York",
        to_timezone="Asia/Tokyo",
    )
    assert (tokyo["destination_time"], tokyo["day_shift"]) == ("2024-07-15T22:30", 0)
    assert (
        _call(
            "time_zone_difference",
            timezone_a="Europe/London",
            timezone_b="Australia/Sydney",
            on_date="2024-07-01",
        )["hours_b_ahead_of_a"]
        == 9
    )
    nearest = _call("nearest_airports_to_point", latitude=51.47, longitude=-0.4543, limit=1)
    assert nearest["airports"][0]["iata"] == "LHR"
    facts = _call("country_travel_facts", country_code="JP")
    assert facts["currencies"][0]["code"] == "JPY"
    assert facts["dialling_code"] == "+81"
    # London sunrise on the 2024 summer solstice is 04:43 BST.
    sun = _call(
        "sunrise_sunset_times",
        latitude=51.5074,
        longitude=-0.1278,
        on_date="2024-06-21",
        timezone="Europe/London",
    )
    assert sun["sunrise"] == "04:43"


def test_technology_known_values() -> None:
    net = _call("ip_subnet_details", cidr="10.20.30.40/27")
    assert (net["network"], net["broadcast"], net["usable_hosts"]) == (
        "10.20.30.32",
        "10.20.30.63",
        30,
    )
    assert _call("ip_address_classify", address="8.8.8.8")["is_global"] is True
    assert (
        _call("semver_compare", version_a="1.0.0-alpha", version_b="1.0.0-alpha.1")["comparison"]
        == -1
    )
    assert _call("semver_compare", version_a="1.10.0", version_b="1.9.9")["comparison"] == 1
    assert _call("semver_bump", version="1.4.2", part="minor")["next"] == "1.5.0"
    # Python's documented uuid5 example.
    assert (
        _call("uuid_from_name", name="python.org")["uuid"] == "886313e1-3b8a-5372-9b90-0c9aee199e5d"
    )
    assert _call("text_hash_digest", text="", algorithm="sha256")["hex_digest"].startswith(
        "e3b0c442"
    )
    runs = _call("cron_next_run_times", expression="0 9 * * 1-5", start="2024-07-19T10:00", count=2)
    assert runs["runs"] == ["2024-07-22T09:00", "2024-07-23T09:00"]
    # The jwt.io sample token, signed with the secret "your-256-bit-secret".
    sample = (
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwia"
        "WF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
    )
    token = _call("jwt_decode_claims", token=sample, hs256_secret="your-256-bit-secret")
    assert token["claims"]["name"] == "John Doe"
    assert token["signature_valid"] is True
    assert _call("jwt_decode_claims", token=sample, hs256_secret="x")["signature_valid"] is False
    assert (
        _call("data_transfer_time", size=1, size_unit="GB", speed=8, speed_unit="Mbps")["seconds"]
        == 1000
    )


def test_social_known_values() -> None:
    # On X a CJK character weighs 2 and any link 23.
    x = _call(
        "social_post_length_check", text="東京 https://example.com/a/very/long/path", platform="x"
    )
    assert x["length"] == 2 + 2 + 1 + 23
    tags = _call(
        "hashtags_and_mentions_extract", text="Hi @ada! #Kafka #kafka #2024 #python3 mail@x.org"
    )
    assert tags["hashtags"] == ["Kafka", "python3"]
    assert tags["mentions"] == ["ada"]
    assert _call("emoji_usage_summary", text="Love it 😍😍😍 thanks 🙏")["distinct"][0] == {
        "emoji": "😍",
        "name": "smiling_face_with_heart-eyes",
        "count": 3,
    }
    assert (
        _call("emoji_shortcode_convert", text=":thumbs_up:", direction="to_emoji")["text"] == "👍"
    )
    assert _call("social_username_check", username="bad--name", platform="github")["valid"] is False
    assert _call("social_username_check", username="linus-t", platform="github")["valid"] is True
    leap = _call("birthday_countdown", birth_date="1992-02-29", on_date="2025-01-01")
    assert (leap["next_birthday"], leap["turning_age"]) == ("2025-02-28", 33)
    assert (
        _call(
            "referral_viral_coefficient",
            initial_users=100,
            invites_per_user=2,
            conversion_percent=50,
            cycles=3,
        )["total_users"]
        == 400
    )


def test_media_known_values() -> None:
    # WCAG: black on white is the maximum 21:1; #777 on white is the classic 4.48 near-miss.
    assert _call("color_contrast_ratio", foreground="black", background="#fff")["ratio"] == 21
    grey = _call("color_contrast_ratio", foreground="#777777", background="white")
    assert (grey["ratio"], grey["aa_normal_text"]) == (4.48, False)
    navy = _call("color_code_convert", color="rgb(0, 0, 128)")
    assert (navy["hex"], navy["css_name"], navy["hsl"]) == ("#000080", "navy", [240, 100, 25])
    isbn = _call("isbn_validate", isbn="978-0-306-40615-7")
    assert (isbn["valid"], isbn["isbn10"]) == (True, "0306406152")
    assert _call("isbn_validate", isbn="978-0-306-40615-8")["valid"] is False
    assert _call("aspect_ratio_resize", width=1920, height=1080, new_width=1280) == {
        "ratio": "16:9",
        "decimal": 1.7778,
        "new_height": 720,
    }
    # CD audio: 1411.2 kbps.
    cd = _call(
        "uncompressed_audio_file_size",
        sample_rate_hz=44100,
        bit_depth=16,
        duration_seconds=60,
        channels=2,
    )
    assert cd["bitrate_kbps"] == 1411.2
    assert _call("timecode_to_frame_count", timecode="01:00:00:00", fps=25)["frames"] == 90000
    shifted = _call("srt_subtitle_shift", srt_text="00:00:01,000 --> 00:00:02,000", offset_ms=-1500)
    assert shifted["srt_text"] == "00:00:00,000 --> 00:00:00,500"
    easy = _call("text_readability_scores", text="The cat sat on the mat.")
    assert easy["flesch_reading_ease"] > 90
    assert easy["words"] == 6


def test_entertainment_known_values() -> None:
    # Powerball: 1 in 292,201,338.
    assert (
        _call("lottery_jackpot_odds", main_pool=69, main_picks=5, bonus_pool=26, bonus_picks=1)[
            "one_in"
        ]
        == 292201338
    )
    # House edge: 2.703% single zero, 5.263% double zero.
    assert _call("roulette_bet_odds", bet="red", wheel="european")["house_edge_percent"] == 2.703
    assert (
        _call("roulette_bet_odds", bet="straight", wheel="american")["house_edge_percent"] == 5.263
    )
    assert _call("bowling_score_calculate", rolls=[10] * 12)["score"] == 300
    assert _call("bowling_score_calculate", rolls=[9, 1] * 10 + [9])["score"] == 190
    assert _call("birthday_paradox_probability", people=23)["probability_shared"] == (
        pytest.approx(0.507297, abs=1e-6)
    )
    solved = _call(
        "sudoku_puzzle_solve",
        puzzle="53..7....6..195....98....6.8...6...34..8.3..17...2...6.6....28....419..5....8..79",
    )
    assert solved["solution"][0] == "534678912"
    assert solved["unique"] is True
    assert (
        _call("classic_cipher_transform", text="Attack at dawn", cipher="vigenere", key="LEMON")[
            "result"
        ]
        == "Lxfopv ef rnhr"
    )
    assert _call("classic_cipher_transform", text="Uryyb", cipher="rot13")["result"] == "Hello"
    assert _call("scrabble_word_score", word="quartz")["letter_total"] == 24
    assert _call("blackjack_hand_value", cards=["A", "A", "9"])["total"] == 21
    assert _call("anagram_check", phrase_a="Dormitory", phrase_b="Dirty room")["anagrams"] is True


def test_tools_known_values() -> None:
    assert _call("physical_unit_convert", value=26.2, from_unit="mile", to_unit="kilometer")[
        "value"
    ] == pytest.approx(42.1648128)
    assert _call("physical_unit_convert", value=100, from_unit="degC", to_unit="degF")[
        "value"
    ] == pytest.approx(212)
    with pytest.raises(ValueError, match="cannot convert"):
        _call("physical_unit_convert", value=1, from_unit="mile", to_unit="kilogram")
    assert _call("percentage_calculate", operation="percent_change", a=80, b=100)["result"] == 25
    assert _call("unix_timestamp_convert", timestamp=0)["utc"] == "1970-01-01T00:00:00+00:00"
    assert _call("base64_text_codec", text="aGVsbG8gd29ybGQ=", direction="decode")["result"] == (
        "hello world"
    )
    assert _call("text_case_convert", text="parseHTTPResponse", style="snake")["result"] == (
        "parse_httpresponse"
    )
    assert _call("text_case_convert", text="user account id", style="camel")["result"] == (
        "userAccountId"
    )
    assert _call("url_slug_generate", title="Crème Brûlée: A Beginner's Guide!")["slug"] == (
        "creme-brulee-a-beginners-guide"
    )
    weak = _call("password_strength_estimate", password="qwerty")
    assert weak["rating"] == "very weak"
    assert "a keyboard or alphabet sequence of 4+ characters" in weak["issues"]
    diff = _call("text_line_diff", original="a\nb", revised="a\nc\nd")
    assert (diff["added"], diff["removed"]) == (2, 1)
    assert _call("json_format_validate", json_text="[1,]")["valid"] is False


def test_math_known_values() -> None:
    assert _call("quadratic_equation_solve", a=1, b=-5, c=6)["roots"] == [2, 3]
    assert _call("quadratic_equation_solve", a=1, b=0, c=1)["roots"] == [
        {"real": 0, "imag": -1},
        {"real": 0, "imag": 1},
    ]
    assert _call("prime_factorization", n=360)["expression"] == "2^3 × 3^2 × 5"
    # 2^61 - 1 is a Mersenne prime; 561 is the smallest Carmichael number.
    assert _call("primality_check", n=2**61 - 1)["is_prime"] is True
    assert _call("primality_check", n=561)["is_prime"] is False
    assert _call("gcd_lcm_of_integers", numbers=[12, 18, 30]) == {"gcd": 6, "lcm": 180}
    assert _call("combinations_permutations_count", n=52, k=5)["combinations"] == 2598960
    assert _call("fibonacci_number", n=50)["value"] == 12586269025
    assert _call("roman_numeral_convert", value="MCMXCIV")["integer"] == 1994
    with pytest.raises(ValueError, match="standard"):
        _call("roman_numeral_convert", value="IIII")
    assert _call("number_base_convert", value="255", from_base=10, to_base=16)["result"] == "ff"
    assert _call("matrix_determinant", matrix=[[2, 1], [7, 4]])["determinant"] == 1
    assert _call("linear_system_solve", coefficients=[[2, 1], [1, -1]], constants=[5, 1])[
        "solution"
    ] == [2, 1]
    assert _call("triangle_from_sides", a=3, b=4, c=5)["type"] == "scalene right"
    poly = _call("polynomial_evaluate_derivative", coefficients=[3, 0, -2], x=2)
    assert (poly["value"], poly["derivative_value"]) == (10, 12)
