"""Built-in APIs that bring Sports, Lifestyle, Entertainment, Social, Other, Gaming, Commerce
and Travel to 40 each: answers checked against independently known values (published tables,
worked examples, classic puzzle results) and bad input refused with a reason."""

from __future__ import annotations

from typing import Any

import pytest

from apigen_stream.library.builtin import (
    commerce,
    entertainment,
    gaming,
    lifestyle,
    other,
    social,
    sports,
    travel,
)


def test_sports_values_match_published_tables() -> None:
    # Cooper (1968): 2,800 m in 12 minutes is VO2max (2800 - 504.9) / 44.73 = 51.3.
    assert sports.cooper_test_vo2max(distance_m=2800)["vo2max_ml_kg_min"] == 51.3
    # World Athletics tables: 11.00 s in the 100 m scores 861 points.
    assert sports.decathlon_event_points(event="100m", performance=11.0)["points"] == 861
    assert sports.decathlon_event_points(event="100m", performance=19.0)["points"] == 0
    # 180.1 innings (180 1/3) and 62 earned runs: ERA 3.09.
    line = sports.baseball_pitching_stats(
        innings_pitched=180.1, earned_runs=62, hits=150, walks=45, strikeouts=190
    )
    assert line["era"] == 3.09 and line["whip"] == 1.081
    with pytest.raises(ValueError, match=r"\.0, \.1 or \.2"):
        sports.baseball_pitching_stats(innings_pitched=6.5, earned_runs=1, hits=1, walks=1)
    # WHS: 14.2 x 128 / 113 + (71.4 - 72) = 15.49, played as 15.
    assert (
        sports.golf_course_handicap(
            handicap_index=14.2, slope_rating=128, course_rating=71.4, par=72
        )["course_handicap"]
        == 15
    )
    assert sports.golf_stableford_points(par=4, strokes=5, handicap_strokes=1)["points"] == 2
    # Concept2: a 1:52.5 split is about 246 W.
    assert sports.rowing_split_and_watts(distance_m=2000, time="7:30")["watts"] == 245.8
    assert sports.games_behind_and_magic_number(
        leader_wins=88, leader_losses=60, team_wins=82, team_losses=66, season_games=162
    ) == {"games_behind": 6.0, "magic_number": 9}
    assert sports.climbing_grade_convert(grade="5.11d") == {"yds": "5.11d", "french": "7a"}
    assert sports.climbing_grade_convert(grade="6c")["yds"] == ["5.11a", "5.11b"]
    assert (
        sports.triathlon_total_time(
            swim="32:10", t1="2:30", bike="2:35:00", t2="1:50", run="1:45:30"
        )["total"]
        == "4:57:00"
    )


@pytest.mark.parametrize(
    ("server", "receiver", "score"),
    [(0, 0, "love-all"), (3, 2, "40-30"), (1, 3, "15-40"), (3, 3, "deuce"), (5, 4,
     "advantage server"), (4, 1, "game server"), (6, 8, "game receiver")],
)  # fmt: skip
def test_tennis_scores_follow_the_rules(server: int, receiver: int, score: str) -> None:
    assert (
        sports.tennis_game_score(server_points=server, receiver_points=receiver)["score"] == score
    )


def test_tennis_refuses_a_score_past_the_end_of_a_game() -> None:
    with pytest.raises(ValueError, match="ended earlier"):
        sports.tennis_game_score(server_points=5, receiver_points=1)


def test_wilks_favours_the_lighter_lifter_for_the_same_total() -> None:
    light = sports.wilks_score(bodyweight_kg=67.5, total_kg=600, sex="male")["wilks"]
    heavy = sports.wilks_score(bodyweight_kg=100, total_kg=600, sex="male")["wilks"]
    assert light > heavy


