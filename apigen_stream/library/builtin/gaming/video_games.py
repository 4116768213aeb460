"""Gaming APIs for video and puzzle games: Nim, Mastermind, Minesweeper, Connect Four, Life,
2048, the 15-puzzle, Yahtzee, RPG stats and XP curves, shooter and action-game numbers."""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from apigen_stream.library.registry import api

CATEGORY = "Gaming"


def _grid(description: str, cell: dict[str, Any], size: int = 30) -> dict[str, Any]:
    return {
        "type": "array",
        "minItems": 1,
        "maxItems": size,
        "items": {"type": "array", "items": cell, "minItems": 1, "maxItems": size},
        "description": description,
    }


@api(
    category=CATEGORY,
    description=(
        "Winning move in Nim (normal play: taking the last object wins): the nim-sum of the "
        "heap sizes, and which heap to reduce to what, or that the position is lost."
    ),
    params={
        "heaps": {
            "type": "array",
            "items": {"type": "integer", "minimum": 0, "maximum": 10**6},
            "minItems": 1,
            "maxItems": 20,
            "description": "Objects in each heap.",
        }
    },
    templates=[
        "What's the winning move in Nim with heaps {heaps}?",
        "Nim position {heaps}: can I win?",
    ],
    examples=[
        (
            "We're playing Nim with heaps of 3, 4 and 5. What's my winning move?",
            {"heaps": [3, 4, 5]},
        )
    ],
)
def nim_best_move(heaps: list[int]) -> dict[str, Any]:
    """Bouton (1901): a position is lost exactly when the XOR of the heaps is 0."""
    nim_sum = 0
    for h in heaps:
        nim_sum ^= h
    if nim_sum == 0:
        return {"nim_sum": 0, "winning": False, "move": None}
    for i, h in enumerate(heaps):
        if h ^ nim_sum < h:
            return {
                "nim_sum": nim_sum,
                "winning": True,
                "move": {"heap": i + 1, "take": h - (h ^ nim_sum), "leave": h ^ nim_sum},
            }
    raise AssertionError("a non-zero nim-sum always has a move")  # pragma: no cover


@api(
    category=CATEGORY,
    description=(
        "Mastermind feedback for a guess: black pegs for right colour in the right place, white "
        "pegs for right colour in the wrong place."
    ),
    params={
        "secret": {
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "minItems": 1,
            "maxItems": 10,
            "description": "The code's colours in order.",
            "examples": [
                ["red", "blue", "green", "yellow"],
                ["red", "red", "blue", "white"],
                ["black", "white", "white", "black"],
            ],
        },
        "guess": {
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "minItems": 1,
            "maxItems": 10,
            "description": "The guess's colours, same length.",
            "examples": [
                ["red", "green", "blue", "purple"],
                ["blue", "red", "red", "red"],
                ["white", "black", "black", "white"],
            ],
        },
    },
    templates=[
        "In Mastermind the code is {secret} and I guessed {guess}. How many pegs?",
        "Score the Mastermind guess {guess} against {secret}.",
    ],
    examples=[
        (
            "The code is red, blue, green, yellow and I guessed red, green, blue, purple. "
            "What's the feedback?",
            {
                "secret": ["red", "blue", "green", "yellow"],
                "guess": ["red", "green", "blue", "purple"],
            },
        )
    ],
)
def mastermind_feedback(secret: list[str], guess: list[str]) -> dict[str, Any]:
    """White = common colours (with multiplicity) minus black."""
    if len(secret) != len(guess):
        raise ValueError("the guess must have as many pegs as the code")
    black = sum(s == g for s, g in zip(secret, guess, strict=True))
    common = sum((Counter(secret) & Counter(guess)).values())
    return {"black": black, "white": common - black, "solved": black == len(secret)}


