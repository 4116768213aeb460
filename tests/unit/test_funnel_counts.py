"""The funnel's figures add up: accepted is what was written; abandoned work is its own line."""

from __future__ import annotations

from apigen_stream.funnel import Funnel
from apigen_stream.records import Candidate, Rejection, Sample, Task


def make_task() -> Task:
    return Task(id="t0-0", style="simple", tools=[], pairs=10)


def make_candidate(task: Task, j: int) -> Candidate:
    return Candidate(id=f"{task.id}.{j}", task_id=task.id, query=f"query {j}")


def make_sample(candidate: Candidate) -> Sample:
    return Sample(id=candidate.id, style="simple", query=candidate.query, calls=[], tools=[])


def _rejection(candidate: Candidate) -> Rejection:
    return Rejection(id=candidate.id, stage="format", reason="invalid_json", subject=candidate)


def test_samples_past_the_count_and_abandoned_work_are_not_part_of_the_yield() -> None:
    funnel = Funnel(started=0.0)
    task: Task = make_task()
    funnel.task(task)
    candidates = [make_candidate(task, j) for j in range(10)]
    for candidate in candidates:
        funnel.candidate(candidate)
    for candidate in candidates[:3]:
        funnel.rejection(_rejection(candidate))
    samples: list[Sample] = [make_sample(c) for c in candidates[3:8]]
    for sample in samples[:4]:
        funnel.sample(sample)
    funnel.sample(samples[4], written=False)  # the count was reached
    # Two candidates are still in flight when the run stops.
    assert (funnel.accepted, funnel.past_count, funnel.abandoned) == (4, 1, 2)
    assert funnel.decided == 7
    assert funnel.yield_ratio() == 4 / 7
    report = funnel.report(10.0)
    assert "accepted            4" in report
    assert "past the count (not written)        1" in report
    assert "abandoned at stop (no verdict)      2" in report
    assert "yield           57.1%" in report


def test_no_yield_before_any_verdict() -> None:
    funnel = Funnel(started=0.0)
    assert funnel.yield_ratio() is None
    assert "yield" not in funnel.report(1.0)
