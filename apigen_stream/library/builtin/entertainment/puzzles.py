"""Entertainment APIs for puzzles, word games, ratings and watching TV."""

from __future__ import annotations

import datetime as dt
import math
import string
from typing import Any

from apigen_stream.library.registry import api

CATEGORY = "Entertainment"

_SUDOKUS = [
    "530070000600195000098000060800060003400803001700020006060000280000419005000080079",
    "003020600900305001001806400008102900700000008006708200002609500800203009005010300",
    "200080300060070084030500209000105408000000000402706000301007040720040060004010003",
]
# Peers of each cell: same row, column or 3×3 box.
_PEERS = [
    {
        j
        for j in range(81)
        if j != i
        and (
            j // 9 == i // 9 or j % 9 == i % 9 or (j // 27 == i // 27 and j % 9 // 3 == i % 9 // 3)
        )
    }
    for i in range(81)
]
# Search nodes after which a puzzle is declared too hard, keeping a call well under a second.
_MAX_NODES = 200_000


def _solve(grid: list[int], found: list[list[int]], budget: list[int]) -> None:
    """Backtracking on the most constrained empty cell; stops after two solutions."""
    budget[0] -= 1
    if budget[0] < 0 or len(found) >= 2:
        return
    best, best_options = -1, set(range(10))
    for i in range(81):
        if grid[i] == 0:
            options = set(range(1, 10)) - {grid[j] for j in _PEERS[i]}
            if len(options) < len(best_options):
                best, best_options = i, options
                if len(options) <= 1:
                    break
    if best < 0:
        found.append(grid.copy())
        return
    for digit in sorted(best_options):
        grid[best] = digit
        _solve(grid, found, budget)
    grid[best] = 0


@api(
    category=CATEGORY,
    description=(
        "Solve a 9×9 sudoku given as 81 characters row by row (0 or '.' for blanks); returns the "
        "solution as 9 row strings and whether it is unique."
    ),
    params={
        "puzzle": {
            "type": "string",
            "pattern": r"^[0-9.]{81}$",
            "description": "81 digits, 0 or '.' for empty cells.",
            "examples": _SUDOKUS,
        }
    },
    templates=["Solve this sudoku: {puzzle}", "Can you fill in the sudoku {puzzle}?"],
    examples=[("Solve the sudoku " + _SUDOKUS[0], {"puzzle": _SUDOKUS[0]})],
)
def sudoku_puzzle_solve(puzzle: str) -> dict[str, Any]:
    """Checks the givens first, so a contradictory puzzle fails fast with a clear message."""
    if len(puzzle) != 81 or any(c not in "0123456789." for c in puzzle):
        raise ValueError("puzzle must be 81 characters of digits, with 0 or '.' for blanks")
    grid = [0 if c == "." else int(c) for c in puzzle]
    for i, v in enumerate(grid):
        if v and any(grid[j] == v for j in _PEERS[i]):
            raise ValueError(f"the givens repeat {v} in the row, column or box of cell {i}")
    found: list[list[int]] = []
    budget = [_MAX_NODES]
    _solve(grid, found, budget)
    if not found:
        raise ValueError(
            "the puzzle has no solution"
            if budget[0] >= 0
            else "the puzzle is too hard to solve here"
        )
    rows = ["".join(map(str, found[0][r * 9 : r * 9 + 9])) for r in range(9)]
    return {"solution": rows, "unique": len(found) == 1}


def _letters(text: str) -> str:
    return "".join(sorted(c for c in text.casefold() if c.isalnum()))


@api(
    category=CATEGORY,
    description=(
        "Check whether two words or phrases are anagrams of each other (ignoring case, spaces "
        "and punctuation), and list the letters that differ if not."
    ),
    params={
        "phrase_a": {
            "type": "string",
            "description": "First word or phrase.",
            "examples": ["listen", "Dormitory", "The eyes"],
        },
        "phrase_b": {
            "type": "string",
            "description": "Second word or phrase.",
            "examples": ["silent", "Dirty room", "They see"],
        },
    },
    templates=[
        "Are '{phrase_a}' and '{phrase_b}' anagrams?",
        "Is '{phrase_b}' an anagram of '{phrase_a}'?",
    ],
    examples=[
        (
            "Is 'Dirty room' an anagram of 'Dormitory'?",
            {"phrase_a": "Dormitory", "phrase_b": "Dirty room"},
        )
    ],
)
def anagram_check(phrase_a: str, phrase_b: str) -> dict[str, Any]:
    """Compares the multisets of letters and digits."""
    a, b = _letters(phrase_a), _letters(phrase_b)
    extra_a = sorted((_multiset(a) - _multiset(b)).elements())
    extra_b = sorted((_multiset(b) - _multiset(a)).elements())
    return {"anagrams": a == b and bool(a), "only_in_a": extra_a, "only_in_b": extra_b}


