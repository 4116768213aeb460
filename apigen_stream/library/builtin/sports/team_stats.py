"""Sports APIs for scores and official statistics: baseball pitching, cricket, football, hockey,
tennis, golf scoring and standings."""

from __future__ import annotations

import math
from typing import Any

from apigen_stream.library.builtin.sports.training import _clock, _seconds
from apigen_stream.library.registry import api

CATEGORY = "Sports"


def _count(description: str, maximum: int = 100000) -> dict[str, Any]:
    return {"type": "integer", "minimum": 0, "maximum": maximum, "description": description}


_INNINGS = {
    "type": "number",
    "exclusiveMinimum": 0,
    "maximum": 400,
    "description": "Innings pitched in box-score notation (6.2 is six and two thirds).",
}


def _outs(innings_pitched: float) -> int:
    whole = int(innings_pitched)
    thirds = round((innings_pitched - whole) * 10)
    if thirds not in (0, 1, 2):
        raise ValueError("innings pitched must end in .0, .1 or .2")
    return whole * 3 + thirds


@api(
    category=CATEGORY,
    description=(
        "Baseball pitching rates: ERA (earned runs per nine innings), WHIP (walks plus hits per "
        "inning) and strikeouts per nine, from a pitcher's line."
    ),
    params={
        "innings_pitched": _INNINGS,
        "earned_runs": _count("Earned runs allowed.", 500),
        "hits": _count("Hits allowed.", 1000),
        "walks": _count("Walks (bases on balls) allowed.", 500),
        "strikeouts": _count("Strikeouts.", 1000),
    },
    templates=[
        "What's the ERA and WHIP of a pitcher with {innings_pitched} IP, {earned_runs} ER, "
        "{hits} hits, {walks} walks and {strikeouts} strikeouts?",
        "Pitching line: {innings_pitched} innings, {earned_runs} earned runs, {hits} H, {walks} "
        "BB, {strikeouts} K. Give me the rates.",
    ],
    examples=[
        (
            "A pitcher threw 180.1 innings with 62 earned runs, 150 hits, 45 walks and 190 "
            "strikeouts. What are his ERA and WHIP?",
            {
                "innings_pitched": 180.1,
                "earned_runs": 62,
                "hits": 150,
                "walks": 45,
                "strikeouts": 190,
            },
        )
    ],
)
def baseball_pitching_stats(
    innings_pitched: float, earned_runs: int, hits: int, walks: int, strikeouts: int = 0
) -> dict[str, Any]:
    """ERA = 9 ER / IP; WHIP = (BB + H) / IP; K/9 = 9 K / IP."""
    innings = _outs(innings_pitched) / 3
    if innings <= 0:
        raise ValueError("innings pitched must be positive")
    return {
        "era": round(9 * earned_runs / innings, 2),
        "whip": round((walks + hits) / innings, 3),
        "strikeouts_per_9": round(9 * strikeouts / innings, 2),
    }


@api(
    category=CATEGORY,
    description=(
        "Pythagorean win expectation of a team from points (or runs) scored and allowed, as Bill "
        "James defined it, with the expected wins over a season."
    ),
    params={
        "points_for": _count("Points or runs scored.", 100000),
        "points_against": _count("Points or runs allowed.", 100000),
        "games": {
            "type": "integer",
            "minimum": 1,
            "maximum": 200,
            "description": "Games in the season.",
        },
        "exponent": {
            "type": "number",
            "minimum": 1,
            "maximum": 20,
            "description": "Exponent: 2 (James), 1.83 (baseball), 13.91 (NBA).",
        },
    },
    templates=[
        "A team scored {points_for} and allowed {points_against}. What's its Pythagorean "
        "winning percentage?",
        "Expected wins over {games} games with {points_for} scored and {points_against} allowed?",
    ],
    examples=[
        (
            "My team scored 780 runs and allowed 690 over 162 games. Expected wins?",
            {"points_for": 780, "points_against": 690, "games": 162, "exponent": 1.83},
        )
    ],
)
def pythagorean_win_expectation(
    points_for: int, points_against: int, games: int = 162, exponent: float = 2.0
) -> dict[str, Any]:
    """Win% = PF^x / (PF^x + PA^x)."""
    if points_for + points_against == 0:
        raise ValueError("points scored and allowed cannot both be zero")
    share = points_for**exponent / (points_for**exponent + points_against**exponent)
    return {"win_percentage": round(share, 4), "expected_wins": round(share * games, 1)}


