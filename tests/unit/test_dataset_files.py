"""The rotating dataset writer: rotation, the manifest, and recovery from a torn tail."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from apigen_stream.errors import DatasetError
from apigen_stream.export.files import MANIFEST, DatasetWriter, read_manifest, read_rows


def rows(start: int, n: int) -> list[tuple[str, dict[str, object]]]:
    return [(f"id-{i}", {"id": f"id-{i}", "n": i}) for i in range(start, start + n)]


def test_rotates_by_count_and_records_each_file(tmp_path: Path) -> None:
    with DatasetWriter(tmp_path, format="sample", max_samples=3) as writer:
        for i in range(7):
            writer.write(rows(i, 1), {("apigen.accepted", 0): (i, i + 1)})
    manifest = read_manifest(tmp_path)
    assert manifest is not None
    assert [f.samples for f in manifest.files] == [3, 3, 1]
    assert [(f.first_id, f.last_id) for f in manifest.files] == [
        ("id-0", "id-2"), ("id-3", "id-5"), ("id-6", "id-6"),
    ]  # fmt: skip
    assert [f.closed for f in manifest.files] == [True, True, False]
    assert manifest.files[1].offsets == {"apigen.accepted:0": [3, 6]}
    assert manifest.offsets == {"apigen.accepted:0": 7}
    for entry in manifest.files:
        data = (tmp_path / entry.name).read_bytes()
        assert len(data) == entry.bytes
        if entry.closed:
            assert entry.sha256 == hashlib.sha256(data).hexdigest()
        else:
            assert entry.sha256 == ""
    assert [r["n"] for r in read_rows(tmp_path)] == list(range(7))


def test_rotates_by_size(tmp_path: Path) -> None:
    with DatasetWriter(tmp_path, format="sample", max_bytes=100) as writer:
        for i in range(10):
            writer.write(rows(i, 1))
    manifest = read_manifest(tmp_path)
    assert manifest is not None
    assert len(manifest.files) > 2
    assert all(f.bytes >= 100 for f in manifest.files if f.closed)
    assert manifest.samples == 10


def test_a_torn_tail_is_truncated_and_the_offsets_say_where_to_resume(tmp_path: Path) -> None:
    with DatasetWriter(tmp_path, format="sample") as writer:
        writer.write(rows(0, 2), {("t", 0): (0, 2)})
    part = tmp_path / "part-00000.jsonl"
    good = part.read_bytes()
    # A crash after appending (a whole line and half of another) but before the manifest.
    with part.open("ab") as fh:
        fh.write(b'{"id": "id-2", "n": 2}\n{"id": "id-3", "n"')
    with DatasetWriter(tmp_path, format="sample") as writer:
        assert part.read_bytes() == good
        assert writer.offsets == {"t:0": 2}
        writer.write(rows(2, 2), {("t", 0): (2, 4)})
    assert [r["n"] for r in read_rows(tmp_path)] == [0, 1, 2, 3]
    lines = part.read_text().splitlines()
    assert [json.loads(line)["n"] for line in lines] == [0, 1, 2, 3]


def test_a_file_created_but_never_recorded_is_removed(tmp_path: Path) -> None:
    with DatasetWriter(tmp_path, format="sample") as writer:
        writer.write(rows(0, 1))
    (tmp_path / "part-00001.jsonl").write_text('{"id": "stray"}\n')
    with DatasetWriter(tmp_path, format="sample"):
        pass
    assert not (tmp_path / "part-00001.jsonl").exists()
    assert [r["id"] for r in read_rows(tmp_path)] == ["id-0"]


def test_the_manifest_is_replaced_whole(tmp_path: Path) -> None:
    with DatasetWriter(tmp_path, format="xlam") as writer:
        writer.write(rows(0, 1))
    assert json.loads((tmp_path / MANIFEST).read_text())["format"] == "xlam"
    assert not list(tmp_path.glob(".*.tmp"))


def test_appending_another_format_is_refused(tmp_path: Path) -> None:
    with DatasetWriter(tmp_path, format="xlam") as writer:
        writer.write(rows(0, 1))
    with pytest.raises(DatasetError, match="holds xlam"):
        DatasetWriter(tmp_path, format="openai")
