"""The sampler: deterministic per (seed, index), category-aware, styles by weight."""

from __future__ import annotations

from collections import Counter

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from apigen_stream.config import SamplerConfig
from apigen_stream.errors import ConfigError
from apigen_stream.library.registry import Api, Registry
from apigen_stream.records import Call, Example, Sample, Tool
from apigen_stream.sampling import LibraryView, SeedPool, sample_task

PARAMS: dict[str, object] = {
    "type": "object",
    "properties": {"x": {"type": "integer"}},
    "required": ["x"],
}


def make_api(name: str, category: str, parameters: dict[str, object] = PARAMS) -> Api:
    return Api(
        name=name,
        category=category,
        description=f"{name} in {category}",
        parameters=dict(parameters),
        examples=(Example(id=f"{name}#0", query=f"q {name}", calls=[Call(name=name)]),),
    )


def registry() -> Registry:
    apis = [make_api(f"fin{i}", "Finance") for i in range(6)]
    apis += [make_api(f"spo{i}", "Sports") for i in range(6)]
    apis.append(make_api("noargs", "Sports", {"type": "object", "properties": {}}))
    return Registry(apis)


def settings(**overrides: object) -> SamplerConfig:
    return msgspec.structs.replace(SamplerConfig(seed=7), **overrides)


def test_same_seed_and_index_give_the_same_task() -> None:
    view = LibraryView.of(registry())
    pool = SeedPool.from_registry(registry())
    first = [sample_task(i, settings(), view, pool, pairs=3, now=1.0) for i in range(50)]
    again = [sample_task(i, settings(), view, pool, pairs=3, now=1.0) for i in range(50)]
    assert first == again
    other_seed = [sample_task(i, settings(seed=8), view, pool, pairs=3, now=1.0) for i in range(50)]
    assert [t.tools for t in other_seed] != [t.tools for t in first]


def test_apis_without_parameters_are_never_offered() -> None:
    view = LibraryView.of(registry())
    tasks = [sample_task(i, settings(), view, SeedPool(()), pairs=1, now=0.0) for i in range(300)]
    assert all(t.name != "noargs" for task in tasks for t in task.tools)


def test_styles_follow_weights_and_tool_counts_follow_style() -> None:
    view = LibraryView.of(registry())
    weights = {"simple": 1.0, "parallel_multiple": 1.0}
    tasks = [
        sample_task(
            i,
            settings(styles=weights, apis_min=2, apis_max=4, distractor_share=0.0),
            view,
            SeedPool(()),
            pairs=1,
            now=0,
        )
        for i in range(400)
    ]
    styles = Counter(t.style for t in tasks)
    assert set(styles) == {"simple", "parallel_multiple"}
    assert 150 < styles["simple"] < 250
    for task in tasks:
        if task.style == "simple":
            assert len(task.tools) == 1
        else:
            assert 2 <= len(task.tools) <= 4
            assert len({t.name for t in task.tools}) == len(task.tools)


def test_single_api_tasks_get_same_category_distractors_at_the_configured_share() -> None:
    view = LibraryView.of(registry())
    config = settings(styles={"simple": 1.0, "parallel": 1.0}, distractor_share=0.5)
    tasks = [sample_task(i, config, view, SeedPool(()), pairs=1, now=0) for i in range(400)]
    with_distractors = [t for t in tasks if len(t.tools) > 1]
    assert 140 < len(with_distractors) < 260
    for task in with_distractors:
        assert 2 <= len(task.tools) <= 4
        assert {t.category for t in task.tools} == {task.tools[0].category}
        assert len({t.name for t in task.tools}) == len(task.tools)
    none = settings(styles={"simple": 1.0}, distractor_share=0.0)
    assert all(
        len(sample_task(i, none, view, SeedPool(()), pairs=1, now=0).tools) == 1 for i in range(100)
    )


def test_multiple_styles_offer_related_apis_first() -> None:
    view = LibraryView.of(registry())
    config = settings(styles={"multiple": 1.0}, apis_min=3, apis_max=3)
    for i in range(100):
        task = sample_task(i, config, view, SeedPool(()), pairs=1, now=0)
        # Six APIs per category: three can always come from one category.
        assert len({t.category for t in task.tools}) == 1


def test_examples_prefer_the_offered_categories_and_pool_grows() -> None:
    reg = registry()
    pool = SeedPool.from_registry(reg)
    view = LibraryView.of(reg)
    config = settings(styles={"simple": 1.0}, examples_min=2, examples_max=2)
    for i in range(100):
        task = sample_task(i, config, view, pool, pairs=1, now=0)
        assert len(task.examples) == 2
        offered = {t.category for t in task.tools}
        assert all(e.tools[0].category in offered for e in task.examples)
    tool = Tool(name="fin0", category="Finance", parameters=PARAMS)
    pool.add(Sample(id="s1", style="simple", query="new", calls=[Call(name="fin0")], tools=[tool]))
    assert pool.examples()[-1].id == "s1"