@api(
    category=CATEGORY,
    description=(
        "Minesweeper numbers of a board: for every cell, how many of its eight neighbours hold "
        "a mine (mines shown as '*'), as the game displays them."
    ),
    params={
        "board": {
            "type": "array",
            "minItems": 1,
            "maxItems": 30,
            "items": {"type": "string", "pattern": r"^[.*]{1,30}$"},
            "description": "Rows of '.' (empty) and '*' (mine).",
            "examples": [["*...", "....", ".*..", "...."], ["**", ".."], ["...", ".*."]],
        }
    },
    templates=[
        "Fill in the Minesweeper numbers for {board}.",
        "What numbers does Minesweeper show for {board}?",
    ],
    examples=[
        (
            "Show the Minesweeper numbers for rows '*...', '....', '.*..', '....'.",
            {"board": ["*...", "....", ".*..", "...."]},
        )
    ],
)
def minesweeper_numbers(board: list[str]) -> dict[str, Any]:
    """Neighbour counts."""
    rows, cols = len(board), len(board[0])
    if any(len(r) != cols for r in board):
        raise ValueError("all rows must have the same length")
    out = []
    for i in range(rows):
        line = ""
        for j in range(cols):
            if board[i][j] == "*":
                line += "*"
                continue
            n = sum(
                board[a][b] == "*"
                for a in range(max(0, i - 1), min(rows, i + 2))
                for b in range(max(0, j - 1), min(cols, j + 2))
            )
            line += str(n) if n else "."
        out.append(line)
    return {"numbers": out, "mines": sum(r.count("*") for r in board)}


@api(
    category=CATEGORY,
    description=(
        "Winner of a Connect Four board (6 rows x 7 columns, 'R', 'Y' or '.'), with the four "
        "winning cells, or whether the game is still on or drawn."
    ),
    params={
        "board": {
            "type": "array",
            "minItems": 6,
            "maxItems": 6,
            "items": {"type": "string", "pattern": "^[RY.]{7}$"},
            "description": "Six rows, top first, of R, Y or '.'.",
            "examples": [
                [".......", ".......", "...R...", "..RY...", ".RYY...", "RYYR..."],
                [".......", ".......", ".......", ".......", ".......", "RRRY..."],
                [".......", ".......", ".......", "Y......", "Y......", "YRRR..."],
            ],
        }
    },
    templates=["Who wins this Connect Four board: {board}?", "Check Connect Four {board}."],
    examples=[
        (
            "Has anyone won this Connect Four game? Rows: '.......', '.......', '...R...', "
            "'..RY...', '.RYY...', 'RYYR...'",
            {"board": [".......", ".......", "...R...", "..RY...", ".RYY...", "RYYR..."]},
        )
    ],
)
def connect_four_winner(board: list[str]) -> dict[str, Any]:
    """Four in a row horizontally, vertically or diagonally."""
    for r in range(6):
        for c in range(7):
            piece = board[r][c]
            if piece == ".":
                continue
            for dr, dc in ((0, 1), (1, 0), (1, 1), (1, -1)):
                cells = [(r + k * dr, c + k * dc) for k in range(4)]
                if all(0 <= a < 6 and 0 <= b < 7 and board[a][b] == piece for a, b in cells):
                    return {"winner": piece, "cells": [[a, b] for a, b in cells], "state": "won"}
    full = all("." not in row for row in board)
    return {"winner": None, "cells": [], "state": "draw" if full else "in progress"}


