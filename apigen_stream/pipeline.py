"""The whole pipeline in one process over the in-memory bus: ``apigen-stream run`` without Kafka.

The sampler feeds tasks; generate, format, dedup, execute and semantic run as they do over
Kafka; every accepted sample is written durably under ``--out`` (xlam JSON Lines by default)
and fed back to the sampler's seed pool. ``--count N`` asks for N accepted samples: users think
in samples, not tasks. So that a pipeline that rejects everything still ends, at most
``TASK_CAP_FACTOR * N`` tasks are sampled (or ``sampler.count``, when set). Without ``--count``
it runs until Ctrl-C or SIGTERM, which stop it cleanly: what was written stays intact.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, TextIO

import anyio
import anyio.lowlevel

from apigen_stream import topics
from apigen_stream.config import Config
from apigen_stream.export import get_format
from apigen_stream.export.files import DatasetWriter
from apigen_stream.funnel import Funnel
from apigen_stream.library.load import load_registry
from apigen_stream.library.registry import Registry
from apigen_stream.records import DeadLetter, Rejection, Sample
from apigen_stream.runtime.embedded import EmbeddedBus
from apigen_stream.runtime.signals import stop_on_signals
from apigen_stream.stages import STAGE_MODULES, open_in_process
from apigen_stream.stages.sampler import LibraryView, SeedPool, sample_task

# Tasks sampled per sample asked for, at most: far above any sane yield (a task gives several
# candidates), so only a pipeline that rejects nearly everything hits it.
TASK_CAP_FACTOR = 20
# Tasks and candidates in flight at once: enough to keep every stage busy, few enough that a
# stop abandons little work and memory stays flat.
MAX_IN_FLIGHT = 256
# Seconds between progress updates on a terminal, and between plain lines otherwise.
TTY_INTERVAL_S = 0.5
PLAIN_INTERVAL_S = 5.0
DEFAULT_OUT = "out"
DEFAULT_FORMAT = "xlam"


def main(args: argparse.Namespace, config: Config) -> int:
    """Run the embedded pipeline as ``args`` ask; returns the exit code."""
    out = Path(getattr(args, "out", None) or DEFAULT_OUT)
    fmt = getattr(args, "format", None) or DEFAULT_FORMAT
    wanted = max(0, int(getattr(args, "count", 0) or 0))
    registry = load_registry(config.library, {})
    pipeline = Pipeline(config, registry, out=out, fmt=fmt, wanted=wanted)
    anyio.run(pipeline.run)
    print(pipeline.funnel.report(time.monotonic()), file=sys.stderr, flush=True)
    print(f"wrote {pipeline.written} samples to {out}", file=sys.stderr, flush=True)
    return 0


def task_cap(wanted: int, configured: int) -> int:
    """How many tasks to sample at most (0: no end)."""
    if configured:
        return configured
    return wanted * TASK_CAP_FACTOR


class Pipeline:
    """One embedded run: the bus, the stages, the feeder, the writer and the funnel."""

    def __init__(
        self, config: Config, registry: Registry, *, out: Path, fmt: str, wanted: int,
        stream: TextIO | None = None,
    ) -> None:  # fmt: skip
        self.config = config
        self.registry = registry
        self.wanted = wanted
        self.funnel = Funnel(started=time.monotonic())
        self.written = 0
        self._format = get_format(fmt)
        self._writer = DatasetWriter(out, format=fmt)
        self._view = LibraryView.of(
            registry,
            config.sampler.categories,
            weights=config.sampler.category_weights,
            templated_only=not config.llm.online,
        )
        self._pool = SeedPool.from_registry(registry)
        self._cap = task_cap(wanted, config.sampler.count)
        self._bus = EmbeddedBus(concurrency=config.kafka.concurrency)
        self._progress = anyio.Event()
        self._stream = stream if stream is not None else sys.stderr

    def stop(self) -> None:
        """End the run: stop sampling, abandon work in flight (idempotent)."""
        self._bus.close()

    async def run(self) -> None:
        """Run until enough samples are written, the task cap drains, or ``stop()``."""
        bus = self._bus
        watchers: list[tuple[str, Callable[[Any], None]]] = [
            (topics.CANDIDATES, self.funnel.candidate),
            (topics.REJECTED, self._rejected),
            (topics.DLQ, self._dead),
            (topics.ACCEPTED, self._accepted),
        ]
        streams = [(bus.subscribe(topic), handler) for topic, handler in watchers]
        try:
            async with (
                open_in_process(self.config, list(STAGE_MODULES)) as stages,
                anyio.create_task_group() as tg,
            ):
                for stream, handler in streams:
                    tg.start_soon(self._watch, stream, handler)
                tg.start_soon(stop_on_signals, self.stop)
                tg.start_soon(self._feed)
                tg.start_soon(self._show_progress)
                await bus.run(stages, until_idle=False)
                tg.cancel_scope.cancel()
        finally:
            self._writer.close()
            if self._stream.isatty():
                self._stream.write("\n")

    async def _watch(self, stream: AsyncIterator[Any], handler: Callable[[Any], None]) -> None:
        async for record in stream:
            handler(record)
            self._changed()

    def _changed(self) -> None:
        self._progress.set()
        self._progress = anyio.Event()
        if self._done():
            self.stop()

    def _done(self) -> bool:
        if self.wanted and self.written >= self.wanted:
            return True
        return bool(self._cap) and self.funnel.tasks >= self._cap and not self.funnel.in_flight

    def _rejected(self, rejection: Rejection) -> None:
        self.funnel.rejection(rejection)

    def _dead(self, letter: DeadLetter) -> None:
        self.funnel.dead_letter(letter)

    def _accepted(self, sample: Sample) -> None:
        self.funnel.sample(sample)
        if self.wanted and self.written >= self.wanted:
            return  # a sample beyond the count asked for: counted, not written
        self._writer.write([(sample.id, self._format.to_row(sample))])
        self.written += 1
        self._pool.add(sample)

    async def _feed(self) -> None:
        index = 0
        pairs = self.config.llm.pairs_per_request
        while not self._cap or index < self._cap:
            while self.funnel.in_flight >= MAX_IN_FLIGHT:
                await self._progress.wait()
            task = sample_task(index, self.config.sampler, self._view, self._pool.examples(),
                               pairs=pairs, now=time.time())  # fmt: skip
            self.funnel.task(task)
            await self._bus.publish(topics.TASKS, task)
            index += 1
            await anyio.lowlevel.checkpoint()  # let the stages run between tasks
        self._changed()

    async def _show_progress(self) -> None:
        tty = self._stream.isatty()
        interval = TTY_INTERVAL_S if tty else PLAIN_INTERVAL_S
        while True:
            await anyio.sleep(interval)
            line = self.funnel.progress_line(time.monotonic())
            self._stream.write(f"\r\x1b[2K{line}" if tty else f"{line}\n")
            self._stream.flush()