@api(
    category=CATEGORY,
    description=(
        "Cricket batting average (runs per dismissal) and strike rate (runs per 100 balls) from "
        "a batter's runs, dismissals and balls faced."
    ),
    params={
        "runs": _count("Runs scored.", 50000),
        "dismissals": _count("Times out (innings minus not-outs).", 2000),
        "balls_faced": {
            "type": "integer",
            "minimum": 1,
            "maximum": 100000,
            "description": "Balls faced.",
        },
    },
    templates=[
        "What's the batting average and strike rate for {runs} runs, {dismissals} dismissals "
        "and {balls_faced} balls?",
        "A batter has {runs} runs off {balls_faced} balls and was out {dismissals} times. Stats?",
    ],
    examples=[
        (
            "A batter scored 1250 runs off 1400 balls and was out 28 times. Average?",
            {"runs": 1250, "dismissals": 28, "balls_faced": 1400},
        )
    ],
)
def cricket_batting_average(runs: int, dismissals: int, balls_faced: int) -> dict[str, Any]:
    """Average = runs / dismissals (undefined with no dismissal); SR = 100 runs / balls."""
    return {
        "average": round(runs / dismissals, 2) if dismissals else None,
        "strike_rate": round(100 * runs / balls_faced, 2),
    }


def _balls(overs: float) -> int:
    whole = int(overs)
    extra = round((overs - whole) * 10)
    if not 0 <= extra <= 5:
        raise ValueError("overs must end in .0 to .5 (balls of an over)")
    return whole * 6 + extra


_OVERS = {
    "type": "number",
    "minimum": 0,
    "maximum": 500,
    "description": "Overs in cricket notation (8.3 is eight overs and three balls).",
}


@api(
    category=CATEGORY,
    description=(
        "Cricket bowling figures: economy rate (runs per over), bowling average (runs per wicket) "
        "and strike rate (balls per wicket)."
    ),
    params={
        "overs": {**_OVERS, "exclusiveMinimum": 0},
        "runs_conceded": _count("Runs conceded.", 20000),
        "wickets": _count("Wickets taken.", 1000),
    },
    templates=[
        "A bowler went for {runs_conceded} runs in {overs} overs taking {wickets} wickets. "
        "Economy?",
        "Bowling average and economy for {wickets} wickets for {runs_conceded} off {overs} overs?",
    ],
    examples=[
        (
            "A bowler took 3 wickets for 42 runs in 9.4 overs. What's the economy rate?",
            {"overs": 9.4, "runs_conceded": 42, "wickets": 3},
        )
    ],
)
def cricket_bowling_figures(overs: float, runs_conceded: int, wickets: int) -> dict[str, Any]:
    """Economy = runs / (balls / 6)."""
    balls = _balls(overs)
    if balls == 0:
        raise ValueError("overs must be positive")
    return {
        "economy": round(runs_conceded / (balls / 6), 2),
        "average": round(runs_conceded / wickets, 2) if wickets else None,
        "strike_rate": round(balls / wickets, 1) if wickets else None,
    }


