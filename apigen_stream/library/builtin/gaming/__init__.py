"""Gaming APIs: chess positions, dice odds, ratings, tabletop RPG rules and small game solvers."""

from apigen_stream.library.builtin.gaming.chess_games import (
    chess_legal_moves,
    chess_play_moves,
    chess_position_status,
)
from apigen_stream.library.builtin.gaming.tabletop import (
    dice_pool_success_odds,
    dice_sum_probability,
    dnd_ability_modifier,
    dnd_level_from_xp,
    dnd_point_buy_cost,
    loot_drop_odds,
    minecraft_portal_coordinates,
    poker_hand_rank,
    tic_tac_toe_best_move,
)

__all__ = [
    "chess_legal_moves",
    "chess_play_moves",
    "chess_position_status",
    "dice_pool_success_odds",
    "dice_sum_probability",
    "dnd_ability_modifier",
    "dnd_level_from_xp",
    "dnd_point_buy_cost",
    "loot_drop_odds",
    "minecraft_portal_coordinates",
    "poker_hand_rank",
    "tic_tac_toe_best_move",
]
