"""Sports APIs for competition: Elo ratings, official statistics and standings."""

from __future__ import annotations

from typing import Any

from apigen_stream.library.registry import api

CATEGORY = "Sports"


@api(
    category=CATEGORY,
    description=(
        "New Elo ratings of two players after a game, with the expected score of the first; "
        "score 1 means the first player won, 0.5 a draw, 0 a loss."
    ),
    params={
        "rating_a": {"type": "number", "minimum": 0, "maximum": 4000, "description": "Elo of A."},
        "rating_b": {"type": "number", "minimum": 0, "maximum": 4000, "description": "Elo of B."},
        "score_a": {"type": "number", "enum": [1, 0.5, 0], "description": "A's result."},
        "k_factor": {
            "type": "integer",
            "minimum": 1,
            "maximum": 100,
            "description": "K-factor (FIDE uses 40, 20 or 10; 32 is common).",
        },
    },
    templates=[
        "A player rated {rating_a} scores {score_a} against one rated {rating_b}. New ratings?",
        "Update Elo ratings {rating_a} vs {rating_b} with result {score_a} and K={k_factor}.",
    ],
    examples=[
        (
            "I'm rated 1500 and beat a 1700 player. What are our new ratings with K 32?",
            {"rating_a": 1500, "rating_b": 1700, "score_a": 1, "k_factor": 32},
        )
    ],
)
def elo_rating_update(
    rating_a: float, rating_b: float, score_a: float, k_factor: int = 32
) -> dict[str, float]:
    """Expected score 1 / (1 + 10^((Rb − Ra)/400)); rating change K·(S − E)."""
    expected_a = 1 / (1 + 10 ** ((rating_b - rating_a) / 400))
    change = k_factor * (score_a - expected_a)
    return {
        "expected_score_a": round(expected_a, 4),
        "new_rating_a": round(rating_a + change, 1),
        "new_rating_b": round(rating_b - change, 1),
        "change": round(change, 1),
    }


def _count(description: str, maximum: int = 100_000) -> dict[str, Any]:
    return {"type": "integer", "minimum": 0, "maximum": maximum, "description": description}


@api(
    category=CATEGORY,
    description="NFL/CFL passer rating (0 to 158.3) of a quarterback from his passing numbers.",
    params={
        "completions": _count("Completed passes."),
        "attempts": {**_count("Pass attempts."), "minimum": 1},
        "yards": {"type": "integer", "minimum": -1000, "maximum": 100000, "description": "Yards."},
        "touchdowns": _count("Touchdown passes."),
        "interceptions": _count("Interceptions thrown."),
    },
    templates=[
        "What's the passer rating for {completions} of {attempts} for {yards} yards, "
        "{touchdowns} TDs and {interceptions} INTs?",
        "Compute the NFL QB rating: {completions}/{attempts}, {yards} yds, {touchdowns} TD, "
        "{interceptions} INT.",
    ],
    examples=[
        (
            "QB went 20 of 30 for 250 yards, 2 TDs and 1 pick. Passer rating?",
            {"completions": 20, "attempts": 30, "yards": 250, "touchdowns": 2, "interceptions": 1},
        )
    ],
)
def nfl_passer_rating(
    completions: int, attempts: int, yards: int, touchdowns: int, interceptions: int
) -> dict[str, float]:
    """The NFL formula: four components each clamped to [0, 2.375]."""
    if completions > attempts:
        raise ValueError("completions cannot exceed attempts")

    def clamp(x: float) -> float:
        return max(0.0, min(2.375, x))

    a = clamp((completions / attempts - 0.3) * 5)
    b = clamp((yards / attempts - 3) * 0.25)
    c = clamp(touchdowns / attempts * 20)
    d = clamp(2.375 - interceptions / attempts * 25)
    return {"passer_rating": round((a + b + c + d) / 6 * 100, 1)}


