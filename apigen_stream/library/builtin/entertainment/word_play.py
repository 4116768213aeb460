"""Entertainment APIs for word games and party tricks: palindromes, pangrams, Pig Latin, Wordle
feedback, spoonerisms, numerology."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from typing import Any

from apigen_stream.library.registry import api

CATEGORY = "Entertainment"

_LETTERS = re.compile(r"[a-z]")
_WORD = re.compile(r"[A-Za-z']+")
_VOWELS = set("aeiou")


def _text(description: str, examples: list[str]) -> dict[str, Any]:
    return {
        "type": "string",
        "minLength": 1,
        "maxLength": 2000,
        "description": description,
        "examples": examples,
    }


@api(
    category=CATEGORY,
    description=(
        "Check whether a word or phrase is a palindrome, reading the same backwards once case, "
        "spaces and punctuation are ignored."
    ),
    params={
        "text": _text(
            "The word or phrase.",
            [
                "A man, a plan, a canal: Panama",
                "racecar",
                "Was it a car or a cat I saw?",
                "hello world",
            ],
        )
    },
    templates=['Is "{text}" a palindrome?', "Check if {text} reads the same backwards."],
    examples=[
        (
            "Is 'Was it a car or a cat I saw?' a palindrome?",
            {"text": "Was it a car or a cat I saw?"},
        )
    ],
)
def palindrome_check(text: str) -> dict[str, Any]:
    """Letters and digits only, lower case."""
    letters = [c for c in text.lower() if c.isalnum()]
    if not letters:
        raise ValueError("the text has no letters or digits")
    return {"palindrome": letters == letters[::-1], "normalised": "".join(letters)}


@api(
    category=CATEGORY,
    description=(
        "Check whether a sentence is a pangram (uses every letter of the English alphabet) and "
        "list the letters it is missing."
    ),
    params={
        "text": _text(
            "The sentence.",
            [
                "The quick brown fox jumps over the lazy dog",
                "Pack my box with five dozen liquor jugs",
                "Hello there, world",
            ],
        )
    },
    templates=['Is "{text}" a pangram?', "Which letters are missing from {text}?"],
    examples=[
        (
            "Is 'Pack my box with five dozen liquor jugs' a pangram?",
            {"text": "Pack my box with five dozen liquor jugs"},
        )
    ],
)
def pangram_check(text: str) -> dict[str, Any]:
    """26 letters a-z."""
    seen = set(_LETTERS.findall(text.lower()))
    missing = sorted(set("abcdefghijklmnopqrstuvwxyz") - seen)
    return {"pangram": not missing, "missing_letters": missing, "distinct_letters": len(seen)}


@api(
    category=CATEGORY,
    description=(
        "Translate English text into Pig Latin: a word's leading consonants move to its end "
        "followed by 'ay'; words that start with a vowel get 'way'."
    ),
    params={
        "text": _text(
            "The text to translate.", ["hello world", "Pig Latin is fun", "string theory explained"]
        )
    },
    templates=['Translate "{text}" into Pig Latin.', "How do you say {text} in Pig Latin?"],
    examples=[("Say 'hello world' in Pig Latin.", {"text": "hello world"})],
)
def pig_latin_translate(text: str) -> dict[str, Any]:
    """Capitalisation of each word is kept on its new first letter."""

    def one(match: re.Match[str]) -> str:
        word = match.group(0)
        lower = word.lower()
        if lower[0] in _VOWELS:
            moved = lower + "way"
        else:
            cut = next(
                (i for i, c in enumerate(lower) if c in _VOWELS or (c == "y" and i)), len(lower)
            )
            if lower[:cut].endswith("q") and lower[cut : cut + 1] == "u":
                cut += 1
            moved = lower[cut:] + lower[:cut] + "ay"
        return moved.capitalize() if word[0].isupper() else moved

    return {"pig_latin": _WORD.sub(one, text)}


@api(
    category=CATEGORY,
    description=(
        "Wordle feedback for a guess against the answer: green for the right letter in the right "
        "place, yellow for a letter elsewhere in the word, grey for none (repeated letters "
        "counted as the game does)."
    ),
    params={
        "answer": {
            "type": "string",
            "pattern": "^[A-Za-z]{5}$",
            "description": "The 5-letter answer.",
            "examples": ["crane", "robot", "APPLE"],
        },
        "guess": {
            "type": "string",
            "pattern": "^[A-Za-z]{5}$",
            "description": "The 5-letter guess.",
            "examples": ["trace", "motto", "papal"],
        },
    },
    templates=[
        "In Wordle, the answer is {answer} and I guessed {guess}. What colours do I get?",
        "Score the Wordle guess {guess} against {answer}.",
    ],
    examples=[
        (
            "The Wordle answer is 'robot' and I guessed 'motto'. What's the feedback?",
            {"answer": "robot", "guess": "motto"},
        )
    ],
)
def wordle_feedback(answer: str, guess: str) -> dict[str, Any]:
    """Greens first, then yellows from the answer's remaining letters, left to right."""
    answer, guess = answer.lower(), guess.lower()
    colours = ["grey"] * 5
    left = Counter(a for a, g in zip(answer, guess, strict=True) if a != g)
    for i, (a, g) in enumerate(zip(answer, guess, strict=True)):
        if a == g:
            colours[i] = "green"
    for i, g in enumerate(guess):
        if colours[i] != "green" and left[g] > 0:
            colours[i] = "yellow"
            left[g] -= 1
    emoji = {"green": "🟩", "yellow": "🟨", "grey": "⬜"}
    return {
        "colours": colours,
        "pattern": "".join(emoji[c] for c in colours),
        "solved": answer == guess,
    }