@api(
    category=CATEGORY,
    description=(
        "Cricket chase: the required run rate for the rest of an innings, and the current run "
        "rate, from the target, runs scored so far and overs bowled."
    ),
    params={
        "target": {
            "type": "integer",
            "minimum": 1,
            "maximum": 1000,
            "description": "Runs needed to win (the opponent's total + 1).",
        },
        "runs_scored": _count("Runs scored so far.", 1000),
        "overs_bowled": _OVERS,
        "total_overs": {
            "type": "integer",
            "enum": [20, 50, 10, 100],
            "description": "Overs in the innings.",
        },
    },
    templates=[
        "Chasing {target}, we are {runs_scored} after {overs_bowled} overs of {total_overs}. "
        "What's the required rate?",
        "Required run rate to make {target} from {runs_scored} in {overs_bowled} overs?",
    ],
    examples=[
        (
            "Chasing 286 in a 50-over game, we're 142 after 27.3 overs. Required rate?",
            {"target": 286, "runs_scored": 142, "overs_bowled": 27.3, "total_overs": 50},
        )
    ],
)
def cricket_required_run_rate(
    target: int, runs_scored: int, overs_bowled: float, total_overs: int = 50
) -> dict[str, Any]:
    """RRR = runs needed / overs left."""
    bowled = _balls(overs_bowled)
    left = total_overs * 6 - bowled
    needed = target - runs_scored
    if left <= 0 and needed > 0:
        raise ValueError("no balls left in the innings")
    return {
        "runs_needed": max(needed, 0),
        "balls_left": left,
        "required_run_rate": round(needed / (left / 6), 2) if needed > 0 else 0.0,
        "current_run_rate": round(runs_scored / (bowled / 6), 2) if bowled else 0.0,
    }


@api(
    category=CATEGORY,
    description=(
        "Ice hockey goaltender statistics: save percentage and goals-against average per 60 "
        "minutes, from saves, shots against and minutes played."
    ),
    params={
        "shots_against": {
            "type": "integer",
            "minimum": 1,
            "maximum": 5000,
            "description": "Shots on goal faced.",
        },
        "saves": _count("Saves made.", 5000),
        "minutes_played": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 6000,
            "description": "Minutes played.",
        },
    },
    templates=[
        "A goalie made {saves} saves on {shots_against} shots in {minutes_played} minutes. "
        "Save percentage and GAA?",
        "Goalie stats for {saves} of {shots_against} saved over {minutes_played} minutes?",
    ],
    examples=[
        (
            "Our goalie stopped 812 of 880 shots in 1500 minutes. What's his GAA?",
            {"shots_against": 880, "saves": 812, "minutes_played": 1500},
        )
    ],
)
def hockey_goalie_stats(shots_against: int, saves: int, minutes_played: float) -> dict[str, Any]:
    """SV% = saves / shots; GAA = 60 x goals against / minutes."""
    if saves > shots_against:
        raise ValueError("saves cannot exceed shots against")
    goals = shots_against - saves
    return {
        "save_percentage": round(saves / shots_against, 3),
        "goals_against": goals,
        "goals_against_average": round(60 * goals / minutes_played, 2),
    }


_TENNIS_POINTS = ("0", "15", "30", "40")


@api(
    category=CATEGORY,
    description=(
        "Tennis game score in words from the points each player has won in the game: love, 15, "
        "30, 40, deuce, advantage or game."
    ),
    params={
        "server_points": _count("Points won by the server in this game.", 50),
        "receiver_points": _count("Points won by the receiver in this game.", 50),
    },
    templates=[
        "In tennis, the server has won {server_points} points and the receiver "
        "{receiver_points}. What's the score?",
        "Call the game score: {server_points} points to {receiver_points}.",
    ],
    examples=[
        (
            "The server has won 3 points and the receiver 2. What's the score?",
            {"server_points": 3, "receiver_points": 2},
        )
    ],
)
def tennis_game_score(server_points: int, receiver_points: int) -> dict[str, Any]:
    """The ITF Rules of Tennis, rule 5(a): no-ad scoring aside."""
    s, r = server_points, receiver_points
    if max(s, r) >= 4 and abs(s - r) >= 2:
        if not ((max(s, r) == 4 and min(s, r) <= 2) or (min(s, r) >= 3 and abs(s - r) == 2)):
            raise ValueError("the game ended earlier: a game is won by two points from 40")
        return {"score": f"game {'server' if s > r else 'receiver'}", "finished": True}
    if s >= 3 and r >= 3:
        if s == r:
            return {"score": "deuce", "finished": False}
        return {"score": f"advantage {'server' if s > r else 'receiver'}", "finished": False}
    words = [("love" if p == 0 else _TENNIS_POINTS[p]) for p in (s, r)]
    return {"score": f"{words[0]}-all" if s == r else f"{words[0]}-{words[1]}", "finished": False}


