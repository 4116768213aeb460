"""Music APIs for tempo, song length, keys and lyric writing."""

from __future__ import annotations

import re
from typing import Any

from apigen_stream.library.builtin.music.theory import (
    NOTE_VALUES,
    _root_param,
    _spell,
    pitch_class,
    scale_notes,
)
from apigen_stream.library.registry import api


@api(
    category="Music",
    description=(
        "Duration in milliseconds of a note value at a tempo (quarter note = one beat), with its "
        "dotted and triplet variants: the classic delay/reverb time calculator."
    ),
    params={
        "bpm": {
            "type": "number",
            "minimum": 20,
            "maximum": 400,
            "description": "Tempo in quarter-note beats per minute.",
        },
        "note_value": {"type": "string", "enum": list(NOTE_VALUES), "description": "Note value."},
    },
    templates=[
        "How long is one {note_value} note at {bpm} BPM in milliseconds?",
        "What delay time should I set for {note_value} notes at {bpm} bpm?",
    ],
    examples=[("Delay time for eighth notes at 120 BPM?", {"bpm": 120, "note_value": "eighth"})],
)
def note_duration_ms(bpm: float, note_value: str = "quarter") -> dict[str, float]:
    """Tempo-synced note lengths."""
    straight = 60000 / bpm * 4 * NOTE_VALUES[note_value]
    return {
        "straight_ms": round(straight, 3),
        "dotted_ms": round(straight * 1.5, 3),
        "triplet_ms": round(straight * 2 / 3, 3),
    }


@api(
    category="Music",
    description=(
        "Length of a piece from its number of bars, tempo and time signature, in seconds and m:ss."
    ),
    params={
        "bars": {
            "type": "integer",
            "minimum": 1,
            "maximum": 10000,
            "description": "Number of bars (measures).",
        },
        "bpm": {
            "type": "number",
            "minimum": 20,
            "maximum": 400,
            "description": "Tempo in beats per minute.",
        },
        "beats_per_bar": {
            "type": "integer",
            "minimum": 1,
            "maximum": 32,
            "description": "Beats per bar (top number of the time signature).",
        },
    },
    templates=[
        "How long is a song of {bars} bars at {bpm} BPM?",
        "Duration of {bars} measures of {beats_per_bar}/4 at {bpm} bpm?",
    ],
    examples=[
        ("How long are 64 bars of 4/4 at 128 BPM?", {"bars": 64, "bpm": 128, "beats_per_bar": 4})
    ],
)
def song_length_from_bars(bars: int, bpm: float, beats_per_bar: int = 4) -> dict[str, Any]:
    """Piece duration from bars."""
    seconds = bars * beats_per_bar * 60 / bpm
    minutes, rest = divmod(round(seconds), 60)
    return {
        "seconds": round(seconds, 3),
        "formatted": f"{minutes}:{rest:02d}",
        "beats": bars * beats_per_bar,
    }


# Roman numerals of the triads on each degree of the major and natural minor scales.
_DIATONIC = {
    "major": (["I", "ii", "iii", "IV", "V", "vi", "vii°"], ["", "m", "m", "", "", "m", "dim"]),
    "minor": (["i", "ii°", "III", "iv", "v", "VI", "VII"], ["m", "dim", "", "m", "m", "", ""]),
}


@api(
    category="Music",
    description="The seven diatonic triads of a major or minor key with Roman-numeral functions.",
    params={
        "key": _root_param("Tonic of the key."),
        "mode": {
            "type": "string",
            "enum": ["major", "minor"],
            "description": "Major or natural minor.",
        },
    },
    templates=[
        "What chords are in the key of {key} {mode}?",
        "List the diatonic chords of {key} {mode} with Roman numerals.",
    ],
    examples=[("What chords are in D major?", {"key": "D", "mode": "major"})],
)
def diatonic_chords(key: str, mode: str = "major") -> dict[str, Any]:
    """Diatonic triads of a key."""
    scale = scale_notes(key, "major" if mode == "major" else "natural_minor")["notes"]
    numerals, suffixes = _DIATONIC[mode]
    return {
        "chords": [
            {"numeral": n, "chord": note + s}
            for n, note, s in zip(numerals, scale, suffixes, strict=True)
        ]
    }


# Major keys around the circle of fifths, from 7 flats to 7 sharps.
_CIRCLE = ["Cb", "Gb", "Db", "Ab", "Eb", "Bb", "F", "C", "G", "D", "A", "E", "B", "F#", "C#"]
_ENHARMONIC = {"D#": "Eb", "G#": "Ab", "A#": "Bb"}


