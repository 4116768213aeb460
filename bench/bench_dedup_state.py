"""Dedup state bounded: 1M distinct candidates through the dedup handler, 100k keys retained.

The handler runs over a ``ChangelogStore`` with ``Retention(keys=100_000)``, committing every
``BATCH`` records as the runner does. Memory is measured as the growth of the process's peak
resident set over the run, against the bound below; the same run without retention is the
contrast (it holds every key). Each side runs in a fresh process, so one's peak cannot hide
the other's. Then the restore: the changelog the bounded run wrote (latest value per key,
as compaction leaves it) is replayed into a new store, counting the records read from the
tail ``restore_window`` names. Exits non-zero when a bound is broken.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time

import anyio

from apigen_stream.engine.stores import ChangelogStore, Retention
from apigen_stream.records import Candidate
from apigen_stream.stages.dedup import DedupStage

CANDIDATES = int(os.environ.get("APIGEN_BENCH_CANDIDATES", "1000000"))
RETAIN = 100_000
BATCH = 200
# Peak resident growth allowed with retention: 100k keys of 32 bytes with ~60-byte entries
# and dict overhead are about 40 MB in the store, as much again in this bench's copy of the
# compacted changelog; the bound leaves room for the allocator. (Unbounded, 1M keys: ~390 MB.)
BOUND_MB = 100.0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


async def _run(retain: int) -> tuple[float, int, list[tuple[bytes, bytes | None]], float]:
    stage = DedupStage()
    store = ChangelogStore(Retention(keys=retain))
    log: dict[bytes, bytes | None] = {}  # the changelog after compaction: latest per key
    keep_log = retain > 0
    before = _peak_mb()
    started = time.perf_counter()
    for i in range(CANDIDATES):
        await stage.handle(Candidate(id=f"c{i}", query=f"query number {i}"), store)
        if i % BATCH == BATCH - 1:
            if keep_log:
                for key, value in store.pending():
                    log.pop(key, None)
                    if value is not None:
                        log[key] = value
            store.committed()
    took = time.perf_counter() - started
    grown = _peak_mb() - before
    tail = list(log.items())
    return grown, len(store), tail, took


def side(retain: int) -> None:
    grown, held, tail, took = anyio.run(_run, retain)
    print(f"retain_keys={retain or 'none'}: {CANDIDATES} candidates in {took:.1f}s, "
          f"{held} keys held, peak RSS grew {grown:.0f} MB")  # fmt: skip
    if retain:
        window = Retention(keys=retain).restore_window()
        read = tail[-window:]
        restored = ChangelogStore(Retention(keys=retain))
        restored.restore(read)
        print(f"restore: {len(read)} changelog records read (window {window}), "
              f"{len(restored)} keys rebuilt")  # fmt: skip
        if grown > BOUND_MB or held != retain or len(read) > window or len(restored) != retain:
            print(f"FAIL: bound {BOUND_MB} MB, {retain} keys")
            sys.exit(1)


def main() -> None:
    for retain in (RETAIN, 0):
        code = subprocess.call([sys.executable, "-m", "bench.bench_dedup_state", str(retain)])
        if code:
            sys.exit(code)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        side(int(sys.argv[1]))
    else:
        main()