@api(
    category=CATEGORY,
    description=(
        "Golf Stableford points for one hole from par, strokes taken and the handicap strokes "
        "received there: 2 for a net par, one more per stroke under, none at net double bogey."
    ),
    params={
        "par": {"type": "integer", "enum": [3, 4, 5], "description": "Par of the hole."},
        "strokes": {
            "type": "integer",
            "minimum": 1,
            "maximum": 20,
            "description": "Gross strokes taken.",
        },
        "handicap_strokes": {
            "type": "integer",
            "minimum": 0,
            "maximum": 4,
            "description": "Strokes received on this hole.",
        },
    },
    templates=[
        "How many Stableford points for {strokes} strokes on a par {par} with "
        "{handicap_strokes} shot(s)?",
        "Stableford score: par {par}, took {strokes}, receiving {handicap_strokes}.",
    ],
    examples=[
        (
            "I took 5 on a par 4 and get one shot there. Stableford points?",
            {"par": 4, "strokes": 5, "handicap_strokes": 1},
        )
    ],
)
def golf_stableford_points(par: int, strokes: int, handicap_strokes: int = 0) -> dict[str, Any]:
    """R&A Rules of Golf, rule 21.1: points = max(0, 2 + par + strokes received - strokes)."""
    net = strokes - handicap_strokes
    return {"points": max(0, 2 + par - net), "net_score": net, "net_to_par": net - par}


@api(
    category=CATEGORY,
    description=(
        "World Handicap System course handicap from a handicap index and the tees' slope rating, "
        "course rating and par: index x slope / 113 + (course rating - par)."
    ),
    params={
        "handicap_index": {
            "type": "number",
            "minimum": -10,
            "maximum": 54,
            "description": "The player's handicap index.",
        },
        "slope_rating": {
            "type": "integer",
            "minimum": 55,
            "maximum": 155,
            "description": "Slope rating of the tees.",
        },
        "course_rating": {
            "type": "number",
            "minimum": 50,
            "maximum": 85,
            "description": "Course rating of the tees.",
        },
        "par": {
            "type": "integer",
            "minimum": 54,
            "maximum": 76,
            "description": "Par of the course.",
        },
    },
    templates=[
        "My index is {handicap_index}. What's my course handicap on slope {slope_rating}, "
        "rating {course_rating}, par {par}?",
        "Course handicap for index {handicap_index} with slope {slope_rating}?",
    ],
    examples=[
        (
            "My handicap index is 14.2; the tees are slope 128, rating 71.4, par 72. "
            "Course handicap?",
            {"handicap_index": 14.2, "slope_rating": 128, "course_rating": 71.4, "par": 72},
        )
    ],
)
def golf_course_handicap(
    handicap_index: float, slope_rating: int, course_rating: float = 72.0, par: int = 72
) -> dict[str, Any]:
    """WHS Rules of Handicapping, rule 6.1 (rounded to the nearest whole number)."""
    exact = handicap_index * slope_rating / 113 + (course_rating - par)
    return {"course_handicap": math.floor(exact + 0.5), "exact": round(exact, 2)}


