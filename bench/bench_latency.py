"""End-to-end latency of the whole pipeline over Kafka at half its maximum rate, LLM time excluded.

Every stage runs as its own service process, offline (offline generator, rule judge: no LLM
time by construction), on one broker. After a warm-up, phase 1 finds the maximum rate: the
sampler writes a fixed number of tasks at once, and the rate is tasks over the span from the
first task on ``apigen.tasks`` to the last accepted sample (after the sampler's start-up).
Phase 2 runs the sampler at half that task rate with another seed (task ids ``t{seed}-{index}``,
so phases do not mix), and phase 3 at a quarter of it, to show where the latency bends; each
measures, for each accepted sample, the time from its task's creation
to its arrival on ``apigen.accepted`` (read_committed: when a downstream consumer sees it).
Target: p99 < 1 s.

The same read_committed tail also watches every topic in between, so each accepted sample's
latency splits into hops: sampler (creation to visible on ``apigen.tasks``), then each stage
(visible on its input topic to visible on its output topic: fetch, handling, transaction).
Before phase 1, the execute stage is restarted twice and fed at once at a fixed modest rate:
first with its sandbox warm-up off, then on (the default). Side by side, the two show what a
freshly started execute stage costs while its workers load the data some tools load in their
first call.

Uses ``APIGEN_BENCH_BOOTSTRAP`` if set, else starts a ``LocalKafka``.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import anyio
import msgspec
from aiokafka import AIOKafkaConsumer, TopicPartition

from apigen_stream import topics
from apigen_stream.broker.admin import apply_topics
from apigen_stream.broker.local import LocalKafka, default_cache_dir
from apigen_stream.topics import topic_specs
from bench.pipeline_procs import STAGES, PipelineProcs, stop_all

# The topics a sample passes through, in order; hop k is the work of HOP_NAMES[k].
HOPS = (
    topics.TASKS, topics.CANDIDATES, topics.FORMATTED, topics.UNIQUE, topics.EXECUTED,
    topics.ACCEPTED,
)  # fmt: skip
HOP_NAMES = ("sampler", *STAGES)
# Warm-up: every stage joins its group and opens its producers before anything counts.
WARM_TASKS = 50
# Phase 1: ~10 s of work at full speed on 2 cores, so that filling the pipeline at the start
# (under a second) is a small part of the span the rate is measured over.
MAX_RATE_TASKS = 1500
# Phase 2: seconds of steady load at half rate (enough samples for a meaningful p99).
STEADY_S = 20.0
# Seconds without a new accepted sample that end a phase (a stage's poll is 0.2 s, retries
# back off 0.2 s upwards: 5 s of silence means the phase is over).
QUIET_S = 5.0
# Seconds a phase may take before the bench gives up and shows the stage logs.
PHASE_LIMIT_S = 120.0
# Cold start: tasks/s and tasks fed to a just-restarted execute stage (well under half rate).
COLD_RATE = 30.0
COLD_TASKS = 300
# Seeds of the phases: task ids (and so sample ids) start with t{seed}-.
WARM_SEED, MAX_SEED, HALF_SEED, QUARTER_SEED = 9000, 9001, 9002, 9005
COLD_SEEDS = {False: 9003, True: 9004}


class _Stamp(msgspec.Struct):
    """What the tail reads of any record: its id and creation time (``Executed`` nests both)."""

    id: str = ""
    created_at: float = 0.0
    candidate: _Stamp | None = None


_STAMP = msgspec.json.Decoder(_Stamp)


@dataclass
class Seen:
    """One phase as the tail saw it: arrival time per topic and id; creation per accepted id."""

    arrivals: dict[str, dict[str, float]] = field(default_factory=lambda: {t: {} for t in HOPS})
    created: dict[str, float] = field(default_factory=dict)

    def add(self, topic: str, value: bytes | None, prefix: str, now: float) -> bool:
        """Note one record; True if it is an accepted sample of this phase."""
        stamp = _STAMP.decode(value or b"{}")
        stamp = stamp.candidate or stamp
        if not stamp.id.startswith(prefix):
            return False
        self.arrivals[topic].setdefault(stamp.id, now)
        if topic != topics.ACCEPTED:
            return False
        self.created[stamp.id] = stamp.created_at
        return True

    def latencies(self) -> list[float]:
        """Seconds from task creation to arrival on ``apigen.accepted``, per accepted sample."""
        accepted = self.arrivals[topics.ACCEPTED]
        return [accepted[sid] - created for sid, created in self.created.items()]


class Tail:
    """A read_committed consumer of every hop topic, positioned at the end before each phase."""

    def __init__(self, bootstrap: str) -> None:
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap, isolation_level="read_committed",
            enable_auto_commit=False,
        )  # fmt: skip
        specs = {spec.name: spec for spec in topic_specs().values()}
        self._partitions = [TopicPartition(t, p) for t in HOPS for p in range(specs[t].partitions)]

    async def start(self) -> None:
        """Connect and take every partition of the hop topics."""
        await self._consumer.start()
        self._consumer.assign(self._partitions)

    async def stop(self) -> None:
        """Disconnect."""
        await self._consumer.stop()

    async def to_end(self) -> None:
        """Skip everything already written: only what the next phase writes is seen."""
        await self._consumer.seek_to_end(*self._partitions)
        for tp in self._partitions:
            await self._consumer.position(tp)

    async def collect(self, prefix: str) -> Seen:
        """Read until no accepted sample of ``prefix`` arrived for ``QUIET_S`` seconds."""
        seen = Seen()
        started = last = time.time()
        while not seen.created or time.time() - last < QUIET_S:
            batch = await self._consumer.getmany(timeout_ms=100)
            now = time.time()
            for tp, records in batch.items():
                for record in records:
                    if seen.add(tp.topic, record.value, prefix, now):
                        last = now
            if now - started > PHASE_LIMIT_S:
                raise RuntimeError(f"no end to the phase of {prefix} within {PHASE_LIMIT_S:g} s")
        return seen


@dataclass(frozen=True)
class MaxRate:
    """Phase 1's rates: accepted samples/s and tasks/s of a saturated pipeline."""

    samples_per_s: float
    tasks_per_s: float
    span_s: float


