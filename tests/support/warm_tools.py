"""Tools that show which calls a sandbox worker ran before the one at hand."""

from __future__ import annotations

from apigen_stream.library.registry import api

# Calls of ``runs_here`` in this worker process.
_RUNS: list[int] = []
# Labels of the ``warm`` calls this worker process ran, in order.
_WARMED: list[str] = []


def warm(label: str) -> str:
    """Remember ``label`` in this worker process."""
    _WARMED.append(label)
    return label


def warmed() -> list[str]:
    """Every label ``warm`` remembered in this worker process so far."""
    return list(_WARMED)


@api(
    category="Tools",
    description="How many times this tool ran in the worker process that runs it.",
    params={},
    templates=["How often did you run?"],
    examples=[("How often did you run?", {})],
)
def runs_here() -> int:
    """Counts its own calls per process: the first call in a warmed worker returns 2."""
    _RUNS.append(1)
    return len(_RUNS)
