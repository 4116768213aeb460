"""``top``'s figures from metrics text: replicas add up, rates per interval, reasons, cost."""

from __future__ import annotations

from apigen_stream.topview import Prices, Totals, cells, plain_lines, rows

EXECUTE_A = """
apigen_records_total{stage="execute",outcome="accepted",reason=""} 30
apigen_records_total{stage="execute",outcome="rejected",reason="timeout"} 6
apigen_records_total{stage="execute",outcome="rejected",reason="exception"} 4
apigen_in_flight{stage="execute"} 2
"""
EXECUTE_B = """
apigen_records_total{stage="execute",outcome="accepted",reason=""} 10
apigen_records_total{stage="execute",outcome="dead_letter",reason="handler_error"} 1
"""
GENERATE = """
apigen_records_total{stage="generate",outcome="accepted",reason=""} 50
apigen_llm_requests_total{role="generator",model="m",outcome="ok"} 20
apigen_llm_requests_total{role="generator",model="m",outcome="retry"} 2
apigen_llm_tokens_total{role="generator",model="m",kind="prompt"} 1000000
apigen_llm_tokens_total{role="generator",model="m",kind="completion"} 500000
"""


def by_stage(found: list) -> dict:  # type: ignore[type-arg]
    return {r.stage: r for r in found}


def test_replicas_add_up_and_the_rates_are_per_interval() -> None:
    before = Totals.of([("execute", EXECUTE_B)])
    after = Totals.of([("execute", EXECUTE_A), ("execute", EXECUTE_B), ("", GENERATE)])
    found = by_stage(rows(before, after, 2.0, behind={"execute": (7, True), "sink": (3, False)},
                          prices=Prices(prompt=1.0, completion=2.0)))  # fmt: skip
    execute = found["execute"]
    assert (execute.replicas, execute.handled, execute.rejected, execute.dead) == (2, 51, 10, 1)
    assert execute.in_rate == 40 / 2.0  # the 40 records of replica A, over 2 s
    assert execute.out_rate == 30 / 2.0
    assert list(execute.reasons) == [("timeout", 6), ("exception", 4)]
    assert execute.behind == 7
    generate = found["generate"]
    assert (generate.replicas, generate.llm_requests, generate.tokens) == (1, 22, 1_500_000)
    assert generate.cost == 1.0 + 1.0
    assert found["sampler"].replicas == 0
    assert cells(found["sink"])[9] == "<=3"
    line = plain_lines("12:00:00", [execute])[0]
    assert line == (
        "12:00:00 execute replicas=2 in=20.0/s out=15.0/s handled=51 rejected=10 "
        "(19.6%: timeout 6, exception 4) dead=1 behind=7 llm=0 tokens=0 cost=-"
    )


def test_a_restarted_replica_never_gives_negative_rates() -> None:
    before = Totals.of([("execute", EXECUTE_A)])
    after = Totals.of([("execute", EXECUTE_B)])
    execute = by_stage(rows(before, after, 1.0))["execute"]
    assert execute.in_rate == 0.0
    assert execute.out_rate == 0.0
