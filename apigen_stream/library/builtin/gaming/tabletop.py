"""Gaming APIs: dice odds, tabletop RPG rules, tic-tac-toe, poker hands, loot odds, Minecraft."""

from __future__ import annotations

import itertools
import math
from collections import Counter
from functools import cache
from typing import Any

from apigen_stream.library.builtin.gaming.chess_games import _sum_distribution
from apigen_stream.library.registry import api


@api(
    category="Gaming",
    description=(
        "Exact probability that the sum of N dice with S sides is exactly / at least / at most a "
        "target."
    ),
    params={
        "dice": {"type": "integer", "minimum": 1, "maximum": 30, "description": "Number of dice."},
        "sides": {
            "type": "integer",
            "enum": [4, 6, 8, 10, 12, 20, 100],
            "description": "Faces per die.",
        },
        "target": {
            "type": "integer",
            "minimum": 1,
            "maximum": 3000,
            "description": "Target total.",
        },
        "comparison": {
            "type": "string",
            "enum": ["exactly", "at least", "at most"],
            "description": "How the total compares with the target.",
        },
    },
    templates=[
        "What's the chance of rolling {comparison} {target} with {dice}d{sides}?",
        "Probability that {dice} dice with {sides} sides total {comparison} {target}?",
    ],
    examples=[
        (
            "Chance of rolling at least 10 with 2d6?",
            {"dice": 2, "sides": 6, "target": 10, "comparison": "at least"},
        )
    ],
)
def dice_sum_probability(
    dice: int, sides: int, target: int, comparison: str = "exactly"
) -> dict[str, Any]:
    """Exact dice-sum probability."""
    ways = _sum_distribution(dice, sides)
    totals = range(dice, dice * sides + 1)
    if comparison == "exactly":
        chosen = [t for t in totals if t == target]
    elif comparison == "at least":
        chosen = [t for t in totals if t >= target]
    else:
        chosen = [t for t in totals if t <= target]
    favourable = sum(ways[t] for t in chosen)
    outcomes = sides**dice
    return {
        "probability": round(favourable / outcomes, 8),
        "favourable": favourable,
        "outcomes": outcomes,
    }


@api(
    category="Gaming",
    description=(
        "Dice-pool odds (World of Darkness, Shadowrun style): probability of at least N successes "
        "when rolling a pool of dice where each die at or above a threshold is a success."
    ),
    params={
        "pool": {"type": "integer", "minimum": 1, "maximum": 50, "description": "Dice rolled."},
        "sides": {"type": "integer", "enum": [6, 10, 12, 20], "description": "Faces per die."},
        "success_threshold": {
            "type": "integer",
            "minimum": 2,
            "maximum": 20,
            "description": "Minimum face that counts as a success.",
        },
        "successes_needed": {
            "type": "integer",
            "minimum": 1,
            "maximum": 50,
            "description": "Successes needed.",
        },
    },
    templates=[
        "What's the chance of getting {successes_needed} successes on {pool}d{sides} "
        "succeeding on {success_threshold}+?",
        "Rolling {pool} dice with {sides} sides, {success_threshold} or higher succeeds: "
        "odds of {successes_needed} hits?",
    ],
    examples=[
        (
            "7 ten-sided dice, 8+ is a success: chance of at least 3 successes?",
            {"pool": 7, "sides": 10, "success_threshold": 8, "successes_needed": 3},
        )
    ],
)
def dice_pool_success_odds(
    pool: int, sides: int, success_threshold: int, successes_needed: int
) -> dict[str, Any]:
    """Binomial dice-pool odds."""
    # A threshold above the largest face can never be rolled.
    p = max(0, sides - success_threshold + 1) / sides
    exact = [math.comb(pool, k) * p**k * (1 - p) ** (pool - k) for k in range(pool + 1)]
    return {
        "probability_at_least": round(sum(exact[successes_needed:]), 8),
        "success_chance_per_die": round(p, 6),
        "expected_successes": round(pool * p, 4),
    }


@api(
    category="Gaming",
    description="D&D 5e ability modifier for an ability score: floor((score - 10) / 2).",
    params={
        "score": {
            "type": "integer",
            "minimum": 1,
            "maximum": 30,
            "description": "Ability score (1-30).",
        }
    },
    templates=[
        "What's the modifier for an ability score of {score}?",
        "My character has {score} Strength; what modifier is that?",
    ],
    examples=[("What modifier does a 15 Dexterity give?", {"score": 15})],
)
def dnd_ability_modifier(score: int) -> dict[str, int | str]:
    """5e ability modifier."""
    mod = (score - 10) // 2
    return {"modifier": mod, "formatted": f"{mod:+d}"}


# D&D 5e SRD point-buy costs (scores 8-15, 27-point budget).
POINT_BUY_COST = {8: 0, 9: 1, 10: 2, 11: 3, 12: 4, 13: 5, 14: 7, 15: 9}