@api(
    category=CATEGORY,
    description=(
        "How many distinct arrangements (anagrams) the letters of a word have: n! divided by the "
        "factorial of each repeated letter's count."
    ),
    params={
        "word": {
            "type": "string",
            "pattern": "^[A-Za-z]{1,30}$",
            "description": "The word.",
            "examples": ["mississippi", "banana", "listen"],
        }
    },
    templates=[
        "How many ways can the letters of {word} be arranged?",
        "Count the distinct anagrams of {word}.",
    ],
    examples=[
        ("How many different ways can you arrange the letters of 'banana'?", {"word": "banana"})
    ],
)
def letter_arrangements_count(word: str) -> dict[str, Any]:
    """Multinomial coefficient."""
    counts = Counter(word.lower())
    total = math.factorial(len(word))
    for n in counts.values():
        total //= math.factorial(n)
    return {
        "arrangements": total,
        "letters": len(word),
        "repeated": {k: v for k, v in sorted(counts.items()) if v > 1},
    }


# Boggle's official scoring by word length (Parker Brothers / Hasbro rules).
_BOGGLE = {3: 1, 4: 1, 5: 2, 6: 3, 7: 5}


@api(
    category=CATEGORY,
    description=(
        "Score a Boggle word list by the official rules: 3-4 letters 1 point, 5 letters 2, 6 "
        "letters 3, 7 letters 5, 8 or more 11; shorter words and repeats score nothing."
    ),
    params={
        "words": {
            "type": "array",
            "items": {"type": "string", "pattern": "^[A-Za-z]+$"},
            "minItems": 1,
            "maxItems": 500,
            "description": "Words found.",
            "examples": [
                ["cat", "tree", "plane", "gardens"],
                ["quiet", "at", "stone"],
                ["wonderful", "word"],
            ],
        },
    },
    templates=["What's my Boggle score for {words}?", "Score these Boggle words: {words}."],
    examples=[
        (
            "I found cat, tree, plane and gardens in Boggle. What's my score?",
            {"words": ["cat", "tree", "plane", "gardens"]},
        )
    ],
)
def boggle_score(words: list[str]) -> dict[str, Any]:
    """Each word once, case-insensitive."""
    seen: dict[str, int] = {}
    for word in words:
        w = word.lower()
        if w not in seen:
            seen[w] = 0 if len(w) < 3 else _BOGGLE.get(len(w), 11)
    return {"total": sum(seen.values()), "points": seen}


@api(
    category=CATEGORY,
    description=(
        "Make a spoonerism of a two-word phrase by swapping the words' initial consonant sounds "
        '("light a fire" style word play).'
    ),
    params={
        "phrase": _text(
            "Two words (more words: the first two are swapped).",
            ["jelly beans", "crushing blow", "fighting liar"],
        )
    },
    templates=["What's the spoonerism of {phrase}?", "Swap the first sounds of {phrase}."],
    examples=[("Make a spoonerism of 'jelly beans'.", {"phrase": "jelly beans"})],
)
def spoonerism(phrase: str) -> dict[str, Any]:
    """Onset = letters before the first vowel."""
    words = phrase.split()
    if len(words) < 2:
        raise ValueError("give at least two words")

    def split(word: str) -> tuple[str, str]:
        cut = next((i for i, c in enumerate(word.lower()) if c in _VOWELS), len(word))
        return word[:cut], word[cut:]

    (on1, rest1), (on2, rest2) = split(words[0]), split(words[1])
    swapped = [(on2 + rest1).lower(), (on1 + rest2).lower(), *words[2:]]
    return {"spoonerism": " ".join(swapped), "onsets": [on1, on2]}


