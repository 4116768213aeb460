"""Media APIs for text, books and colour: readability, reading time, ISBNs, colour codes."""

from __future__ import annotations

import colorsys
import re
from functools import lru_cache
from typing import Any

from apigen_stream.library.registry import api

CATEGORY = "Media"

# Average silent reading speed of adults for non-fiction in English (Brysbaert 2019, J. Memory
# and Language 109): 238 words per minute.
_READING_WPM = 238
_WORD = re.compile(r"[A-Za-z0-9'’-]+")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")
_TEXTS = [
    "The cat sat on the mat. It was a sunny day, and the cat was happy.",
    "Streaming systems process unbounded data continuously. They trade latency for "
    "throughput through careful batching and partitioning.",
    "Notwithstanding considerable methodological heterogeneity, the meta-analysis "
    "demonstrated statistically significant improvements in longitudinal outcomes.",
]


@lru_cache(maxsize=1)
def _hyphenator() -> Any:
    import pyphen  # type: ignore[import-untyped]  # noqa: PLC0415 - loaded on first use

    return pyphen.Pyphen(lang="en_US")


def _syllables(word: str) -> int:
    return max(1, len(_hyphenator().positions(word.lower())) + 1)


@api(
    category=CATEGORY,
    description=(
        "Readability of an English text: Flesch Reading Ease (0-100, higher is easier), "
        "Flesch-Kincaid grade level, and counts of words, sentences and syllables."
    ),
    params={
        "text": {
            "type": "string",
            "minLength": 1,
            "description": "English text.",
            "examples": _TEXTS,
        }
    },
    templates=["How readable is this text? {text}", "What grade level is this written at: {text}"],
    examples=[("How easy is this to read? " + _TEXTS[0], {"text": _TEXTS[0]})],
)
def text_readability_scores(text: str) -> dict[str, Any]:
    """Flesch (1948) and Kincaid et al. (1975); syllables from Hunspell en_US hyphenation."""
    words = _WORD.findall(text)
    if not words:
        raise ValueError("the text has no words")
    sentences = max(1, len(_SENTENCE_END.findall(text)))
    syllables = sum(_syllables(w) for w in words)
    wps, spw = len(words) / sentences, syllables / len(words)
    return {
        "flesch_reading_ease": round(206.835 - 1.015 * wps - 84.6 * spw, 1),
        "flesch_kincaid_grade": round(0.39 * wps + 11.8 * spw - 15.59, 1),
        "words": len(words),
        "sentences": sentences,
        "syllables": syllables,
    }


@api(
    category=CATEGORY,
    description=(
        "Estimated reading time of an article from its word count (or text) at a reading "
        "speed in words per minute (default 238, the adult average), in minutes and seconds."
    ),
    params={
        "word_count": {
            "type": "integer",
            "minimum": 1,
            "maximum": 10**7,
            "description": "Words in the article.",
        },
        "words_per_minute": {
            "type": "integer",
            "minimum": 50,
            "maximum": 1000,
            "description": "Reading speed.",
        },
    },
    templates=[
        "How long does it take to read a {word_count}-word article?",
        "Reading time for {word_count} words at {words_per_minute} wpm?",
    ],
    examples=[("How long to read a 1800-word blog post?", {"word_count": 1800})],
)
def article_reading_time(word_count: int, words_per_minute: int = _READING_WPM) -> dict[str, Any]:
    """minutes = words / wpm."""
    seconds = round(word_count / words_per_minute * 60)
    return {
        "minutes": round(seconds / 60, 1),
        "display": f"{seconds // 60} min {seconds % 60:02d} s",
    }


@api(
    category=CATEGORY,
    description=(
        "Validate an ISBN-10 or ISBN-13 (check digit), convert between the two forms, and "
        "give the hyphenated form and registration group (language area)."
    ),
    params={
        "isbn": {
            "type": "string",
            "description": "An ISBN, with or without hyphens.",
            "examples": ["978-0-306-40615-7", "0306406152", "9781491946008", "0-19-852663-6"],
        }
    },
    templates=["Is {isbn} a valid ISBN?", "Convert ISBN {isbn} to the other format."],
    examples=[("Is 978-0-306-40615-7 a valid ISBN?", {"isbn": "978-0-306-40615-7"})],
)
def isbn_validate(isbn: str) -> dict[str, Any]:
    """python-stdnum, whose ranges come from the International ISBN Agency."""
    from stdnum import isbn as stdisbn  # noqa: PLC0415 - loaded on first use
    from stdnum.exceptions import ValidationError  # noqa: PLC0415 - loaded on first use

    try:
        code = stdisbn.validate(isbn)
    except ValidationError as exc:
        return {"valid": False, "isbn": isbn, "reason": str(exc)}
    isbn13 = stdisbn.to_isbn13(code)
    try:
        isbn10 = stdisbn.to_isbn10(code)
    except ValidationError:
        isbn10 = None  # 979-prefixed ISBNs have no ISBN-10 form.
    return {
        "valid": True,
        "isbn13": isbn13,
        "isbn10": isbn10,
        "hyphenated": stdisbn.format(isbn13),
        "registration_group": stdisbn.split(isbn13)[1],
    }


