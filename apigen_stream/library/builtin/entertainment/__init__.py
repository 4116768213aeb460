"""Entertainment APIs: games of chance, table games, puzzles, word games, ratings and TV."""

from apigen_stream.library.builtin.entertainment.games import (
    birthday_paradox_probability,
    blackjack_hand_value,
    bowling_score_calculate,
    lottery_jackpot_odds,
    roulette_bet_odds,
)
from apigen_stream.library.builtin.entertainment.puzzles import (
    anagram_check,
    binge_watch_duration,
    classic_cipher_transform,
    imdb_weighted_rating,
    scrabble_word_score,
    sudoku_puzzle_solve,
    tv_season_air_dates,
)

__all__ = [
    "anagram_check",
    "binge_watch_duration",
    "birthday_paradox_probability",
    "blackjack_hand_value",
    "bowling_score_calculate",
    "classic_cipher_transform",
    "imdb_weighted_rating",
    "lottery_jackpot_odds",
    "roulette_bet_odds",
    "scrabble_word_score",
    "sudoku_puzzle_solve",
    "tv_season_air_dates",
]
