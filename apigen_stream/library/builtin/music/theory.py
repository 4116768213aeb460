"""Music theory APIs: pitch and frequency, scales, chords, transposition and intervals."""

from __future__ import annotations

import math
import re
from typing import Any

from apigen_stream.library.registry import api

NAMES_SHARP = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]
NAMES_FLAT = ["C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B"]
ROOTS = [
    "C",
    "C#",
    "Db",
    "D",
    "D#",
    "Eb",
    "E",
    "F",
    "F#",
    "Gb",
    "G",
    "G#",
    "Ab",
    "A",
    "A#",
    "Bb",
    "B",
]
_NOTE = re.compile(r"^([A-Ga-g])([#b]?)(-?\d)?$")
_BASE = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}

# Semitone steps from the root: the seven diatonic modes plus common non-diatonic scales.
SCALES = {
    "major": [0, 2, 4, 5, 7, 9, 11],
    "natural_minor": [0, 2, 3, 5, 7, 8, 10],
    "harmonic_minor": [0, 2, 3, 5, 7, 8, 11],
    "melodic_minor": [0, 2, 3, 5, 7, 9, 11],
    "dorian": [0, 2, 3, 5, 7, 9, 10],
    "phrygian": [0, 1, 3, 5, 7, 8, 10],
    "lydian": [0, 2, 4, 6, 7, 9, 11],
    "mixolydian": [0, 2, 4, 5, 7, 9, 10],
    "locrian": [0, 1, 3, 5, 6, 8, 10],
    "major_pentatonic": [0, 2, 4, 7, 9],
    "minor_pentatonic": [0, 3, 5, 7, 10],
    "blues": [0, 3, 5, 6, 7, 10],
}
CHORDS = {
    "major": [0, 4, 7],
    "minor": [0, 3, 7],
    "diminished": [0, 3, 6],
    "augmented": [0, 4, 8],
    "sus2": [0, 2, 7],
    "sus4": [0, 5, 7],
    "dominant7": [0, 4, 7, 10],
    "major7": [0, 4, 7, 11],
    "minor7": [0, 3, 7, 10],
    "half_diminished7": [0, 3, 6, 10],
    "diminished7": [0, 3, 6, 9],
    "add9": [0, 4, 7, 14],
}
INTERVALS = [
    "unison", "minor second", "major second", "minor third", "major third", "perfect fourth",
    "tritone", "perfect fifth", "minor sixth", "major sixth", "minor seventh", "major seventh",
]  # fmt: skip
# Keys spelled with flats in standard notation (F major and the circle's flat side).
FLAT_KEYS = {"F", "Bb", "Eb", "Ab", "Db", "Gb", "D#", "A#", "G#"}


def pitch_class(name: str) -> int:
    """Pitch class 0-11 of a note name such as 'C#', 'Bb' or 'a'."""
    match = _NOTE.match(name.strip())
    if not match or match.group(3):
        raise ValueError(f"not a note name without octave: {name!r}")
    letter, accidental, _ = match.groups()
    return (_BASE[letter.upper()] + {"#": 1, "b": -1, "": 0}[accidental]) % 12


def midi_number(note: str) -> int:
    """MIDI number of a note with octave in scientific pitch notation (C4 = 60)."""
    match = _NOTE.match(note.strip())
    if not match or match.group(3) is None:
        raise ValueError(f"not a note with octave such as A4 or C#3: {note!r}")
    letter, accidental, octave = match.groups()
    return 12 * (int(octave) + 1) + _BASE[letter.upper()] + {"#": 1, "b": -1, "": 0}[accidental]


def _spell(pc: int, flats: bool) -> str:
    return (NAMES_FLAT if flats else NAMES_SHARP)[pc % 12]


def _root_param(description: str) -> dict[str, Any]:
    return {"type": "string", "enum": ROOTS, "description": description}


_NOTE_WITH_OCTAVE = {
    "type": "string",
    "pattern": r"^[A-Ga-g][#b]?-?\d$",
    "description": "Note in scientific pitch notation, e.g. A4 (concert A) or C#3.",
    "examples": ["A4", "C4", "F#3", "Bb5"],
}


@api(
    category="Music",
    description="Frequency in Hz of a note in 12-tone equal temperament, with its MIDI number.",
    params={
        "note": _NOTE_WITH_OCTAVE,
        "a4_hz": {
            "type": "number",
            "minimum": 400,
            "maximum": 480,
            "description": "Tuning reference for A4 in Hz.",
        },
    },
    templates=[
        "What is the frequency of {note}?",
        "How many hertz is {note} if A4 is tuned to {a4_hz} Hz?",
    ],
    examples=[("What frequency is middle C?", {"note": "C4"})],
)
def note_frequency(note: str, a4_hz: float = 440.0) -> dict[str, float | int]:
    """Equal-tempered frequency of a note."""
    midi = midi_number(note)
    return {"frequency_hz": round(a4_hz * 2 ** ((midi - 69) / 12), 4), "midi_number": midi}


