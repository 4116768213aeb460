"""Sports APIs: ratings, training calculators, official statistics and standings."""

from apigen_stream.library.builtin.sports.games import (
    baseball_batting_stats,
    basketball_shooting_efficiency,
    cricket_run_rate,
    elo_rating_update,
    golf_handicap_differential,
    league_table_standings,
    nfl_passer_rating,
)
from apigen_stream.library.builtin.sports.training import (
    exercise_calories_burned,
    heart_rate_training_zones,
    one_rep_max_estimate,
    race_time_prediction,
    running_pace_calculator,
)

__all__ = [
    "baseball_batting_stats",
    "basketball_shooting_efficiency",
    "cricket_run_rate",
    "elo_rating_update",
    "exercise_calories_burned",
    "golf_handicap_differential",
    "heart_rate_training_zones",
    "league_table_standings",
    "nfl_passer_rating",
    "one_rep_max_estimate",
    "race_time_prediction",
    "running_pace_calculator",
]
