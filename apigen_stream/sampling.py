"""The sampler: API sampler, example sampler and prompt sampler, as pure functions of a seed.

``sample_task(index, ...)`` is a pure function of the sampler settings, the seed, the task's
index, the library and the seed pool: the same inputs always give the same task, so a sampler
that restarts at index N re-emits exactly what it would have emitted.
"""

from __future__ import annotations

import hashlib
import heapq
import random
from collections import deque
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from msgspec.structs import replace

from apigen_stream.config import SamplerConfig
from apigen_stream.errors import ConfigError
from apigen_stream.library.registry import PROBE_EXAMPLE_SUFFIX, Api, Registry
from apigen_stream.records import STYLES, Example, Sample, Style, Task

# The paper's category shares (APIGen, section 3): sampling by them reproduces its mix.
PAPER_CATEGORY_SHARES: dict[str, float] = {
    "Finance": 11.7, "Data": 11.1, "Sports": 9.0, "Travel": 8.1, "Technology": 7.9,
    "Social": 6.9, "Media": 5.6, "Entertainment": 4.7, "Tools": 3.8, "Math": 3.7,
    "Business": 3.2, "Music": 3.0, "Gaming": 3.0, "Commerce": 2.9, "Environment": 2.7,
    "Education": 2.5, "Communication": 2.4, "Lifestyle": 2.2, "Health": 2.1, "Other": 1.8,
    "Science": 1.6,
}  # fmt: skip

# Categories outside the paper's list (users' own tools) get the smallest paper share.
OTHER_SHARE = 1.6

# Styles that offer several APIs; the others offer exactly one.
MULTI_API_STYLES: frozenset[Style] = frozenset({"multiple", "parallel_multiple", "irrelevance"})

TEMPLATE_VERSION = "v1"

# Seed pool cap: large enough for variety, small enough that fresh accepted samples matter.
SEED_POOL_SIZE = 2_000


@dataclass(frozen=True, slots=True)
class LibraryView:
    """The library as the sampler sees it: APIs with parameters, by category, in fixed order."""

    by_category: dict[str, tuple[Api, ...]]
    version: str
    # Category -> weight of drawing it (default: the paper's shares).
    weights: dict[str, float] = field(default_factory=lambda: dict(PAPER_CATEGORY_SHARES))

    def names(self) -> frozenset[str]:
        """The names of every API in view."""
        return frozenset(a.name for apis in self.by_category.values() for a in apis)

    @classmethod
    def of(
        cls,
        registry: Registry,
        categories: Sequence[str] = (),
        *,
        weights: dict[str, float] | None = None,
        templated_only: bool = False,
    ) -> LibraryView:
        """APIs with at least one parameter (the paper drops the others), optionally filtered.

        ``templated_only``: only APIs with query templates, for the offline generator (harvested
        APIs have none; they are for LLM generation). Given ``weights``, a category they do not
        name, or weigh 0, is left out.
        """
        chosen = dict(PAPER_CATEGORY_SHARES) if not weights else dict(weights)
        groups: dict[str, tuple[Api, ...]] = {}
        for category, apis in registry.by_category().items():
            # Given weights name the mix: a category they leave out is not drawn.
            default = OTHER_SHARE if not weights else 0.0
            if (categories and category not in categories) or chosen.get(category, default) <= 0:
                continue
            offered = (a for a in apis if a.templates or not templated_only)
            usable = sorted((a for a in offered if _has_parameters(a)), key=lambda a: a.name)
            if usable:
                groups[category] = tuple(usable)
        if not groups:
            raise ConfigError("the API library has no APIs to sample from")
        return cls(by_category=groups, version=registry.version, weights=chosen)


def _has_parameters(entry: Api) -> bool:
    return bool(entry.parameters.get("properties"))


class SeedPool:
    """Few-shot examples: the library's seed examples, then accepted samples as they arrive.

    Indexed by the categories of the tools each example offers, so that choosing a task's
    examples reads the ones related to its categories, not the whole pool (a pool of
    thousands, read for every task, held a sampler under load to a few hundred tasks a second).
    """

    def __init__(self, initial: Iterable[Example], size: int = SEED_POOL_SIZE) -> None:
        self._base = tuple(initial)
        self._size = size
        self._fresh: deque[Example] = deque()
        # Category -> the examples offering a tool of it, each as (position, example): base
        # examples at 0, 1, ...; fresh ones after every base one, in the order they arrived.
        self._base_by: dict[str, list[tuple[int, Example]]] = {}
        self._fresh_by: dict[str, deque[tuple[int, Example]]] = {}
        for position, example in enumerate(self._base):
            for category in _categories(example):
                self._base_by.setdefault(category, []).append((position, example))
        self._next = len(self._base)

    def __len__(self) -> int:
        return len(self._base) + len(self._fresh)

    def add(self, sample: Sample) -> None:
        """Feed an accepted sample back, as the paper does; the oldest fresh one leaves a full
        pool."""
        if self._size <= 0:
            return
        example = Example(id=sample.id, query=sample.query, calls=sample.calls, tools=sample.tools)
        if len(self._fresh) >= self._size:
            oldest = self._fresh.popleft()
            for category in _categories(oldest):  # the oldest of each of its categories too
                self._fresh_by[category].popleft()
        self._fresh.append(example)
        for category in _categories(example):
            self._fresh_by.setdefault(category, deque()).append((self._next, example))
        self._next += 1

    def examples(self) -> tuple[Example, ...]:
        """Every example, in a stable order: the library's, then the fresh ones."""
        return self._base + tuple(self._fresh)

    def related(self, categories: Collection[str]) -> list[Example]:
        """The examples offering a tool of one of ``categories``, in the order of
        ``examples()``; every example when none does."""
        lists: list[Sequence[tuple[int, Example]]] = []
        lists += [found for c in categories if (found := self._base_by.get(c))]
        lists += [fresh for c in categories if (fresh := self._fresh_by.get(c))]
        if not lists:
            return list(self.examples())
        if len(lists) == 1:
            return [example for _, example in lists[0]]
        merged: list[Example] = []
        last = -1
        for position, example in heapq.merge(*lists, key=_position):
            if position != last:  # offered tools of two of the categories: once
                merged.append(example)
                last = position
        return merged

    @classmethod
    def from_registry(cls, registry: Registry) -> SeedPool:
        """The pool a sampler starts with: every API's seed examples, with their tool attached,
        except harvested APIs' probe calls (their query is a plain restatement, no model for a
        few-shot; the curated examples and accepted samples are)."""
        return cls(replace(e, tools=[a.tool()]) for a in registry for e in a.examples
                   if not e.id.endswith(PROBE_EXAMPLE_SUFFIX))  # fmt: skip


