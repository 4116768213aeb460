"""Math APIs for number theory and combinatorics: primes, GCD, counting, numerals, bases."""

from __future__ import annotations

import itertools
import math
from typing import Any

from apigen_stream.library.registry import api

CATEGORY = "Math"

# Miller-Rabin with the first 13 primes as bases is deterministic below 3.3·10^24 (Sorenson &
# Webster 2015); inputs are capped at 10^24.
_MR_BASES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41)
_MAX_PRIME_INPUT = 10**24
# Trial division is fast up to about 10^12 (a million divisions at most).
_MAX_FACTOR_INPUT = 10**12


def _is_prime(n: int) -> bool:
    if n < 2:
        return False
    for p in _MR_BASES:
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for a in _MR_BASES:
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


@api(
    category=CATEGORY,
    description=(
        "Whether an integer (up to 10^24) is prime, by deterministic Miller-Rabin, with the "
        "previous and next primes."
    ),
    params={
        "n": {
            "type": "integer",
            "minimum": 0,
            "maximum": _MAX_PRIME_INPUT,
            "description": "The integer to test.",
        }
    },
    templates=["Is {n} a prime number?", "Check whether {n} is prime and find the next prime."],
    examples=[("Is 7919 prime?", {"n": 7919})],
)
def primality_check(n: int) -> dict[str, Any]:
    """Prime gaps below 10^24 are under 1,500, so the neighbour searches are short."""
    prev = next((k for k in range(n - 1, 1, -1) if _is_prime(k)), None)
    nxt = next(k for k in range(n + 1, n + 10_000) if _is_prime(k))
    return {"n": n, "is_prime": _is_prime(n), "previous_prime": prev, "next_prime": nxt}


@api(
    category=CATEGORY,
    description=(
        "Prime factorisation of an integer from 2 to 10^12, as factors with exponents "
        "and as a flat list."
    ),
    params={
        "n": {
            "type": "integer",
            "minimum": 2,
            "maximum": _MAX_FACTOR_INPUT,
            "description": "Integer to factor.",
        }
    },
    templates=["What is the prime factorization of {n}?", "Factor {n} into primes."],
    examples=[("Prime factors of 360?", {"n": 360})],
)
def prime_factorization(n: int) -> dict[str, Any]:
    """Trial division by 2 then odd numbers up to √n."""
    factors: dict[int, int] = {}
    rest, d = n, 2
    while d * d <= rest:
        while rest % d == 0:
            factors[d] = factors.get(d, 0) + 1
            rest //= d
        d += 1 if d == 2 else 2
    if rest > 1:
        factors[rest] = factors.get(rest, 0) + 1
    flat = [p for p, e in factors.items() for _ in range(e)]
    text = " × ".join(f"{p}^{e}" if e > 1 else str(p) for p, e in factors.items())
    return {
        "factors": [{"prime": p, "exponent": e} for p, e in factors.items()],
        "flat": flat,
        "expression": text,
    }


@api(
    category=CATEGORY,
    description="Greatest common divisor and least common multiple of a list of integers.",
    params={
        "numbers": {
            "type": "array",
            "items": {"type": "integer", "minimum": -(10**15), "maximum": 10**15},
            "minItems": 2,
            "maxItems": 100,
            "description": "The integers.",
        }
    },
    templates=[
        "What are the GCD and LCM of {numbers}?",
        "Find the greatest common divisor of {numbers}.",
    ],
    examples=[("GCD and LCM of 12, 18 and 30?", {"numbers": [12, 18, 30]})],
)
def gcd_lcm_of_integers(numbers: list[int]) -> dict[str, int]:
    """math.gcd / math.lcm (non-negative results)."""
    return {"gcd": math.gcd(*numbers), "lcm": math.lcm(*numbers)}


@api(
    category=CATEGORY,
    description=(
        "Count selections of k items from n: combinations C(n, k), permutations P(n, k), and "
        "both with repetition allowed."
    ),
    params={
        "n": {
            "type": "integer",
            "minimum": 0,
            "maximum": 1000,
            "description": "Items to choose from.",
        },
        "k": {"type": "integer", "minimum": 0, "maximum": 1000, "description": "Items chosen."},
    },
    templates=["How many ways to choose {k} from {n}?", "Compute C({n}, {k}) and P({n}, {k})."],
    examples=[("How many 5-card hands from a 52-card deck?", {"n": 52, "k": 5})],
)
def combinations_permutations_count(n: int, k: int) -> dict[str, int]:
    """Exact integers (Python big ints)."""
    return {
        "combinations": math.comb(n, k),
        "permutations": math.perm(n, k),
        "combinations_with_repetition": math.comb(n + k - 1, k) if n else int(k == 0),
        "permutations_with_repetition": n**k,
    }


