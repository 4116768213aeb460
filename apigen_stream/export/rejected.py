"""``rejected.jsonl``: what the embedded run's checks turned down, one JSON object a line.

Each line has the ``stage``, the ``reason`` code, the ``detail`` and the ``record`` (the task
or candidate the stage rejected, as it is on ``apigen.rejected``). A record a stage could not
process at all (a dead letter) is a line of ``kind`` ``dead_letter`` whose ``record`` is the
undecoded payload as text. Lines are kept until ``flush()`` (the run calls it every fraction
of a second and at the end), which writes them whole in one call: a run stopped by Ctrl-C, or
killed, leaves whole lines only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec

from apigen_stream.records import DeadLetter, Rejection

FILE_NAME = "rejected.jsonl"


def rejection_row(rejection: Rejection) -> dict[str, Any]:
    """The line of one rejection."""
    return {
        "kind": "rejection",
        "id": rejection.id,
        "stage": rejection.stage,
        "reason": rejection.reason,
        "detail": rejection.detail,
        "record": msgspec.to_builtins(rejection.subject),
    }


def dead_letter_row(letter: DeadLetter) -> dict[str, Any]:
    """The line of one dead letter."""
    return {
        "kind": "dead_letter",
        "stage": letter.stage,
        "reason": letter.reason,
        "detail": letter.detail,
        "record": letter.payload.decode("utf-8", "replace"),
    }


class RejectedLog:
    """Appends rows to ``DIR/rejected.jsonl`` (a fresh file per run)."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / FILE_NAME
        # Unbuffered: each flush is one write of whole lines, never a part of one.
        self._fh = self.path.open("wb", buffering=0)
        self._pending: list[str] = []
        self.lines = 0

    def write(self, row: dict[str, Any]) -> None:
        """Append one line (written at the next ``flush``)."""
        self._pending.append(json.dumps(row, ensure_ascii=False))
        self.lines += 1

    def flush(self) -> None:
        """Write the lines appended since the last flush."""
        if self._pending:
            text, self._pending = "\n".join(self._pending) + "\n", []
            data = memoryview(text.encode())
            while data:  # a raw write may take less than it was given
                data = data[self._fh.write(data) or 0 :]

    def close(self) -> None:
        """Write what is left and close the file."""
        self.flush()
        self._fh.close()
