"""Crash-safe rotating dataset files with a manifest of what each file holds.

A directory holds ``part-00000.jsonl``, ``part-00001.jsonl``, ... and ``manifest.json``. Lines are
appended, flushed and fsynced, then the manifest is rewritten atomically (temp file, fsync,
``os.replace``). The manifest is the truth: it records, per file, its sample count, first and
last ids, byte length, sha256 once closed, and the Kafka offsets its samples came from; and the
next offset to read per input partition. On open, the current file is truncated to the length
the manifest records, so a crash between the append and the manifest leaves no torn line and
no sample the offsets do not account for: a consumer resuming from the manifest's offsets
neither repeats nor loses a sample.

``GroupWriter`` is the group commit a producer on an event loop uses: rows are added one at a
time and written in groups, one append, fsync and manifest rewrite per group, in a worker
thread, at most ``COMMIT_INTERVAL_S`` after they were added. A SIGKILL loses the rows of the
group not yet committed, never what the manifest records.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread
import msgspec

from apigen_stream.errors import DatasetError

MANIFEST = "manifest.json"
# Rotation defaults: files small enough to move and shard, large enough not to be a crowd.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
DEFAULT_MAX_SAMPLES = 100_000
# Seconds a row added to a GroupWriter waits, at most, for its group's commit: short enough that
# a kill loses little, long enough that one fsync serves many rows.
COMMIT_INTERVAL_S = 0.25
# Rows that start a group's commit at once, before the interval is up.
COMMIT_ROWS = 1024
# Chunk size for hashing a closed file.
_HASH_CHUNK = 1 << 20


class FileEntry(msgspec.Struct, kw_only=True):
    """One dataset file as the manifest records it."""

    name: str
    samples: int = 0
    first_id: str = ""
    last_id: str = ""
    bytes: int = 0
    sha256: str = ""
    closed: bool = False
    # "topic:partition" -> [first offset, next offset] of the samples in this file.
    offsets: dict[str, list[int]] = {}


class Manifest(msgspec.Struct, kw_only=True):
    """What the directory holds, and where the input stands ("topic:partition" -> next offset)."""

    format: str
    files: list[FileEntry] = []
    offsets: dict[str, int] = {}

    @property
    def samples(self) -> int:
        """Samples in all files."""
        return sum(f.samples for f in self.files)


def file_name(index: int) -> str:
    """The name of the ``index``-th file."""
    return f"part-{index:05d}.jsonl"


def read_manifest(directory: Path) -> Manifest | None:
    """The directory's manifest, or None when it has none yet."""
    path = directory / MANIFEST
    try:
        return msgspec.json.decode(path.read_bytes(), type=Manifest)
    except FileNotFoundError:
        return None
    except (OSError, msgspec.DecodeError) as exc:
        raise DatasetError(f"{path}: unreadable manifest: {exc}") from None


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_manifest(directory: Path, manifest: Manifest) -> None:
    """Replace the manifest atomically: readers see the old one or the new one, never half."""
    tmp = directory / f".{MANIFEST}.tmp"
    with tmp.open("wb") as fh:
        fh.write(msgspec.json.format(msgspec.json.encode(manifest)))
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(directory / MANIFEST)
    _fsync_dir(directory)