@api(
    category=CATEGORY,
    description=(
        "Check a lipogram: whether a text avoids a given letter altogether (as Perec's novel "
        "avoids 'e'), and where the letter appears if it does not."
    ),
    params={
        "text": _text(
            "The text.",
            ["A man walks into a bar", "Gadsby was a story without it", "This is a lipogram"],
        ),
        "letter": {
            "type": "string",
            "pattern": "^[A-Za-z]$",
            "description": "The letter to avoid.",
            "examples": ["e", "a", "z"],
        },
    },
    templates=[
        'Does "{text}" avoid the letter {letter}?',
        "Is {text} a lipogram without {letter}?",
    ],
    examples=[
        (
            "Does 'A man walks into a bar' avoid the letter e?",
            {"text": "A man walks into a bar", "letter": "e"},
        )
    ],
)
def lipogram_check(text: str, letter: str) -> dict[str, Any]:
    """Case-insensitive."""
    target = letter.lower()
    words = [w for w in _WORD.findall(text) if target in w.lower()]
    return {
        "lipogram": not words,
        "occurrences": text.lower().count(target),
        "words_with_letter": words[:20],
    }


@api(
    category=CATEGORY,
    description=(
        "Read an acrostic: the word spelled by the first letters of each line of a poem or "
        "puzzle, and by the last letters (a telestich)."
    ),
    params={
        "lines": {
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "minItems": 1,
            "maxItems": 200,
            "description": "The lines, top to bottom.",
            "examples": [
                ["Hope is here", "Every day", "Look up", "Listen", "Open"],
                ["Cats nap", "All day", "Tired?"],
                ["Morning", "Evening"],
            ],
        },
    },
    templates=["What word do the first letters of {lines} spell?", "Read the acrostic {lines}."],
    examples=[
        (
            "What do the first letters of these lines spell: 'Hope is here', 'Every day', "
            "'Look up', 'Listen', 'Open'?",
            {"lines": ["Hope is here", "Every day", "Look up", "Listen", "Open"]},
        )
    ],
)
def acrostic_read(lines: list[str]) -> dict[str, Any]:
    """First and last letters of each non-empty line."""
    letters = [[c for c in line if c.isalpha()] for line in lines]
    used = [chars for chars in letters if chars]
    return {
        "acrostic": "".join(c[0] for c in used).upper(),
        "telestich": "".join(c[-1] for c in used).upper(),
    }


def _digit_root(number: int) -> int:
    while number > 9 and number not in (11, 22, 33):
        number = sum(int(d) for d in str(number))
    return number


@api(
    category=CATEGORY,
    description=(
        "Numerology life path number of a birth date, for fun: month, day and year each reduced "
        "to one digit and summed again (master numbers 11, 22 and 33 kept)."
    ),
    params={
        "birth_date": {
            "type": "string",
            "format": "date",
            "pattern": r"^\d{4}-\d{2}-\d{2}$",
            "description": "Birth date, YYYY-MM-DD.",
            "examples": ["1990-07-14", "1985-11-29", "2001-01-01"],
        }
    },
    templates=[
        "What's the life path number for someone born {birth_date}?",
        "Numerology life path of {birth_date}?",
    ],
    examples=[
        ("What's my life path number? I was born on 1990-07-14.", {"birth_date": "1990-07-14"})
    ],
)
def numerology_life_path(birth_date: str) -> dict[str, Any]:
    """The reduce-each-part method of popular numerology."""
    day = dt.date.fromisoformat(birth_date)
    parts = [_digit_root(day.month), _digit_root(day.day), _digit_root(day.year)]
    return {"life_path": _digit_root(sum(parts)), "parts": parts}


@api(
    category=CATEGORY,
    description=(
        "Numerology expression number of a name, for fun: Pythagorean letter values (A=1 ... I=9, "
        "J=1 ...) summed and reduced to one digit (11, 22, 33 kept)."
    ),
    params={"name": _text("A full name.", ["Ada Lovelace", "John Smith", "Marie Curie"])},
    templates=["What's the numerology number of the name {name}?", "Expression number for {name}?"],
    examples=[
        ("What is the numerology expression number of 'Ada Lovelace'?", {"name": "Ada Lovelace"})
    ],
)
def name_numerology_number(name: str) -> dict[str, Any]:
    """Letter value = (position - 1) mod 9 + 1."""
    values = [(ord(c) - ord("a")) % 9 + 1 for c in name.lower() if "a" <= c <= "z"]
    if not values:
        raise ValueError("the name has no letters a-z")
    return {"expression_number": _digit_root(sum(values)), "letter_sum": sum(values)}