def test_lifestyle_values() -> None:
    # NHS: a pint (568 ml) of 5% beer is 2.8 units.
    assert lifestyle.alcohol_units(volume_ml=568, abv_percent=5)["uk_units"] == 2.84
    # Wang et al. (2020): 16 ln(5) + 31.
    assert lifestyle.dog_age_in_human_years(dog_age_years=5)["human_years"] == 56.8
    assert lifestyle.cat_age_in_human_years(cat_age_years=8)["human_years"] == 48
    # 26.5 cm foot: UK 8, EU 42 on the usual charts.
    shoe = lifestyle.shoe_size_from_foot_length(foot_length_cm=26.5)
    assert (shoe["uk"], shoe["eu"]) == (8.0, 42)
    # 270 cm rise with risers up to 19 cm: 15 risers of 18 cm, 27 cm treads (2R + G = 63).
    stairs = lifestyle.stair_dimensions(total_rise_cm=270, max_riser_cm=19)
    assert (stairs["risers"], stairs["riser_cm"], stairs["tread_cm"]) == (15, 18.0, 27.0)
    streaks = lifestyle.habit_streaks(
        dates=["2025-03-05", "2025-03-01", "2025-03-02", "2025-03-03", "2025-03-06"]
    )
    assert (streaks["longest_streak"], streaks["current_streak"]) == (3, 2)
    assert lifestyle.turkey_roasting_time(weight_kg=6, stuffed=False)["roast_hours"] == [3.0, 3.75]
    baby = lifestyle.baby_age(birth_date="2025-01-31", on_date="2025-03-01")
    assert (baby["days"], baby["months"], baby["days_after_months"]) == (29, 1, 1)
    with pytest.raises(ValueError, match="add up to 100"):
        lifestyle.macro_split_grams(
            calories=2000, protein_percent=50, carb_percent=50, fat_percent=20
        )


def test_entertainment_puzzle_answers() -> None:
    assert entertainment.n_queens_solutions(n=8)["solutions"] == 92
    assert entertainment.collatz_sequence(n=27)["steps"] == 111
    assert entertainment.collatz_sequence(n=27)["peak"] == 9232
    assert entertainment.kaprekar_routine(number=3524)["iterations"] == 3
    assert entertainment.happy_number_check(n=19)["happy"] is True
    assert entertainment.happy_number_check(n=4)["happy"] is False
    hanoi = entertainment.tower_of_hanoi_moves(disks=3)
    assert hanoi["moves"] == 7 and hanoi["first_moves"][-1] == "disk 1: A->C"
    assert entertainment.magic_square_check(grid=[[2, 7, 6], [9, 5, 1], [4, 3, 8]])["magic"]
    assert entertainment.palindrome_check(text="Was it a car or a cat I saw?")["palindrome"]
    assert entertainment.pangram_check(text="Hello world")["pangram"] is False
    # Repeated letters: one yellow for the answer's one remaining 't'.
    assert entertainment.wordle_feedback(answer="robot", guess="motto")["colours"] == [
        "grey", "green", "yellow", "grey", "yellow",
    ]  # fmt: skip
    assert entertainment.letter_arrangements_count(word="banana")["arrangements"] == 60
    assert entertainment.pig_latin_translate(text="quiet string")["pig_latin"] == "ietquay ingstray"
    # 5 heads in a row within 100 flips: 0.8101 (the classic result).
    assert entertainment.coin_streak_probability(flips=100, streak=5)["probability"] == 0.81011
    assert entertainment.rock_paper_scissors_winner(move_a="spock", move_b="lizard") == {
        "winner": "B", "rule": "lizard poisons spock",
    }  # fmt: skip