@api(
    category="Music",
    description=(
        "Nearest equal-tempered note to a frequency, with the offset in cents (useful for tuning)."
    ),
    params={
        "frequency_hz": {
            "type": "number",
            "minimum": 8,
            "maximum": 20000,
            "description": "Frequency in Hz.",
        },
        "a4_hz": {
            "type": "number",
            "minimum": 400,
            "maximum": 480,
            "description": "Tuning reference for A4 in Hz.",
        },
    },
    templates=[
        "Which note is {frequency_hz} Hz?",
        "My tuner reads {frequency_hz} Hz with A4={a4_hz}: what note and how many cents off?",
    ],
    examples=[("What note is 445 Hz?", {"frequency_hz": 445})],
)
def frequency_to_note(frequency_hz: float, a4_hz: float = 440.0) -> dict[str, Any]:
    """Closest note and cents deviation."""
    exact = 69 + 12 * math.log2(frequency_hz / a4_hz)
    midi = round(exact)
    return {
        "note": f"{_spell(midi, False)}{midi // 12 - 1}",
        "midi_number": midi,
        "cents_offset": round(100 * (exact - midi), 2),
    }


@api(
    category="Music",
    description="Notes of a scale (major, minor, modes, pentatonic, blues) starting on a root.",
    params={
        "root": _root_param("Root note of the scale."),
        "scale": {"type": "string", "enum": list(SCALES), "description": "Scale or mode."},
    },
    templates=[
        "What notes are in the {root} {scale} scale?",
        "Spell the {scale} scale starting on {root}.",
    ],
    examples=[
        (
            "What are the notes of the A natural minor scale?",
            {"root": "A", "scale": "natural_minor"},
        )
    ],
)
def scale_notes(root: str, scale: str = "major") -> dict[str, Any]:
    """Notes of a scale."""
    start = pitch_class(root)
    flats = "b" in root or root in FLAT_KEYS
    steps = SCALES[scale]
    return {"notes": [_spell(start + s, flats) for s in steps], "semitone_steps": steps}


@api(
    category="Music",
    description="Notes of a chord of a given quality built on a root, with its usual chord symbol.",
    params={
        "root": _root_param("Root note of the chord."),
        "quality": {"type": "string", "enum": list(CHORDS), "description": "Chord quality."},
    },
    templates=[
        "What notes make up a {root} {quality} chord?",
        "Spell the {quality} chord on {root}.",
    ],
    examples=[("Which notes are in G7?", {"root": "G", "quality": "dominant7"})],
)
def chord_notes(root: str, quality: str = "major") -> dict[str, Any]:
    """Notes of a chord."""
    start = pitch_class(root)
    flats = "b" in root or root in FLAT_KEYS
    symbols = {"major": "", "minor": "m", "diminished": "dim", "augmented": "aug", "dominant7": "7",
               "major7": "maj7", "minor7": "m7", "half_diminished7": "m7b5", "diminished7": "dim7",
               "sus2": "sus2", "sus4": "sus4", "add9": "add9"}  # fmt: skip
    return {
        "symbol": root + symbols[quality],
        "notes": [_spell(start + s, flats) for s in CHORDS[quality]],
    }


@api(
    category="Music",
    description="Transposes a list of notes (with or without octave) by a number of semitones.",
    params={
        "notes": {
            "type": "array",
            "items": {"type": "string", "pattern": r"^[A-Ga-g][#b]?(-?\d)?$"},
            "minItems": 1,
            "maxItems": 64,
            "description": "Notes such as C, F#, Bb or C4, E4, G4.",
            "examples": [["C", "E", "G"], ["A4", "C5", "E5"], ["D", "F#", "A", "C"]],
        },
        "semitones": {
            "type": "integer",
            "minimum": -24,
            "maximum": 24,
            "description": "Semitones up (negative = down).",
        },
        "use_flats": {
            "type": "boolean",
            "description": "Spell accidentals as flats instead of sharps.",
        },
    },
    templates=[
        "Transpose {notes} by {semitones} semitones.",
        "Move these notes {semitones} semitones: {notes}",
    ],
    examples=[("Transpose C E G up a whole step.", {"notes": ["C", "E", "G"], "semitones": 2})],
)
def transpose_notes(
    notes: list[str], semitones: int, use_flats: bool = False
) -> dict[str, list[str]]:
    """Shift notes by semitones."""
    out = []
    for note in notes:
        if note.strip()[-1].isdigit():
            midi = midi_number(note) + semitones
            out.append(f"{_spell(midi, use_flats)}{midi // 12 - 1}")
        else:
            out.append(_spell(pitch_class(note) + semitones, use_flats))
    return {"transposed": out}


@api(
    category="Music",
    description=(
        "Interval between two notes with octave: semitones, interval name and frequency ratio."
    ),
    params={
        "lower_note": _NOTE_WITH_OCTAVE,
        "upper_note": {**_NOTE_WITH_OCTAVE, "examples": ["E5", "G4", "C6", "A5"]},
    },
    templates=[
        "What interval is there between {lower_note} and {upper_note}?",
        "How many semitones from {lower_note} up to {upper_note}?",
    ],
    examples=[("What interval is C4 to G4?", {"lower_note": "C4", "upper_note": "G4"})],
)
def interval_between_notes(lower_note: str, upper_note: str) -> dict[str, Any]:
    """Interval name and size."""
    semis = midi_number(upper_note) - midi_number(lower_note)
    size = abs(semis)
    name = INTERVALS[size % 12] if size % 12 or size == 0 else "octave"
    return {
        "semitones": semis,
        "interval": name,
        "octaves": size // 12,
        "equal_tempered_ratio": round(2 ** (semis / 12), 6),
    }


# Note value as a fraction of a whole note.
NOTE_VALUES = {
    "whole": 1.0,
    "half": 0.5,
    "quarter": 0.25,
    "eighth": 0.125,
    "sixteenth": 0.0625,
    "thirty_second": 0.03125,
}