@api(
    category="Music",
    description=(
        "Key signature of a major key (number of sharps or flats) with its relative minor, "
        "dominant and subdominant keys on the circle of fifths."
    ),
    params={"key": _root_param("Tonic of the major key.")},
    templates=[
        "How many sharps or flats does {key} major have?",
        "What's the relative minor and the neighbours of {key} on the circle of fifths?",
    ],
    examples=[("How many sharps are in E major?", {"key": "E"})],
)
def key_signature(key: str) -> dict[str, Any]:
    """Key signature and circle-of-fifths neighbours."""
    name = _ENHARMONIC.get(key, key)
    index = _CIRCLE.index(name)
    accidentals = index - 7
    relative = _spell(pitch_class(name) + 9, accidentals < 0 or name == "F")
    return {
        "sharps": max(accidentals, 0),
        "flats": max(-accidentals, 0),
        "relative_minor": relative + "m",
        "dominant": _CIRCLE[index + 1] if index < 14 else "G#",
        "subdominant": _CIRCLE[index - 1] if index > 0 else "Fb",
    }


@api(
    category="Music",
    description=(
        "Words that rhyme with a word (CMU Pronouncing Dictionary), grouped by syllable count, "
        "for songwriting; returns at most max_results words."
    ),
    params={
        "word": {
            "type": "string",
            "pattern": r"^[A-Za-z']+$",
            "description": "An English word.",
            "examples": ["love", "night", "heart", "fire"],
        },
        "max_results": {
            "type": "integer",
            "minimum": 1,
            "maximum": 200,
            "description": "Maximum rhymes returned.",
        },
    },
    templates=[
        "What rhymes with {word}?",
        "Give me up to {max_results} rhymes for {word} for my lyrics.",
    ],
    examples=[("Give me 20 rhymes for 'heart'.", {"word": "heart", "max_results": 20})],
)
def lyric_rhymes(word: str, max_results: int = 50) -> dict[str, Any]:
    """Perfect rhymes from the CMU dictionary."""
    import pronouncing  # type: ignore[import-untyped]  # noqa: PLC0415 - loads a 130k-word dictionary

    if not pronouncing.phones_for_word(word.lower()):
        raise ValueError(f"{word!r} is not in the CMU Pronouncing Dictionary")
    rhymes = sorted(set(pronouncing.rhymes(word.lower())))[:max_results]
    by_syllables: dict[str, list[str]] = {}
    for r in rhymes:
        count = pronouncing.syllable_count(pronouncing.phones_for_word(r)[0])
        by_syllables.setdefault(str(count), []).append(r)
    return {"count": len(rhymes), "rhymes": rhymes, "by_syllables": by_syllables}


@api(
    category="Music",
    description=(
        "Syllable count of each line of lyrics (CMU Pronouncing Dictionary; words not in it are "
        "estimated from vowel groups), to check a melody's meter."
    ),
    params={
        "lyrics": {
            "type": "string",
            "minLength": 1,
            "maxLength": 5000,
            "description": "Lyrics, one line per line break.",
            "examples": [
                "Twinkle twinkle little star\nHow I wonder what you are",
                "Yesterday all my troubles seemed so far away",
                "Happy birthday to you\nHappy birthday dear friend",
            ],
        }
    },
    templates=[
        "How many syllables are in each line of: {lyrics}",
        "Count the syllables per line in these lyrics: {lyrics}",
    ],
    examples=[
        (
            "Count syllables in 'Twinkle twinkle little star'.",
            {"lyrics": "Twinkle twinkle little star"},
        )
    ],
)
def lyric_syllables(lyrics: str) -> dict[str, Any]:
    """Per-line syllable counts."""
    import pronouncing  # noqa: PLC0415 - loads a 130k-word dictionary

    lines = []
    for line in lyrics.splitlines():
        words = re.findall(r"[A-Za-z']+", line)
        total = 0
        for w in words:
            phones = pronouncing.phones_for_word(w.lower())
            total += (
                pronouncing.syllable_count(phones[0])
                if phones
                else max(1, len(re.findall(r"[aeiouy]+", w.lower())))
            )
        if words:
            lines.append({"line": line.strip(), "syllables": total})
    return {"lines": lines, "total_syllables": sum(x["syllables"] for x in lines)}
