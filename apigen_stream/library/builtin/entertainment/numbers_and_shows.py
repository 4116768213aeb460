"""Entertainment APIs for number curiosities, classic puzzles, chance and screen time: Hanoi,
n-queens, Collatz, Kaprekar, magic squares, rock-paper-scissors, movie marathons."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from apigen_stream.library.registry import api

CATEGORY = "Entertainment"


@api(
    category=CATEGORY,
    description=(
        "Tower of Hanoi: the fewest moves to move n disks (2^n - 1), how long that takes at one "
        "move per second, and the first moves of the optimal solution."
    ),
    params={
        "disks": {
            "type": "integer",
            "minimum": 1,
            "maximum": 64,
            "description": "Number of disks.",
        },
        "seconds_per_move": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 3600,
            "description": "Time per move in seconds.",
        },
    },
    templates=[
        "How many moves to solve the Tower of Hanoi with {disks} disks?",
        "How long does a {disks}-disk Tower of Hanoi take at {seconds_per_move} s per move?",
    ],
    examples=[
        ("How many moves does an 8-disk Tower of Hanoi need?", {"disks": 8, "seconds_per_move": 1})
    ],
)
def tower_of_hanoi_moves(disks: int, seconds_per_move: float = 1) -> dict[str, Any]:
    """Move m takes disk (trailing zeros of m) + 1 from peg (m & (m - 1)) % 3 to peg
    ((m | (m - 1)) + 1) % 3; that ends on the third peg for odd n, the second for even n, so
    the pegs are named to end on C either way."""
    moves = 2**disks - 1
    pegs = "ACB" if disks % 2 == 0 else "ABC"
    first = [
        f"disk {(m & -m).bit_length()}: {pegs[(m & (m - 1)) % 3]}->{pegs[((m | (m - 1)) + 1) % 3]}"
        for m in range(1, min(moves, 8) + 1)
    ]
    return {
        "moves": moves,
        "seconds": moves * seconds_per_move,
        "years": round(moves * seconds_per_move / 31_557_600, 3),
        "first_moves": first,
    }


@api(
    category=CATEGORY,
    description=(
        "Count the ways to place n queens on an n x n chessboard so that none attacks another "
        "(the n-queens puzzle), with one solution as column positions."
    ),
    params={
        "n": {
            "type": "integer",
            "minimum": 1,
            "maximum": 10,
            "description": "Board size and number of queens.",
        }
    },
    templates=[
        "How many solutions does the {n}-queens puzzle have?",
        "Place {n} queens on an {n}x{n} board: how many ways?",
    ],
    examples=[("How many ways can you place 8 queens on a chessboard?", {"n": 8})],
)
def n_queens_solutions(n: int) -> dict[str, Any]:
    """Backtracking over columns with bit masks."""
    count = 0
    first: list[int] = []
    placed: list[int] = []

    def place(row: int, cols: int, d1: int, d2: int) -> None:
        nonlocal count, first
        if row == n:
            count += 1
            if not first:
                first = [c + 1 for c in placed]
            return
        free = ~(cols | d1 | d2) & ((1 << n) - 1)
        while free:
            bit = free & -free
            free ^= bit
            placed.append(bit.bit_length() - 1)
            place(row + 1, cols | bit, (d1 | bit) << 1, (d2 | bit) >> 1)
            placed.pop()

    place(0, 0, 0, 0)
    return {"solutions": count, "example_columns": first}


@api(
    category=CATEGORY,
    description=(
        "Collatz (3n + 1) sequence of a number: the steps to reach 1, the highest value reached, "
        "and the start of the sequence."
    ),
    params={
        "n": {"type": "integer", "minimum": 1, "maximum": 10**12, "description": "Starting number."}
    },
    templates=[
        "How many Collatz steps does {n} take to reach 1?",
        "Show the 3n+1 sequence of {n}.",
    ],
    examples=[("How many steps does 27 take to reach 1 in the Collatz sequence?", {"n": 27})],
)
def collatz_sequence(n: int) -> dict[str, Any]:
    """n -> n / 2 if even, else 3n + 1."""
    steps, peak, value, start = 0, n, n, [n]
    while value != 1:
        value = value // 2 if value % 2 == 0 else 3 * value + 1
        steps += 1
        peak = max(peak, value)
        if len(start) < 20:
            start.append(value)
    return {"steps": steps, "peak": peak, "sequence_start": start}


@api(
    category=CATEGORY,
    description=(
        "Kaprekar's routine on a four-digit number: sort its digits descending and ascending, "
        "subtract, repeat; every number with two different digits reaches 6174."
    ),
    params={
        "number": {
            "type": "integer",
            "minimum": 1,
            "maximum": 9998,
            "description": "A number up to four digits, not all digits equal.",
        }
    },
    templates=[
        "How many Kaprekar steps does {number} take to reach 6174?",
        "Run Kaprekar's routine on {number}.",
    ],
    examples=[("How many steps does 3524 take to reach Kaprekar's constant?", {"number": 3524})],
)
def kaprekar_routine(number: int) -> dict[str, Any]:
    """Numbers are padded to four digits with zeros."""
    digits = f"{number:04d}"
    if len(set(digits)) == 1:
        raise ValueError("the digits must not all be equal")
    steps: list[str] = []
    value = number
    while value != 6174:
        d = f"{value:04d}"
        high, low = int("".join(sorted(d, reverse=True))), int("".join(sorted(d)))
        value = high - low
        steps.append(f"{high:04d} - {low:04d} = {value:04d}")
    return {"iterations": len(steps), "steps": steps}


@api(
    category=CATEGORY,
    description=(
        "Check whether a number is happy: repeatedly replacing it by the sum of the squares of "
        "its digits reaches 1 (unhappy numbers fall into the 4 -> 16 -> ... cycle)."
    ),
    params={
        "n": {"type": "integer", "minimum": 1, "maximum": 10**15, "description": "The number."}
    },
    templates=["Is {n} a happy number?", "Show the happy-number chain of {n}."],
    examples=[("Is 19 a happy number?", {"n": 19})],
)
def happy_number_check(n: int) -> dict[str, Any]:
    """Stops at 1 or at a repeat."""
    chain = [n]
    while chain[-1] != 1 and chain[-1] not in chain[:-1]:
        chain.append(sum(int(d) ** 2 for d in str(chain[-1])))
    return {"happy": chain[-1] == 1, "chain": chain[:30]}


@api(
    category=CATEGORY,
    description=(
        "Check a magic square: whether every row, column and both diagonals of a square grid of "
        "numbers add up to the same total, and whether it uses 1..n² once (normal)."
    ),
    params={
        "grid": {
            "type": "array",
            "minItems": 1,
            "maxItems": 20,
            "items": {"type": "array", "items": {"type": "integer"}, "minItems": 1, "maxItems": 20},
            "description": "The square's rows.",
        },
    },
    templates=["Is {grid} a magic square?", "Check the magic square {grid}."],
    examples=[
        (
            "Is [[2, 7, 6], [9, 5, 1], [4, 3, 8]] a magic square?",
            {"grid": [[2, 7, 6], [9, 5, 1], [4, 3, 8]]},
        )
    ],
)
def magic_square_check(grid: list[list[int]]) -> dict[str, Any]:
    """Lines: n rows, n columns, 2 diagonals."""
    n = len(grid)
    if any(len(row) != n for row in grid):
        raise ValueError("the grid must be square")
    lines = [
        *grid,
        *([row[i] for row in grid] for i in range(n)),
        [grid[i][i] for i in range(n)],
        [grid[i][n - 1 - i] for i in range(n)],
    ]
    sums = sorted({sum(line) for line in lines})
    normal = sorted(v for row in grid for v in row) == list(range(1, n * n + 1))
    return {
        "magic": len(sums) == 1,
        "line_sums": sums,
        "normal": normal,
        "magic_constant": n * (n * n + 1) // 2 if normal else None,
    }


@api(
    category=CATEGORY,
    description=(
        "Validate a filled or partly filled 9x9 sudoku grid: repeated digits in any row, column "
        "or 3x3 box, the blanks left, and whether it is complete and correct."
    ),
    params={
        "grid": {
            "type": "string",
            "pattern": r"^[0-9.]{81}$",
            "description": "81 characters row by row, 0 or '.' for blanks.",
            "examples": [
                "534678912672195348198342567859761423426853791713924856961537284287419635345286179",
                "53..7....6..195....98....6.8...6...34..8.3..17...2...6.6....28....419..5....8..79",
                "553678912672195348198342567859761423426853791713924856961537284287419635345286179",
            ],
        },
    },
    templates=["Is this sudoku grid valid: {grid}?", "Check my sudoku {grid} for mistakes."],
    examples=[
        (
            "Is my finished sudoku correct? "
            "534678912672195348198342567859761423426853791713924856961537284287419635345286179",
            {
                "grid": "534678912672195348198342567859761423426853791713924856961537284287419635"
                "345286179"
            },
        )
    ],
)
def sudoku_grid_validate(grid: str) -> dict[str, Any]:
    """Each unit: digits 1-9 at most once."""
    cells = [0 if c == "." else int(c) for c in grid]
    units = {}
    for i in range(9):
        units[f"row {i + 1}"] = [cells[i * 9 + j] for j in range(9)]
        units[f"column {i + 1}"] = [cells[j * 9 + i] for j in range(9)]
        r, c = 3 * (i // 3), 3 * (i % 3)
        units[f"box {i + 1}"] = [cells[(r + a) * 9 + c + b] for a in range(3) for b in range(3)]
    conflicts = [
        name
        for name, unit in units.items()
        if len([v for v in unit if v]) != len({v for v in unit if v})
    ]
    blanks = cells.count(0)
    return {
        "valid": not conflicts,
        "conflicts": conflicts,
        "blanks": blanks,
        "solved": not conflicts and blanks == 0,
    }


# Rock-paper-scissors-lizard-Spock (Sam Kass and Karen Bryla): what each move beats, and how.
_BEATS = {
    "rock": {"scissors": "crushes", "lizard": "crushes"},
    "paper": {"rock": "covers", "spock": "disproves"},
    "scissors": {"paper": "cuts", "lizard": "decapitates"},
    "lizard": {"paper": "eats", "spock": "poisons"},
    "spock": {"scissors": "smashes", "rock": "vaporizes"},
}


@api(
    category=CATEGORY,
    description=(
        "Winner of a round of rock-paper-scissors, or of its rock-paper-scissors-lizard-Spock "
        'extension, with the rule that decides it ("paper covers rock").'
    ),
    params={
        "move_a": {"type": "string", "enum": sorted(_BEATS), "description": "Player A's move."},
        "move_b": {"type": "string", "enum": sorted(_BEATS), "description": "Player B's move."},
    },
    templates=[
        "Who wins, {move_a} or {move_b}?",
        "Rock paper scissors: {move_a} against {move_b}.",
    ],
    examples=[("Who wins: Spock or lizard?", {"move_a": "spock", "move_b": "lizard"})],
)
def rock_paper_scissors_winner(move_a: str, move_b: str) -> dict[str, Any]:
    """Each move beats two and loses to two."""
    if move_a == move_b:
        return {"winner": "tie", "rule": f"{move_a} ties {move_b}"}
    if move_b in _BEATS[move_a]:
        return {"winner": "A", "rule": f"{move_a} {_BEATS[move_a][move_b]} {move_b}"}
    return {"winner": "B", "rule": f"{move_b} {_BEATS[move_b][move_a]} {move_a}"}


@api(
    category=CATEGORY,
    description=(
        "Probability of at least one run of k heads in a row in n fair coin flips (exact, by "
        "counting sequences), and the approximate expected longest run."
    ),
    params={
        "flips": {
            "type": "integer",
            "minimum": 1,
            "maximum": 1000,
            "description": "Number of flips.",
        },
        "streak": {
            "type": "integer",
            "minimum": 1,
            "maximum": 1000,
            "description": "Run length of heads to look for.",
        },
    },
    templates=[
        "What's the chance of {streak} heads in a row in {flips} flips?",
        "Odds of a streak of {streak} heads over {flips} coin tosses?",
    ],
    examples=[
        (
            "What are the chances of getting 5 heads in a row somewhere in 100 flips?",
            {"flips": 100, "streak": 5},
        )
    ],
)
def coin_streak_probability(flips: int, streak: int) -> dict[str, Any]:
    """Sequences without the run follow a k-step Fibonacci recurrence; the expected longest
    run is about log2(n) - 2/3 (Schilling, "The longest run of heads", 1990)."""
    longest = round(max(math.log2(flips) - 2 / 3, 0.0), 2)
    if streak > flips:
        return {"probability": 0.0, "expected_longest_run": longest}
    without = [2**i for i in range(streak)]  # lengths 0..k-1 cannot contain the run
    for length in range(streak, flips + 1):
        without.append(sum(without[length - streak : length]))
    probability = 1 - without[flips] / 2**flips
    return {"probability": round(probability, 6), "expected_longest_run": longest}


_CLOCK = {
    "type": "string",
    "pattern": r"^([01]?\d|2[0-3]):[0-5]\d$",
    "description": "Start time, HH:MM (24-hour).",
    "examples": ["19:30", "14:00", "09:15"],
}


@api(
    category=CATEGORY,
    description=(
        "Schedule a movie marathon: when each film starts and ends from a start time, the "
        "runtimes and the break between films, and the finish time."
    ),
    params={
        "runtimes_minutes": {
            "type": "array",
            "items": {"type": "integer", "minimum": 1, "maximum": 600},
            "minItems": 1,
            "maxItems": 30,
            "description": "Runtime of each film in minutes, in order.",
        },
        "start_time": _CLOCK,
        "break_minutes": {
            "type": "integer",
            "minimum": 0,
            "maximum": 240,
            "description": "Break between films in minutes.",
        },
    },
    templates=[
        "We start at {start_time} with films of {runtimes_minutes} minutes and "
        "{break_minutes}-minute breaks. When do we finish?",
        "Plan a movie marathon from {start_time}: runtimes {runtimes_minutes}.",
    ],
    examples=[
        (
            "We're watching the Lord of the Rings extended editions (208, 235, 263 minutes) "
            "from 10:00 with 20-minute breaks. When do we finish?",
            {"runtimes_minutes": [208, 235, 263], "start_time": "10:00", "break_minutes": 20},
        )
    ],
)
def movie_marathon_schedule(
    runtimes_minutes: list[int], start_time: str, break_minutes: int = 15
) -> dict[str, Any]:
    """Times roll over midnight with a day count."""
    hours, minutes = (int(x) for x in start_time.split(":"))
    clock = dt.datetime(2000, 1, 1, hours, minutes)
    origin = clock
    films = []
    for i, runtime in enumerate(runtimes_minutes):
        end = clock + dt.timedelta(minutes=runtime)
        films.append(
            {"film": i + 1, "starts": clock.strftime("%H:%M"), "ends": end.strftime("%H:%M")}
        )
        clock = end + dt.timedelta(minutes=break_minutes)
    finish = clock - dt.timedelta(minutes=break_minutes)
    total = int((finish - origin).total_seconds() // 60)
    return {
        "films": films,
        "finish": finish.strftime("%H:%M"),
        "days_later": (finish.date() - origin.date()).days,
        "total_minutes": total,
    }


@api(
    category=CATEGORY,
    description=(
        "Time to listen to a podcast back catalogue or audiobook at a playback speed, and at a "
        "daily listening budget how many days it takes."
    ),
    params={
        "episodes": {
            "type": "integer",
            "minimum": 1,
            "maximum": 10000,
            "description": "Number of episodes (1 for an audiobook).",
        },
        "minutes_each": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 6000,
            "description": "Average length in minutes.",
        },
        "playback_speed": {
            "type": "number",
            "minimum": 0.5,
            "maximum": 3.5,
            "description": "Playback speed (1.5 for 1.5x).",
        },
        "minutes_per_day": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 1440,
            "description": "Listening minutes a day.",
        },
    },
    templates=[
        "How long to listen to {episodes} episodes of {minutes_each} minutes at {playback_speed}x?",
        "At {minutes_per_day} minutes a day, how many days for {episodes} episodes of "
        "{minutes_each} min at {playback_speed}x?",
    ],
    examples=[
        (
            "How long would 250 episodes of 55 minutes take at 1.5x speed, listening 60 "
            "minutes a day?",
            {"episodes": 250, "minutes_each": 55, "playback_speed": 1.5, "minutes_per_day": 60},
        )
    ],
)
def podcast_listening_time(
    episodes: int, minutes_each: float, playback_speed: float = 1.0, minutes_per_day: float = 60
) -> dict[str, Any]:
    """Listening time = length / speed."""
    minutes = episodes * minutes_each / playback_speed
    return {
        "hours": round(minutes / 60, 1),
        "minutes_saved": round(episodes * minutes_each - minutes),
        "days": math.ceil(minutes / minutes_per_day - 1e-9),
    }


@api(
    category=CATEGORY,
    description=(
        "Whether a film made money at the box office by the industry rule of thumb: studios "
        "keep about half the gross, so a film breaks even near 2.5 times its production budget."
    ),
    params={
        "budget_millions": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 1000,
            "description": "Production budget in millions.",
        },
        "worldwide_gross_millions": {
            "type": "number",
            "minimum": 0,
            "maximum": 5000,
            "description": "Worldwide box-office gross in millions.",
        },
    },
    templates=[
        "A film cost {budget_millions}M and grossed {worldwide_gross_millions}M. Did it break "
        "even?",
        "Box office multiple of a {budget_millions} million film that made "
        "{worldwide_gross_millions} million?",
    ],
    examples=[
        (
            "A film cost 200 million and grossed 450 million worldwide. Was it a hit?",
            {"budget_millions": 200, "worldwide_gross_millions": 450},
        )
    ],
)
def box_office_break_even(
    budget_millions: float, worldwide_gross_millions: float
) -> dict[str, Any]:
    """Break-even ~ 2.5 x budget (marketing and exhibitors' share); a rule, not accounting."""
    multiple = worldwide_gross_millions / budget_millions
    return {
        "multiple": round(multiple, 2),
        "break_even_gross_millions": round(budget_millions * 2.5, 1),
        "likely_profitable": multiple >= 2.5,
    }


@api(
    category=CATEGORY,
    description=(
        "Black bars when a film's aspect ratio differs from the screen's: letterbox (top and "
        "bottom) or pillarbox (sides), and the share of the screen they take."
    ),
    params={
        "screen_ratio": {
            "type": "number",
            "minimum": 1,
            "maximum": 4,
            "description": "Screen width / height (1.778 for 16:9).",
        },
        "film_ratio": {
            "type": "number",
            "minimum": 1,
            "maximum": 4,
            "description": "Film width / height (2.39 for scope, 1.85 flat).",
        },
        "screen_height_px": {
            "type": "integer",
            "minimum": 100,
            "maximum": 10000,
            "description": "Screen height in pixels (2160 for 4K).",
        },
    },
    templates=[
        "How big are the black bars for a {film_ratio}:1 film on a {screen_ratio}:1 screen?",
        "Letterboxing of {film_ratio} content on a {screen_ratio} display {screen_height_px} px "
        "high?",
    ],
    examples=[
        (
            "How much of my 16:9 4K TV is black bars for a 2.39:1 film?",
            {"screen_ratio": 1.778, "film_ratio": 2.39, "screen_height_px": 2160},
        )
    ],
)
def letterbox_bars(
    screen_ratio: float, film_ratio: float, screen_height_px: int = 1080
) -> dict[str, Any]:
    """Fit the picture inside the screen."""
    width_px = round(screen_height_px * screen_ratio)
    if film_ratio >= screen_ratio:
        picture = width_px / film_ratio
        bar = (screen_height_px - picture) / 2
        return {
            "kind": "letterbox",
            "bar_px_each": round(bar),
            "share_of_screen": round(1 - screen_ratio / film_ratio, 3),
        }
    picture = screen_height_px * film_ratio
    return {
        "kind": "pillarbox",
        "bar_px_each": round((width_px - picture) / 2),
        "share_of_screen": round(1 - film_ratio / screen_ratio, 3),
    }


@api(
    category=CATEGORY,
    description=(
        "Hangman game state from the secret word and the letters guessed so far: the revealed "
        "pattern, wrong guesses, lives left of six, and whether the game is won or lost."
    ),
    params={
        "word": {
            "type": "string",
            "pattern": "^[A-Za-z ]{1,40}$",
            "description": "The secret word.",
            "examples": ["python", "hangman", "ice cream"],
        },
        "guesses": {
            "type": "array",
            "items": {"type": "string", "pattern": "^[A-Za-z]$"},
            "maxItems": 26,
            "description": "Letters guessed, in order.",
            "examples": [["e", "a", "n"], ["p", "y", "t", "h", "o", "n"], ["z", "q"]],
        },
    },
    templates=[
        "In hangman the word is {word} and I guessed {guesses}. What's showing?",
        "Hangman status for {word} after guessing {guesses}?",
    ],
    examples=[
        (
            "The hangman word is 'python' and we've guessed e, a, n, t. What's showing?",
            {"word": "python", "guesses": ["e", "a", "n", "t"]},
        )
    ],
)
def hangman_status(word: str, guesses: list[str]) -> dict[str, Any]:
    """Six wrong guesses lose (head, body, two arms, two legs)."""
    secret = word.lower()
    tried = list(dict.fromkeys(g.lower() for g in guesses))
    wrong = [g for g in tried if g not in secret]
    pattern = " ".join(c if c in tried or c == " " else "_" for c in secret)
    won = all(c in tried for c in secret if c != " ")
    return {
        "pattern": pattern,
        "wrong_guesses": wrong,
        "lives_left": max(0, 6 - len(wrong)),
        "won": won,
        "lost": len(wrong) >= 6 and not won,
    }


@api(
    category=CATEGORY,
    description=(
        "Check a 75-ball bingo card against the numbers called: completed rows, columns and "
        "diagonals (the centre is free), and how many numbers each line still needs."
    ),
    params={
        "card": {
            "type": "array",
            "minItems": 5,
            "maxItems": 5,
            "items": {
                "type": "array",
                "minItems": 5,
                "maxItems": 5,
                "items": {"type": "integer", "minimum": 0, "maximum": 75},
            },
            "description": "The card's five rows (0 for the free centre).",
        },
        "called": {
            "type": "array",
            "items": {"type": "integer", "minimum": 1, "maximum": 75},
            "maxItems": 75,
            "description": "Numbers called so far.",
        },
    },
    templates=[
        "Do I have bingo on {card} with {called} called?",
        "Check my bingo card {card} against the calls {called}.",
    ],
    examples=[
        (
            "Is it bingo? My card is [[1,16,31,46,61],[2,17,32,47,62],[3,18,0,48,63],"
            "[4,19,34,49,64],[5,20,35,50,65]] and 1, 17, 49, 65 were called.",
            {
                "card": [
                    [1, 16, 31, 46, 61],
                    [2, 17, 32, 47, 62],
                    [3, 18, 0, 48, 63],
                    [4, 19, 34, 49, 64],
                    [5, 20, 35, 50, 65],
                ],
                "called": [1, 17, 49, 65],
            },
        )
    ],
)
def bingo_card_check(card: list[list[int]], called: list[int]) -> dict[str, Any]:
    """Lines: 5 rows, 5 columns, 2 diagonals."""
    marked = set(called) | {0}
    lines = {f"row {i + 1}": card[i] for i in range(5)}
    lines |= {f"column {'BINGO'[j]}": [card[i][j] for i in range(5)] for j in range(5)}
    lines["diagonal down"] = [card[i][i] for i in range(5)]
    lines["diagonal up"] = [card[4 - i][i] for i in range(5)]
    need = {name: sum(v not in marked for v in line) for name, line in lines.items()}
    done = [name for name, left in need.items() if left == 0]
    return {"bingo": bool(done), "lines": done, "closest_line_needs": min(need.values())}