@api(
    category=CATEGORY,
    description=(
        "Fantasy football points of a player's game under standard, half-PPR or PPR scoring "
        "(1 per 25 passing yards, 4 per passing TD, 6 per rushing/receiving TD)."
    ),
    params={
        "passing_yards": _count("Passing yards.", 800),
        "passing_touchdowns": _count("Passing touchdowns.", 10),
        "interceptions": _count("Interceptions thrown.", 10),
        "rushing_yards": {
            "type": "integer",
            "minimum": -50,
            "maximum": 400,
            "description": "Rushing yards.",
        },
        "rushing_touchdowns": _count("Rushing touchdowns.", 10),
        "receptions": _count("Receptions.", 30),
        "receiving_yards": {
            "type": "integer",
            "minimum": -50,
            "maximum": 400,
            "description": "Receiving yards.",
        },
        "receiving_touchdowns": _count("Receiving touchdowns.", 10),
        "scoring": {
            "type": "string",
            "enum": ["standard", "half_ppr", "ppr"],
            "description": "Points per reception: 0, 0.5 or 1.",
        },
    },
    templates=[
        "Fantasy points for {rushing_yards} rushing yards, {rushing_touchdowns} rushing TDs and "
        "{receptions} catches for {receiving_yards} yards in {scoring}?",
        "How many {scoring} fantasy points is {passing_yards} passing yards and "
        "{passing_touchdowns} TDs with {interceptions} picks?",
    ],
    examples=[
        (
            "My running back had 95 rushing yards, 1 rushing TD and 4 catches for 32 yards. PPR "
            "fantasy points?",
            {
                "rushing_yards": 95,
                "rushing_touchdowns": 1,
                "receptions": 4,
                "receiving_yards": 32,
                "scoring": "ppr",
            },
        )
    ],
)
def fantasy_football_points(
    passing_yards: int = 0,
    passing_touchdowns: int = 0,
    interceptions: int = 0,
    rushing_yards: int = 0,
    rushing_touchdowns: int = 0,
    receptions: int = 0,
    receiving_yards: int = 0,
    receiving_touchdowns: int = 0,
    scoring: str = "standard",
) -> dict[str, Any]:
    """The common default league scoring (ESPN/Yahoo standard)."""
    per_catch = {"standard": 0.0, "half_ppr": 0.5, "ppr": 1.0}[scoring]
    points = (
        passing_yards / 25
        + 4 * passing_touchdowns
        - 2 * interceptions
        + rushing_yards / 10
        + 6 * rushing_touchdowns
        + receiving_yards / 10
        + 6 * receiving_touchdowns
        + per_catch * receptions
    )
    return {"points": round(points, 2), "scoring": scoring}


@api(
    category=CATEGORY,
    description=(
        "Games behind the division leader, and the leader's magic number to clinch, from both "
        "teams' wins and losses and the games in the season."
    ),
    params={
        "leader_wins": _count("Leader's wins.", 200),
        "leader_losses": _count("Leader's losses.", 200),
        "team_wins": _count("Chasing team's wins.", 200),
        "team_losses": _count("Chasing team's losses.", 200),
        "season_games": {
            "type": "integer",
            "minimum": 1,
            "maximum": 200,
            "description": "Games in the season (162 MLB, 82 NBA/NHL).",
        },
    },
    templates=[
        "The leader is {leader_wins}-{leader_losses} and we're {team_wins}-{team_losses}. How "
        "many games back are we?",
        "Magic number for a {leader_wins}-{leader_losses} leader over a "
        "{team_wins}-{team_losses} team in a {season_games}-game season?",
    ],
    examples=[
        (
            "The leader is 88-60 and the second team 82-66 in a 162-game season. Magic number?",
            {
                "leader_wins": 88,
                "leader_losses": 60,
                "team_wins": 82,
                "team_losses": 66,
                "season_games": 162,
            },
        )
    ],
)
def games_behind_and_magic_number(
    leader_wins: int, leader_losses: int, team_wins: int, team_losses: int, season_games: int = 162
) -> dict[str, Any]:
    """GB = ((LW - TW) + (TL - LL)) / 2; magic number = G + 1 - LW - TL."""
    return {
        "games_behind": ((leader_wins - team_wins) + (team_losses - leader_losses)) / 2,
        "magic_number": max(0, season_games + 1 - leader_wins - team_losses),
    }


@api(
    category=CATEGORY,
    description=(
        "Win percentage of a record with ties counted as half a win (the NFL's rule), and "
        "points per game in a 3-1-0 football (soccer) table."
    ),
    params={
        "wins": _count("Wins.", 500),
        "losses": _count("Losses.", 500),
        "ties": _count("Ties or draws.", 500),
    },
    templates=[
        "What's the win percentage of a {wins}-{losses}-{ties} record?",
        "With {wins} wins, {ties} draws and {losses} losses, how many points per game?",
    ],
    examples=[
        ("We went 10-6-1. What's our winning percentage?", {"wins": 10, "losses": 6, "ties": 1})
    ],
)
def win_percentage_record(wins: int, losses: int, ties: int = 0) -> dict[str, Any]:
    """NFL: (W + T/2) / G; football league points: 3 W + 1 D."""
    games = wins + losses + ties
    if games == 0:
        raise ValueError("the record has no games")
    return {
        "games": games,
        "win_percentage": round((wins + ties / 2) / games, 3),
        "league_points": 3 * wins + ties,
        "points_per_game": round((3 * wins + ties) / games, 2),
    }


