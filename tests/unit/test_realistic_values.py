"""The offline generator's values and wording, checked over every built-in API.

What a strict review of the offline output failed rows for: schema-range numbers (67 million
votes, the year 8267), values that contradict each other, template text leaking into queries.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

from jsonschema import Draft202012Validator

from apigen_stream.export import sharegpt, xlam
from apigen_stream.library.builtin.constraints import broken
from apigen_stream.library.builtin.realistic import realism_of
from apigen_stream.library.builtin.realistic_hints import HINTS
from apigen_stream.library.builtin.realistic_tables import (
    CONSTRAINTS,
    DISPLAY,
    ONLY_WITH,
    PHRASES,
    RESULT_BOUNDS,
)
from apigen_stream.library.registry import Registry, builtin_apis
from apigen_stream.offline.generator import pair_rng, render_call
from apigen_stream.offline.wording import join_queries, ordinal
from apigen_stream.records import Call, Outcome, Sample, Tool
from apigen_stream.stages.alignment import check_alignment

REGISTRY = Registry(builtin_apis())
RENDERINGS = 4
_YEAR = re.compile(r"\b(2[0-9]{3})-\d{2}-\d{2}\b")
_LEAKS = re.compile(
    r"\{|\}|\bTrue\b|\bFalse\b|\bNone\b|[a-z]+_[a-z]+_?[a-z]*|\d+\.\d+(st|nd|rd|th)"
)


def renderings() -> list[tuple[Tool, str, dict[str, Any]]]:
    rows = []
    for entry in REGISTRY:
        for i in range(RENDERINGS):
            query, call = render_call(pair_rng(7, entry.name, i), entry.tool(), REGISTRY)
            rows.append((entry.tool(), query, call.arguments))
    return rows


ROWS = renderings()


def test_every_offline_call_validates_and_keeps_its_apis_constraints() -> None:
    problems = []
    for tool, query, arguments in ROWS:
        errors = [e.message for e in Draft202012Validator(tool.parameters).iter_errors(arguments)]
        rule = broken(realism_of(tool.name).constraints, arguments)
        if errors or rule:
            problems.append((tool.name, query, errors, rule))
    assert problems == []


def test_dates_stay_within_a_few_years_and_no_template_text_leaks() -> None:
    problems: list[tuple[str, ...]] = []
    for tool, query, _ in ROWS:
        years = [int(y) for y in _YEAR.findall(query)]
        if any(y > 2027 for y in years):
            problems.append((tool.name, query))
        texts = _strings(tool, query)
        leak = _LEAKS.search(_without(query, texts))
        if leak:
            problems.append((tool.name, query, leak.group(0)))
    assert problems == []


def _strings(tool: Tool, query: str) -> set[str]:
    # Free text, codes and identifiers the user typed (e-mail, JSON, cron) may hold anything.
    props = tool.parameters["properties"]
    examples = [e for p in props.values() if not p.get("enum") for e in p.get("examples", [])]
    return {e for e in examples if isinstance(e, str)}


def _without(query: str, texts: set[str]) -> str:
    for text in sorted(texts, key=len, reverse=True):
        query = query.replace(text, " ")
    return query


def test_counts_stay_whole_numbers_where_the_seed_example_has_whole_numbers() -> None:
    problems = []
    for entry in REGISTRY:
        seed = entry.examples[0].calls[0].arguments
        # A hint may ask for fractions on purpose (0.25 years to expiry, a 21.1 km run).
        hinted = {n for key in realism_of(entry.name).hints for n in key.split(",")}
        for tool, query, arguments in ROWS:
            if tool.name != entry.name:
                continue
            for name, value in arguments.items():
                if name in hinted:
                    continue
                example = seed.get(name)
                whole = isinstance(example, int) and not isinstance(example, bool)
                if whole and isinstance(value, float) and not value.is_integer():
                    problems.append((entry.name, name, value, query))
    assert problems == []


def test_offline_rows_pass_the_alignment_rules() -> None:
    # Results are not computed here: a neutral one isolates the query <-> call rules.
    outcome = {"value": 1}
    failures: Counter[tuple[str, str]] = Counter()
    for tool, query, arguments in ROWS:
        call = Call(name=tool.name, arguments=arguments)
        found = check_alignment(query, [call], [tool], [Outcome(name=tool.name, ok=True,
                                                                result=outcome)])  # fmt: skip
        if found is not None:
            failures[(tool.name, found[0])] += 1
    # Almost every rendering is aligned; the rare rest is what the rules exist to catch.
    assert sum(failures.values()) <= len(ROWS) // 100, failures.most_common(10)


def test_every_table_entry_names_a_real_api_and_parameter() -> None:
    problems = []
    for table in (HINTS, ONLY_WITH, DISPLAY, PHRASES):
        for api_name, entries in table.items():
            if api_name not in REGISTRY:
                problems.append(api_name)
                continue
            props = REGISTRY.get(api_name).parameters["properties"]
            names = {n for key in entries for n in key.split(",")}
            inner = {f for p in props.values() for f in p.get("items", {}).get("properties", {})}
            problems += [f"{api_name}.{n}" for n in names if n not in props and n not in inner]
    for table2 in (CONSTRAINTS, RESULT_BOUNDS):
        problems += [name for name in table2 if name not in REGISTRY]
    assert problems == []


def test_wording_reads_as_a_person_writes() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 11, 12, 13, 21, 85, 101)] == [
        "1st", "2nd", "3rd", "11th", "12th", "13th", "21st", "85th", "101st",
    ]  # fmt: skip
    joined = join_queries(["What is 15% of 240?", "Convert 12 km to miles", "I need a slug"])
    assert joined == "What is 15% of 240? Also, convert 12 km to miles. And I need a slug."
    query, _ = render_call(pair_rng(1, "x", 0), REGISTRY.get("note_duration_ms").tool(), REGISTRY)
    assert "_" not in query


def test_xlam_and_sharegpt_list_allowed_values_ranges_and_formats() -> None:
    tools = [REGISTRY.get(n).tool() for n in ("data_transfer_time", "public_holidays_list")]
    sample = Sample(id="1", style="multiple", query="q", calls=[], tools=tools)
    shown = json.loads(xlam.to_row(sample)["tools"])
    unit = shown[0]["parameters"]["size_unit"]["description"]
    assert "One of: B, GB, GiB, KB, KiB, MB, MiB, TB, TiB." in unit
    assert "Range: > 0." in shown[0]["parameters"]["size"]["description"]
    system = sharegpt.to_row(sample)["conversations"][0]["value"]
    assert "One of: B, GB, GiB" in system
    # ShareGPT keeps the JSON Schema too, and reads back to the original tools.
    back = sharegpt.from_row(sharegpt.to_row(sample))
    assert [t.parameters for t in back.tools] == [t.parameters for t in tools]