def test_social_networks_and_labels() -> None:
    edges = [["ana", "ben"], ["ben", "cy"], ["cy", "dee"], ["ana", "eve"]]
    far = social.degrees_of_separation(edges=edges, person_a="ana", person_b="dee")
    assert far == {"connected": True, "degrees": 3, "chain": ["ana", "ben", "cy", "dee"]}
    assert (
        social.degrees_of_separation(edges=edges, person_a="ana", person_b="zed")["connected"]
        is False
    )
    groups = social.friend_groups(edges=[["a", "b"], ["b", "c"], ["d", "e"]])["groups"]
    assert groups == [["a", "b", "c"], ["d", "e"]]
    # Feld (1991) on a star: friends average E[d²] / E[d] = (9 + 1 + 1 + 1) / 6 = 2 friends.
    star = social.friendship_paradox(edges=[["hub", "a"], ["hub", "b"], ["hub", "c"]])
    assert star["average_friends"] == 1.5 and star["average_friends_of_friends"] == 2.0
    assert social.compact_count_label(count=1_234_567)["label"] == "1.2M"
    assert social.compact_count_label(count=123_456)["label"] == "123K"
    assert social.compact_count_label(count=999)["label"] == "999"
    assert social.time_ago_label(seconds_ago=11_000)["short"] == "3h"
    assert social.generation_of_birth_year(birth_year=1994)["generation"] == "Millennials"
    assert social.influencer_tier(followers=38_000)["tier"] == "micro"
    assert social.hashtag_words(hashtag="#NationalCoffeeDay")["phrase"] == "National Coffee Day"
    chat = social.group_chat_share(messages={"ana": 30, "ben": 30, "cy": 30})
    assert chat["gini"] == 0.0 and chat["shares_percent"]["ana"] == 33.3
    pairs = social.gift_exchange_pairs(names=["ana", "ben", "cy", "dee"], seed=7)["pairs"]
    assert all(p["giver"] != p["receiver"] for p in pairs)
    assert sorted(p["receiver"] for p in pairs) == ["ana", "ben", "cy", "dee"]


def test_other_calendar_values() -> None:
    # The end of the 13th b'ak'tun: 13.0.0.0.0 4 Ajaw 3 K'ank'in.
    assert other.maya_calendar_date(date="2012-12-21") == {
        "long_count": "13.0.0.0.0", "tzolkin": "4 Ajaw", "haab": "3 K'ank'in",
    }  # fmt: skip
    assert other.julian_day_number(date="2000-01-01")["julian_day_number"] == 2451545
    assert other.julian_day_number(date="2000-01-01")["modified_julian_date"] == 51544
    assert other.japanese_era_year(date="2025-06-21")["written"] == "Reiwa 7"
    assert other.japanese_era_year(date="1989-01-07")["written"] == "Shōwa 64"
    assert other.clock_hands_angle(time="03:15")["angle_deg"] == 7.5
    assert other.time_in_words(time="15:45")["words"] == "quarter to four"
    assert other.time_in_words(time="06:35")["words"] == "twenty-five to seven"
    assert other.century_of_year(year=2000)["century"] == "20th century"
    assert other.leap_years_between(start_year=1900, end_year=2024)["count"] == 31
    assert other.palindrome_dates(year=2021)["yyyymmdd"] == ["2021-12-02"]
    assert other.golden_number_and_epact(year=2025)["golden_number"] == 12
    assert other.birthstone_for_month(month=10)["birthstone"] == "opal"
    # The Moon landing was on a Sunday; 2024-02-29 a Thursday (leap-year doomsday 29 Feb).
    assert other.doomsday_weekday(date="1969-07-20")["weekday"] == "Sunday"
    assert other.doomsday_weekday(date="2024-02-29")["weekday"] == "Thursday"
    assert other.ordinal_in_words(n=21) == {"words": "twenty-first", "figures": "21st"}
    assert other.ordinal_in_words(n=112)["words"] == "one hundred and twelfth"


