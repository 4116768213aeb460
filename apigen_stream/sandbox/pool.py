"""The sandbox pool: pre-started worker processes that run tool calls under per-call limits.

``async with SandboxPool(config.sandbox) as pool: outcomes = await pool.run_many(calls)``.

Workers are fresh interpreters (``python -m apigen_stream.sandbox.worker``, as the ``spawn``
start method would make them), never forks of this asyncio process. Calls go to a worker in
batches, one message for many calls, and its results come back one by one as each call ends,
so the pool knows which call every worker is on and since when:

- a call past its wall-time limit gets ``timeout``; its worker is killed and replaced, and the
  calls queued behind it on that worker go back to the queue;
- a call running longer than ``STEAL_AFTER_S`` (``STEAL_AFTER_FORK_S`` when batches run in
  forks) has the calls queued behind it moved to other workers at once (never behind another
  slow call), so a hang holds up no one else. The worker they left is told to skip them
  (``Withdraw``) and answers ``withdrawn`` when it gets there; a call resolves once, by its
  first real result from whichever worker, or by its timeout;
- a worker that dies (segfault, out-of-memory kill, ``os._exit``) costs the call it was on.

A pool may be given warm-up calls: every worker, the first ones and their replacements, runs
them before it takes work, their outcomes ignored. Tools that load data inside their first call
(unit registries, dictionaries, phone tables) then do it before the worker counts as started,
not while a batch waits on them. A warm-up that goes wrong (a call past the wall-time limit, a
crash) costs that worker, which is replaced by one that starts cold; the pool warns once and
warms no more workers.

Isolation follows a tool's origin. With ``isolation = "batch"`` the calls of reviewed tools (the
package's own built-in library, and the ``reviewed`` targets the pool is given: the shipped
harvested library) share one fork per batch; every other call (a user's tool) runs alone in a
fresh fork when ``user_isolation`` is "call", so that nothing it does reaches another call.
Calls that share forks are spread over the workers only ``FORK_SHARE`` or more to each: a fork
costs more CPU than a few cheap calls, and a candidate's calls would otherwise take one fork on
every worker.
"""

from __future__ import annotations

import itertools
import logging
import math
import subprocess
import sys
import time
from collections import deque
from collections.abc import Collection, Mapping, Sequence
from contextlib import AsyncExitStack, suppress
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import anyio
import anyio.abc
import anyio.lowlevel
import msgspec
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

from apigen_stream import metrics
from apigen_stream.config import SandboxConfig
from apigen_stream.errors import SandboxError
from apigen_stream.records import Outcome
from apigen_stream.sandbox import limits, protocol, startup

log = logging.getLogger(__name__)

CallSpec = protocol.CallSpec

# Calls per message to a worker: enough to amortise a pipe round trip over cheap calls, few
# enough that moving the rest of a batch elsewhere after a slow call is cheap.
BATCH_SIZE = 64
# With ``isolation = "batch"`` a batch is also one fork: larger batches amortise the fork.
FORK_BATCH_SIZE = 4096
# With ``isolation = "batch"``, calls that share forks are spread one worker per this many: a
# fork costs a few milliseconds of CPU, far more than a cheap call, and a candidate's few calls
# spread over two workers would cost two. A slow one among them still has the calls behind it
# moved to an idle worker after ``STEAL_AFTER_FORK_S``.
FORK_SHARE = 16
# A call slower than this has the calls queued behind it on its worker moved to other workers.
STEAL_AFTER_S = 0.05
# The same with forks: a batch's first result also waits for its fork and its tools' imports,
# 10-40 ms for a template holding the harvested packages on a loaded machine. At 50 ms most
# batches would have their calls moved, and the copies left behind double the work.
STEAL_AFTER_FORK_S = 0.25
# A call withdrawn this often from the worker meant to run it is not moved again.
MAX_WITHDRAWALS = 3
# How often deadlines are checked: the precision of the wall-time limit.
TICK_S = 0.01
# Tools of this package (the built-in library) are reviewed code.
REVIEWED_PACKAGE = "apigen_stream."


