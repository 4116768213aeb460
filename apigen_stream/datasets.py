"""Existing datasets read as candidates, for ``verify``: xlam, OpenAI chat JSONL, BFCL.

- ``xlam``: a JSON array or JSON Lines of xlam-60k rows (``answers``/``tools`` as JSON text).
- ``openai``: fine-tuning chat JSON Lines; a row's ``id`` if it has one, else its line number.
- ``bfcl``: a BFCL question file (JSON Lines) with its ground-truth file (``--answers``, or the
  file of the same name in a ``possible_answer/`` directory beside it).

The file is streamed (``jsonstream``): rows come one at a time, and a row that cannot be read
(not JSON, past the decoding limits, not the format's shape) becomes an ``Unreadable`` with the
reason, while the rest of the file goes on. Each distinct tool list is converted once: rows
offering the same tools (by their text) share one converted list, and a tool in several lists
is one object. An xlam row of the usual shape (``id``, ``query``, ``answers`` and ``tools`` as
JSON text, on one line) is decoded straight into its records; any other row is decoded into
plain values first, which also words what is wrong with it. Both give the same rows.

BFCL ground truths list the allowed values of each argument; ``""`` among them means "may be
left out". The call checked is the ground truth's first choice: each argument takes its first
allowed value that is not ``""``, and an argument whose only allowed value is ``""`` is left
out. Picking the first real value (rather than dropping every argument that may be left out)
keeps the value the answer key puts first, so a ground truth that contradicts its own function
doc (a boolean for a string argument) is caught, while a correct one passes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any, Literal, NamedTuple

import msgspec

from apigen_stream import jsonlimits
from apigen_stream.errors import DatasetError
from apigen_stream.export import openai_chat, xlam
from apigen_stream.export.common import infer_style, read_calls
from apigen_stream.jsonstream import Document, DocumentStream
from apigen_stream.library.convert import tool_from_any
from apigen_stream.records import Call, Candidate, Sample, Tool

InputFormat = Literal["xlam", "openai", "bfcl"]
INPUT_FORMATS: tuple[InputFormat, ...] = ("xlam", "openai", "bfcl")
ANSWERS_DIR = "possible_answer"
# BFCL's marker for "this argument may be left out".
OMITTED = ""
# Distinct tool lists kept converted; a dataset offers a bounded library, a hostile one not.
TOOL_CACHE_SIZE = 4_096


class Row(NamedTuple):
    """One input row: its id as given, the row itself (and its bytes), the candidate it makes.

    A tuple, as ``Unreadable`` is: one is made per row, the cheapest immutable kind to make.

    ``raw`` is None for a row read on the fast path whose ``text`` is one line: that text is
    the row as written, and decoding it into plain values as well would cost as much as the
    rest of reading it.
    """

    id: int | str
    raw: dict[str, Any] | None
    candidate: Candidate
    text: bytes = b""

    def value(self) -> dict[str, Any]:
        """The row's object (decoded again from its text when it was not kept)."""
        if self.raw is not None:
            return self.raw
        decoded: dict[str, Any] = jsonlimits.loads(self.text)
        return decoded


class Unreadable(NamedTuple):
    """A row that could not be read as a candidate: its id (or number), bytes and why."""

    id: int | str
    text: bytes
    detail: str


AnyRow = Row | Unreadable


class ToolCache:
    """Converted tool lists by their text: converting is most of the cost of reading a row.

    A tool offered in several lists (alone on some rows, beside others on the rest) is one
    object in all of them: the format check finds a tool's compiled checks by the object
    it was last given, without encoding the tool's schema again.
    """

    def __init__(self, size: int = TOOL_CACHE_SIZE) -> None:
        self._size = size
        self._tools: dict[str | bytes, list[Tool]] = {}
        self._shared: dict[bytes, Tool] = {}

    def _share(self, tools: list[Tool]) -> list[Tool]:
        # A tool is shared by its encoding, which writes NaN and infinities as null: a tool
        # holding one is kept apart (its check differs from the same tool with a null).
        if any(jsonlimits.non_finite(t.parameters) is not None for t in tools):
            return tools
        try:
            keys = [msgspec.json.encode(t) for t in tools]
        except Exception:  # not JSON (a value no encoder writes): left as converted
            return tools
        if len(self._shared) + len(keys) > self._size:
            self._shared.clear()  # a bound, like the lists': the next lists share anew
        return [self._shared.setdefault(k, t) for k, t in zip(keys, tools, strict=True)]

    def reader(self, convert: Callable[[Any, str], list[Tool]]) -> Callable[[Any, str], list[Tool]]:
        """``convert`` (a field's value and the row id -> tools), cached by the value's text."""

        def read(value: Any, row_id: str) -> list[Tool]:
            key = value if isinstance(value, str) else msgspec.json.encode(value)
            tools = self._tools.get(key)
            if tools is None:
                tools = self._share(convert(value, row_id))
                if len(self._tools) >= self._size:
                    del self._tools[next(iter(self._tools))]  # FIFO: enough to bound it
                self._tools[key] = tools
            return tools

        return read


