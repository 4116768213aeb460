"""Music APIs: pitch and frequency, scales, chords, intervals, tempo and lyric-writing helpers."""

from apigen_stream.library.builtin.music.rhythm_and_lyrics import (
    diatonic_chords,
    key_signature,
    lyric_rhymes,
    lyric_syllables,
    note_duration_ms,
    song_length_from_bars,
)
from apigen_stream.library.builtin.music.theory import (
    chord_notes,
    frequency_to_note,
    interval_between_notes,
    note_frequency,
    scale_notes,
    transpose_notes,
)

__all__ = [
    "chord_notes",
    "diatonic_chords",
    "frequency_to_note",
    "interval_between_notes",
    "key_signature",
    "lyric_rhymes",
    "lyric_syllables",
    "note_duration_ms",
    "note_frequency",
    "scale_notes",
    "song_length_from_bars",
    "transpose_notes",
]
