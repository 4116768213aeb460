"""Entertainment APIs for chance and table games: lottery, roulette, blackjack, bowling."""

from __future__ import annotations

import math
from typing import Any

from apigen_stream.library.registry import api

CATEGORY = "Entertainment"


@api(
    category=CATEGORY,
    description=(
        "Odds of winning a lottery jackpot: pick k of n main numbers (plus optionally k2 of "
        "n2 bonus numbers); returns '1 in N' and the probability."
    ),
    params={
        "main_pool": {
            "type": "integer",
            "minimum": 2,
            "maximum": 100,
            "description": "Main numbers to choose from.",
        },
        "main_picks": {
            "type": "integer",
            "minimum": 1,
            "maximum": 20,
            "description": "Main numbers drawn.",
        },
        "bonus_pool": {
            "type": "integer",
            "minimum": 0,
            "maximum": 100,
            "description": "Bonus balls to choose from (0 if none).",
        },
        "bonus_picks": {
            "type": "integer",
            "minimum": 0,
            "maximum": 5,
            "description": "Bonus balls drawn.",
        },
    },
    templates=[
        "What are the odds of winning a lottery where you pick {main_picks} of {main_pool}?",
        "Jackpot odds for {main_picks} from {main_pool} plus {bonus_picks} from {bonus_pool}?",
    ],
    examples=[
        (
            "Odds of the Powerball jackpot (5 of 69 plus 1 of 26)?",
            {"main_pool": 69, "main_picks": 5, "bonus_pool": 26, "bonus_picks": 1},
        )
    ],
)
def lottery_jackpot_odds(
    main_pool: int, main_picks: int, bonus_pool: int = 0, bonus_picks: int = 0
) -> dict[str, Any]:
    """C(n, k) · C(n2, k2) equally likely tickets."""
    if main_picks > main_pool or bonus_picks > bonus_pool:
        raise ValueError("cannot pick more numbers than the pool holds")
    combos = math.comb(main_pool, main_picks) * math.comb(bonus_pool, bonus_picks)
    return {"one_in": combos, "probability": 1 / combos}


# Single-number payout 35:1 and the standard outside bets; pockets: 37 European, 38 American.
_ROULETTE_BETS = {
    "straight": (1, 35), "split": (2, 17), "street": (3, 11), "corner": (4, 8),
    "six_line": (6, 5), "dozen": (12, 2), "column": (12, 2), "red": (18, 1),
    "black": (18, 1), "odd": (18, 1), "even": (18, 1), "low_1_18": (18, 1), "high_19_36": (18, 1),
}  # fmt: skip


@api(
    category=CATEGORY,
    description=(
        "Probability, payout and house edge of a roulette bet on a European (single zero) or "
        "American (double zero) wheel, with the expected loss per unit staked."
    ),
    params={
        "bet": {"type": "string", "enum": sorted(_ROULETTE_BETS), "description": "Bet type."},
        "wheel": {"type": "string", "enum": ["european", "american"], "description": "Wheel type."},
        "stake": {
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 1e6,
            "description": "Amount bet.",
        },
    },
    templates=[
        "What are the odds of a {bet} bet on {wheel} roulette?",
        "If I stake {stake} betting {bet} at {wheel} roulette, what do I expect to lose?",
    ],
    examples=[
        (
            "Odds and house edge of betting red on an American wheel?",
            {"bet": "red", "wheel": "american"},
        )
    ],
)
def roulette_bet_odds(bet: str, wheel: str = "european", stake: float = 1.0) -> dict[str, Any]:
    """Zeros lose every bet listed (no la partage rule)."""
    if bet not in _ROULETTE_BETS or wheel not in ("european", "american"):
        raise ValueError(f"unknown bet {bet!r} or wheel {wheel!r}")
    covered, payout = _ROULETTE_BETS[bet]
    pockets = 37 if wheel == "european" else 38
    p = covered / pockets
    ev = p * payout - (1 - p)
    return {
        "probability": round(p, 6),
        "payout": f"{payout}:1",
        "win_amount": round(stake * payout, 2),
        "house_edge_percent": round(-ev * 100, 3),
        "expected_loss": round(-ev * stake, 4),
    }


_CARD_VALUES = {"A": 11, "K": 10, "Q": 10, "J": 10, "10": 10, "T": 10} | {
    str(n): n for n in range(2, 10)
}