@api(
    category=CATEGORY,
    description=(
        "The n-th Fibonacci number (F0 = 0, F1 = 1), exact, for n up to 10,000, with its "
        "digit count."
    ),
    params={"n": {"type": "integer", "minimum": 0, "maximum": 10000, "description": "Index n."}},
    templates=["What is the {n}th Fibonacci number?", "Give me Fibonacci number F({n})."],
    examples=[("What's the 50th Fibonacci number?", {"n": 50})],
)
def fibonacci_number(n: int) -> dict[str, Any]:
    """Fast doubling: F(2k) = F(k)(2F(k+1) − F(k)), F(2k+1) = F(k)² + F(k+1)²."""

    def fib(m: int) -> tuple[int, int]:
        if m == 0:
            return 0, 1
        a, b = fib(m // 2)
        c, d = a * (2 * b - a), a * a + b * b
        return (d, c + d) if m % 2 else (c, d)

    value = fib(n)[0]
    # Big values are returned as strings: JSON numbers beyond 2^53 lose precision in most readers.
    return {"n": n, "value": str(value) if value > 2**53 else value, "digits": len(str(value))}


_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
          (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))  # fmt: skip


def _to_roman(n: int) -> str:
    out = []
    for value, symbol in _ROMAN:
        count, n = divmod(n, value)
        out.append(symbol * count)
    return "".join(out)


@api(
    category=CATEGORY,
    description=(
        "Convert between Roman numerals and integers (1 to 3999), either direction; Roman "
        "input must be in standard subtractive form."
    ),
    params={
        "value": {
            "type": "string",
            "description": "A Roman numeral or an integer as text.",
            "examples": ["MCMXCIV", "2024", "XLII", "3999"],
        }
    },
    templates=[
        "Convert {value} between Roman numerals and numbers.",
        "What is {value} in Roman numerals (or as a number)?",
    ],
    examples=[("What year is MCMXCIV?", {"value": "MCMXCIV"})],
)
def roman_numeral_convert(value: str) -> dict[str, Any]:
    """Round-trip check rejects non-standard forms like IIII or VX."""
    text = value.strip().upper()
    if text.isdigit():
        n = int(text)
        if not 1 <= n <= 3999:
            raise ValueError("Roman numerals cover 1 to 3999")
        return {"integer": n, "roman": _to_roman(n)}
    values = {s: v for v, s in _ROMAN if len(s) == 1}
    if not text or any(ch not in values for ch in text):
        raise ValueError(f"{value!r} is neither an integer nor a Roman numeral")
    total = sum(
        -values[a] if values[a] < values[b] else values[a] for a, b in itertools.pairwise(text)
    )
    total += values[text[-1]]
    if not 1 <= total <= 3999 or _to_roman(total) != text:
        raise ValueError(f"{value!r} is not a standard Roman numeral")
    return {"integer": total, "roman": text}


@api(
    category=CATEGORY,
    description=(
        "Convert an integer written in one base (2-36) to another base, plus its "
        "decimal, binary and hex forms."
    ),
    params={
        "value": {
            "type": "string",
            "pattern": "^-?[0-9A-Za-z]+$",
            "description": "The number's digits in from_base.",
            "examples": ["11111111", "1010", "100000", "1101"],
        },
        "from_base": {
            "type": "integer",
            "minimum": 2,
            "maximum": 36,
            "description": "Base of the value (2 to 36).",
        },
        "to_base": {
            "type": "integer",
            "minimum": 2,
            "maximum": 36,
            "description": "Base to convert to.",
        },
    },
    templates=[
        "Convert {value} from base {from_base} to base {to_base}.",
        "What is {value} (base {from_base}) in base {to_base}?",
    ],
    examples=[
        (
            "Convert binary 11111111 to hexadecimal.",
            {"value": "11111111", "from_base": 2, "to_base": 16},
        )
    ],
)
def number_base_convert(value: str, from_base: int, to_base: int) -> dict[str, Any]:
    """int(text, base) to parse; repeated division to print."""
    try:
        n = int(value.strip(), from_base)
    except ValueError:
        raise ValueError(f"{value!r} is not a valid base-{from_base} number") from None
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    magnitude, out = abs(n), []
    while True:
        magnitude, r = divmod(magnitude, to_base)
        out.append(digits[r])
        if magnitude == 0:
            break
    result = ("-" if n < 0 else "") + "".join(reversed(out))
    return {"result": result, "decimal": n, "binary": bin(n), "hex": hex(n)}