@api(
    category=CATEGORY,
    description=(
        "Basketball efficiency (NBA EFF) of a box-score line: points + rebounds + assists + "
        "steals + blocks - missed field goals - missed free throws - turnovers."
    ),
    params={
        "points": _count("Points.", 150),
        "rebounds": _count("Total rebounds.", 60),
        "assists": _count("Assists.", 40),
        "steals": _count("Steals.", 20),
        "blocks": _count("Blocks.", 20),
        "field_goals_made": _count("Field goals made.", 60),
        "field_goals_attempted": _count("Field goals attempted.", 100),
        "free_throws_made": _count("Free throws made.", 40),
        "free_throws_attempted": _count("Free throws attempted.", 50),
        "turnovers": _count("Turnovers.", 20),
    },
    templates=[
        "What's the efficiency of {points} points, {rebounds} rebounds and {assists} assists on "
        "{field_goals_made}/{field_goals_attempted} shooting, {free_throws_made}/"
        "{free_throws_attempted} FT, {steals} steals, {blocks} blocks, {turnovers} turnovers?",
        "NBA EFF rating: {points} pts, {rebounds} reb, {assists} ast, {steals} stl, {blocks} "
        "blk, FG {field_goals_made}-{field_goals_attempted}, FT {free_throws_made}-"
        "{free_throws_attempted}, {turnovers} TO.",
    ],
    examples=[
        (
            "He had 28 points, 9 rebounds, 7 assists, 2 steals, 1 block, 10 of 19 from the field, "
            "6 of 7 free throws and 3 turnovers. Efficiency?",
            {
                "points": 28,
                "rebounds": 9,
                "assists": 7,
                "steals": 2,
                "blocks": 1,
                "field_goals_made": 10,
                "field_goals_attempted": 19,
                "free_throws_made": 6,
                "free_throws_attempted": 7,
                "turnovers": 3,
            },
        )
    ],
)
def basketball_efficiency_rating(
    points: int,
    rebounds: int,
    assists: int,
    steals: int,
    blocks: int,
    field_goals_made: int,
    field_goals_attempted: int,
    free_throws_made: int,
    free_throws_attempted: int,
    turnovers: int,
) -> dict[str, Any]:
    """NBA.com's EFF."""
    if field_goals_made > field_goals_attempted or free_throws_made > free_throws_attempted:
        raise ValueError("made shots cannot exceed attempts")
    missed = (field_goals_attempted - field_goals_made) + (free_throws_attempted - free_throws_made)
    return {"efficiency": points + rebounds + assists + steals + blocks - missed - turnovers}


# World Athletics combined-events scoring tables: (A, B, C, kind); track events in seconds,
# jumps in centimetres, throws in metres. Track: A (B - P)^C; field: A (P - B)^C.
_DECATHLON = {
    "100m": (25.4347, 18.0, 1.81, "track"),
    "long_jump": (0.14354, 220.0, 1.40, "field"),
    "shot_put": (51.39, 1.5, 1.05, "field"),
    "high_jump": (0.8465, 75.0, 1.42, "field"),
    "400m": (1.53775, 82.0, 1.81, "track"),
    "110m_hurdles": (5.74352, 28.5, 1.92, "track"),
    "discus": (12.91, 4.0, 1.10, "field"),
    "pole_vault": (0.2797, 100.0, 1.35, "field"),
    "javelin": (10.14, 7.0, 1.08, "field"),
    "1500m": (0.03768, 480.0, 1.85, "track"),
}


