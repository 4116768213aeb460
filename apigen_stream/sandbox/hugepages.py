"""The template's anonymous memory in huge pages, so that a fork costs little however much it holds.

A fork copies the page tables of the template's private memory, one entry per 4 KiB page, and a
child's exit tears its copy down again: for a template holding the data its tools load in their
first calls (a few hundred megabytes), that is most of a fork's cost. Collapsed into 2 MiB pages
(``madvise(MADV_COLLAPSE)``, Linux 6.1 and later), the same memory takes one entry per 2 MiB.
A child that writes to a huge page it shares splits only its own mapping of that page and copies
the 4 KiB it wrote, as before; the template keeps its huge mappings for the next fork.

Where the kernel cannot collapse (older kernels, huge pages disabled), nothing changes.
"""

from __future__ import annotations

import ctypes
import os

from apigen_stream.sandbox.confine import read_to_end

HUGE_BYTES = 2 * 1024 * 1024
MADV_COLLAPSE = 25  # Linux's number for it (include/uapi/asm-generic/mman-common.h)


def collapsible(maps: str) -> list[tuple[int, int]]:
    """The 2 MiB-aligned (start, length) spans of private, writable, anonymous mappings. Pure.

    ``maps`` is ``/proc/self/maps``: the heap counts, the stacks do not (a stack grows down into
    its guard; collapsing it gains nothing).
    """
    spans = []
    for line in maps.splitlines():
        fields = line.split()
        if len(fields) < 5 or fields[1] != "rw-p" or fields[5:] not in ([], ["[heap]"]):
            continue
        low, high = (int(bound, 16) for bound in fields[0].split("-"))
        start = -(-low // HUGE_BYTES) * HUGE_BYTES
        end = high // HUGE_BYTES * HUGE_BYTES
        if end > start:
            spans.append((start, end - start))
    return spans


def collapse() -> None:
    """Collapse this process's anonymous memory into huge pages, where the kernel can."""
    madvise = ctypes.CDLL(None, use_errno=True).madvise
    madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    fd = os.open("/proc/self/maps", os.O_RDONLY)
    try:
        maps = read_to_end(fd).decode("ascii", "replace")
    finally:
        os.close(fd)
    for start, length in collapsible(maps):
        madvise(start, length, MADV_COLLAPSE)  # refused (old kernel, no huge page free): as is
