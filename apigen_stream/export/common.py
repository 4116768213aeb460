"""What every export format shares: the style a row implies and the no-call answer text."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from apigen_stream import jsonlimits
from apigen_stream.errors import DatasetError
from apigen_stream.records import Call, Sample, Style

# The assistant's answer to an irrelevance sample: no offered tool fits, so it calls none.
NO_CALL_ANSWER = "None of the available functions can help with this request."


def infer_style(calls: Sequence[Call], n_tools: int) -> Style:
    """The style a row's calls imply: formats other than ours do not record it."""
    if not calls:
        return "irrelevance"
    names = {c.name for c in calls}
    if len(calls) == 1:
        return "simple" if n_tools <= 1 else "multiple"
    return "parallel" if len(names) == 1 else "parallel_multiple"


def dumps(value: Any) -> str:
    """JSON text as the xlam dataset writes its string fields: Python's defaults (separators
    ``", "``/``": "``, non-ASCII escaped), so a published row round-trips byte for byte."""
    return json.dumps(value)


def loads_field(text: Any, what: str, row_id: str) -> Any:
    """A field that holds JSON text (or already-parsed JSON), parsed within the decoding limits.

    Python's ``NaN`` and ``Infinity`` are read (Python-written datasets have them) so that the
    format check can reject them by name.
    """
    if not isinstance(text, str):
        return text
    try:
        return jsonlimits.loads(text, non_finite=True)
    except jsonlimits.JsonLimitError as exc:
        raise DatasetError(f"row {row_id}: {what}: {exc}") from None


def calls_of(value: Any, row_id: str) -> list[Call]:
    """``[{"name", "arguments"}]`` as calls; arguments given as JSON text are parsed."""
    if not isinstance(value, list):
        raise DatasetError(f"row {row_id}: expected a list of calls, got {type(value).__name__}")
    calls: list[Call] = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise DatasetError(f"row {row_id}: a call without a name: {item!r:.80}")
        arguments = item.get("arguments", {})
        if isinstance(arguments, str):  # only then: the label costs a format per call
            arguments = loads_field(arguments, f"arguments of {item['name']}", row_id)
        if not isinstance(arguments, dict):
            raise DatasetError(f"row {row_id}: arguments of {item['name']} are not an object")
        calls.append(Call(name=item["name"], arguments=arguments))
    return calls


def same_content(a: Sample, b: Sample) -> bool:
    """Whether two samples say the same thing: id, query, calls and the tools' names."""
    return (a.id, a.query, a.calls, [t.name for t in a.tools]) == (
        b.id,
        b.query,
        b.calls,
        [t.name for t in b.tools],
    )