@api(
    category=CATEGORY,
    description=(
        "Decathlon points for one event's performance from the World Athletics scoring tables "
        "(track times in seconds, jumps in centimetres, throws in metres)."
    ),
    params={
        "event": {"type": "string", "enum": sorted(_DECATHLON), "description": "The event."},
        "performance": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 10000,
            "description": "Time in s, jump in cm or throw in m.",
        },
    },
    templates=[
        "How many decathlon points is {performance} in the {event}?",
        "Score a {event} performance of {performance} on the decathlon tables.",
    ],
    examples=[
        ("How many decathlon points is a 10.55 s 100 m?", {"event": "100m", "performance": 10.55})
    ],
)
def decathlon_event_points(event: str, performance: float) -> dict[str, Any]:
    """Points are truncated to whole numbers; none below the table's threshold B."""
    a, b, c, kind = _DECATHLON[event]
    margin = b - performance if kind == "track" else performance - b
    return {"event": event, "points": int(a * margin**c) if margin > 0 else 0}


@api(
    category=CATEGORY,
    description=(
        "Cricket net run rate of a team in a tournament: runs scored per over faced minus runs "
        "conceded per over bowled."
    ),
    params={
        "runs_scored": _count("Runs scored in all matches.", 10000),
        "overs_faced": {**_OVERS, "exclusiveMinimum": 0},
        "runs_conceded": _count("Runs conceded in all matches.", 10000),
        "overs_bowled": {**_OVERS, "exclusiveMinimum": 0},
    },
    templates=[
        "We scored {runs_scored} in {overs_faced} overs and conceded {runs_conceded} in "
        "{overs_bowled}. Net run rate?",
        "NRR for {runs_scored} off {overs_faced} overs against {runs_conceded} off {overs_bowled}?",
    ],
    examples=[
        (
            "We've scored 1020 runs in 180 overs and conceded 965 in 183.2 overs. NRR?",
            {"runs_scored": 1020, "overs_faced": 180, "runs_conceded": 965, "overs_bowled": 183.2},
        )
    ],
)
def cricket_net_run_rate(
    runs_scored: int, overs_faced: float, runs_conceded: int, overs_bowled: float
) -> dict[str, Any]:
    """ICC playing conditions: NRR = runs for / overs faced - runs against / overs bowled."""
    faced, bowled = _balls(overs_faced) / 6, _balls(overs_bowled) / 6
    if faced == 0 or bowled == 0:
        raise ValueError("overs must be positive")
    return {"net_run_rate": round(runs_scored / faced - runs_conceded / bowled, 3)}


@api(
    category=CATEGORY,
    description=(
        "Baseball fielding percentage, (putouts + assists) / total chances, and the number of "
        "chances, from a fielder's putouts, assists and errors."
    ),
    params={
        "putouts": _count("Putouts.", 2000),
        "assists": _count("Assists.", 1000),
        "errors": _count("Errors.", 200),
    },
    templates=[
        "What's the fielding percentage with {putouts} putouts, {assists} assists and {errors} "
        "errors?",
        "Fielding percentage of a shortstop: {putouts} PO, {assists} A, {errors} E.",
    ],
    examples=[
        (
            "Our shortstop has 210 putouts, 405 assists and 12 errors. Fielding percentage?",
            {"putouts": 210, "assists": 405, "errors": 12},
        )
    ],
)
def baseball_fielding_percentage(putouts: int, assists: int, errors: int) -> dict[str, Any]:
    """MLB Official Rules 9.21."""
    chances = putouts + assists + errors
    if chances == 0:
        raise ValueError("no chances")
    return {"fielding_percentage": round((putouts + assists) / chances, 3), "chances": chances}


# Rock-climbing grades, Yosemite Decimal System to French sport grades (the usual conversion
# chart of the UIAA and climbing guides; neighbouring grades overlap).
_YDS_TO_FRENCH = {
    "5.6": "4c",
    "5.7": "5a",
    "5.8": "5b",
    "5.9": "5c",
    "5.10a": "6a",
    "5.10b": "6a+",
    "5.10c": "6b",
    "5.10d": "6b+",
    "5.11a": "6c",
    "5.11b": "6c",
    "5.11c": "6c+",
    "5.11d": "7a",
    "5.12a": "7a+",
    "5.12b": "7b",
    "5.12c": "7b+",
    "5.12d": "7c",
    "5.13a": "7c+",
    "5.13b": "8a",
    "5.13c": "8a+",
    "5.13d": "8b",
    "5.14a": "8b+",
    "5.14b": "8c",
    "5.14c": "8c+",
    "5.14d": "9a",
    "5.15a": "9a+",
}