def decode_document(doc: Document) -> dict[str, Any] | Unreadable:
    """A document's object, or why it is not one."""
    try:
        value = jsonlimits.loads(doc.data)
    except jsonlimits.JsonLimitError as exc:
        return Unreadable(doc.number, doc.data, f"row {doc.number}: {exc}")
    if not isinstance(value, dict):
        kind = type(value).__name__
        return Unreadable(doc.number, doc.data, f"row {doc.number}: not an object ({kind})")
    return value


def read_documents(path: Path) -> list[dict[str, Any]]:
    """The objects of a small JSON array or JSON Lines file (BFCL answers); a bad row fails."""
    with _open(path) as stream:
        rows = [decode_document(doc) for doc in stream]
    for row in rows:
        if isinstance(row, Unreadable):
            raise DatasetError(f"{path}: {row.detail}")
    return [r for r in rows if not isinstance(r, Unreadable)]


@contextmanager
def _open(path: Path) -> Iterator[DocumentStream]:
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read: {exc.strerror}") from None
    with fh:
        yield DocumentStream(fh)


def detect_format(row: dict[str, Any]) -> InputFormat:
    """Which format a dataset is in, from its first row's keys."""
    if "answers" in row and "query" in row:
        return "xlam"
    if "messages" in row:
        return "openai"
    if "question" in row and "function" in row:
        return "bfcl"
    raise DatasetError(
        f"cannot tell the dataset's format from its first row's keys {sorted(row)[:10]}; "
        f"give --input-format ({', '.join(INPUT_FORMATS)})"
    )


def answers_path(questions: Path) -> Path:
    """Where BFCL keeps a question file's ground truths."""
    return questions.parent / ANSWERS_DIR / questions.name


class Dataset:
    """A dataset file opened for streaming: iterate for its rows, in file order."""

    def __init__(
        self, path: str | Path, input_format: InputFormat | None = None,
        answers: str | Path | None = None,
    ) -> None:  # fmt: skip
        self.path = Path(path)
        self.size = _size(self.path)
        self._format = input_format
        self._answers = Path(answers) if answers else None
        self._stream: DocumentStream | None = None

    @property
    def position(self) -> int:
        """Bytes of the file read so far."""
        return 0 if self._stream is None else self._stream.position

    def __iter__(self) -> Iterator[AnyRow]:
        with _open(self.path) as stream:
            self._stream = stream
            docs = iter(stream)
            head: list[Document] = []
            first: dict[str, Any] | None = None
            for doc in docs:  # the first object decides the format
                head.append(doc)
                decoded = decode_document(doc)
                if not isinstance(decoded, Unreadable):
                    first = decoded
                    break
            if not head:
                raise DatasetError(f"{self.path}: the dataset is empty")
            if first is None and self._format is None:  # no row to tell the format by
                yield from (r for d in head if isinstance(r := decode_document(d), Unreadable))
                return
            kind = self._format or detect_format(first or {})
            yield from self._rows(kind, _chain(head, docs))

    def _rows(self, kind: InputFormat, docs: Iterable[Document]) -> Iterator[AnyRow]:
        cache = ToolCache()
        if kind == "xlam":
            read = cache.reader(xlam.tools_of)

            def slow(number: int, raw: dict[str, Any]) -> Row:
                return _row(raw.get("id", number - 1), raw, xlam.from_row(raw, read))

            yield from _each(docs, slow, partial(_xlam_row, read=read))
        elif kind == "openai":
            read = cache.reader(openai_chat.tools_of)
            yield from _each(docs, lambda n, r: _openai_row(n, r, read))
        else:
            truth = read_documents(self._answers or answers_path(self.path))
            by_id = {str(t.get("id")): t for t in truth}
            read = cache.reader(_bfcl_tools)
            yield from _each(docs, lambda n, r: bfcl_row(r, by_id, read))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read: {exc.strerror}") from None


def _chain(head: list[Document], rest: Iterator[Document]) -> Iterator[Document]:
    yield from head
    yield from rest


RowMaker = Callable[[int, dict[str, Any]], Row]


def _each(
    docs: Iterable[Document], make: RowMaker, fast: Callable[[Document], Row | None] | None = None
) -> Iterator[AnyRow]:
    """Each document as a row: by ``fast`` when it reads the row (else None), else by ``make``
    from the document's plain values, which says what is wrong with a row that is not one."""
    for doc in docs:
        if fast is not None and (row := fast(doc)) is not None:
            yield row
            continue
        raw = decode_document(doc)
        if isinstance(raw, Unreadable):
            yield raw
            continue
        try:
            row = make(doc.number, raw)
        except DatasetError as exc:
            yield Unreadable(_row_id(raw, doc.number), doc.data, str(exc))
        except Exception as exc:  # a reader's bug on one odd row must not lose the whole run
            detail = f"row {doc.number}: cannot be read: {type(exc).__name__}: {exc}"[:500]
            yield Unreadable(_row_id(raw, doc.number), doc.data, detail)
        else:
            yield Row(row.id, row.raw, row.candidate, doc.data)