def _multiset(text: str) -> Any:
    from collections import Counter  # noqa: PLC0415 - loaded on first use

    return Counter(text)


# English Scrabble tile values (Hasbro/Mattel standard English set).
_TILES = {
    **dict.fromkeys("AEILNORSTU", 1), **dict.fromkeys("DG", 2), **dict.fromkeys("BCMP", 3),
    **dict.fromkeys("FHVWY", 4), "K": 5, **dict.fromkeys("JX", 8), **dict.fromkeys("QZ", 10),
}  # fmt: skip
# Bonus for playing all seven tiles in one turn (a "bingo"), per the official rules.
_BINGO_BONUS = 50


@api(
    category=CATEGORY,
    description=(
        "Scrabble score of a word with English tile values, an optional word multiplier "
        "(double/triple word) and the 50-point bonus when all 7 tiles are played."
    ),
    params={
        "word": {
            "type": "string",
            "pattern": "^[A-Za-z]{1,15}$",
            "description": "The word played.",
            "examples": ["quartz", "jukebox", "oxyphenbutazone", "cat"],
        },
        "word_multiplier": {
            "type": "integer",
            "enum": [1, 2, 3],
            "description": "Word multiplier square.",
        },
        "used_all_seven_tiles": {
            "type": "boolean",
            "description": "Whether all 7 rack tiles were played.",
        },
    },
    templates=[
        "How many points is {word} in Scrabble?",
        "Score {word} on a {word_multiplier}x word square.",
    ],
    examples=[
        ("What does QUARTZ score on a triple word?", {"word": "quartz", "word_multiplier": 3})
    ],
)
def scrabble_word_score(
    word: str, word_multiplier: int = 1, used_all_seven_tiles: bool = False
) -> dict[str, Any]:
    """Letter values summed, multiplied, then the bingo bonus added."""
    if not word.isalpha() or not word.isascii():
        raise ValueError("a Scrabble word has letters A-Z only")
    base = sum(_TILES[c] for c in word.upper())
    return {
        "letter_total": base,
        "score": base * word_multiplier + (_BINGO_BONUS if used_all_seven_tiles else 0),
    }


@api(
    category=CATEGORY,
    description=(
        "Encode or decode a puzzle message with a classic cipher: Caesar (any shift), ROT13, "
        "Atbash or Vigenère (with a key). Non-letters are kept."
    ),
    params={
        "text": {
            "type": "string",
            "description": "Message.",
            "examples": ["Attack at dawn", "Uryyb Jbeyq", "Meet me at the clock tower"],
        },
        "cipher": {
            "type": "string",
            "enum": ["caesar", "rot13", "atbash", "vigenere"],
            "description": "Cipher.",
        },
        "shift": {"type": "integer", "minimum": 1, "maximum": 25, "description": "Caesar shift."},
        "key": {
            "type": "string",
            "pattern": "^[A-Za-z]+$",
            "description": "Vigenère key.",
            "examples": ["LEMON", "key", "Cipher"],
        },
        "decode": {"type": "boolean", "description": "Decode instead of encode."},
    },
    templates=[
        "{decode} '{text}' with the {cipher} cipher.",
        "{decode} '{text}' with the {cipher} cipher, shift {shift}.",
        "{decode} '{text}' with the {cipher} cipher and the key {key}.",
    ],
    examples=[
        (
            "Encrypt 'Attack at dawn' with Vigenère key LEMON.",
            {"text": "Attack at dawn", "cipher": "vigenere", "key": "LEMON"},
        )
    ],
)
def classic_cipher_transform(
    text: str, cipher: str, shift: int = 3, key: str = "KEY", decode: bool = False
) -> dict[str, str]:
    """Letter-wise shifts; the Vigenère key advances only on letters."""
    sign = -1 if decode else 1
    out, k = [], 0
    for ch in text:
        if ch.upper() not in string.ascii_uppercase:
            out.append(ch)
            continue
        base = ord("A") if ch.isupper() else ord("a")
        x = ord(ch) - base
        if cipher == "atbash":
            y = 25 - x
        elif cipher in ("caesar", "rot13"):
            y = x + sign * (13 if cipher == "rot13" else shift)
        elif cipher == "vigenere":
            y = x + sign * (ord(key[k % len(key)].upper()) - ord("A"))
            k += 1
        else:
            raise ValueError(f"unknown cipher {cipher!r}")
        out.append(chr(base + y % 26))
    return {"cipher": cipher, "result": "".join(out)}


