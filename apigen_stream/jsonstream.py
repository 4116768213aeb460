"""A dataset file read as a stream of documents: JSON Lines, or the elements of one JSON array.

Nothing here decodes a row: each document comes out as its bytes with its number (the line
number of a JSON Lines file, the 1-based element index of an array), so one bad row is one bad
document and the rest of the file still reads. Memory holds one read chunk and the document
being cut, whatever the file's size. A UTF-8 byte order mark at the start is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO, NamedTuple

from apigen_stream.jsonlimits import UTF8_BOM

CHUNK_BYTES = 1 << 20
_WHITESPACE = b" \t\r\n"
# What cutting an array needs to see: whole strings (their brackets and commas are text),
# brackets, commas; a lone quote is a string the chunk cut short.
_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{},]|"', re.DOTALL)
_QUOTE, _COMMA = ord('"'), ord(",")
_OPEN, _CLOSE = frozenset(b"[{"), frozenset(b"]}")


def _undecided(head: bytes) -> bool:
    """Whether the file's first character is still unseen (behind a BOM or blank lines)."""
    return len(head) < len(UTF8_BOM) or not head.removeprefix(UTF8_BOM).strip(_WHITESPACE)


class Document(NamedTuple):
    """One row's bytes as they are in the file, and where it is (a tuple: one is made per row,
    and a frozen dataclass costs several times as much to make)."""

    number: int
    data: bytes


class DocumentStream:
    """The documents of an open binary file; ``position`` says how far it has read."""

    def __init__(self, fh: BinaryIO, chunk_bytes: int = CHUNK_BYTES) -> None:
        self._fh = fh
        self._chunk = chunk_bytes
        self.position = 0
        head = self._read()
        while _undecided(head) and (more := self._read()):
            head += more
        if head.startswith(UTF8_BOM):
            head = head[len(UTF8_BOM) :]
        self._head = head
        self.is_array = head.lstrip(_WHITESPACE).startswith(b"[")

    def _read(self) -> bytes:
        chunk = self._fh.read(self._chunk)
        self.position += len(chunk)  # bytes of the file read so far
        return chunk

    def __iter__(self) -> Iterator[Document]:
        return self._array() if self.is_array else self._lines()

    def _lines(self) -> Iterator[Document]:
        head, self._head = self._head, b""
        pending = b""
        number = 0
        chunk = head
        while chunk:
            lines = (pending + chunk).split(b"\n")
            pending = lines.pop()
            for line in lines:
                number += 1
                if line.strip(_WHITESPACE):
                    yield Document(number, line.rstrip(b"\r"))
            chunk = self._read()
        if pending.strip(_WHITESPACE):
            yield Document(number + 1, pending.rstrip(b"\r"))

    def _array(self) -> Iterator[Document]:
        buf, self._head = self._head, b""
        depth = start = scan = 0
        number = 0
        while True:
            cut = None  # where a string the chunk cut short begins
            for m in _TOKENS.finditer(buf, scan):
                first = buf[m.start()]
                if first == _QUOTE:
                    if m.end() - m.start() == 1:
                        cut = m.start()
                        break
                elif first in _OPEN:
                    depth += 1
                    if depth == 1:
                        start = m.end()
                elif depth == 1 and (first == _COMMA or first in _CLOSE):
                    number += 1
                    element = buf[start : m.start()]
                    if first == _COMMA or element.strip(_WHITESPACE):
                        yield Document(number, element.strip(_WHITESPACE))
                    if first != _COMMA:
                        return
                    start = m.end()
                elif first in _CLOSE:
                    depth -= 1
            more = self._read()
            if not more:
                rest = buf[start:].strip(_WHITESPACE)
                if rest:  # the array was never closed: its last element is cut short
                    yield Document(number + 1, rest)
                return
            scan = (cut if cut is not None else len(buf)) - start
            buf = buf[start:] + more
            start = 0