@api(
    category=CATEGORY,
    description=(
        "Old School RuneScape experience for a skill level: the XP at which the level starts "
        "and the XP from one level to another, by the game's published formula."
    ),
    params={
        "level": {"type": "integer", "minimum": 1, "maximum": 126, "description": "Target level."},
        "current_level": {
            "type": "integer",
            "minimum": 1,
            "maximum": 126,
            "description": "Level now.",
        },
    },
    templates=[
        "How much XP is level {level} in RuneScape?",
        "XP needed from level {current_level} to {level} in OSRS?",
    ],
    examples=[
        (
            "How much XP do I need to get from level 70 to 99 in RuneScape?",
            {"level": 99, "current_level": 70},
        )
    ],
)
def runescape_xp_for_level(level: int, current_level: int = 1) -> dict[str, Any]:
    """XP(L) = floor(sum_{l=1}^{L-1} floor(l + 300 x 2^(l/7)) / 4)."""

    def xp(target: int) -> int:
        return sum(math.floor(n + 300 * 2 ** (n / 7)) for n in range(1, target)) // 4

    return {"xp_for_level": xp(level), "xp_from_current": xp(level) - xp(current_level)}


_NATURE = {"neutral": 1.0, "boosting": 1.1, "hindering": 0.9}


@api(
    category=CATEGORY,
    description=(
        "A Pokémon's stat from its base stat, IV, EV, level and nature (games of generation III "
        "on), for HP or any other stat."
    ),
    params={
        "base": {"type": "integer", "minimum": 1, "maximum": 255, "description": "Base stat."},
        "iv": {"type": "integer", "minimum": 0, "maximum": 31, "description": "Individual value."},
        "ev": {"type": "integer", "minimum": 0, "maximum": 252, "description": "Effort value."},
        "level": {"type": "integer", "minimum": 1, "maximum": 100, "description": "Level."},
        "stat": {
            "type": "string",
            "enum": ["hp", "other"],
            "description": "HP, or any other stat (Attack, Speed...).",
        },
        "nature": {
            "type": "string",
            "enum": sorted(_NATURE),
            "description": "Nature's effect on this stat.",
        },
    },
    templates=[
        "What's the stat for base {base}, IV {iv}, EV {ev} at level {level} ({stat}, "
        "{nature} nature)?",
        "Compute a level {level} Pokémon's {stat} with base {base}, {iv} IVs and {ev} EVs.",
    ],
    examples=[
        (
            "Garchomp has base 102 Speed. With 31 IVs, 252 EVs and a boosting nature, what's "
            "its Speed at level 100?",
            {"base": 102, "iv": 31, "ev": 252, "level": 100, "stat": "other", "nature": "boosting"},
        )
    ],
)
def pokemon_stat(
    base: int, iv: int, ev: int, level: int, stat: str = "other", nature: str = "neutral"
) -> dict[str, Any]:
    """HP = floor((2B + IV + floor(EV/4)) L / 100) + L + 10; others (... + 5) x nature."""
    core = (2 * base + iv + ev // 4) * level // 100
    if stat == "hp":
        return {"value": core + level + 10}
    return {"value": math.floor((core + 5) * _NATURE[nature])}


@api(
    category=CATEGORY,
    description=(
        "Expected damage per second of a weapon or character from hit damage, attack speed, "
        "critical-hit chance and multiplier, and the share crits add."
    ),
    params={
        "damage": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 10**7,
            "description": "Damage of a normal hit.",
        },
        "attacks_per_second": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 100,
            "description": "Attacks per second.",
        },
        "crit_chance_percent": {
            "type": "number",
            "minimum": 0,
            "maximum": 100,
            "description": "Critical-hit chance in percent.",
        },
        "crit_multiplier": {
            "type": "number",
            "minimum": 1,
            "maximum": 20,
            "description": "Damage multiplier of a critical hit.",
        },
    },
    templates=[
        "What's the DPS of {damage} damage at {attacks_per_second} attacks/s with "
        "{crit_chance_percent}% crits at x{crit_multiplier}?",
        "Expected DPS: {damage} per hit, {attacks_per_second} hits a second.",
    ],
    examples=[
        (
            "My bow does 120 damage, 1.5 attacks a second, 25% crit chance for 2x. DPS?",
            {
                "damage": 120,
                "attacks_per_second": 1.5,
                "crit_chance_percent": 25,
                "crit_multiplier": 2,
            },
        )
    ],
)
def expected_dps(
    damage: float,
    attacks_per_second: float,
    crit_chance_percent: float = 0,
    crit_multiplier: float = 2,
) -> dict[str, Any]:
    """Expected hit = damage x (1 + p (m - 1))."""
    factor = 1 + crit_chance_percent / 100 * (crit_multiplier - 1)
    dps = damage * attacks_per_second * factor
    return {
        "dps": round(dps, 2),
        "average_hit": round(damage * factor, 2),
        "crit_share_percent": round(100 * (1 - 1 / factor), 1),
    }