@api(
    category=CATEGORY,
    description=(
        "Convert a rock-climbing route grade between the Yosemite Decimal System (5.10a) and the "
        "French sport scale (6a), in either direction."
    ),
    params={
        "grade": {
            "type": "string",
            "pattern": r"^(5\.\d{1,2}[a-d]?|[4-9][abc]\+?)$",
            "description": "A YDS grade such as 5.11a or a French grade such as 7a+.",
            "examples": ["5.10a", "7a+", "5.12c", "6b"],
        },
    },
    templates=[
        "What is {grade} in the other climbing grade system?",
        "Convert the climbing grade {grade}.",
    ],
    examples=[("What French grade is a 5.11d?", {"grade": "5.11d"})],
)
def climbing_grade_convert(grade: str) -> dict[str, Any]:
    """First match in the chart (a French grade may span two YDS grades)."""
    grade = grade.strip()
    if grade in _YDS_TO_FRENCH:
        return {"yds": grade, "french": _YDS_TO_FRENCH[grade]}
    matches = [yds for yds, french in _YDS_TO_FRENCH.items() if french == grade]
    if not matches:
        raise ValueError(f"grade {grade!r} is not in the conversion chart (5.6-5.15a, 4c-9a+)")
    return {"french": grade, "yds": matches if len(matches) > 1 else matches[0]}


@api(
    category=CATEGORY,
    description=(
        "Triathlon total time from the swim, first transition, bike, second transition and run "
        "splits, with each leg's share of the total."
    ),
    params={
        "swim": {
            "type": "string",
            "pattern": r"^(\d+:)?[0-5]?\d:[0-5]\d$",
            "description": "Swim split, H:MM:SS or MM:SS.",
            "examples": ["32:10", "1:05:00", "18:45"],
        },
        "t1": {
            "type": "string",
            "pattern": r"^(\d+:)?[0-5]?\d:[0-5]\d$",
            "description": "Swim-to-bike transition, MM:SS.",
            "examples": ["2:30", "4:05", "1:15"],
        },
        "bike": {
            "type": "string",
            "pattern": r"^(\d+:)?[0-5]?\d:[0-5]\d$",
            "description": "Bike split, H:MM:SS.",
            "examples": ["2:35:00", "1:10:20", "5:20:00"],
        },
        "t2": {
            "type": "string",
            "pattern": r"^(\d+:)?[0-5]?\d:[0-5]\d$",
            "description": "Bike-to-run transition, MM:SS.",
            "examples": ["1:50", "3:00", "0:55"],
        },
        "run": {
            "type": "string",
            "pattern": r"^(\d+:)?[0-5]?\d:[0-5]\d$",
            "description": "Run split, H:MM:SS or MM:SS.",
            "examples": ["1:45:30", "48:00", "3:50:00"],
        },
    },
    templates=[
        "My triathlon splits were swim {swim}, T1 {t1}, bike {bike}, T2 {t2}, run {run}. Total?",
        "Add up swim {swim}, transition {t1}, bike {bike}, transition {t2} and run {run}.",
    ],
    examples=[
        (
            "Swim 32:10, T1 2:30, bike 2:35:00, T2 1:50, run 1:45:30. What's my total?",
            {"swim": "32:10", "t1": "2:30", "bike": "2:35:00", "t2": "1:50", "run": "1:45:30"},
        )
    ],
)
def triathlon_total_time(swim: str, t1: str, bike: str, t2: str, run: str) -> dict[str, Any]:
    """Sum of the legs."""
    legs = {"swim": swim, "t1": t1, "bike": bike, "t2": t2, "run": run}
    seconds = {k: _seconds(v) for k, v in legs.items()}
    total = sum(seconds.values())
    return {
        "total": _clock(total),
        "share_percent": {k: round(100 * v / total, 1) for k, v in seconds.items()},
    }