@api(
    category="Gaming",
    description=(
        "D&D 5e point-buy cost of six ability scores (8-15 each) against the 27-point budget."
    ),
    params={
        "scores": {
            "type": "array",
            "items": {"type": "integer", "minimum": 8, "maximum": 15},
            "minItems": 6,
            "maxItems": 6,
            "description": "The six ability scores before racial bonuses.",
        }
    },
    templates=[
        "How many points does the array {scores} cost in 5e point buy?",
        "Is {scores} a legal 27-point buy?",
    ],
    examples=[("Is 15, 14, 13, 12, 10, 8 a legal point buy?", {"scores": [15, 14, 13, 12, 10, 8]})],
)
def dnd_point_buy_cost(scores: list[int]) -> dict[str, Any]:
    """Point-buy total."""
    if len(scores) != 6 or any(s not in POINT_BUY_COST for s in scores):
        raise ValueError("give exactly six scores between 8 and 15")
    cost = sum(POINT_BUY_COST[s] for s in scores)
    return {"points_spent": cost, "budget": 27, "remaining": 27 - cost, "legal": cost <= 27}


# D&D 5e SRD experience points required for levels 1-20.
XP_THRESHOLDS = [0, 300, 900, 2700, 6500, 14000, 23000, 34000, 48000, 64000, 85000, 100000,
                 120000, 140000, 165000, 195000, 225000, 265000, 305000, 355000]  # fmt: skip


@api(
    category="Gaming",
    description=(
        "D&D 5e character level and proficiency bonus for an XP total, and XP to the next level."
    ),
    params={
        "xp": {
            "type": "integer",
            "minimum": 0,
            "maximum": 1000000,
            "description": "Experience points.",
        }
    },
    templates=[
        "What level is a 5e character with {xp} XP?",
        "I have {xp} experience points; how far to the next level?",
    ],
    examples=[("What level am I with 7000 XP?", {"xp": 7000})],
)
def dnd_level_from_xp(xp: int) -> dict[str, int | None]:
    """Level, proficiency bonus, XP to next."""
    level = sum(1 for t in XP_THRESHOLDS if xp >= t)
    nxt = XP_THRESHOLDS[level] - xp if level < 20 else None
    return {"level": level, "proficiency_bonus": 2 + (level - 1) // 4, "xp_to_next_level": nxt}


_LINES = [(0, 1, 2), (3, 4, 5), (6, 7, 8), (0, 3, 6), (1, 4, 7), (2, 5, 8), (0, 4, 8), (2, 4, 6)]


def _winner(board: str) -> str | None:
    for a, b, c in _LINES:
        if board[a] != "." and board[a] == board[b] == board[c]:
            return board[a]
    return None


@cache
def _minimax(board: str, player: str) -> int:
    """Score for X (+1 win, 0 draw, -1 loss) with perfect play from here."""
    win = _winner(board)
    if win:
        return 1 if win == "X" else -1
    if "." not in board:
        return 0
    other = "O" if player == "X" else "X"
    scores = [
        _minimax(board[:i] + player + board[i + 1 :], other)
        for i, c in enumerate(board)
        if c == "."
    ]
    return max(scores) if player == "X" else min(scores)


@api(
    category="Gaming",
    description=(
        "Best tic-tac-toe move by perfect play (minimax). Board is 9 characters row by row: "
        "X, O or '.' for empty. Returns cell index 0-8, row/column and the forced outcome."
    ),
    params={
        "board": {
            "type": "string",
            "pattern": "^[XO.]{9}$",
            "description": "Board, 9 chars of X, O or '.'.",
            "examples": ["X...O....", ".........", "XX.OO...."],
        },
        "player": {"type": "string", "enum": ["X", "O"], "description": "Side to move."},
    },
    templates=[
        "What's the best tic-tac-toe move for {player} on {board}?",
        "Solve this tic-tac-toe board {board}, {player} to play.",
    ],
    examples=[("Best move for X on X...O....?", {"board": "X...O....", "player": "X"})],
)
def tic_tac_toe_best_move(board: str, player: str = "X") -> dict[str, Any]:
    """Perfect-play move."""
    if _winner(board) or "." not in board:
        raise ValueError("the game is already over")
    other = "O" if player == "X" else "X"
    sign = 1 if player == "X" else -1
    options = [
        (sign * _minimax(board[:i] + player + board[i + 1 :], other), i)
        for i, c in enumerate(board)
        if c == "."
    ]
    best_score, cell = max(options, key=lambda o: (o[0], -o[1]))
    outcome = {1: "win", 0: "draw", -1: "loss"}[best_score]
    return {
        "cell": cell,
        "row": cell // 3 + 1,
        "column": cell % 3 + 1,
        "outcome_with_perfect_play": outcome,
    }


_RANKS = "23456789TJQKA"
HAND_NAMES = ["high card", "one pair", "two pair", "three of a kind", "straight", "flush",
              "full house", "four of a kind", "straight flush"]  # fmt: skip


def _hand_value(cards: tuple[str, ...]) -> tuple[int, list[int]]:
    ranks = sorted((_RANKS.index(c[0]) for c in cards), reverse=True)
    counts = Counter(ranks)
    groups = sorted(counts.items(), key=lambda kv: (kv[1], kv[0]), reverse=True)
    ordered = [r for r, _ in groups]
    flush = len({c[1] for c in cards}) == 1
    straight = len(counts) == 5 and (ranks[0] - ranks[4] == 4 or ranks == [12, 3, 2, 1, 0])
    top = 3 if ranks == [12, 3, 2, 1, 0] else ranks[0]
    shape = sorted(counts.values(), reverse=True)
    if straight and flush:
        return 8, [top]
    table = {(4, 1): 7, (3, 2): 6, (3, 1, 1): 3, (2, 2, 1): 2, (2, 1, 1, 1): 1}
    if tuple(shape) in table and table[tuple(shape)] >= 6:
        return table[tuple(shape)], ordered
    if flush:
        return 5, ranks
    if straight:
        return 4, [top]
    return table.get(tuple(shape), 0), ordered


@api(
    category="Gaming",
    description=(
        "Best 5-card poker hand from 5 to 7 cards (e.g. Texas hold'em hole + board). Cards are "
        "rank (2-9, T, J, Q, K, A) + suit (s, h, d, c)."
    ),
    params={
        "cards": {
            "type": "array",
            "items": {"type": "string", "pattern": "^[2-9TJQKA][shdc]$"},
            "minItems": 5,
            "maxItems": 7,
            "description": "Distinct cards such as As, Kd, Th.",
            "examples": [
                ["As", "Ks", "Qs", "Js", "Ts"],
                ["2h", "2d", "9c", "9s", "Kd", "3c", "7h"],
                ["Ah", "2c", "3d", "4s", "5h"],
            ],
        }
    },
    templates=["What poker hand is {cards}?", "Rank my best five-card hand from {cards}."],
    examples=[
        (
            "What's my best hand with 2h 2d 9c 9s Kd 3c 7h?",
            {"cards": ["2h", "2d", "9c", "9s", "Kd", "3c", "7h"]},
        )
    ],
)
def poker_hand_rank(cards: list[str]) -> dict[str, Any]:
    """Best poker hand category."""
    if len(set(cards)) != len(cards) or not 5 <= len(cards) <= 7:
        raise ValueError("give 5 to 7 distinct cards")
    if any(len(c) != 2 or c[0] not in _RANKS or c[1] not in "shdc" for c in cards):
        raise ValueError("cards are rank + suit, e.g. As, Td, 9c")
    best = max(itertools.combinations(cards, 5), key=_hand_value)
    category, _ = _hand_value(best)
    return {"hand": HAND_NAMES[category], "rank": category, "best_five": list(best)}


@api(
    category="Gaming",
    description=(
        "Loot drop odds: chance of at least one drop in N attempts at a given drop rate, and the "
        "attempts needed for 50%, 90% and 99% confidence."
    ),
    params={
        "drop_rate_pct": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 100,
            "description": "Drop chance per attempt, in percent.",
        },
        "attempts": {
            "type": "integer",
            "minimum": 1,
            "maximum": 1000000,
            "description": "Number of attempts (kills, pulls, chests).",
        },
    },
    templates=[
        "If an item drops {drop_rate_pct}% of the time, what's my chance after {attempts} kills?",
        "Odds of getting a {drop_rate_pct}% drop in {attempts} tries?",
    ],
    examples=[("Chance of a 1% drop in 100 kills?", {"drop_rate_pct": 1, "attempts": 100})],
)
def loot_drop_odds(drop_rate_pct: float, attempts: int) -> dict[str, Any]:
    """Geometric drop odds."""
    p = drop_rate_pct / 100
    if p >= 1:
        needed = {"50": 1, "90": 1, "99": 1}
    else:
        needed = {
            k: math.ceil(math.log(1 - int(k) / 100) / math.log(1 - p)) for k in ("50", "90", "99")
        }
    return {
        "probability_at_least_one": round(1 - (1 - p) ** attempts, 8),
        "expected_drops": round(p * attempts, 4),
        "attempts_for_confidence": needed,
    }