def test_gaming_values() -> None:
    assert gaming.nim_best_move(heaps=[3, 4, 5])["move"] == {"heap": 1, "take": 2, "leave": 1}
    assert gaming.nim_best_move(heaps=[1, 2, 3])["winning"] is False
    # Old School RuneScape: level 99 is 13,034,431 XP.
    assert gaming.runescape_xp_for_level(level=99)["xp_for_level"] == 13_034_431
    # Garchomp's maximum Speed at level 100 with a boosting nature: 333.
    assert (
        gaming.pokemon_stat(base=102, iv=31, ev=252, level=100, nature="boosting")["value"] == 333
    )
    # Sam Loyd's 14-15 puzzle cannot be solved.
    loyd = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 14, 0]
    assert gaming.sliding_puzzle_solvable(tiles=loyd)["solvable"] is False
    assert gaming.sliding_puzzle_solvable(tiles=[1, 2, 3, 4, 5, 6, 7, 8, 0])["solvable"] is True
    moved = gaming.game_2048_move(
        board=[[2, 2, 4, 0], [0, 4, 4, 4], [2, 0, 2, 0], [0, 0, 0, 2]], direction="left"
    )
    assert moved["board"][:2] == [[4, 4, 0, 0], [8, 4, 0, 0]] and moved["score"] == 16
    assert gaming.yahtzee_score(dice=[3, 3, 3, 5, 5], category="full_house")["score"] == 25
    assert gaming.yahtzee_score(dice=[1, 2, 3, 4, 6], category="small_straight")["score"] == 30
    blinker = gaming.game_of_life_step(grid=[".....", "..#..", "..#..", "..#..", "....."])
    assert blinker["grid"][2] == ".###." and blinker["alive"] == 3
    assert gaming.minesweeper_numbers(board=["*...", "....", ".*..", "...."])["numbers"] == [
        "*1..", "221.", "1*1.", "111.",
    ]  # fmt: skip
    assert gaming.mastermind_feedback(
        secret=["red", "blue", "green", "yellow"], guess=["red", "green", "blue", "purple"]
    ) == {"black": 1, "white": 2, "solved": False}


def test_commerce_and_travel_values() -> None:
    assert (
        commerce.buy_x_get_y_price(unit_price=4.99, quantity=7, buy=2, get_free=1)["total"] == 24.95
    )
    assert (
        commerce.coupon_comparison(price=85, percent_off=20, amount_off=15, minimum_spend=75)[
            "better"
        ]
        == "percent"
    )
    assert commerce.charm_price(price=20, ending="99")["charm_price"] == 19.99
    assert commerce.charm_price(price=1500, ending="9")["charm_price"] == 1499
    assert travel.fuel_economy_convert(value=6.5, unit="l_per_100km")["mpg_us"] == 36.2
    # Thursday to Monday: two of the four nights are Friday and Saturday.
    stay = travel.hotel_stay_cost(
        check_in="2025-07-10", check_out="2025-07-14", nightly_rate=180, weekend_rate=220,
        tax_percent=14.75,
    )  # fmt: skip
    assert (stay["weekend_nights"], stay["room"], stay["total"]) == (2, 800, 918.0)
    assert travel.jet_lag_recovery(time_zones_crossed=6, direction="west")["recovery_days"] == 4


@pytest.mark.parametrize(
    ("func", "arguments", "message"),
    [
        (travel.hotel_stay_cost, {"check_in": "2025-07-14", "check_out": "2025-07-10",
                                  "nightly_rate": 100}, "after check-in"),
        (entertainment.kaprekar_routine, {"number": 7777}, "not all be equal"),
        (gaming.sliding_puzzle_solvable, {"tiles": [1, 2, 3, 3]}, "each number"),
        (social.social_image_size, {"platform": "x", "placement": "story"}, "x placements"),
        (lifestyle.pet_daily_calories, {"species": "cat", "weight_kg": 4, "life_stage": "puppy"},
         "not one of a cat's"),
        (sports.cricket_bowling_figures, {"overs": 4.7, "runs_conceded": 30, "wickets": 1},
         r"\.0 to \.5"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_with_a_reason(
    func: Any, arguments: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        func(**arguments)