def sha256_of(path: Path, length: int) -> str:
    """The sha256 of the first ``length`` bytes of ``path``."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        left = length
        while left > 0:
            chunk = fh.read(min(_HASH_CHUNK, left))
            if not chunk:
                break
            digest.update(chunk)
            left -= len(chunk)
    return digest.hexdigest()


class DatasetWriter:
    """Appends rows to rotating files; see the module docstring. Not safe across processes:
    one writer per directory."""

    def __init__(
        self, directory: str | Path, *, format: str, max_bytes: int = DEFAULT_MAX_BYTES,
        max_samples: int = DEFAULT_MAX_SAMPLES,
    ) -> None:  # fmt: skip
        self.directory = Path(directory)
        self.max_bytes = max_bytes
        self.max_samples = max_samples
        self.directory.mkdir(parents=True, exist_ok=True)
        self.manifest = self._recover(format)
        self._fh = (self.directory / self._current.name).open("ab")

    @property
    def _current(self) -> FileEntry:
        return self.manifest.files[-1]

    @property
    def offsets(self) -> dict[str, int]:
        """The next offset to read per "topic:partition", as the manifest records it."""
        return dict(self.manifest.offsets)

    def _recover(self, format: str) -> Manifest:
        manifest = read_manifest(self.directory)
        if manifest is None:
            manifest = Manifest(format=format, files=[FileEntry(name=file_name(0))])
        elif manifest.format != format:
            raise DatasetError(
                f"{self.directory} holds {manifest.format} files; cannot append {format} rows"
            )
        current = manifest.files[-1]
        path = self.directory / current.name
        with path.open("ab") as fh:
            # A crash after an append but before the manifest: drop the unrecorded tail.
            fh.truncate(current.bytes)
        self._remove_strays(manifest)
        write_manifest(self.directory, manifest)
        return manifest

    def _remove_strays(self, manifest: Manifest) -> None:
        known = {f.name for f in manifest.files}
        for path in self.directory.glob("part-*.jsonl"):
            if path.name not in known:
                path.unlink()

    def write(
        self, rows: Sequence[tuple[str, Mapping[str, Any]]],
        offsets: Mapping[tuple[str, int], tuple[int, int]] | None = None,
    ) -> None:  # fmt: skip
        """Append ``(id, row)`` pairs durably; ``offsets`` maps (topic, partition) to the
        [first, next) offsets the rows came from. The manifest is updated last."""
        if not rows and not offsets:
            return
        data = b"".join(_line(row) for _, row in rows)
        self._fh.write(data)
        self._fh.flush()
        os.fsync(self._fh.fileno())
        current = self._current
        if rows:
            current.first_id = current.first_id or rows[0][0]
            current.last_id = rows[-1][0]
        current.samples += len(rows)
        current.bytes += len(data)
        for (topic, partition), (first, after) in (offsets or {}).items():
            key = f"{topic}:{partition}"
            span = current.offsets.setdefault(key, [first, after])
            span[1] = after
            self.manifest.offsets[key] = after
        if current.bytes >= self.max_bytes or current.samples >= self.max_samples:
            self._rotate()
        else:
            write_manifest(self.directory, self.manifest)

    @property
    def room(self) -> int:
        """Samples the current file takes before it rotates."""
        return max(1, self.max_samples - self._current.samples)

    def _rotate(self) -> None:
        self._fh.close()
        current = self._current
        current.sha256 = sha256_of(self.directory / current.name, current.bytes)
        current.closed = True
        self.manifest.files.append(FileEntry(name=file_name(len(self.manifest.files))))
        # One manifest write closes the old file and opens the new one.
        write_manifest(self.directory, self.manifest)
        self._fh = (self.directory / self._current.name).open("ab")

    def close(self) -> None:
        """Close the current file (it stays open in the manifest: the next writer appends)."""
        self._fh.close()

    def __enter__(self) -> DatasetWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class GroupWriter:
    """Rows added one by one, written durably in groups off the event loop; see the module
    docstring. ``run()`` commits while it runs; ``close()`` commits what is left."""

    def __init__(self, writer: DatasetWriter, *, interval_s: float = COMMIT_INTERVAL_S) -> None:
        self.writer = writer
        self.interval_s = interval_s
        self._rows: list[tuple[str, Mapping[str, Any]]] = []
        self._full = anyio.Event()

    def add(self, sample_id: str, row: Mapping[str, Any]) -> None:
        """Queue one row for the next commit."""
        self._rows.append((sample_id, row))
        if len(self._rows) >= COMMIT_ROWS:
            self._full.set()

    async def run(self) -> None:
        """Commit every ``interval_s`` (or once ``COMMIT_ROWS`` wait) until cancelled; a
        commit under way finishes first (the thread is not abandoned)."""
        while True:
            with anyio.move_on_after(self.interval_s):
                await self._full.wait()
            self._full = anyio.Event()
            rows, self._rows = self._rows, []
            if rows:
                await anyio.to_thread.run_sync(self._commit, rows)

    def _commit(self, rows: Sequence[tuple[str, Mapping[str, Any]]]) -> None:
        # Split where the current file rotates, so no file holds more than max_samples.
        while rows:
            room = self.writer.room
            self.writer.write(rows[:room])
            rows = rows[room:]

    def close(self) -> None:
        """Commit the rows still queued, here and now, and close the writer."""
        rows, self._rows = self._rows, []
        self._commit(rows)
        self.writer.close()


def _line(row: Mapping[str, Any]) -> bytes:
    return (json.dumps(row, ensure_ascii=False) + "\n").encode()


def read_rows(directory: str | Path) -> Iterator[dict[str, Any]]:
    """Every row the manifest accounts for, in order; a torn tail past it is ignored."""
    directory = Path(directory)
    manifest = read_manifest(directory)
    if manifest is None:
        raise DatasetError(f"{directory}: no {MANIFEST}: not a dataset directory")
    for entry in manifest.files:
        with (directory / entry.name).open("rb") as fh:
            data = fh.read(entry.bytes)
        for number, line in enumerate(data.splitlines(), start=1):
            try:
                yield json.loads(line)
            except json.JSONDecodeError as exc:
                raise DatasetError(f"{entry.name}:{number}: not JSON: {exc.msg}") from None


def dataset_format(directory: str | Path) -> str:
    """The format of a dataset directory's rows."""
    manifest = read_manifest(Path(directory))
    if manifest is None:
        raise DatasetError(f"{directory}: no {MANIFEST}: not a dataset directory")
    return manifest.format
