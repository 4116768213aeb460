"""Tools APIs for text: password strength, case styles, counts, diffs, slugs and regex matches."""

from __future__ import annotations

import difflib
import itertools
import math
import re
import unicodedata
from typing import Any

from apigen_stream.library.registry import api

CATEGORY = "Tools"

# Entropy bands in bits, after NIST SP 800-63 appendix A's rough brute-force guidance:
# < 28 very weak, < 36 weak, < 60 reasonable, < 128 strong, else very strong.
_BANDS = ((28, "very weak"), (36, "weak"), (60, "reasonable"), (128, "strong"))
_KEYBOARD_RUNS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "0123456789", "abcdefghijklmnopqrstuvwxyz")


@api(
    category=CATEGORY,
    description=(
        "Estimate a password's strength offline: character-pool entropy in bits, a rating "
        "from very weak to very strong, and the weaknesses found (short, repeats, keyboard "
        "or alphabet runs, a single character class). It does not check dictionaries of leaked "
        "passwords."
    ),
    params={
        "password": {
            "type": "string",
            "minLength": 1,
            "maxLength": 256,
            "description": "The password to assess.",
            "examples": ["password123", "Tr0ub4dor&3", "correct horse battery staple", "qwerty"],
        }
    },
    templates=["How strong is the password '{password}'?", "Is '{password}' a good password?"],
    examples=[("Is 'Tr0ub4dor&3' a strong password?", {"password": "Tr0ub4dor&3"})],
)
def password_strength_estimate(password: str) -> dict[str, Any]:
    """log2(pool) bits per character, but a character that repeats or continues a run of its
    predecessor adds only one bit, since guessers try such patterns first. No dictionary check."""
    pools = [(r"[a-z]", 26), (r"[A-Z]", 26), (r"[0-9]", 10), (r"[^A-Za-z0-9]", 33)]
    pool = sum(size for pattern, size in pools if re.search(pattern, password))
    lower = password.lower()
    predictable = sum(1 for prev, ch in itertools.pairwise(lower) if _continues(prev, ch))
    bits = (len(password) - predictable) * math.log2(pool) + predictable
    issues = []
    if len(password) < 12:
        issues.append("shorter than 12 characters")
    if re.search(r"(.)\1\1", password):
        issues.append("a character repeated three times in a row")
    if any(run[i : i + 4] in lower for run in _KEYBOARD_RUNS for i in range(len(run) - 3)):
        issues.append("a keyboard or alphabet sequence of 4+ characters")
    if sum(1 for pattern, _ in pools if re.search(pattern, password)) == 1:
        issues.append("only one character class")
    rating = next((name for limit, name in _BANDS if bits < limit), "very strong")
    return {
        "entropy_bits": round(bits, 1),
        "rating": rating,
        "issues": issues,
        "length": len(password),
    }


def _continues(prev: str, ch: str) -> bool:
    return ch == prev or any(prev + ch in run or ch + prev in run for run in _KEYBOARD_RUNS)