@api(
    category=CATEGORY,
    description=(
        "Value of a blackjack hand: best total, whether it is soft (an ace counted as 11), "
        "bust, or a natural blackjack. Cards are ranks like 'A', 'K', '10', '7' (suits ignored)."
    ),
    params={
        "cards": {
            "type": "array",
            "items": {"type": "string", "pattern": "^(A|K|Q|J|T|10|[2-9])[SHDC♠♥♦♣]?$"},
            "minItems": 1,
            "maxItems": 15,
            "description": "Card ranks in the hand.",
            "examples": [["A", "K"], ["9", "7", "5"], ["A", "6"], ["10", "Q", "5"]],
        }
    },
    templates=[
        "What's my blackjack hand worth with {cards}?",
        "In blackjack, is {cards} bust or soft?",
    ],
    examples=[("I hold an ace and a six in blackjack. What's my total?", {"cards": ["A", "6"]})],
)
def blackjack_hand_value(cards: list[str]) -> dict[str, Any]:
    """Aces count 11 and drop to 1 one at a time while the total exceeds 21."""
    total, soft_aces = 0, 0
    for card in cards:
        rank = card.upper().rstrip("SHDC♠♥♦♣")
        if rank not in _CARD_VALUES:
            raise ValueError(f"unknown card {card!r}")
        total += _CARD_VALUES[rank]
        soft_aces += rank == "A"
    while total > 21 and soft_aces:
        total, soft_aces = total - 10, soft_aces - 1
    return {
        "total": total,
        "soft": soft_aces > 0,
        "bust": total > 21,
        "blackjack": len(cards) == 2 and total == 21,
    }


def _bowling_frames(rolls: list[int]) -> list[int]:
    scores, i = [], 0
    for _ in range(10):
        if i >= len(rolls):
            break
        if rolls[i] == 10:
            bonus = rolls[i + 1 : i + 3]
            scores.append(10 + sum(bonus) if len(bonus) == 2 else -1)
            i += 1
        elif i + 1 < len(rolls):
            pair = rolls[i] + rolls[i + 1]
            if pair > 10:
                raise ValueError(f"frame {len(scores) + 1} knocks down {pair} pins")
            spare_bonus = rolls[i + 2 : i + 3]
            scores.append(
                -1
                if pair == 10 and not spare_bonus
                else pair + (sum(spare_bonus) if pair == 10 else 0)
            )
            i += 2
        else:
            scores.append(-1)
            i += 1
    return scores


@api(
    category=CATEGORY,
    description=(
        "Score a ten-pin bowling game from the pins knocked down by each roll: per-frame "
        "running totals and the total (strike = 10 + next two rolls, spare = 10 + next roll)."
    ),
    params={
        "rolls": {
            "type": "array",
            "items": {"type": "integer", "minimum": 0, "maximum": 10},
            "minItems": 1,
            "maxItems": 21,
            "description": "Pins knocked down per roll, in order.",
        }
    },
    templates=[
        "Score this bowling game: {rolls}",
        "What's my bowling score after rolling {rolls}?",
    ],
    examples=[("I bowled all strikes: what's my score?", {"rolls": [10] * 12})],
)
def bowling_score_calculate(rolls: list[int]) -> dict[str, Any]:
    """Frames whose bonus rolls are not thrown yet are reported as pending."""
    frames = _bowling_frames(rolls)
    running, totals = 0, []
    for score in frames:
        if score < 0:
            break
        running += score
        totals.append(running)
    return {"frame_totals": totals, "score": running, "frames_complete": len(totals)}


@api(
    category=CATEGORY,
    description=(
        "Probability that at least two of n people share a birthday (the birthday paradox), "
        "assuming equally likely days, and the group size needed for 50%."
    ),
    params={
        "people": {"type": "integer", "minimum": 1, "maximum": 1000, "description": "Group size."},
        "days": {
            "type": "integer",
            "minimum": 1,
            "maximum": 100000,
            "description": "Days in the year (365).",
        },
    },
    templates=[
        "What's the chance two of {people} people share a birthday?",
        "In a room of {people}, how likely is a shared birthday?",
    ],
    examples=[("What are the odds that 23 people include a shared birthday?", {"people": 23})],
)
def birthday_paradox_probability(people: int, days: int = 365) -> dict[str, Any]:
    """1 − ∏(1 − i/days) for i < people."""
    p_unique = 1.0
    for i in range(min(people, days + 1)):
        p_unique *= (days - i) / days
    needed, q = 0, 1.0
    while q > 0.5:
        q *= (days - needed) / days
        needed += 1
    return {"probability_shared": round(1 - p_unique, 6), "people_for_50_percent": needed}
