"""The whole pipeline in one process over the in-memory bus: ``apigen-stream run`` without Kafka.

The sampler is the bus's feed (``engine.embedded.Feed``: asked for tasks after every record
handled, no task of its own); generate, format, dedup, execute and semantic run on the bus
through the same handling as over Kafka (attempts, backoff, record deadline and dead letters
from ``[kafka]``); the writer and the funnel observe what the stages send. Every accepted
sample is written durably under ``--out`` (xlam JSON Lines by default), in groups off the
event loop (``GroupWriter``: one fsync and one manifest per group, a quarter of a second at
most after it was accepted), and fed back to the sampler's seed pool; every rejection and dead
letter is a line of ``--out/rejected.jsonl``. ``--count N`` asks for N accepted samples: users
think in samples, not tasks. So that a pipeline that rejects everything still ends, at most
``TASK_CAP_FACTOR * N`` tasks are sampled (or ``sampler.count``, when set). Without ``--count``
it runs until Ctrl-C or SIGTERM, which stop it cleanly: what was written stays intact, and a
SIGKILL loses at most the group not yet committed, never what the manifest records.

Little is wasted: with ``--count`` the tasks in flight are only as many as the samples still
missing need at the yield observed so far (``tasks_wanted``), and once enough are on their way,
sampling stops and the work in flight is drained — finished and counted — before the run ends
(the bus runs until idle). ``llm.budget_tokens`` and ``llm.budget_cost`` stop sampling the same
way. Ctrl-C or SIGTERM do not drain: they close the bus, which cancels every handler at once
(an LLM request in flight is abandoned mid-wait), the samples already accepted are committed,
and the funnel reports what was in flight as abandoned.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any, TextIO

import anyio

from apigen_stream import topics
from apigen_stream.collector import collecting_rarely
from apigen_stream.config import Config, ServeConfig
from apigen_stream.engine.embedded import EmbeddedBus, Feed
from apigen_stream.engine.handling import Backoff
from apigen_stream.engine.serve import serve_http
from apigen_stream.engine.signals import stop_on_signals
from apigen_stream.export import get_format
from apigen_stream.export.files import COMMIT_INTERVAL_S, DatasetWriter, GroupWriter
from apigen_stream.export.rejected import RejectedLog, dead_letter_row, rejection_row
from apigen_stream.funnel import Funnel
from apigen_stream.library.load import load_registry
from apigen_stream.library.registry import Registry
from apigen_stream.records import DeadLetter, Rejection, Sample, Task
from apigen_stream.run_options import RunOptions
from apigen_stream.sampling import LibraryView, SeedPool, sample_task, usable_example
from apigen_stream.stages import STAGE_MODULES, open_in_process

# Tasks sampled per sample asked for, at most: far above any sane yield (a task gives several
# candidates), so only a pipeline that rejects nearly everything hits it.
TASK_CAP_FACTOR = 20
# Tasks and candidates in flight at once: enough to keep every stage busy, few enough that a
# stop abandons little work and memory stays flat.
MAX_IN_FLIGHT = 256
# Candidates counted as accepted before any is decided, in the yield estimate of tasks_wanted
# (at least; half the count asked for when that is more).
YIELD_PRIOR = 8
# Seconds between progress updates on a terminal, and between plain lines otherwise.
TTY_INTERVAL_S = 0.5
PLAIN_INTERVAL_S = 5.0
DEFAULT_OUT = "out"
DEFAULT_FORMAT = "xlam"


def main(options: RunOptions, config: Config) -> int:
    """Run the embedded pipeline as ``options`` ask; returns the exit code."""
    out = Path(options.out or DEFAULT_OUT)
    fmt = options.format or DEFAULT_FORMAT
    wanted = max(0, options.samples)
    registry = load_registry(config.library, {})
    pipeline = Pipeline(
        config, registry, out=out, fmt=fmt, wanted=wanted, collecting=collecting_rarely
    )
    # /metrics only when asked for: `top` reads a running embedded pipeline from it.
    serve = config.serve if options.metrics_port is not None else None
    anyio.run(_run, pipeline, serve)
    print(pipeline.funnel.report(time.monotonic()), file=sys.stderr, flush=True)
    print(f"wrote {pipeline.written} samples and {pipeline.rejected_lines} rejections to {out}",
          file=sys.stderr, flush=True)  # fmt: skip
    return 0


def tasks_wanted(funnel: Funnel, wanted: int, pairs: int) -> int:
    """Tasks to have in flight for the ``wanted`` samples (0: enough are on their way).

    The yield per answered task, and per candidate still in flight, is what the run observed
    so far, leaning optimistic (``YIELD_PRIOR``; before anything is decided, every candidate
    counts as accepted and every task as ``pairs`` candidates): the candidates decided first
    are mostly the quickly rejected ones, and over-estimating the yield costs a little latency
    at the end, under-estimating it costs tokens.
    """
    missing = wanted - funnel.accepted
    if missing <= 0:
        return 0
    open_candidates = max(0, funnel.open_candidates)
    decided = funnel.candidates - open_candidates
    prior = max(YIELD_PRIOR, wanted // 2)
    per_candidate = (funnel.accepted + prior) / (max(0, decided) + prior)
    per_answer = funnel.candidates / funnel.answered if funnel.answered else max(1, pairs)
    per_task = max(per_candidate * per_answer, 1e-3)
    still_missing = missing - open_candidates * per_candidate
    return max(0, math.ceil(still_missing / per_task))


def over_budget(funnel: Funnel, budget_tokens: int, budget_cost: float) -> bool:
    """Whether the run spent its token or cost budget (0: none)."""
    if budget_tokens and funnel.total_tokens >= budget_tokens:
        return True
    return bool(budget_cost) and funnel.cost >= budget_cost


async def _run(pipeline: Pipeline, serve: ServeConfig | None) -> None:
    if serve is None:
        await pipeline.run()
        return
    async with serve_http(serve, lambda: True) as address:
        print(f"metrics={address}", file=sys.stderr, flush=True)
        await pipeline.run()


def task_cap(wanted: int, configured: int) -> int:
    """How many tasks to sample at most (0: no end)."""
    if configured:
        return configured
    return wanted * TASK_CAP_FACTOR


class Pipeline:
    """One embedded run: the stages on the in-memory bus, fed by the sampler; the writer and
    the funnel observe what the stages send."""

    def __init__(
        self, config: Config, registry: Registry, *, out: Path, fmt: str, wanted: int,
        stream: TextIO | None = None,
        collecting: Callable[[], AbstractContextManager[None]] = nullcontext,
    ) -> None:  # fmt: skip
        """``collecting``: the collector's pace from when the stages are open to the end."""
        self.config = config
        self.registry = registry
        self.wanted = wanted
        self.funnel = Funnel(started=time.monotonic())
        self.written = 0
        self._format = get_format(fmt)
        self._writer = GroupWriter(DatasetWriter(out, format=fmt))
        self._rejected_log = RejectedLog(out)
        self._view = LibraryView.of(
            registry,
            config.sampler.categories,
            weights=config.sampler.category_weights,
            templated_only=not config.llm.online,
        )
        self._pool = SeedPool.from_registry(registry)
        self._names = self._view.names()
        self._cap = task_cap(wanted, config.sampler.count)
        kafka = config.kafka
        # The Kafka runner's handling: its attempts, backoff and record deadline.
        self._bus = EmbeddedBus(
            concurrency=kafka.concurrency, attempts=kafka.handler_attempts,
            backoff=Backoff(kafka.retry_backoff_s, kafka.retry_backoff_max_s),
            deadline_s=kafka.record_deadline_s,
        )  # fmt: skip
        self._sampled = 0
        self._stopped = False
        self._stream = stream if stream is not None else sys.stderr
        self._collecting = collecting

    @property
    def rejected_lines(self) -> int:
        """Lines written to ``rejected.jsonl`` so far."""
        return self._rejected_log.lines

    def observe(self, topic: str, observer: Callable[[Any], None]) -> None:
        """Call ``observer`` with every record the run's stages send to ``topic``."""
        self._bus.observe(topic, observer)

    def stop(self) -> None:
        """End the run: stop sampling, abandon work in flight (idempotent)."""
        self._stopped = True
        self._bus.close()

    async def run(self) -> None:
        """Run until enough samples are written, the task cap drains, or ``stop()``."""
        bus = self._bus
        bus.observe(topics.CANDIDATES, self.funnel.candidate)
        bus.observe(topics.REJECTED, self._rejected)
        bus.observe(topics.DLQ, self._dead)
        bus.observe(topics.ACCEPTED, self._accepted)
        try:
            async with (
                open_in_process(self.config, list(STAGE_MODULES)) as stages,
                anyio.create_task_group() as tg,
            ):
                tg.start_soon(stop_on_signals, self.stop)
                tg.start_soon(self._show_progress)
                tg.start_soon(self._writer.run)
                tg.start_soon(self._flush_rejected)
                if not self._stopped:
                    with self._collecting():
                        feed = Feed(topics.TASKS, self._next)
                        await bus.run(stages, until_idle=True, feed=feed)
                tg.cancel_scope.cancel()
        finally:
            self._writer.close()
            self._rejected_log.close()
            if self._stream.isatty():
                self._stream.write("\n")

    def _next(self) -> Task | None:
        """The next task to start now, or None (enough in flight, or sampling is over)."""
        if self._stopped or self._sampling_ends() or not self._may_sample():
            return None
        if self._cap and self._sampled >= self._cap:
            return None
        task = sample_task(self._sampled, self.config.sampler, self._view, self._pool,
                           pairs=self.config.llm.pairs_per_request, now=time.time())  # fmt: skip
        self._sampled += 1
        self.funnel.task(task)
        return task

    def _may_sample(self) -> bool:
        """Whether another task may start now (asked again after every record handled)."""
        if self.funnel.in_flight >= MAX_IN_FLIGHT:
            return False
        if not self.wanted:
            return True
        pairs = self.config.llm.pairs_per_request
        return len(self.funnel.open_tasks) < tasks_wanted(self.funnel, self.wanted, pairs)

    def _sampling_ends(self) -> bool:
        llm = self.config.llm
        if over_budget(self.funnel, llm.budget_tokens, llm.budget_cost):
            return True
        return bool(self.wanted) and self.funnel.accepted >= self.wanted

    def _rejected(self, rejection: Rejection) -> None:
        self.funnel.rejection(rejection)
        self._rejected_log.write(rejection_row(rejection))

    def _dead(self, letter: DeadLetter) -> None:
        self.funnel.dead_letter(letter)
        self._rejected_log.write(dead_letter_row(letter))

    def _accepted(self, sample: Sample) -> None:
        if self.wanted and self.written >= self.wanted:
            self.funnel.sample(sample, written=False)  # beyond the count asked for
            return
        self._writer.add(sample.id, self._format.to_row(sample))
        self.written += 1
        self.funnel.sample(sample)
        if usable_example(sample, self._names):
            self._pool.add(sample)

    async def _flush_rejected(self) -> None:
        while True:
            await anyio.sleep(COMMIT_INTERVAL_S)
            self._rejected_log.flush()

    async def _show_progress(self) -> None:
        tty = self._stream.isatty()
        interval = TTY_INTERVAL_S if tty else PLAIN_INTERVAL_S
        while True:
            await anyio.sleep(interval)
            line = self.funnel.progress_line(time.monotonic())
            self._stream.write(f"\r\x1b[2K{line}" if tty else f"{line}\n")
            self._stream.flush()