@api(
    category=CATEGORY,
    description=(
        "Shooter and MOBA performance ratios from kills, deaths and assists: K/D, KDA ((K + A) / "
        "D) and the kill participation of a team's kills."
    ),
    params={
        "kills": {"type": "integer", "minimum": 0, "maximum": 10**6, "description": "Kills."},
        "deaths": {"type": "integer", "minimum": 0, "maximum": 10**6, "description": "Deaths."},
        "assists": {"type": "integer", "minimum": 0, "maximum": 10**6, "description": "Assists."},
        "team_kills": {
            "type": "integer",
            "minimum": 0,
            "maximum": 10**7,
            "description": "The team's kills (0 if unknown).",
        },
    },
    templates=[
        "What's my K/D with {kills} kills and {deaths} deaths?",
        "KDA for {kills}/{deaths}/{assists} with {team_kills} team kills?",
    ],
    examples=[
        (
            "I went 12/4/9 and my team had 30 kills. What's my KDA and kill participation?",
            {"kills": 12, "deaths": 4, "assists": 9, "team_kills": 30},
        )
    ],
)
def kill_death_ratios(
    kills: int, deaths: int, assists: int = 0, team_kills: int = 0
) -> dict[str, Any]:
    """Deaths of 0 count as 1, as the games' scoreboards do."""
    d = max(deaths, 1)
    return {
        "kd": round(kills / d, 2),
        "kda": round((kills + assists) / d, 2),
        "kill_participation_percent": round(100 * (kills + assists) / team_kills, 1)
        if team_kills
        else None,
    }


@api(
    category=CATEGORY,
    description=(
        "Advance Conway's Game of Life: the grid after a number of generations (fixed edges, "
        "'#' alive and '.' dead), with the live-cell count."
    ),
    params={
        "grid": {
            "type": "array",
            "minItems": 1,
            "maxItems": 40,
            "items": {"type": "string", "pattern": r"^[#.]{1,40}$"},
            "description": "Rows of '#' (alive) and '.' (dead).",
            "examples": [
                [".....", "..#..", "..#..", "..#..", "....."],
                ["....", ".##.", ".##.", "...."],
                ["#.#", ".#.", "#.#"],
            ],
        },
        "generations": {
            "type": "integer",
            "minimum": 1,
            "maximum": 100,
            "description": "Generations to run.",
        },
    },
    templates=[
        "Run the Game of Life on {grid} for {generations} generations.",
        "What does {grid} look like after {generations} Life steps?",
    ],
    examples=[
        (
            "What does a blinker ('.....', '..#..', '..#..', '..#..', '.....') look like after "
            "one generation?",
            {"grid": [".....", "..#..", "..#..", "..#..", "....."], "generations": 1},
        )
    ],
)
def game_of_life_step(grid: list[str], generations: int = 1) -> dict[str, Any]:
    """B3/S23."""
    rows, cols = len(grid), len(grid[0])
    if any(len(r) != cols for r in grid):
        raise ValueError("all rows must have the same length")
    cells = [[c == "#" for c in row] for row in grid]
    for _ in range(generations):
        cells = [
            [
                (
                    n := sum(
                        cells[a][b]
                        for a in range(max(0, i - 1), min(rows, i + 2))
                        for b in range(max(0, j - 1), min(cols, j + 2))
                    )
                    - cells[i][j]
                )
                == 3
                or (cells[i][j] and n == 2)
                for j in range(cols)
            ]
            for i in range(rows)
        ]
    return {
        "grid": ["".join("#" if c else "." for c in row) for row in cells],
        "alive": sum(map(sum, cells)),
    }