@api(
    category="Gaming",
    description=(
        "Minecraft Overworld <-> Nether coordinate conversion (1 Nether block = 8 Overworld "
        "blocks horizontally; Y is unchanged) for linking portals."
    ),
    params={
        "x": {
            "type": "integer",
            "minimum": -30000000,
            "maximum": 30000000,
            "description": "X coordinate.",
        },
        "z": {
            "type": "integer",
            "minimum": -30000000,
            "maximum": 30000000,
            "description": "Z coordinate.",
        },
        "to_dimension": {
            "type": "string",
            "enum": ["nether", "overworld"],
            "description": "Dimension to convert into.",
        },
    },
    templates=[
        "Where should I build my {to_dimension} portal for X {x}, Z {z}?",
        "Convert X={x} Z={z} to {to_dimension} coordinates.",
    ],
    examples=[
        (
            "My base is at X 800, Z -1200. Where is that in the Nether?",
            {"x": 800, "z": -1200, "to_dimension": "nether"},
        )
    ],
)
def minecraft_portal_coordinates(x: int, z: int, to_dimension: str = "nether") -> dict[str, int]:
    """Nether/Overworld coordinates."""
    if to_dimension == "nether":
        return {"x": math.floor(x / 8), "z": math.floor(z / 8)}
    return {"x": x * 8, "z": z * 8}
