"""Dataset formats: pure writers and readers from ``Sample`` to rows and back.

``FORMATS[name].to_row(sample)`` gives one JSON row; ``from_row(row, fallback_id)`` reads one back
(``fallback_id`` is the row's position, for formats with no id field). ``sample`` is our own
lossless record; ``xlam``, ``openai`` and ``sharegpt`` are the trainers' formats.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import msgspec

from apigen_stream.errors import DatasetError
from apigen_stream.export import openai_chat, sharegpt, xlam
from apigen_stream.records import Sample

Reader = Callable[[dict[str, Any], str], Sample]


@dataclass(frozen=True, slots=True)
class Format:
    """One dataset format: a row per sample, and the sample back from a row."""

    name: str
    to_row: Callable[[Sample], dict[str, Any]]
    from_row: Reader


def _sample_row(sample: Sample) -> dict[str, Any]:
    row: dict[str, Any] = msgspec.to_builtins(sample)
    return row


def _sample_from(row: dict[str, Any], fallback_id: str) -> Sample:
    try:
        return msgspec.convert(row, Sample)
    except msgspec.ValidationError as exc:
        raise DatasetError(f"row {row.get('id', fallback_id)}: not a sample: {exc}") from None


def _with_fallback(read: Callable[[dict[str, Any]], Sample]) -> Reader:
    def from_row(row: dict[str, Any], fallback_id: str) -> Sample:
        return read(row if "id" in row else {**row, "id": fallback_id})

    return from_row


FORMATS: dict[str, Format] = {
    "xlam": Format("xlam", xlam.to_row, _with_fallback(xlam.from_row)),
    "openai": Format("openai", openai_chat.to_row, openai_chat.from_row),
    "sharegpt": Format("sharegpt", sharegpt.to_row, _with_fallback(sharegpt.from_row)),
    "sample": Format("sample", _sample_row, _sample_from),
}


def get_format(name: str) -> Format:
    """The format called ``name``; a ``DatasetError`` lists the known ones."""
    try:
        return FORMATS[name]
    except KeyError:
        raise DatasetError(f"unknown format {name!r}; known: {', '.join(FORMATS)}") from None
