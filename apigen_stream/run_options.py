"""What ``apigen-stream run`` was asked for, typed: built from the command line in ``commands/``.

Below the command line nothing reads ``argparse``: the embedded pipeline, the sampler and the
sink take a ``RunOptions``. Each count says what it counts (``--count`` was one flag for four
things, and stays as an alias meaning the count of whatever the run makes):

- ``samples``: accepted samples, for the embedded run;
- ``tasks``: tasks produced, for the sampler service;
- ``records``: input records handled, for a stage service or the sink.
"""

from __future__ import annotations

import msgspec


class RunOptions(msgspec.Struct, frozen=True, kw_only=True):
    """The options of one ``run``; 0 or None means "not given"."""

    out: str | None = None
    format: str | None = None
    max_bytes: int | None = None
    max_samples: int | None = None
    samples: int = 0
    tasks: int = 0
    records: int = 0
    idle_timeout_s: float = 0.0
    rate: float | None = None
    replica_id: str = ""
    metrics_port: int | None = None