def max_rate(seen: Seen, tasks: int) -> MaxRate:
    """Rates over the span from the first task visible on apigen.tasks to the last sample.

    The sampler writes every task at once, so the stages are saturated over the whole span. The
    span includes one fill of the pipeline (the first sample's latency) besides the work, so
    the rate slightly understates the capacity; the steadier alternative, counting between
    arrivals on apigen.accepted, is wrong here: each stage commits whole batches, and a
    saturated pipeline delivers in a few large lumps.
    """
    first = min(seen.arrivals[topics.TASKS].values())
    span = max(seen.arrivals[topics.ACCEPTED].values()) - first
    if span <= 0:
        raise RuntimeError("phase 1 ended before it began: no span to measure a rate over")
    return MaxRate(len(seen.created) / span, tasks / span, span)


def hop_delays(seen: Seen) -> dict[str, list[float]]:
    """Per hop, the seconds each accepted sample spent in it (samples seen at every hop)."""
    delays: dict[str, list[float]] = {name: [] for name in HOP_NAMES}
    for sid, created in seen.created.items():
        task_id = sid.rsplit(".", 1)[0]
        found = [seen.arrivals[topics.TASKS].get(task_id)]
        found += [seen.arrivals[t].get(sid) for t in HOPS[1:]]
        times = [t for t in found if t is not None]
        if len(times) != len(found):
            continue
        previous = created
        for name, at in zip(HOP_NAMES, times, strict=True):
            delays[name].append(at - previous)
            previous = at
    return delays


def percentile(values: list[float], p: float) -> float:
    """The ``p`` quantile (0..1) of ``values``, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:6.0f} ms"


def report(label: str, latencies: list[float]) -> float:
    """Print the latency percentiles of a phase; return its p99 in seconds."""
    print(f"latency {label}: p50 {_ms(percentile(latencies, 0.5))}, "
          f"p95 {_ms(percentile(latencies, 0.95))}, p99 {_ms(percentile(latencies, 0.99))}, "
          f"max {_ms(max(latencies))} over {len(latencies)} samples")  # fmt: skip
    return percentile(latencies, 0.99)


def report_hops(seen: Seen) -> None:
    """Print each hop's p50/p99, and its mean share in the slowest 1% of samples."""
    delays = hop_delays(seen)
    totals = [sum(parts) for parts in zip(*delays.values(), strict=True)]
    if not totals:
        return
    cut = percentile(totals, 0.99)
    slow = [i for i, total in enumerate(totals) if total >= cut]
    print(f"  per hop ({len(totals)} samples seen at every hop; slowest 1%: {len(slow)}):")
    for name, values in delays.items():
        share = sum(values[i] for i in slow) / len(slow)
        print(f"    {name:9} p50 {_ms(percentile(values, 0.5))}  "
              f"p99 {_ms(percentile(values, 0.99))}  in slowest 1%: {_ms(share)}")  # fmt: skip