@api(
    category=CATEGORY,
    description=(
        "Baseball batting line: batting average, on-base percentage, slugging percentage and "
        "OPS (official MLB definitions), plus total bases."
    ),
    params={
        "at_bats": {**_count("At-bats."), "minimum": 1},
        "hits": _count("Hits (all kinds)."),
        "doubles": _count("Doubles."),
        "triples": _count("Triples."),
        "home_runs": _count("Home runs."),
        "walks": _count("Walks (bases on balls)."),
        "hit_by_pitch": _count("Times hit by a pitch."),
        "sacrifice_flies": _count("Sacrifice flies."),
    },
    templates=[
        "A hitter has {hits} hits in {at_bats} at-bats with {home_runs} homers and {walks} "
        "walks. What's his slash line?",
        "Compute AVG/OBP/SLG/OPS: {at_bats} AB, {hits} H, {doubles} 2B, {triples} 3B, "
        "{home_runs} HR, {walks} BB.",
    ],
    examples=[
        (
            "Batting line for 550 AB, 165 hits, 35 doubles, 3 triples, 30 HR, 70 walks?",
            {
                "at_bats": 550,
                "hits": 165,
                "doubles": 35,
                "triples": 3,
                "home_runs": 30,
                "walks": 70,
            },
        )
    ],
)
def baseball_batting_stats(
    at_bats: int,
    hits: int,
    doubles: int = 0,
    triples: int = 0,
    home_runs: int = 0,
    walks: int = 0,
    hit_by_pitch: int = 0,
    sacrifice_flies: int = 0,
) -> dict[str, Any]:
    """OBP = (H+BB+HBP)/(AB+BB+HBP+SF); SLG = TB/AB."""
    if doubles + triples + home_runs > hits or hits > at_bats:
        raise ValueError("extra-base hits cannot exceed hits, nor hits at-bats")
    total_bases = hits + doubles + 2 * triples + 3 * home_runs
    avg = hits / at_bats
    obp = (hits + walks + hit_by_pitch) / (at_bats + walks + hit_by_pitch + sacrifice_flies)
    slg = total_bases / at_bats
    return {
        "avg": round(avg, 3),
        "obp": round(obp, 3),
        "slg": round(slg, 3),
        "ops": round(obp + slg, 3),
        "total_bases": total_bases,
    }


@api(
    category=CATEGORY,
    description=(
        "Basketball shooting efficiency: true shooting % (points / (2·(FGA + 0.44·FTA))), "
        "effective field-goal % and plain FG%."
    ),
    params={
        "points": _count("Points scored."),
        "field_goals_made": _count("Field goals made."),
        "field_goals_attempted": {**_count("Field goals attempted."), "minimum": 1},
        "three_pointers_made": _count("Three-pointers made."),
        "free_throws_attempted": _count("Free throws attempted."),
    },
    templates=[
        "What is the true shooting percentage of a player with {points} points on "
        "{field_goals_attempted} FGA and {free_throws_attempted} FTA?",
        "Shooting efficiency for {field_goals_made}/{field_goals_attempted} FG, "
        "{three_pointers_made} threes, {points} points, {free_throws_attempted} FTA?",
    ],
    examples=[
        (
            "He scored 30 on 10-of-20 shooting with 4 threes and 8 free throw attempts. TS%?",
            {
                "points": 30,
                "field_goals_made": 10,
                "field_goals_attempted": 20,
                "three_pointers_made": 4,
                "free_throws_attempted": 8,
            },
        )
    ],
)
def basketball_shooting_efficiency(
    points: int,
    field_goals_made: int,
    field_goals_attempted: int,
    three_pointers_made: int = 0,
    free_throws_attempted: int = 0,
) -> dict[str, float]:
    """0.44 is the standard estimate of possessions used per free-throw attempt."""
    if field_goals_made > field_goals_attempted or three_pointers_made > field_goals_made:
        raise ValueError("made shots cannot exceed attempts, nor threes field goals")
    ts = points / (2 * (field_goals_attempted + 0.44 * free_throws_attempted))
    efg = (field_goals_made + 0.5 * three_pointers_made) / field_goals_attempted
    return {
        "true_shooting_percent": round(ts * 100, 1),
        "effective_fg_percent": round(efg * 100, 1),
        "fg_percent": round(field_goals_made / field_goals_attempted * 100, 1),
    }


@api(
    category=CATEGORY,
    description=(
        "Cricket run rate from runs and overs bowled (overs as whole overs plus balls), and, "
        "when chasing a target, the runs needed and the required run rate."
    ),
    params={
        "runs": _count("Runs scored so far.", 1000),
        "overs": {"type": "integer", "minimum": 0, "maximum": 90, "description": "Full overs."},
        "balls": {
            "type": "integer",
            "minimum": 0,
            "maximum": 5,
            "description": "Extra balls of the current over (0-5).",
        },
        "target": {
            "type": ["integer", "null"],
            "minimum": 1,
            "maximum": 1000,
            "description": "Target to chase (null if batting first).",
        },
        "total_overs": {
            "type": "integer",
            "enum": [20, 50],
            "description": "Overs per innings (T20 or ODI).",
        },
    },
    templates=[
        "What's the run rate at {runs} runs after {overs}.{balls} overs?",
        "Chasing {target} in a {total_overs}-over game, we're {runs} after {overs} overs. "
        "What's the required rate?",
    ],
    examples=[
        (
            "Chasing 180 in a T20 we're 95 after 12.3 overs. Current and required run rate?",
            {"runs": 95, "overs": 12, "balls": 3, "target": 180, "total_overs": 20},
        )
    ],
)
def cricket_run_rate(
    runs: int, overs: int, balls: int = 0, target: int | None = None, total_overs: int = 20
) -> dict[str, Any]:
    """Runs per over, counting a partial over as balls/6."""
    bowled = overs * 6 + balls
    if bowled == 0:
        raise ValueError("no balls bowled yet")
    result: dict[str, Any] = {"run_rate": round(runs / bowled * 6, 2)}
    if target is not None:
        remaining = total_overs * 6 - bowled
        if remaining <= 0:
            raise ValueError(f"all {total_overs} overs are already bowled")
        needed = max(target - runs, 0)
        result |= {
            "runs_needed": needed,
            "balls_remaining": remaining,
            "required_run_rate": round(needed / remaining * 6, 2),
        }
    return result