@api(
    category=CATEGORY,
    description=(
        "IMDb-style Bayesian weighted rating of a film or show: WR = v/(v+m)·R + m/(v+m)·C, "
        "pulling titles with few votes toward the mean of all titles."
    ),
    params={
        "rating": {
            "type": "number",
            "minimum": 1,
            "maximum": 10,
            "description": "Title's mean rating R.",
        },
        "votes": {
            "type": "integer",
            "minimum": 0,
            "maximum": 10**8,
            "description": "Number of votes v.",
        },
        "min_votes": {
            "type": "integer",
            "minimum": 1,
            "maximum": 10**7,
            "description": "Votes needed to be listed, m (IMDb Top 250 used 25,000).",
        },
        "mean_rating": {
            "type": "number",
            "minimum": 1,
            "maximum": 10,
            "description": "Mean rating C across all titles.",
        },
    },
    templates=[
        "What's the weighted rating of a movie rated {rating} with {votes} votes?",
        "Bayesian rating for {rating} stars from {votes} votes with m={min_votes} and "
        "C={mean_rating}?",
    ],
    examples=[
        (
            "A film has 8.9 from 1200 votes. Its IMDb-style weighted rating?",
            {"rating": 8.9, "votes": 1200},
        )
    ],
)
def imdb_weighted_rating(
    rating: float, votes: int, min_votes: int = 25000, mean_rating: float = 7.0
) -> dict[str, float]:
    """The formula IMDb published for its Top 250 chart."""
    wr = votes / (votes + min_votes) * rating + min_votes / (votes + min_votes) * mean_rating
    return {"weighted_rating": round(wr, 3)}


@api(
    category=CATEGORY,
    description=(
        "How long it takes to binge-watch a series: total watch time (optionally skipping "
        "intros) and the number of days at a given number of viewing hours per day."
    ),
    params={
        "episodes": {
            "type": "integer",
            "minimum": 1,
            "maximum": 5000,
            "description": "Episodes to watch.",
        },
        "minutes_per_episode": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 300,
            "description": "Episode length.",
        },
        "hours_per_day": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 24,
            "description": "Viewing hours per day.",
        },
        "skip_intro_seconds": {
            "type": "integer",
            "minimum": 0,
            "maximum": 600,
            "description": "Intro skipped per episode.",
        },
    },
    templates=[
        "How long to binge {episodes} episodes of {minutes_per_episode} minutes watching "
        "{hours_per_day} hours a day?",
        "If I watch {hours_per_day} h a day, how many days for {episodes} episodes of "
        "{minutes_per_episode} min?",
    ],
    examples=[
        (
            "How many days to watch 62 episodes of 47 minutes at 3 hours a day?",
            {"episodes": 62, "minutes_per_episode": 47, "hours_per_day": 3},
        )
    ],
)
def binge_watch_duration(
    episodes: int, minutes_per_episode: float, hours_per_day: float, skip_intro_seconds: int = 0
) -> dict[str, Any]:
    """Days rounded up: a partial day still needs a sitting."""
    minutes = episodes * max(minutes_per_episode - skip_intro_seconds / 60, 0)
    return {
        "total_hours": round(minutes / 60, 2),
        "days_needed": math.ceil(minutes / 60 / hours_per_day),
    }


@api(
    category=CATEGORY,
    description=(
        "Air dates of a TV season released weekly (or several episodes a week) from its "
        "premiere date: every episode's date and the finale date."
    ),
    params={
        "premiere_date": {
            "type": "string",
            "format": "date",
            "pattern": r"^\d{4}-\d{2}-\d{2}$",
            "description": "Premiere date, YYYY-MM-DD.",
            "examples": ["2024-09-12", "2025-01-05", "2024-04-14"],
        },
        "episodes": {
            "type": "integer",
            "minimum": 1,
            "maximum": 100,
            "description": "Episodes in the season.",
        },
        "episodes_per_week": {
            "type": "integer",
            "minimum": 1,
            "maximum": 7,
            "description": "Episodes released each week.",
        },
        "premiere_episodes": {
            "type": "integer",
            "minimum": 1,
            "maximum": 10,
            "description": "Episodes released on premiere day.",
        },
    },
    templates=[
        "A {episodes}-episode season premieres {premiere_date}, weekly. When is the finale?",
        "If {premiere_episodes} episodes drop on {premiere_date} and then {episodes_per_week} a "
        "week, when do all {episodes} air?",
    ],
    examples=[
        (
            "A 10-episode show premieres 2024-09-12 with 2 episodes, then weekly. Finale date?",
            {"premiere_date": "2024-09-12", "episodes": 10, "premiere_episodes": 2},
        )
    ],
)
def tv_season_air_dates(
    premiere_date: str, episodes: int, episodes_per_week: int = 1, premiere_episodes: int = 1
) -> dict[str, Any]:
    """After the premiere, each week on the same weekday releases episodes_per_week episodes."""
    try:
        start = dt.date.fromisoformat(premiere_date)
    except ValueError:
        raise ValueError(f"{premiere_date!r} is not YYYY-MM-DD") from None
    dates = [start] * min(premiere_episodes, episodes)
    week = 1
    while len(dates) < episodes:
        dates += [start + dt.timedelta(weeks=week)] * min(episodes_per_week, episodes - len(dates))
        week += 1
    return {"finale_date": dates[-1].isoformat(), "air_dates": [d.isoformat() for d in dates]}
