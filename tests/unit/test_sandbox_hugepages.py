"""The template's memory in huge pages: forks of a template that holds a large table stay cheap,
and what a call reads from that table is unchanged."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from apigen_stream.config import SandboxConfig
from apigen_stream.sandbox.hugepages import HUGE_BYTES, collapsible
from apigen_stream.sandbox.pool import SandboxPool

pytestmark = pytest.mark.anyio

BULKY = "tests.support.bulky_tools"
MB = 1024 * 1024
CONFIG = SandboxConfig(workers=1, timeout_s=10.0, memory_mb=256)
# The rows a warm-up call builds in the template, and how much of them must end up in huge
# pages (the rest shares 2 MiB spans with memory allocated before, which may not collapse).
ROWS_MB = 96
HUGE_MB = ROWS_MB // 2
THP = Path("/sys/kernel/mm/transparent_hugepage/enabled")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def test_only_private_writable_anonymous_spans_are_collapsed_at_2_mib_bounds() -> None:
    maps = "\n".join([
        "55d000000000-55d000a00000 rw-p 00000000 00:00 0          [heap]",
        "7f0000100000-7f0000700000 rw-p 00000000 00:00 0 ",
        "7f1000000000-7f1000100000 rw-p 00000000 00:00 0 ",  # under 2 MiB
        "7f2000000000-7f2000800000 r--p 00000000 08:01 42         /usr/lib/libx.so",
        "7f3000000000-7f3000800000 rw-p 00000000 08:01 43         /usr/lib/liby.so",
        "7f4000000000-7f4000800000 rw-s 00000000 00:01 44         /dev/zero (deleted)",
        "7ffd00000000-7ffd00800000 rw-p 00000000 00:00 0          [stack]",
        "7f5000000000-7f5000800000 ---p 00000000 00:00 0 ",
    ])  # fmt: skip
    assert collapsible(maps) == [
        (0x55D000000000, 0xA00000 // HUGE_BYTES * HUGE_BYTES),
        (0x7F0000200000, 0x400000),
    ]


def _thp_missing() -> str:
    if not THP.exists():
        return "this kernel has no transparent huge pages"
    if "[never]" in THP.read_text():
        return "transparent huge pages are disabled on this machine"
    release = re.match(r"(\d+)\.(\d+)", Path("/proc/sys/kernel/osrelease").read_text())
    if release is None or tuple(map(int, release.groups())) < (6, 1):
        return "MADV_COLLAPSE needs Linux 6.1 or later"
    return ""


def _huge_mb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("AnonHugePages:"):
            return int(line.split()[1]) // 1024
    return 0


def _template(worker: int) -> int:
    """The template: the worker's child that is PID 1 of a namespace, or the worker itself."""
    children = [int(c) for t in Path(f"/proc/{worker}/task").iterdir()
                for c in (t / "children").read_text().split()]  # fmt: skip
    for child in children:
        status = Path(f"/proc/{child}/status").read_text()
        if re.search(r"^NSpid:.*\s1$", status, re.MULTILINE):
            return child
    return worker


@pytest.mark.skipif(bool(_thp_missing()), reason=_thp_missing() or "-")
async def test_a_table_the_warm_up_loads_is_held_in_huge_pages_and_reads_the_same() -> None:
    warm = [(f"{BULKY}:load_rows", "load_rows", {"megabytes": ROWS_MB})]
    async with SandboxPool(CONFIG, warm_up=warm, reviewed={f"{BULKY}:row"}) as pool:
        template = _template(pool.worker_pids[0])
        # The template collapses its memory after the warm-up, before it takes the first batch.
        rows = await pool.run_many([(f"{BULKY}:row", "row", {"index": i}) for i in (0, 7)])
        huge_mb = _huge_mb(template)
        later = await pool.run(f"{BULKY}:row", "row", {"index": 99})
    assert huge_mb >= HUGE_MB, huge_mb
    assert [o.result for o in rows] == [{"key": "0", "pair": [0, 1]}, {"key": "7", "pair": [7, 8]}]
    assert later.result == {"key": "99", "pair": [99, 100]}
