"""Existing datasets read as candidates, for ``verify``: xlam, OpenAI chat JSONL, BFCL.

- ``xlam``: a JSON array or JSON Lines of xlam-60k rows (``answers``/``tools`` as JSON text).
- ``openai``: fine-tuning chat JSON Lines; a row's ``id`` if it has one, else its line number.
- ``bfcl``: a BFCL question file (JSON Lines) with its ground-truth file (``--answers``, or the
  file of the same name in a ``possible_answer/`` directory beside it).

BFCL ground truths list the allowed values of each argument; ``""`` among them means "may be
left out". The call checked is the ground truth's first choice: each argument takes its first
allowed value that is not ``""``, and an argument whose only allowed value is ``""`` is left
out. Picking the first real value (rather than dropping every argument that may be left out)
keeps the value the answer key puts first, so a ground truth that contradicts its own function
doc (a boolean for a string argument) is caught, while a correct one passes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from apigen_stream.errors import DatasetError
from apigen_stream.export import openai_chat, xlam
from apigen_stream.export.common import infer_style
from apigen_stream.library.convert import tool_from_any
from apigen_stream.records import Call, Candidate, Sample

InputFormat = Literal["xlam", "openai", "bfcl"]
INPUT_FORMATS: tuple[InputFormat, ...] = ("xlam", "openai", "bfcl")
ANSWERS_DIR = "possible_answer"
# BFCL's marker for "this argument may be left out".
OMITTED = ""


@dataclass(frozen=True, slots=True)
class Row:
    """One input row: its id as given, the row itself, and the candidate it makes."""

    id: int | str
    raw: dict[str, Any]
    candidate: Candidate


def read_documents(path: Path) -> list[dict[str, Any]]:
    """The objects of a JSON array file or a JSON Lines file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read: {exc.strerror}") from None
    if text.lstrip().startswith("["):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{path}: not JSON: {exc.msg} (line {exc.lineno})") from None
        rows = value if isinstance(value, list) else [value]
    else:
        rows = []
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise DatasetError(f"{path}:{number}: not JSON: {exc.msg}") from None
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise DatasetError(f"{path}: row {number} is not an object")
    return rows


def detect_format(rows: list[dict[str, Any]]) -> InputFormat:
    """Which format the rows are in, from the first row's keys."""
    if not rows:
        raise DatasetError("the dataset is empty")
    first = rows[0]
    if "answers" in first and "query" in first:
        return "xlam"
    if "messages" in first:
        return "openai"
    if "question" in first and "function" in first:
        return "bfcl"
    raise DatasetError(f"cannot tell the dataset's format from its keys {sorted(first)}")


def answers_path(questions: Path) -> Path:
    """Where BFCL keeps a question file's ground truths."""
    return questions.parent / ANSWERS_DIR / questions.name


def read_dataset(
    path: str | Path, input_format: InputFormat | None = None, answers: str | Path | None = None
) -> list[Row]:
    """Every row of the dataset at ``path`` as a candidate, in file order."""
    path = Path(path)
    rows = read_documents(path)
    kind = input_format or detect_format(rows)
    if kind == "xlam":
        return [_row(r.get("id", n), r, xlam.from_row(r)) for n, r in enumerate(rows)]
    if kind == "openai":
        return [_openai_row(n, r) for n, r in enumerate(rows, start=1)]
    truth = read_documents(Path(answers) if answers else answers_path(path))
    return list(bfcl_rows(rows, truth))


def _row(row_id: int | str, raw: dict[str, Any], sample: Sample) -> Row:
    candidate = Candidate(
        id=str(row_id), style=sample.style, query=sample.query, calls=sample.calls,
        tools=sample.tools,
    )  # fmt: skip
    return Row(id=row_id, raw=raw, candidate=candidate)


def _openai_row(number: int, raw: dict[str, Any]) -> Row:
    row_id = raw.get("id", number)
    if not isinstance(row_id, int | str):
        row_id = number
    return _row(row_id, raw, openai_chat.from_row(raw, str(row_id)))


def bfcl_rows(questions: list[dict[str, Any]], truth: list[dict[str, Any]]) -> Iterator[Row]:
    """BFCL question rows with their ground truths as candidates (see the module docstring)."""
    by_id = {str(t.get("id")): t for t in truth}
    for question in questions:
        row_id = str(question.get("id", ""))
        answer = by_id.get(row_id)
        if answer is None:
            raise DatasetError(f"row {row_id}: no ground truth in the answer file")
        tools = [tool_from_any(f) for f in question.get("function", []) if isinstance(f, dict)]
        calls = ground_truth_calls(answer.get("ground_truth", []), row_id)
        candidate = Candidate(
            id=row_id, style=infer_style(calls, len(tools)), query=bfcl_query(question),
            calls=calls, tools=tools,
        )  # fmt: skip
        yield Row(id=row_id, raw=question, candidate=candidate)


def bfcl_query(question: dict[str, Any]) -> str:
    """The user's words in a BFCL question (every user message of the first turn)."""
    turns = question.get("question") or [[]]
    first = turns[0] if isinstance(turns[0], list) else turns
    texts = [str(m.get("content", "")) for m in first if isinstance(m, dict)
             and m.get("role") == "user"]  # fmt: skip
    return "\n".join(texts)


def ground_truth_calls(truth: Any, row_id: str) -> list[Call]:
    """The first-choice calls of a BFCL ground truth."""
    if not isinstance(truth, list):
        raise DatasetError(f"row {row_id}: ground_truth is not a list")
    calls: list[Call] = []
    for entry in truth:
        if not isinstance(entry, dict) or len(entry) != 1:
            raise DatasetError(f"row {row_id}: a ground-truth call is not {{name: arguments}}")
        ((name, allowed),) = entry.items()
        if not isinstance(allowed, dict):
            raise DatasetError(f"row {row_id}: arguments of {name} are not an object")
        calls.append(Call(name=name, arguments=first_choice(allowed)))
    return calls


def first_choice(allowed: dict[str, Any]) -> dict[str, Any]:
    """Each key's first allowed value that is not ``""``; keys with none are left out.

    Objects nest the same way (each of their keys lists its allowed values), inside lists too.
    """
    chosen: dict[str, Any] = {}
    for key, values in allowed.items():
        choices = values if isinstance(values, list) else [values]
        given = [v for v in choices if v != OMITTED]
        if given:
            chosen[key] = _resolve(given[0])
    return chosen


def _resolve(value: Any) -> Any:
    if isinstance(value, dict):
        return first_choice(value)
    if isinstance(value, list):
        return [_resolve(v) for v in value]
    return value