def _categories(example: Example) -> set[str]:
    return {tool.category for tool in example.tools}


def _position(entry: tuple[int, Example]) -> int:
    return entry[0]


def usable_example(sample: Sample, names: Collection[str]) -> bool:
    """Whether an accepted sample may become a few-shot example: all its tools are in view.

    The embedded run and the sampler service apply the same rule to what they feed the pool.
    """
    return all(tool.name in names for tool in sample.tools) and all(
        call.name in names for call in sample.calls
    )


def task_rng(seed: int, index: int) -> random.Random:
    """The random source of one task: independent of every other task."""
    digest = hashlib.sha256(f"{seed}:{index}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def sample_task(
    index: int,
    settings: SamplerConfig,
    library: LibraryView,
    pool: SeedPool,
    *,
    pairs: int,
    now: float,
) -> Task:
    """The ``index``-th task of this sampler: style, offered APIs and few-shot examples."""
    rng = task_rng(settings.seed, index)
    style = choose_style(rng, settings.styles)
    category = choose_category(rng, list(library.by_category), library.weights)
    apis = choose_apis(rng, library, category, style, settings.apis_min, settings.apis_max)
    if style not in MULTI_API_STYLES and rng.random() < settings.distractor_share:
        apis += choose_distractors(rng, library, category, apis)
    examples = choose_examples(rng, pool, apis, settings.examples_min, settings.examples_max)
    return Task(
        id=f"t{settings.seed}-{index}",
        style=style,
        tools=[a.tool() for a in apis],
        examples=list(examples),
        pairs=pairs,
        template=f"{style}/{TEMPLATE_VERSION}",
        library_version=library.version,
        created_at=now,
    )


def choose_style(rng: random.Random, weights: dict[str, float]) -> Style:
    """A style drawn by the configured weights."""
    styles = [s for s in STYLES if weights.get(s, 0.0) > 0]
    if not styles:
        raise ConfigError("sampler.styles gives no style a positive weight")
    return rng.choices(styles, weights=[weights[s] for s in styles])[0]


def choose_category(
    rng: random.Random, categories: Sequence[str], weights: dict[str, float] | None = None
) -> str:
    """A category drawn by ``weights`` (default: the paper's shares), among those with APIs."""
    table = PAPER_CATEGORY_SHARES if weights is None else weights
    shares = [table.get(c, OTHER_SHARE) for c in categories]
    return rng.choices(list(categories), weights=shares)[0]


def choose_apis(
    rng: random.Random, library: LibraryView, category: str, style: Style, low: int, high: int
) -> list[Api]:
    """One API, or several related ones: same category first, then neighbouring categories."""
    own = list(library.by_category[category])
    if style not in MULTI_API_STYLES:
        return [rng.choice(own)]
    wanted = rng.randint(max(2, low), max(2, low, high))
    chosen = rng.sample(own, min(wanted, len(own)))
    others = [a for c, apis in library.by_category.items() if c != category for a in apis]
    while len(chosen) < wanted and others:
        chosen.append(others.pop(rng.randrange(len(others))))
    return chosen


# Distractors offered beside the one API a single-API task is about.
DISTRACTORS = (1, 3)


def choose_distractors(
    rng: random.Random, library: LibraryView, category: str, apis: Sequence[Api]
) -> list[Api]:
    """Tools of the same category the request does not need, after the API it is about (a
    generator calls the first tool for parallel calls, so the order matters)."""
    taken = {a.name for a in apis}
    pool = [a for a in library.by_category[category] if a.name not in taken]
    wanted = min(len(pool), rng.randint(*DISTRACTORS))
    return rng.sample(pool, wanted)


def choose_examples(
    rng: random.Random, pool: SeedPool, apis: Sequence[Api], low: int, high: int
) -> list[Example]:
    """Few-shot examples, preferring ones that call the offered APIs' categories."""
    if not pool or high <= 0:
        return []
    wanted = rng.randint(max(0, low), max(low, high))
    related = pool.related({a.category for a in apis})
    return rng.sample(related, min(wanted, len(related)))
