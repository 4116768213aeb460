"""Group commit of dataset rows: added one by one, written in groups, none lost or torn."""

from __future__ import annotations

from pathlib import Path

import anyio

from apigen_stream.export.files import DatasetWriter, GroupWriter, read_manifest, read_rows


def _row(n: int) -> tuple[str, dict[str, object]]:
    return f"s{n}", {"id": f"s{n}", "query": f"q{n}"}


def test_a_group_splits_where_the_file_rotates(tmp_path: Path) -> None:
    group = GroupWriter(DatasetWriter(tmp_path, format="xlam", max_samples=3))
    for n in range(7):
        group.add(*_row(n))
    group.close()
    manifest = read_manifest(tmp_path)
    assert manifest is not None
    assert [f.samples for f in manifest.files] == [3, 3, 1]
    assert [f.closed for f in manifest.files] == [True, True, False]
    assert [r["id"] for r in read_rows(tmp_path)] == [f"s{n}" for n in range(7)]


def test_rows_are_committed_while_it_runs_not_only_at_close(tmp_path: Path) -> None:
    group = GroupWriter(DatasetWriter(tmp_path, format="xlam"), interval_s=0.01)

    def committed() -> int:
        manifest = read_manifest(tmp_path)
        return manifest.samples if manifest else 0

    async def scenario() -> int:
        async with anyio.create_task_group() as tg:
            tg.start_soon(group.run)
            for n in range(5):
                group.add(*_row(n))
            with anyio.fail_after(30):  # a guard against a hang, not a speed check
                while True:  # the file is the state: polled, there is no event to wait on
                    if committed() >= 5:
                        break
                    await anyio.sleep(0.01)
            tg.cancel_scope.cancel()
        return committed()

    assert anyio.run(scenario) == 5
    group.add(*_row(5))
    group.close()
    assert [r["id"] for r in read_rows(tmp_path)] == [f"s{n}" for n in range(6)]