def runs_alone(target: str, reviewed: frozenset[str], config: SandboxConfig) -> bool:
    """Whether a call needs a fork of its own in a batch: a user's tool, unless configured not to.

    Only "batch" isolation shares forks: "call" forks every call anyway, "process" never forks.
    """
    if config.isolation != "batch" or config.user_isolation != "call":
        return False
    return target not in reviewed and not target.startswith(REVIEWED_PACKAGE)


@dataclass(eq=False)
class _Waiter:
    remaining: int
    done: anyio.Event = field(default_factory=anyio.Event)


@dataclass(eq=False, slots=True)
class _Job:
    seq: int
    name: str
    waiter: _Waiter
    wire: msgspec.Raw = field(default_factory=lambda: protocol.NULL)
    # It runs in a fork of its own (a user's tool): spreading such calls costs no extra fork.
    alone: bool = False
    owner: _Worker | None = None
    outcome: Outcome | None = None
    # Workers with an unanswered copy of this call: never more than one copy on each.
    holders: list[_Worker] = field(default_factory=list)
    # Times a worker answered it ``withdrawn`` while the pool expected it to run there.
    withdrawals: int = 0

    def resolve(self, outcome: Outcome) -> None:
        if self.outcome is None:
            self.outcome = outcome
            self.waiter.remaining -= 1
            if self.waiter.remaining == 0:
                self.waiter.done.set()


@dataclass(eq=False)
class _Worker:
    process: anyio.abc.Process
    outbox: MemoryObjectSendStream[bytes]
    inbox: MemoryObjectReceiveStream[bytes]
    ready: protocol.Ready | None = None
    buffer: bytearray = field(default_factory=bytearray)
    # Calls sent and not yet answered, in the order the worker runs them; the first is running.
    outstanding: deque[_Job] = field(default_factory=deque)
    head_since: float = 0.0
    killed_seq: int | None = None
    retiring: bool = False
    # Calls this worker was told to skip (moved elsewhere): their ``withdrawn`` answer is due.
    withdrawn: set[int] = field(default_factory=set)

    def drop(self, job: _Job) -> None:
        """This worker no longer holds ``job``."""
        if self in job.holders:
            job.holders.remove(self)

    @property
    def accepting(self) -> bool:
        return self.ready is not None and self.killed_seq is None and not self.retiring