def _words(text: str) -> list[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", text)
    return [w for w in re.split(r"[^A-Za-z0-9]+", spaced) if w]


@api(
    category=CATEGORY,
    description=(
        "Convert text or an identifier between case styles: snake_case, camelCase, "
        "PascalCase, kebab-case, CONSTANT_CASE, Title Case, lower or UPPER."
    ),
    params={
        "text": {
            "type": "string",
            "minLength": 1,
            "description": "Text or identifier.",
            "examples": ["user account id", "parseHTTPResponse", "max_retry_count", "Hello World"],
        },
        "style": {
            "type": "string",
            "enum": ["snake", "camel", "pascal", "kebab", "constant", "title", "lower", "upper"],
            "description": "Target style.",
        },
    },
    templates=["Convert '{text}' to {style} case.", "What is {text} in {style} case?"],
    examples=[
        ("Turn 'user account id' into camelCase.", {"text": "user account id", "style": "camel"})
    ],
)
def text_case_convert(text: str, style: str) -> dict[str, str]:
    """Word boundaries: non-alphanumerics and lower→upper transitions."""
    words = [w.lower() for w in _words(text)]
    styles = {
        "snake": lambda: "_".join(words),
        "camel": lambda: words[0] + "".join(w.capitalize() for w in words[1:]) if words else "",
        "pascal": lambda: "".join(w.capitalize() for w in words),
        "kebab": lambda: "-".join(words),
        "constant": lambda: "_".join(words).upper(),
        "title": lambda: " ".join(w.capitalize() for w in words),
        "lower": text.lower,
        "upper": text.upper,
    }
    if style not in styles:
        raise ValueError(f"unknown style {style!r}")
    return {"result": styles[style]()}


_SAMPLE_TEXTS = [
    "The quick brown fox jumps over the lazy dog.\nIt barked.",
    "Streaming beats batch when freshness matters. Kafka keeps the log; consumers keep up.",
    "One line only",
]


@api(
    category=CATEGORY,
    description=(
        "Count characters (with and without spaces), words, lines, sentences and paragraphs "
        "of a text, plus the most frequent words."
    ),
    params={
        "text": {"type": "string", "description": "The text.", "examples": _SAMPLE_TEXTS},
        "top_words": {
            "type": "integer",
            "minimum": 0,
            "maximum": 50,
            "description": "How many frequent words.",
        },
    },
    templates=[
        "How many words and characters are in: {text}",
        "Count the words in this text and show the top {top_words}: {text}",
    ],
    examples=[("Word count of: " + _SAMPLE_TEXTS[0], {"text": _SAMPLE_TEXTS[0]})],
)
def text_statistics_count(text: str, top_words: int = 5) -> dict[str, Any]:
    """Frequencies case-insensitive; ties in first-appearance order."""
    words = re.findall(r"[\w'’-]+", text)
    freq: dict[str, int] = {}
    for w in words:
        freq[w.lower()] = freq.get(w.lower(), 0) + 1
    top = sorted(freq.items(), key=lambda kv: -kv[1])[:top_words]
    return {
        "characters": len(text),
        "characters_no_spaces": len(re.sub(r"\s", "", text)),
        "words": len(words),
        "lines": len(text.splitlines()) or 1,
        "sentences": len(re.findall(r"[.!?]+(?=\s|$)", text)) or (1 if words else 0),
        "paragraphs": len([p for p in re.split(r"\n\s*\n", text) if p.strip()]),
        "top_words": [{"word": w, "count": c} for w, c in top],
    }


@api(
    category=CATEGORY,
    description=(
        "Line-by-line difference between two texts as a unified diff, with the counts of added "
        "and removed lines and a similarity ratio (0-1)."
    ),
    params={
        "original": {
            "type": "string",
            "description": "Original text.",
            "examples": [
                "apples\nbananas\ncherries",
                "host=localhost\nport=8080",
                "Dear team,\nThe meeting is on Monday.",
            ],
        },
        "revised": {
            "type": "string",
            "description": "Revised text.",
            "examples": [
                "apples\nblueberries\ncherries\ndates",
                "host=db.internal\nport=8080\ntls=true",
                "Dear team,\nThe meeting moved to Tuesday.",
            ],
        },
    },
    templates=[
        "What changed between '{original}' and '{revised}'?",
        "Diff these two texts: {original} vs {revised}",
    ],
    examples=[
        (
            "Show the changes from 'apples/bananas/cherries' to "
            "'apples/blueberries/cherries/dates'",
            {
                "original": "apples\nbananas\ncherries",
                "revised": "apples\nblueberries\ncherries\ndates",
            },
        )
    ],
)
def text_line_diff(original: str, revised: str) -> dict[str, Any]:
    """difflib's unified diff (the format of diff -u)."""
    a, b = original.splitlines(), revised.splitlines()
    lines = list(difflib.unified_diff(a, b, "original", "revised", lineterm=""))
    return {
        "diff": "\n".join(lines),
        "added": sum(1 for x in lines if x.startswith("+") and not x.startswith("+++")),
        "removed": sum(1 for x in lines if x.startswith("-") and not x.startswith("---")),
        "similarity": round(difflib.SequenceMatcher(None, a, b).ratio(), 4),
    }


@api(
    category=CATEGORY,
    description=(
        "Make a URL slug from a title: accents folded to ASCII, lower case, words joined by "
        "hyphens, trimmed to a maximum length at a word boundary."
    ),
    params={
        "title": {
            "type": "string",
            "minLength": 1,
            "description": "Title or phrase.",
            "examples": [
                "Crème Brûlée: A Beginner's Guide!",
                "10 Tips for Faster Python",
                "Übermäßig große Straßen",
            ],
        },
        "max_length": {
            "type": "integer",
            "minimum": 10,
            "maximum": 200,
            "description": "Maximum slug length.",
        },
    },
    templates=[
        "Make a URL slug for '{title}'.",
        "What slug should the post '{title}' get (max {max_length} chars)?",
    ],
    examples=[
        (
            "Slug for 'Crème Brûlée: A Beginner's Guide!'",
            {"title": "Crème Brûlée: A Beginner's Guide!"},
        )
    ],
)
def url_slug_generate(title: str, max_length: int = 60) -> dict[str, str]:
    """NFKD folding drops accents; ß, which has no decomposition, becomes ss."""
    folded = (
        unicodedata.normalize("NFKD", title.replace("ß", "ss")).encode("ascii", "ignore").decode()
    )
    words = re.findall(r"[a-z0-9]+", folded.lower().replace("'", ""))
    slug = ""
    for w in words:
        candidate = f"{slug}-{w}" if slug else w
        if len(candidate) > max_length:
            break
        slug = candidate
    if not slug:
        raise ValueError("the title has no letters or digits to build a slug from")
    return {"slug": slug}


# Input caps keep a pathological (backtracking) pattern from running for long.
_MAX_REGEX_TEXT = 10_000
_MAX_MATCHES = 100


@api(
    category=CATEGORY,
    description=(
        "Find all matches of a regular expression (Python syntax) in a text: each match with "
        "its position and capture groups, up to 100 matches."
    ),
    params={
        "pattern": {
            "type": "string",
            "minLength": 1,
            "maxLength": 500,
            "description": "Regular expression.",
            "examples": [r"\b\d{3}-\d{4}\b", r"[\w.+-]+@[\w-]+\.[\w.]+", r"#(\w+)"],
        },
        "text": {
            "type": "string",
            "maxLength": _MAX_REGEX_TEXT,
            "description": "Text to search.",
            "examples": [
                "Call 555-1234 or mail ada@example.com #urgent",
                "Contacts: bob@test.org, 555-9876 #sales #q3",
                "No numbers here #none",
            ],
        },
        "ignore_case": {"type": "boolean", "description": "Case-insensitive matching."},
    },
    templates=[
        "Find all matches of /{pattern}/ in: {text}",
        "Which parts of '{text}' match the regex {pattern}?",
    ],
    examples=[
        (
            "Find phone numbers like 555-1234 in 'Call 555-1234 or 555-9876'",
            {"pattern": r"\b\d{3}-\d{4}\b", "text": "Call 555-1234 or 555-9876"},
        )
    ],
)
def regex_find_matches(pattern: str, text: str, ignore_case: bool = False) -> dict[str, Any]:
    """re.finditer; an invalid pattern is a ValueError with the compiler's message."""
    if len(text) > _MAX_REGEX_TEXT:
        raise ValueError(f"text longer than {_MAX_REGEX_TEXT} characters")
    try:
        compiled = re.compile(pattern, re.IGNORECASE if ignore_case else 0)
    except re.error as exc:
        raise ValueError(f"invalid regular expression: {exc}") from None
    matches = []
    for m in compiled.finditer(text):
        matches.append(
            {"match": m.group(0), "start": m.start(), "end": m.end(), "groups": list(m.groups())}
        )
        if len(matches) == _MAX_MATCHES:
            break
    return {"count": len(matches), "matches": matches}