def _slide(line: list[int]) -> tuple[list[int], int]:
    tiles = [t for t in line if t]
    out: list[int] = []
    score = 0
    i = 0
    while i < len(tiles):
        if i + 1 < len(tiles) and tiles[i] == tiles[i + 1]:
            out.append(tiles[i] * 2)
            score += tiles[i] * 2
            i += 2
        else:
            out.append(tiles[i])
            i += 1
    return out + [0] * (len(line) - len(out)), score


@api(
    category=CATEGORY,
    description=(
        "One move in 2048: the 4x4 board after sliding left, right, up or down with equal tiles "
        "merged once, the points scored and whether anything moved (no new tile added)."
    ),
    params={
        "board": _grid(
            "Four rows of four tiles (0 for empty).",
            {"type": "integer", "minimum": 0, "maximum": 131072},
            4,
        ),
        "direction": {
            "type": "string",
            "enum": ["left", "right", "up", "down"],
            "description": "Slide direction.",
        },
    },
    templates=[
        "In 2048, what happens when I slide {board} {direction}?",
        "Slide the 2048 board {board} to the {direction}.",
    ],
    examples=[
        (
            "My 2048 board is [[2,2,4,0],[0,4,4,4],[2,0,2,0],[0,0,0,2]]. What if I swipe left?",
            {
                "board": [[2, 2, 4, 0], [0, 4, 4, 4], [2, 0, 2, 0], [0, 0, 0, 2]],
                "direction": "left",
            },
        )
    ],
)
def game_2048_move(board: list[list[int]], direction: str) -> dict[str, Any]:
    """Rotate so every direction is a slide to the left."""
    if len(board) != 4 or any(len(r) != 4 for r in board):
        raise ValueError("the board must be 4 x 4")
    lines = (
        [list(r) for r in board]
        if direction in ("left", "right")
        else [list(c) for c in zip(*board, strict=True)]
    )
    if direction in ("right", "down"):
        lines = [line[::-1] for line in lines]
    moved_lines, score = [], 0
    for line in lines:
        new, points = _slide(line)
        moved_lines.append(new)
        score += points
    if direction in ("right", "down"):
        moved_lines = [line[::-1] for line in moved_lines]
    result = (
        moved_lines
        if direction in ("left", "right")
        else [list(r) for r in zip(*moved_lines, strict=True)]
    )
    return {"board": result, "score": score, "moved": result != board}