class SandboxPool:
    """Runs ``module:function`` tools in sandboxed worker processes; see the module docstring."""

    def __init__(
        self,
        config: SandboxConfig,
        *,
        batch_size: int | None = None,
        warm_up: Sequence[CallSpec] = (),
        reviewed: Collection[str] = (),
    ) -> None:
        self._config = config
        self._reviewed = frozenset(reviewed)
        default = BATCH_SIZE if config.isolation == "process" else FORK_BATCH_SIZE
        self._batch = batch_size or default
        self._warm_up = startup.warm_up_batch(warm_up)
        steal_after = STEAL_AFTER_S if config.isolation == "process" else STEAL_AFTER_FORK_S
        self._steal_after = min(steal_after, config.timeout_s)
        self._workers: list[_Worker] = []
        self._queue: deque[_Job] = deque()
        self._seq = itertools.count()
        self._stack = AsyncExitStack()
        self._tg: anyio.abc.TaskGroup | None = None
        self._closing = False
        self._broken: SandboxError | None = None
        self._env = startup.worker_env()

    async def __aenter__(self) -> SandboxPool:
        self._tg = await self._stack.enter_async_context(anyio.create_task_group())
        self._stack.push_async_callback(self._shutdown)
        try:
            for _ in range(max(1, self._config.workers)):
                await self._start_worker()
        except BaseException:
            await self._stack.aclose()
            raise
        self._tg.start_soon(self._watch)
        layers = self.layers
        level = (
            logging.INFO if all(v.startswith("on") for v in layers.values()) else logging.WARNING
        )
        log.log(level, "sandbox layers: %s", "; ".join(f"{k}={v}" for k, v in layers.items()))
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._stack.__aexit__(et, e, tb)

    @property
    def worker_pids(self) -> list[int]:
        """The process ids of the workers running now (what a benchmark counts CPU time of)."""
        return [w.process.pid for w in self._workers]

    @property
    def network_isolated(self) -> bool:
        """Whether every worker runs without network (its own empty network namespace)."""
        return all(w.ready is not None and w.ready.network_isolated for w in self._workers)

    @property
    def layers(self) -> dict[str, str]:
        """What each layer of the sandbox enforces on this OS: "on", "partly: ..." or "off: why"."""
        ready = [w.ready for w in self._workers if w.ready is not None]
        layers = dict(ready[0].layers) if ready else {}
        return {"isolation": f"on: {self._config.isolation}", **layers}

    @property
    def limits(self) -> list[str]:
        """The limits the workers applied to themselves (``memory``, ``cpu``, ``network``...)."""
        ready = [w.ready for w in self._workers if w.ready is not None]
        return list(ready[0].limits) if ready else []

    async def run(self, target: str, name: str, arguments: Mapping[str, Any]) -> Outcome:
        """Run one call: ``target`` (``module:function``) with ``arguments`` by keyword."""
        (outcome,) = await self.run_many([(target, name, arguments)])
        return outcome

    async def run_many(self, calls: Sequence[CallSpec]) -> list[Outcome]:
        """Run calls concurrently over the workers; outcomes come back in input order."""
        if self._broken is not None:
            raise self._broken
        waiter = _Waiter(remaining=len(calls))
        jobs = [self._submit(waiter, *spec) for spec in calls]
        if waiter.remaining == 0:
            waiter.done.set()
        try:
            # Callers woken together (the Kafka runner's partition workers, fed by one fetch)
            # submit in this turn of the event loop: the first to go on sends all their calls at
            # once, and calls that share forks then share one, not one for each caller.
            await anyio.lowlevel.checkpoint()
            self._dispatch()
            await waiter.done.wait()
        finally:
            for job in jobs:  # cancelled: drop what has not run yet
                if job.outcome is None:
                    job.outcome = _ABANDONED
        return [job.outcome or _ABANDONED for job in jobs]

    def _submit(
        self, waiter: _Waiter, target: str, name: str, arguments: Mapping[str, Any]
    ) -> _Job:
        job = _Job(seq=next(self._seq), name=name, waiter=waiter)
        try:
            alone = runs_alone(target, self._reviewed, self._config)
            job.wire = protocol.encode_call(job.seq, target, arguments, alone=alone)
            job.alone = alone
        except (TypeError, ValueError, msgspec.EncodeError) as exc:
            detail = f"arguments are not JSON: {exc}"
            job.resolve(Outcome(name=name, ok=False, reason="invalid_arguments", detail=detail))
        else:
            self._queue.append(job)
        return job

    # -- dispatch -------------------------------------------------------------------------

    def _dispatch(self) -> None:
        if not self._queue:
            return
        # Not to a worker stuck on a slow call: what was moved off it would land behind it again.
        slow_since = time.monotonic() - self._steal_after
        ready = [w for w in self._workers if w.accepting and len(w.outstanding) <= self._batch
                 and not (w.outstanding and w.head_since < slow_since)]  # fmt: skip
        if not ready:
            return
        ready = self._spread(ready)
        share = math.ceil(len(self._queue) / len(ready))
        for worker in ready:
            room = min(share, 2 * self._batch - len(worker.outstanding))
            jobs: list[_Job] = []
            skipped: list[_Job] = []
            while self._queue and len(jobs) < room:
                job = self._queue.popleft()
                if job.outcome is not None:
                    continue
                # Its copy there is withdrawn and unanswered: one copy per worker at a time.
                (skipped if job.seq in worker.withdrawn else jobs).append(job)
            self._queue.extendleft(reversed(skipped))
            if jobs:
                self._send(worker, jobs)

    def _spread(self, ready: list[_Worker]) -> list[_Worker]:
        """The workers the queue goes to: all of them, or with shared forks one per
        ``FORK_SHARE`` calls, the least busy first."""
        wanted = max(1, len(self._queue) // FORK_SHARE)
        # Enough calls for every worker: checked first, so that a long queue is not scanned on
        # every dispatch.
        if wanted >= len(ready) or self._config.isolation != "batch":
            return ready
        if any(job.alone for job in self._queue):  # each forks anyway
            return ready
        return sorted(ready, key=lambda w: len(w.outstanding))[:wanted]

    def _send(self, worker: _Worker, jobs: list[_Job]) -> None:
        fresh: list[_Job] = []
        for job in jobs:
            job.owner = worker
            if worker not in job.holders:  # else its copy there is still to run: no second one
                job.holders.append(worker)
                fresh.append(job)
        if not fresh:
            return
        if not worker.outstanding:
            worker.head_since = time.monotonic()
        worker.outstanding.extend(fresh)
        batch = protocol.OutgoingBatch(calls=[job.wire for job in fresh])
        worker.outbox.send_nowait(protocol.frame(batch))

    def _can_take(self, slow: _Worker, slow_since: float) -> bool:
        """Whether another worker could take calls now (else moving them gains nothing).

        As ``_dispatch`` decides: one with room for more. A worker whose results come late only
        because the machine is loaded would otherwise lose its queue to one as busy as itself.
        """
        return any(w is not slow and w.accepting and len(w.outstanding) <= self._batch
                   and not (w.outstanding and w.head_since < slow_since)
                   for w in self._workers)  # fmt: skip

    def _withdrawn(self, worker: _Worker, job: _Job) -> None:
        """A worker skipped a call: fine if it was moved; if it was still to run there, move it.

        A ``withdrawn`` answer never resolves a call, so none can be lost to one; a call
        answered so more than ``MAX_WITHDRAWALS`` times ends as an exception.
        """
        asked = job.seq in worker.withdrawn
        worker.withdrawn.discard(job.seq)
        if job.outcome is not None or job.owner is not worker:
            return
        job.withdrawals += 1
        if asked and job.withdrawals <= MAX_WITHDRAWALS:
            self._requeue([job], worker)
            return
        detail = "the worker skipped the call without being asked to"
        job.resolve(Outcome(name=job.name, ok=False, reason="exception", detail=detail))

    def _steal(self, worker: _Worker) -> None:
        """Move the calls queued behind a slow call elsewhere, and tell the worker so."""
        queued = [
            j for j in list(worker.outstanding)[1:] if j.owner is worker and j.outcome is None
        ]
        self._requeue(queued, worker)
        worker.withdrawn.update(job.seq for job in queued)
        if queued:
            withdraw = protocol.Withdraw(seqs=[job.seq for job in queued])
            worker.outbox.send_nowait(protocol.frame(withdraw))
        self._dispatch()

    def _requeue(self, jobs: Sequence[_Job], worker: _Worker) -> None:
        # Back to the front, in order: these calls were waiting longest.
        moved = [j for j in jobs if j.owner is worker and j.outcome is None]
        for job in moved:
            job.owner = None
        self._queue.extendleft(reversed(moved))

    # -- workers ----------------------------------------------------------------------------

    async def _start_worker(self) -> None:
        settings = msgspec.json.encode(self._config).decode()
        command = [sys.executable, "-m", "apigen_stream.sandbox.worker", settings]
        process = await anyio.open_process(
            command, stderr=subprocess.DEVNULL, env=self._env, start_new_session=True
        )
        send, receive = anyio.create_memory_object_stream[bytes](math.inf)
        worker = _Worker(process=process, outbox=send, inbox=receive)
        try:
            worker.ready = await startup.await_ready(worker)
            if self._warm_up is not None:
                await startup.warm(worker, *self._warm_up, self._config.timeout_s)
        except startup.WarmUpFailed as exc:
            log.warning("sandbox warm-up failed, workers start cold from now on: %s", exc)
            self._warm_up = None
            await _kill_and_reap(worker)
            await self._start_worker()
            return
        except BaseException:
            await _kill_and_reap(worker)
            raise
        assert self._tg is not None
        self._workers.append(worker)
        self._tg.start_soon(self._write, worker)
        self._tg.start_soon(self._read, worker)

    async def _write(self, worker: _Worker) -> None:
        stdin = worker.process.stdin
        assert stdin is not None
        try:
            async for payload in worker.inbox:
                await stdin.send(payload)
        except (anyio.BrokenResourceError, anyio.ClosedResourceError, OSError):
            return  # the worker is gone; its reader handles that

    async def _read(self, worker: _Worker) -> None:
        stdout = worker.process.stdout
        assert stdout is not None
        try:
            async for chunk in stdout:
                worker.buffer.extend(chunk)
                for body in protocol.split_frames(worker.buffer):
                    self._on_message(worker, protocol.from_worker_decoder.decode(body))
        except (anyio.BrokenResourceError, anyio.ClosedResourceError, msgspec.DecodeError):
            pass
        await self._on_exit(worker)

    def _on_message(self, worker: _Worker, message: protocol.FromWorker) -> None:
        if isinstance(message, protocol.CallResult):
            if not worker.outstanding or worker.outstanding[0].seq != message.seq:
                self._kill(worker)  # out of step: trust nothing more from it
                return
            job = worker.outstanding.popleft()
            worker.drop(job)
            worker.head_since = time.monotonic()
            if message.reason == protocol.WITHDRAWN:
                self._withdrawn(worker, job)
            else:
                worker.withdrawn.discard(job.seq)  # it ran before the withdrawal reached it
                if job.outcome is None:  # the first result resolves it, from whichever worker
                    job.resolve(protocol.outcome(job.name, message))
            self._dispatch()
        elif isinstance(message, protocol.Retire):
            worker.retiring = True

    def _kill(self, worker: _Worker, seq: int = -1) -> None:
        if worker.killed_seq is None:
            worker.killed_seq = seq
        with suppress(ProcessLookupError):
            worker.process.kill()

    async def _on_exit(self, worker: _Worker) -> None:
        if self._closing:
            return
        self._workers.remove(worker)
        worker.outbox.close()
        worker.inbox.close()
        returncode = await worker.process.wait()
        cause = self._blame(worker, returncode)
        for job in worker.outstanding:
            worker.drop(job)
        self._requeue(list(worker.outstanding), worker)
        if cause:
            metrics.SANDBOX_WORKERS_REPLACED.labels(cause=cause).inc()
        try:
            await self._start_worker()
        except (SandboxError, OSError) as exc:
            self._fail_if_no_workers(exc)
        self._dispatch()

    def _blame(self, worker: _Worker, returncode: int) -> str:
        """Give the call the worker died on its outcome; return the replacement's cause."""
        if worker.retiring or not worker.outstanding:
            return ""
        head = worker.outstanding[0]
        if worker.killed_seq not in (None, head.seq):
            return ""  # killed for a call that finished meanwhile: requeue, blame no one
        cause, reason, detail = limits.exit_cause(worker.killed_seq, returncode, self._config)
        elapsed = (time.monotonic() - worker.head_since) * 1000.0
        # Whichever worker owns it now: a call moved off this worker was still in the batch it ran,
        # and left unresolved it would hop from worker to worker, hanging each in turn.
        if head.outcome is None:
            head.resolve(Outcome(name=head.name, ok=False, reason=reason, detail=detail,
                                 elapsed_ms=elapsed))  # fmt: skip
        worker.drop(worker.outstanding.popleft())
        return cause

    def _fail_if_no_workers(self, exc: BaseException) -> None:
        if self._workers:
            return
        self._broken = SandboxError(f"no sandbox worker could be started: {exc}")
        while self._queue:
            job = self._queue.popleft()
            job.resolve(Outcome(name=job.name, ok=False, reason="exception", detail=str(exc)))

    async def _watch(self) -> None:
        timeout, steal_after = self._config.timeout_s, self._steal_after
        while True:
            await anyio.sleep(TICK_S)
            now = time.monotonic()
            for worker in list(self._workers):
                if not worker.outstanding or worker.killed_seq is not None:
                    continue
                running = now - worker.head_since
                if running > timeout:
                    self._kill(worker, worker.outstanding[0].seq)
                elif (running > steal_after and len(worker.outstanding) > 1
                      and self._can_take(worker, now - steal_after)):  # fmt: skip
                    self._steal(worker)

    async def _shutdown(self) -> None:
        self._closing = True
        for job in self._queue:
            job.resolve(_ABANDONED)
        with anyio.CancelScope(shield=True):
            for worker in self._workers:
                await _kill_and_reap(worker)
        if self._tg is not None:
            self._tg.cancel_scope.cancel()


_ABANDONED = Outcome(name="", ok=False, reason="exception", detail="the sandbox pool closed")


async def _kill_and_reap(worker: _Worker) -> None:
    worker.outbox.close()
    worker.inbox.close()
    with suppress(ProcessLookupError):
        worker.process.kill()
    await worker.process.aclose()
