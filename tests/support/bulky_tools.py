"""A tool module that maps a large table when it is imported, as some packages do (python-stdnum's
MAC-prefix table): what the template holds before a fork must not come out of a call's budget."""

from __future__ import annotations

import ctypes
import os
from pathlib import Path

# Held for as long as the module is imported: the template that imports it keeps it mapped.
TABLE_MB = 96
_TABLE = bytearray(TABLE_MB * 1024 * 1024)
RLIMIT_AS = 9  # Linux's number for it


def headroom_mb() -> int:
    """Megabytes this process may still map under its address-space limit (soft)."""
    libc = ctypes.CDLL(None, use_errno=True)
    limit = (ctypes.c_ulong * 2)()
    libc.getrlimit(RLIMIT_AS, limit)
    pages = int(Path("/proc/self/statm").read_text().split()[0])
    return int((limit[0] - pages * os.sysconf("SC_PAGE_SIZE")) // (1024 * 1024))


# Rows built by ``load_rows``: small objects, as a tool's first call that loads a table builds.
_ROWS: list[dict[str, object]] = []
# About what one row of ``_ROWS`` takes, with its key string and pair list.
ROW_BYTES = 300


def load_rows(megabytes: int) -> int:
    """Build about ``megabytes`` of rows (once); how many there are."""
    if not _ROWS:
        count = megabytes * 1024 * 1024 // ROW_BYTES
        _ROWS.extend({"key": str(i), "pair": [i, i + 1]} for i in range(count))
    return len(_ROWS)


def row(index: int) -> dict[str, object]:
    """The row ``load_rows`` built at ``index``."""
    return _ROWS[index]