async def run_phase(tail: Tail, procs: PipelineProcs, seed: int, count: int, rate: float) -> Seen:
    """Start a sampler of ``seed`` once the tail is at the end; tail until the phase is quiet."""
    await tail.to_end()
    sampler = procs.start_sampler(seed, count, rate)
    try:
        return await tail.collect(f"t{seed}-")
    except RuntimeError:
        for name in ("generate", "semantic", f"sampler-{seed}"):
            print(f"--- {name}.log\n{procs.log_tail(name)}")
        raise
    finally:
        stop_all([sampler])


async def cold_starts(tail: Tail, procs: PipelineProcs) -> None:
    """Restart the execute stage with its warm-up off, then on; feed each one at once."""
    p99: dict[bool, float] = {}
    for warm_up in (False, True):
        await procs.restart("execute", {"APIGEN__SANDBOX__WARM_UP": str(warm_up).lower()})
        seen = await run_phase(tail, procs, COLD_SEEDS[warm_up], COLD_TASKS, COLD_RATE)
        label = f"cold execute stage, warm-up {'on' if warm_up else 'off'}"
        p99[warm_up] = report(f"{label} ({COLD_RATE:g} tasks/s)", seen.latencies())
    print(f"cold start p99, warm-up on / off: {p99[True] / p99[False]:.2f}")


async def measure(bootstrap: str, logs: Path) -> None:
    """Warm up, find the maximum rate, run at half of it; print the figures."""
    await apply_topics(bootstrap, topic_specs())
    tail = Tail(bootstrap)
    await tail.start()
    with PipelineProcs(bootstrap, logs) as procs:
        try:
            procs.start_stages()
            await run_phase(tail, procs, WARM_SEED, WARM_TASKS, 0.0)
            await cold_starts(tail, procs)
            seen = await run_phase(tail, procs, MAX_SEED, MAX_RATE_TASKS, 0.0)
            top = max_rate(seen, MAX_RATE_TASKS)
            print(f"max rate: {top.tasks_per_s:.1f} tasks/s, {top.samples_per_s:.1f} accepted "
                  f"samples/s ({MAX_RATE_TASKS} tasks, {len(seen.created)} accepted "
                  f"in {top.span_s:.1f} s)")  # fmt: skip
            report("at max rate", seen.latencies())
            half = top.tasks_per_s / 2
            count = round(half * STEADY_S)
            seen = await run_phase(tail, procs, HALF_SEED, count, half)
            print(f"half rate: {half:.1f} tasks/s, {count} tasks, {len(seen.created)} accepted")
            p99 = report("at half rate", seen.latencies())
            report_hops(seen)
            quarter = top.tasks_per_s / 4
            seen = await run_phase(tail, procs, QUARTER_SEED, round(quarter * STEADY_S), quarter)
            report(f"at a quarter of the maximum rate ({quarter:.1f} tasks/s)", seen.latencies())
            print(f"p99 < 1 s at half the maximum rate: {'yes' if p99 < 1.0 else 'no'}")
        finally:
            await tail.stop()


def main() -> None:
    """Start a broker (or use the given one), run both phases, stop everything."""
    given = os.environ.get("APIGEN_BENCH_BOOTSTRAP")
    with tempfile.TemporaryDirectory(prefix="apigen-bench-") as tmp:
        logs = Path(tmp) / "logs"
        logs.mkdir()
        if given:
            anyio.run(measure, given, logs)
            return
        broker = LocalKafka(Path(tmp) / "kafka", cache_dir=default_cache_dir(os.environ))
        bootstrap = broker.start()
        try:
            anyio.run(measure, bootstrap, logs)
        finally:
            broker.stop()


if __name__ == "__main__":
    main()