_MATCH = {
    "type": "object",
    "properties": {
        "home": {"type": "string", "minLength": 1, "description": "Home team."},
        "away": {"type": "string", "minLength": 1, "description": "Away team."},
        "home_goals": {"type": "integer", "minimum": 0, "description": "Home score."},
        "away_goals": {"type": "integer", "minimum": 0, "description": "Away score."},
    },
    "required": ["home", "away", "home_goals", "away_goals"],
}


@api(
    category=CATEGORY,
    description=(
        "League table from match results: played, won, drawn, lost, goals for/against, goal "
        "difference and points, sorted by points, then goal difference, then goals scored."
    ),
    params={
        "results": {
            "type": "array",
            "items": _MATCH,
            "minItems": 1,
            "maxItems": 1000,
            "description": "Match results.",
        },
        "points_for_win": {
            "type": "integer",
            "enum": [2, 3],
            "description": "Points for a win (3 in modern football, 2 historically).",
        },
    },
    templates=[
        "Build the league table from these results: {results}",
        "Who tops the standings after {results} with {points_for_win} points per win?",
    ],
    examples=[
        (
            "Table after Arsenal 2-1 Chelsea, Chelsea 0-0 Spurs, Spurs 1-3 Arsenal?",
            {
                "results": [
                    {"home": "Arsenal", "away": "Chelsea", "home_goals": 2, "away_goals": 1},
                    {"home": "Chelsea", "away": "Spurs", "home_goals": 0, "away_goals": 0},
                    {"home": "Spurs", "away": "Arsenal", "home_goals": 1, "away_goals": 3},
                ]
            },
        )
    ],
)
def league_table_standings(
    results: list[dict[str, Any]], points_for_win: int = 3
) -> dict[str, Any]:
    """One draw point each; ties on all three criteria keep alphabetical order."""
    table: dict[str, dict[str, int]] = {}
    for match in results:
        home, away = match["home"], match["away"]
        hg, ag = int(match["home_goals"]), int(match["away_goals"])
        for team, scored, conceded in ((home, hg, ag), (away, ag, hg)):
            row = table.setdefault(
                team, {"played": 0, "won": 0, "drawn": 0, "lost": 0, "for": 0, "against": 0}
            )
            row["played"] += 1
            row["for"] += scored
            row["against"] += conceded
            row["won" if scored > conceded else "lost" if scored < conceded else "drawn"] += 1
    rows: list[dict[str, Any]] = [
        {
            "team": team,
            **r,
            "goal_difference": r["for"] - r["against"],
            "points": r["won"] * points_for_win + r["drawn"],
        }
        for team, r in sorted(table.items())
    ]
    rows.sort(key=lambda r: (-r["points"], -r["goal_difference"], -r["for"]))
    return {"table": [{"position": i + 1, **r} for i, r in enumerate(rows)]}


# Slope rating of a course of standard difficulty, fixed by the World Handicap System.
_STANDARD_SLOPE = 113


@api(
    category=CATEGORY,
    description=(
        "World Handicap System score differential of a golf round: (113 / slope rating) × "
        "(adjusted gross score − course rating − playing conditions adjustment)."
    ),
    params={
        "adjusted_gross_score": {
            "type": "integer",
            "minimum": 50,
            "maximum": 200,
            "description": "Adjusted gross score of the round.",
        },
        "course_rating": {
            "type": "number",
            "minimum": 55,
            "maximum": 85,
            "description": "Course rating of the tees played.",
        },
        "slope_rating": {
            "type": "integer",
            "minimum": 55,
            "maximum": 155,
            "description": "Slope rating of the tees played (55-155).",
        },
        "pcc": {
            "type": "integer",
            "minimum": -1,
            "maximum": 3,
            "description": "Playing conditions calculation for the day (-1 to +3).",
        },
    },
    templates=[
        "I shot {adjusted_gross_score} on a course rated {course_rating} with slope "
        "{slope_rating}. What's my score differential?",
        "Handicap differential for {adjusted_gross_score}, rating {course_rating}, slope "
        "{slope_rating}, PCC {pcc}?",
    ],
    examples=[
        (
            "I shot 90 on a 72.3 / 131 course. What is the handicap differential?",
            {"adjusted_gross_score": 90, "course_rating": 72.3, "slope_rating": 131},
        )
    ],
)
def golf_handicap_differential(
    adjusted_gross_score: int, course_rating: float, slope_rating: int, pcc: int = 0
) -> dict[str, float]:
    """WHS Rule 5.1, rounded to one decimal as the rules require."""
    diff = _STANDARD_SLOPE / slope_rating * (adjusted_gross_score - course_rating - pcc)
    return {"score_differential": round(diff, 1)}