CATEGORIES = ("Finance", "Sports", "Travel", "")


def example_of(name: str, categories: list[str]) -> Sample:
    tools = [
        Tool(name=f"{name}.{i}", category=c, parameters=PARAMS) for i, c in enumerate(categories)
    ]
    return Sample(id=name, style="simple", query=name, calls=[], tools=tools)


@given(
    seeds=st.lists(st.lists(st.sampled_from(CATEGORIES), max_size=3), max_size=6),
    fresh=st.lists(st.lists(st.sampled_from(CATEGORIES), max_size=3), max_size=30),
    size=st.integers(0, 8),
    wanted=st.sets(st.sampled_from(CATEGORIES)),
)
def test_related_examples_are_the_pool_filtered_by_category_in_order(
    seeds: list[list[str]], fresh: list[list[str]], size: int, wanted: set[str]
) -> None:
    # The index must give what reading the whole pool gives, with the oldest fresh examples
    # gone from a full pool: the same examples in the same order draw the same tasks.
    base = [example_of(f"seed{i}", cats) for i, cats in enumerate(seeds)]
    pool = SeedPool((Example(id=e.id, query=e.query, tools=e.tools) for e in base), size=size)
    for i, cats in enumerate(fresh):
        pool.add(example_of(f"fresh{i}", cats))
    every = pool.examples()
    assert [e.id for e in every] == [e.id for e in base] + [f"fresh{i}" for i in range(len(fresh))][
        len(fresh) - min(size, len(fresh)) :
    ]
    scanned = [e for e in every if any(t.category in wanted for t in e.tools)] or list(every)
    assert [e.id for e in pool.related(wanted)] == [e.id for e in scanned]


def test_no_positive_style_weight_is_a_config_error() -> None:
    view = LibraryView.of(registry())
    with pytest.raises(ConfigError, match="positive weight"):
        sample_task(0, settings(styles={"simple": 0.0}), view, SeedPool(()), pairs=1, now=0)


def test_empty_library_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="no APIs"):
        LibraryView.of(Registry([]))


def _spread(view: LibraryView, tasks: int) -> Counter[str]:
    counts: Counter[str] = Counter()
    for i in range(tasks):
        task = sample_task(
            i, settings(styles={"simple": 1.0}), view, SeedPool(()), pairs=1, now=0.0
        )
        counts[task.tools[0].category] += 1
    return counts


def test_categories_are_drawn_by_the_configured_weights() -> None:
    apis = [make_api(f"{c[:3].lower()}{i}", c) for c in ("Finance", "Sports", "Music")
            for i in range(3)]  # fmt: skip
    view = LibraryView.of(Registry(apis), weights={"Finance": 6, "Sports": 3, "Music": 1})
    counts = _spread(view, 3_000)
    assert counts["Finance"] / 3_000 == pytest.approx(0.6, abs=0.04)
    assert counts["Sports"] / 3_000 == pytest.approx(0.3, abs=0.04)
    assert counts["Music"] / 3_000 == pytest.approx(0.1, abs=0.03)


def test_a_category_weighted_zero_is_never_offered() -> None:
    view = LibraryView.of(registry(), weights={"Finance": 1.0, "Sports": 0.0})
    assert list(view.by_category) == ["Finance"]


def test_templated_only_leaves_out_apis_without_query_templates() -> None:
    apis = [make_api("plain", "Finance"), make_api("other", "Sports")]
    with_templates = Api(name="tmpl", category="Finance", description="d", parameters=PARAMS,
                         templates=("Use tmpl with {x}.",))  # fmt: skip
    view = LibraryView.of(Registry([*apis, with_templates]), templated_only=True)
    assert {a.name for group in view.by_category.values() for a in group} == {"tmpl"}


def test_harvested_probe_calls_are_not_few_shot_examples() -> None:
    probe = Example(id="h#probe", query="H (x 1).", calls=[Call(name="h", arguments={"x": 1})])
    harvested = Api(name="h", category="Finance", description="d", parameters=PARAMS,
                    examples=(probe,), seed_result=2)  # fmt: skip
    pool = SeedPool.from_registry(Registry([make_api("plain", "Finance"), harvested]))
    assert [e.id for e in pool.examples()] == ["plain#0"]
