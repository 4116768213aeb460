"""``run --stage sink``: the sink service lives in the runtime (the only place that talks to
Kafka); this name is where the ``run`` command looks for it."""

from apigen_stream.runtime.sink import SinkService, open_service

__all__ = ["SinkService", "open_service"]
