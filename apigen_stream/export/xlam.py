"""The xlam-function-calling-60k row: ``id``, ``query``, and ``answers``/``tools`` as JSON text.

``id`` is an int when the sample's id is numeric (as in the published dataset), else a string;
tools are written in xlam's shape (``tool_to_xlam``: Python-like type text, ``", optional"``,
defaults as strings). An irrelevance sample has ``answers`` ``"[]"``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from apigen_stream.errors import DatasetError
from apigen_stream.export.common import calls_of, dumps, infer_style, loads_field
from apigen_stream.library.convert import tool_from_any, tool_to_xlam
from apigen_stream.records import Sample, Tool

NAME = "xlam"


def xlam_id(sample_id: str) -> int | str:
    """The row id: numeric ids as ints, as the published dataset has them."""
    return int(sample_id) if sample_id.isdigit() else sample_id


def to_row(sample: Sample) -> dict[str, Any]:
    """One xlam row of ``sample``."""
    answers = [{"name": c.name, "arguments": c.arguments} for c in sample.calls]
    return {
        "id": xlam_id(sample.id),
        "query": sample.query,
        "answers": dumps(answers),
        "tools": dumps([tool_to_xlam(t) for t in sample.tools]),
    }


def tools_of(value: Any, row_id: str) -> list[Tool]:
    """The tools of a row (JSON text or a list), in whichever shape they come."""
    parsed = loads_field(value, "tools", row_id)
    if not isinstance(parsed, list):
        raise DatasetError(f"row {row_id}: tools are not a list")
    try:
        return [tool_from_any(t) for t in parsed if isinstance(t, dict)]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DatasetError(f"row {row_id}: a tool cannot be read: {exc}") from None


def from_row(
    row: dict[str, Any], read_tools: Callable[[Any, str], list[Tool]] = tools_of
) -> Sample:
    """The sample an xlam row holds; the style is inferred from its calls. ``read_tools``
    reads the ``tools`` field (a reader of many rows passes one that caches)."""
    row_id = str(row.get("id", ""))
    query = row.get("query")
    if not isinstance(query, str):
        raise DatasetError(f"row {row_id}: no query")
    calls = calls_of(loads_field(row.get("answers", "[]"), "answers", row_id), row_id)
    tools = read_tools(row.get("tools", "[]"), row_id)
    return Sample(
        id=row_id, style=infer_style(calls, len(tools)), query=query, calls=calls, tools=tools
    )