_COLOR = {
    "type": "string",
    "description": "A CSS colour: hex (#1a2b3c or #abc), rgb(r, g, b) or a CSS colour name.",
    "examples": ["#1a73e8", "white", "rgb(34, 34, 34)", "#ffcc00", "navy"],
}


def _rgb(color: str) -> tuple[int, int, int]:
    import webcolors  # type: ignore[import-untyped]  # noqa: PLC0415 - loaded on first use

    text = color.strip().lower()
    match = re.fullmatch(r"rgb\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)", text)
    try:
        if match:
            r, g, b = (int(x) for x in match.groups())
            if max(r, g, b) > 255:
                raise ValueError
            return r, g, b
        triplet = (
            webcolors.hex_to_rgb(text) if text.startswith("#") else webcolors.name_to_rgb(text)
        )
    except ValueError:
        raise ValueError(f"unrecognised colour {color!r}") from None
    return triplet.red, triplet.green, triplet.blue


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@api(
    category=CATEGORY,
    description=(
        "WCAG 2.x contrast ratio (1-21) between a text and a background colour, and whether it "
        "passes AA and AAA for normal and large text."
    ),
    params={
        "foreground": _COLOR,
        "background": {**_COLOR, "description": "Background colour (same formats)."},
    },
    templates=[
        "Is {foreground} text on {background} accessible?",
        "What's the contrast ratio between {foreground} and {background}?",
    ],
    examples=[
        ("Does #1a73e8 on white pass WCAG AA?", {"foreground": "#1a73e8", "background": "white"})
    ],
)
def color_contrast_ratio(foreground: str, background: str) -> dict[str, Any]:
    """(L1 + 0.05) / (L2 + 0.05), WCAG relative luminance; AA needs 4.5 (3 large), AAA 7 (4.5)."""
    l1, l2 = sorted((_luminance(_rgb(foreground)), _luminance(_rgb(background))), reverse=True)
    ratio = (l1 + 0.05) / (l2 + 0.05)
    return {
        "ratio": round(ratio, 2),
        "aa_normal_text": ratio >= 4.5,
        "aa_large_text": ratio >= 3,
        "aaa_normal_text": ratio >= 7,
        "aaa_large_text": ratio >= 4.5,
    }


@api(
    category=CATEGORY,
    description=(
        "Convert a colour between notations: hex, RGB, HSL (degrees, percent) and CMYK "
        "(naive, percent), plus its CSS name when it has one."
    ),
    params={"color": _COLOR},
    templates=["Convert {color} to RGB, HSL and CMYK.", "What is the hex code and HSL of {color}?"],
    examples=[("What are the RGB and HSL values of #1a73e8?", {"color": "#1a73e8"})],
)
def color_code_convert(color: str) -> dict[str, Any]:
    """colorsys for HSL; CMYK by the device-independent formula, no colour profile."""
    import webcolors  # noqa: PLC0415 - loaded on first use

    r, g, b = _rgb(color)
    h, lightness, s = colorsys.rgb_to_hls(r / 255, g / 255, b / 255)
    k = 1 - max(r, g, b) / 255
    cmy = [0.0, 0.0, 0.0] if k == 1 else [(1 - c / 255 - k) / (1 - k) for c in (r, g, b)]
    hex_code = webcolors.rgb_to_hex((r, g, b))
    try:
        name: str | None = webcolors.hex_to_name(hex_code)
    except ValueError:
        name = None
    return {
        "hex": hex_code,
        "rgb": [r, g, b],
        "hsl": [round(h * 360), round(s * 100), round(lightness * 100)],
        "cmyk": [round(c * 100) for c in (*cmy, k)],
        "css_name": name,
    }
