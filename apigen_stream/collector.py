"""The garbage collector's pace for a process that has loaded what it runs.

Every record a stage handles allocates a few dozen objects that die with its batch, almost none
in a cycle. At Python's default pace (a pass over the youngest generation every 700
allocations, and over everything alive every 100 of those once enough has survived) the full
passes walk the library, its compiled schemas, the modules and classes loaded: 50-110 ms each
in a stage process holding the built-in and harvested library, several times a minute under
load, and the records in flight wait for each one.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Allocations between two collections of the youngest generation (Python's default is 700).
GC_YOUNG_THRESHOLD = 50_000


def collect_rarely() -> None:
    """Spare the process the collector's passes over what it cannot free, for good (a process
    of its own: a sandbox worker after its warm-up, a child after importing its function).

    What is alive now lives to the end (frozen: never scanned again); cycles are still
    collected, less often.
    """
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, middle, old)


@contextmanager
def collecting_rarely() -> Iterator[None]:
    """``collect_rarely`` while a command runs what it has loaded (a stage, ``verify``, the
    embedded run), then the collector as it was: commands also run inside other programs."""
    thresholds = gc.get_threshold()
    collect_rarely()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