@api(
    category=CATEGORY,
    description=(
        "Whether a sliding-tile puzzle (8-puzzle, 15-puzzle) can be solved, by the inversion "
        "count and the blank's row, and the Manhattan-distance lower bound on the moves."
    ),
    params={
        "tiles": {
            "type": "array",
            "items": {"type": "integer", "minimum": 0, "maximum": 99},
            "minItems": 4,
            "maxItems": 100,
            "description": "Tiles row by row, 0 for the blank (9 or 16 numbers).",
        }
    },
    templates=["Is the sliding puzzle {tiles} solvable?", "Can {tiles} be solved as a 15-puzzle?"],
    examples=[
        (
            "Is the 15-puzzle 1 2 3 4 5 6 7 8 9 10 11 12 13 15 14 0 solvable?",
            {"tiles": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 14, 0]},
        )
    ],
)
def sliding_puzzle_solvable(tiles: list[int]) -> dict[str, Any]:
    """Odd width: even inversions; even width: inversions + blank row from the bottom odd."""
    width = math.isqrt(len(tiles))
    if width * width != len(tiles) or sorted(tiles) != list(range(len(tiles))):
        raise ValueError("give each number from 0 to n²-1 once, n² numbers")
    seq = [t for t in tiles if t]
    inversions = sum(a > b for i, a in enumerate(seq) for b in seq[i + 1 :])
    blank_row_from_bottom = width - tiles.index(0) // width
    solvable = inversions % 2 == 0 if width % 2 else (inversions + blank_row_from_bottom) % 2 == 1
    manhattan = sum(
        abs(i // width - (t - 1) // width) + abs(i % width - (t - 1) % width)
        for i, t in enumerate(tiles)
        if t
    )
    return {"solvable": solvable, "inversions": inversions, "manhattan_lower_bound": manhattan}


_YAHTZEE = (
    "ones",
    "twos",
    "threes",
    "fours",
    "fives",
    "sixes",
    "three_of_a_kind",
    "four_of_a_kind",
    "full_house",
    "small_straight",
    "large_straight",
    "yahtzee",
    "chance",
)


@api(
    category=CATEGORY,
    description=(
        "Score five dice in a Yahtzee category (upper section, kinds, full house 25, straights "
        "30 and 40, Yahtzee 50, chance), and the best category for the roll."
    ),
    params={
        "dice": {
            "type": "array",
            "items": {"type": "integer", "minimum": 1, "maximum": 6},
            "minItems": 5,
            "maxItems": 5,
            "description": "The five dice.",
        },
        "category": {"type": "string", "enum": list(_YAHTZEE), "description": "Category to score."},
    },
    templates=[
        "What does {dice} score as {category} in Yahtzee?",
        "Yahtzee: best category for {dice}, and its {category} score?",
    ],
    examples=[
        (
            "I rolled 3, 3, 3, 5, 5 in Yahtzee. What does it score as a full house?",
            {"dice": [3, 3, 3, 5, 5], "category": "full_house"},
        )
    ],
)
def yahtzee_score(dice: list[int], category: str) -> dict[str, Any]:
    """Hasbro's rules."""

    def score(cat: str) -> int:
        counts = sorted(Counter(dice).values())
        faces = set(dice)
        if cat in _YAHTZEE[:6]:
            face = _YAHTZEE.index(cat) + 1
            return face * dice.count(face)
        if cat == "three_of_a_kind":
            return sum(dice) if counts[-1] >= 3 else 0
        if cat == "four_of_a_kind":
            return sum(dice) if counts[-1] >= 4 else 0
        if cat == "full_house":
            return 25 if counts == [2, 3] else 0
        if cat == "small_straight":
            return (
                30
                if any(set(run) <= faces for run in ((1, 2, 3, 4), (2, 3, 4, 5), (3, 4, 5, 6)))
                else 0
            )
        if cat == "large_straight":
            return 40 if faces in ({1, 2, 3, 4, 5}, {2, 3, 4, 5, 6}) else 0
        if cat == "yahtzee":
            return 50 if counts == [5] else 0
        return sum(dice)

    scores = {c: score(c) for c in _YAHTZEE}
    best = max(_YAHTZEE, key=lambda c: scores[c])
    return {"score": scores[category], "best_category": best, "best_score": scores[best]}


@api(
    category=CATEGORY,
    description=(
        "Frame time in milliseconds of a frame rate, and the frame rate of a frame time budget, "
        "with the share of a 60 Hz and 144 Hz display's refresh it fills."
    ),
    params={
        "fps": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 1000,
            "description": "Frames per second.",
        }
    },
    templates=["What is the frame time at {fps} fps?", "How many ms per frame is {fps} FPS?"],
    examples=[("What's the frame time in milliseconds at 144 fps?", {"fps": 144})],
)
def frame_time_from_fps(fps: float) -> dict[str, Any]:
    """Frame time = 1000 / fps."""
    ms = 1000 / fps
    return {
        "frame_time_ms": round(ms, 3),
        "refreshes_at_60hz": round(60 / fps, 2),
        "refreshes_at_144hz": round(144 / fps, 2),
    }