class _XlamText(msgspec.Struct, forbid_unknown_fields=True):
    """An xlam row as the dataset writes it (``answers`` and ``tools`` as JSON text): the shape
    the fast path decodes at once. A row with any other field takes the slow path: skipping a
    field's value would not fail where decoding it does (a number out of range)."""

    query: str
    id: int | str | msgspec.UnsetType = msgspec.UNSET
    answers: str = "[]"
    tools: str = "[]"


_XLAM_TEXT = msgspec.json.Decoder(_XlamText)


def _xlam_row(doc: Document, read: Callable[[Any, str], list[Tool]]) -> Row | None:
    """The row of a one-line xlam document of the usual shape, decoded straight into its
    records; None for anything else (the slow path reads it, or says why it cannot).

    Where it gives a row, it is the row the slow path makes: the same limits are checked on
    the same text, and any doubt (a field of another type, a call that needs the slow reader,
    a tool list that fails) hands the document over rather than deciding here.
    """
    data = doc.data
    if b"\n" in data:  # a pretty-printed element: its text is not the row as a line
        return None
    try:
        jsonlimits.check(data)
        fields = _XLAM_TEXT.decode(data)
        row_id: int | str = doc.number - 1 if fields.id is msgspec.UNSET else fields.id
        label = "" if fields.id is msgspec.UNSET else str(fields.id)
        calls = read_calls(fields.answers, "answers", label)
        tools = read(fields.tools, label)
    except Exception:  # the slow path finds the same fault and words it
        return None
    candidate = Candidate(
        id=str(row_id), style=infer_style(calls, len(tools)), query=fields.query, calls=calls,
        tools=tools,
    )  # fmt: skip
    return Row(row_id, None, candidate, data)


def _row_id(raw: dict[str, Any], number: int) -> int | str:
    row_id = raw.get("id", number)
    return row_id if isinstance(row_id, int | str) else number


def read_dataset(
    path: str | Path, input_format: InputFormat | None = None, answers: str | Path | None = None
) -> list[AnyRow]:
    """Every row of the dataset at ``path``, in file order (small files; ``verify`` streams)."""
    return list(Dataset(path, input_format, answers))


def _row(row_id: int | str, raw: dict[str, Any], sample: Sample) -> Row:
    candidate = Candidate(
        id=str(row_id), style=sample.style, query=sample.query, calls=sample.calls,
        tools=sample.tools,
    )  # fmt: skip
    return Row(id=row_id, raw=raw, candidate=candidate)


def _openai_row(number: int, raw: dict[str, Any], read: Callable[[Any, str], list[Tool]]) -> Row:
    row_id = _row_id(raw, number)
    return _row(row_id, raw, openai_chat.from_row(raw, str(row_id), read))


def _bfcl_tools(functions: Any, row_id: str) -> list[Tool]:
    if not isinstance(functions, list):
        raise DatasetError(f"row {row_id}: function is not a list")
    return [tool_from_any(f) for f in functions if isinstance(f, dict)]


def bfcl_rows(questions: list[dict[str, Any]], truth: list[dict[str, Any]]) -> Iterator[Row]:
    """BFCL question rows with their ground truths as candidates (see the module docstring)."""
    by_id = {str(t.get("id")): t for t in truth}
    for question in questions:
        yield bfcl_row(question, by_id, _bfcl_tools)


def bfcl_row(
    question: dict[str, Any], by_id: dict[str, dict[str, Any]],
    read_tools: Callable[[Any, str], list[Tool]],
) -> Row:  # fmt: skip
    """One BFCL question with its ground truth as a candidate."""
    row_id = str(question.get("id", ""))
    answer = by_id.get(row_id)
    if answer is None:
        raise DatasetError(f"row {row_id}: no ground truth in the answer file")
    tools = read_tools(question.get("function", []), row_id)
    calls = ground_truth_calls(answer.get("ground_truth", []), row_id)
    candidate = Candidate(
        id=row_id, style=infer_style(calls, len(tools)), query=bfcl_query(question, row_id),
        calls=calls, tools=tools,
    )  # fmt: skip
    return Row(id=row_id, raw=question, candidate=candidate)


def bfcl_query(question: dict[str, Any], row_id: str = "") -> str:
    """The user's words in a BFCL question (every user message of the first turn)."""
    turns = question.get("question") or [[]]
    if not isinstance(turns, list):
        raise DatasetError(f"row {row_id}: question is a {type(turns).__name__}, not a list")
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
