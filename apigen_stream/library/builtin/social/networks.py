"""Social APIs for friendship networks and groups: degrees of separation, circles of friends,
connectors, the friendship paradox, polls, gift exchanges, generations and names."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict, deque
from typing import Any

from apigen_stream.library.registry import api

CATEGORY = "Social"

_EDGES = {
    "type": "array",
    "minItems": 1,
    "maxItems": 2000,
    "items": {
        "type": "array",
        "items": {"type": "string", "minLength": 1},
        "minItems": 2,
        "maxItems": 2,
    },
    "description": 'Friendships as pairs of names, e.g. [["ana", "ben"], ["ben", "cy"]].',
    "examples": [
        [["ana", "ben"], ["ben", "cy"], ["cy", "dee"], ["ana", "eve"]],
        [["ana", "ben"], ["ana", "cy"], ["ben", "cy"], ["dee", "eve"]],
        [["ana", "ben"], ["ben", "cy"], ["cy", "dee"], ["dee", "ana"], ["ana", "cy"]],
    ],
}


def _graph(edges: list[list[str]]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for a, b in edges:
        if a != b:
            graph[a].add(b)
            graph[b].add(a)
    return graph


@api(
    category=CATEGORY,
    description=(
        "Degrees of separation between two people in a friendship network: the shortest chain "
        "of friends linking them, or that they are not connected."
    ),
    params={
        "edges": _EDGES,
        "person_a": {
            "type": "string",
            "minLength": 1,
            "description": "First person.",
            "examples": ["ana", "ben", "cy"],
        },
        "person_b": {
            "type": "string",
            "minLength": 1,
            "description": "Second person.",
            "examples": ["dee", "cy", "ana"],
        },
    },
    templates=[
        "How many degrees apart are {person_a} and {person_b} in {edges}?",
        "Shortest friend chain from {person_a} to {person_b} given {edges}.",
    ],
    examples=[
        (
            "Ana knows Ben and Eve, Ben knows Cy, Cy knows Dee. How far is Ana from Dee?",
            {
                "edges": [["ana", "ben"], ["ben", "cy"], ["cy", "dee"], ["ana", "eve"]],
                "person_a": "ana",
                "person_b": "dee",
            },
        )
    ],
)
def degrees_of_separation(edges: list[list[str]], person_a: str, person_b: str) -> dict[str, Any]:
    """Breadth-first search."""
    graph = _graph(edges)
    if person_a not in graph or person_b not in graph:
        return {"connected": False, "degrees": None, "chain": []}
    previous: dict[str, str | None] = {person_a: None}
    queue = deque([person_a])
    while queue:
        here = queue.popleft()
        if here == person_b:
            break
        for friend in sorted(graph[here]):
            if friend not in previous:
                previous[friend] = here
                queue.append(friend)
    if person_b not in previous:
        return {"connected": False, "degrees": None, "chain": []}
    chain = [person_b]
    while (step := previous[chain[-1]]) is not None:
        chain.append(step)
    return {"connected": True, "degrees": len(chain) - 1, "chain": chain[::-1]}


@api(
    category=CATEGORY,
    description=(
        "Circles of friends in a network: the separate groups (connected components) of a list "
        "of friendships, largest first, and who is in each."
    ),
    params={"edges": _EDGES},
    templates=[
        "Which separate friend groups are in {edges}?",
        "Find the circles of friends in {edges}.",
    ],
    examples=[
        (
            "Ana-Ben, Ana-Cy, Ben-Cy and Dee-Eve are friends. What groups are there?",
            {"edges": [["ana", "ben"], ["ana", "cy"], ["ben", "cy"], ["dee", "eve"]]},
        )
    ],
)
def friend_groups(edges: list[list[str]]) -> dict[str, Any]:
    """Components by search."""
    graph = _graph(edges)
    seen: set[str] = set()
    groups: list[list[str]] = []
    for start in sorted(graph):
        if start in seen:
            continue
        group, stack = [], [start]
        seen.add(start)
        while stack:
            here = stack.pop()
            group.append(here)
            for friend in graph[here] - seen:
                seen.add(friend)
                stack.append(friend)
        groups.append(sorted(group))
    groups.sort(key=lambda g: (-len(g), g))
    return {"groups": groups, "count": len(groups)}


@api(
    category=CATEGORY,
    description=(
        "The best-connected people of a friendship network: friend counts (degree), degree "
        "centrality, and the network's density and average number of friends."
    ),
    params={"edges": _EDGES},
    templates=["Who has the most friends in {edges}?", "Degree centrality of the network {edges}."],
    examples=[
        (
            "In this group, who is the most connected? Ana-Ben, Ben-Cy, Cy-Dee, Dee-Ana, Ana-Cy",
            {
                "edges": [
                    ["ana", "ben"],
                    ["ben", "cy"],
                    ["cy", "dee"],
                    ["dee", "ana"],
                    ["ana", "cy"],
                ]
            },
        )
    ],
)
def network_connectors(edges: list[list[str]]) -> dict[str, Any]:
    """Degree centrality = degree / (n - 1); density = 2E / (n (n - 1))."""
    graph = _graph(edges)
    n = len(graph)
    links = sum(len(f) for f in graph.values()) // 2
    ranked = sorted(graph, key=lambda p: (-len(graph[p]), p))
    return {
        "top": [
            {
                "person": p,
                "friends": len(graph[p]),
                "centrality": round(len(graph[p]) / (n - 1), 3) if n > 1 else 0.0,
            }
            for p in ranked[:10]
        ],
        "people": n,
        "friendships": links,
        "density": round(2 * links / (n * (n - 1)), 3) if n > 1 else 0.0,
        "average_friends": round(2 * links / n, 2) if n else 0.0,
    }


@api(
    category=CATEGORY,
    description=(
        "The friendship paradox in a network: the average number of friends people have against "
        "the average number of friends their friends have (usually higher)."
    ),
    params={"edges": _EDGES},
    templates=[
        "Do my friends have more friends than I do in {edges}?",
        "Check the friendship paradox for {edges}.",
    ],
    examples=[
        (
            "Ana knows Ben, Cy and Dee; Ben knows Cy. Do friends have more friends on average?",
            {"edges": [["ana", "ben"], ["ana", "cy"], ["ana", "dee"], ["ben", "cy"]]},
        )
    ],
)
def friendship_paradox(edges: list[list[str]]) -> dict[str, Any]:
    """Feld (1991): mean friend degree = E[d^2] / E[d] >= E[d]."""
    graph = _graph(edges)
    degrees = {p: len(f) for p, f in graph.items()}
    mean = sum(degrees.values()) / len(degrees)
    friends_mean = sum(d * d for d in degrees.values()) / sum(degrees.values())
    fewer = sum(1 for p, f in graph.items() if degrees[p] < sum(degrees[x] for x in f) / len(f))
    return {
        "average_friends": round(mean, 3),
        "average_friends_of_friends": round(friends_mean, 3),
        "people_with_fewer_than_their_friends": fewer,
    }


@api(
    category=CATEGORY,
    description=(
        "Results of a group poll: votes and percentages per option, the winner and its margin, "
        "and whether the winner has an absolute majority."
    ),
    params={
        "votes": {
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "minItems": 1,
            "maxItems": 100000,
            "description": "One entry per vote: the option chosen.",
            "examples": [
                ["pizza", "tacos", "pizza", "sushi", "pizza"],
                ["yes", "no", "yes"],
                ["friday", "saturday"],
            ],
        },
    },
    templates=["Tally this poll: {votes}.", "Who won the group vote {votes}?"],
    examples=[
        (
            "Our group chat voted pizza, tacos, pizza, sushi, pizza, tacos. Results?",
            {"votes": ["pizza", "tacos", "pizza", "sushi", "pizza", "tacos"]},
        )
    ],
)
def poll_results(votes: list[str]) -> dict[str, Any]:
    """Ties: every top option is named."""
    counts = Counter(v.strip() for v in votes)
    total = sum(counts.values())
    ranked = counts.most_common()
    top = [option for option, n in ranked if n == ranked[0][1]]
    margin = ranked[0][1] - (ranked[1][1] if len(ranked) > 1 else 0)
    return {
        "results": [
            {"option": o, "votes": n, "percent": round(100 * n / total, 1)} for o, n in ranked
        ],
        "winner": top[0] if len(top) == 1 else None,
        "tied": top if len(top) > 1 else [],
        "margin_votes": margin,
        "majority": ranked[0][1] * 2 > total,
    }


@api(
    category=CATEGORY,
    description=(
        "Pairs for a gift exchange (Secret Santa) where nobody draws themselves: a fixed "
        "derangement from the names and a seed number, so the draw can be reproduced."
    ),
    params={
        "names": {
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "minItems": 2,
            "maxItems": 200,
            "uniqueItems": True,
            "description": "Participants.",
            "examples": [
                ["ana", "ben", "cy", "dee"],
                ["mum", "dad", "sam"],
                ["jo", "kim", "lee", "max", "ned"],
            ],
        },
        "seed": {
            "type": "integer",
            "minimum": 0,
            "maximum": 1_000_000,
            "description": "Draw number: the same seed gives the same pairs.",
        },
    },
    templates=[
        "Draw Secret Santa pairs for {names}.",
        "Who gives to whom in a gift exchange of {names} (draw {seed})?",
    ],
    examples=[
        (
            "Draw Secret Santa for Ana, Ben, Cy and Dee.",
            {"names": ["ana", "ben", "cy", "dee"], "seed": 7},
        )
    ],
)
def gift_exchange_pairs(names: list[str], seed: int = 0) -> dict[str, Any]:
    """A single cycle through the names in an order drawn from SHA-256 of the seed and each
    name: nobody draws themselves, and the same names and seed give the same draw."""
    order = sorted(names, key=lambda n: hashlib.sha256(f"{seed}:{n}".encode()).hexdigest())
    pairs = [
        {"giver": order[i], "receiver": order[(i + 1) % len(order)]} for i in range(len(order))
    ]
    return {"pairs": pairs}


# Pew Research Center's generation boundaries (birth years); Gen Alpha as commonly dated.
_GENERATIONS = (
    (1901, 1927, "Greatest Generation"),
    (1928, 1945, "Silent Generation"),
    (1946, 1964, "Baby Boomers"),
    (1965, 1980, "Generation X"),
    (1981, 1996, "Millennials"),
    (1997, 2012, "Generation Z"),
    (2013, 2024, "Generation Alpha"),
)


@api(
    category=CATEGORY,
    description=(
        "The generation of a birth year by the Pew Research Center's boundaries: Silent, Baby "
        "Boomers, Generation X, Millennials, Generation Z, Generation Alpha."
    ),
    params={
        "birth_year": {
            "type": "integer",
            "minimum": 1901,
            "maximum": 2024,
            "description": "Year of birth.",
        }
    },
    templates=[
        "Which generation is someone born in {birth_year}?",
        "Am I a millennial if I was born in {birth_year}?",
    ],
    examples=[("I was born in 1994. Which generation am I?", {"birth_year": 1994})],
)
def generation_of_birth_year(birth_year: int) -> dict[str, Any]:
    """Pew Research Center, "Defining generations" (2019)."""
    start, end, name = next(g for g in _GENERATIONS if g[0] <= birth_year <= g[1])
    return {"generation": name, "born_from": start, "born_to": end}


@api(
    category=CATEGORY,
    description=(
        "The 'half your age plus seven' dating rule: the youngest and oldest ages it allows a "
        "partner, and whether two ages satisfy it."
    ),
    params={
        "age_a": {"type": "integer", "minimum": 14, "maximum": 120, "description": "First age."},
        "age_b": {"type": "integer", "minimum": 14, "maximum": 120, "description": "Second age."},
    },
    templates=[
        "Does a {age_a} and a {age_b}-year-old pass the half-plus-seven rule?",
        "Age gap rule for {age_a} and {age_b}?",
    ],
    examples=[
        (
            "Is a 34 and 25 year old couple within the half-your-age-plus-seven rule?",
            {"age_a": 34, "age_b": 25},
        )
    ],
)
def half_plus_seven_rule(age_a: int, age_b: int) -> dict[str, Any]:
    """Youngest = age / 2 + 7; oldest = (age - 7) x 2."""
    older, younger = max(age_a, age_b), min(age_a, age_b)
    return {
        "older_min_partner_age": older / 2 + 7,
        "younger_max_partner_age": (younger - 7) * 2,
        "within_rule": younger >= older / 2 + 7,
        "gap_years": older - younger,
    }


_NAME = {
    "type": "string",
    "pattern": r"^[A-Za-zÀ-ÿ' .-]{1,80}$",
    "description": "A full name, given name(s) then family name.",
    "examples": ["Ada Lovelace", "mary jane watson", "Jean-Luc Picard"],
}


@api(
    category=CATEGORY,
    description=(
        "Initials and monogram of a name: plain initials, and the traditional three-letter "
        "monogram with the family initial large in the middle (first, LAST, middle)."
    ),
    params={"full_name": _NAME},
    templates=["What are the initials of {full_name}?", "Make a monogram for {full_name}."],
    examples=[
        ("What would a monogram for Mary Jane Watson look like?", {"full_name": "Mary Jane Watson"})
    ],
)
def name_initials_monogram(full_name: str) -> dict[str, Any]:
    """Hyphenated names keep both initials (J-L)."""
    parts = [p for p in full_name.replace(".", " ").split() if p]

    def initial(part: str) -> str:
        return "-".join(piece[0].upper() for piece in part.split("-") if piece)

    letters = [initial(p) for p in parts]
    monogram = f"{letters[0]}{letters[-1]}{letters[1]}" if len(letters) >= 3 else "".join(letters)
    return {
        "initials": ".".join(letters) + ".",
        "monogram": monogram,
        "family_initial": letters[-1],
    }


@api(
    category=CATEGORY,
    description=(
        "Username ideas from a person's name: lower-case handles joined by dots, underscores, "
        "initials and an optional number, trimmed to a platform's length limit."
    ),
    params={
        "full_name": _NAME,
        "number": {
            "type": "integer",
            "minimum": 0,
            "maximum": 9999,
            "description": "A number to append (0 for none).",
        },
        "max_length": {
            "type": "integer",
            "minimum": 3,
            "maximum": 50,
            "description": "Longest handle allowed (15 on X, 30 on Instagram).",
        },
    },
    templates=[
        "Suggest usernames for {full_name}.",
        "Handle ideas for {full_name} with the number {number}, at most {max_length} characters.",
    ],
    examples=[
        (
            "Give me username ideas for Ada Lovelace, up to 15 characters.",
            {"full_name": "Ada Lovelace", "number": 0, "max_length": 15},
        )
    ],
)
def username_ideas(full_name: str, number: int = 0, max_length: int = 30) -> dict[str, Any]:
    """Only a-z, 0-9, '.' and '_' (accepted by most platforms)."""
    words = [
        "".join(c for c in w.lower() if c.isascii() and c.isalnum()) for w in full_name.split()
    ]
    words = [w for w in words if w]
    if not words:
        raise ValueError("the name has no ASCII letters")
    first, last = words[0], words[-1]
    suffix = str(number) if number else ""
    ideas = [
        f"{first}.{last}",
        f"{first}_{last}",
        f"{first}{last}",
        f"{first[0]}{last}",
        f"{first}{last[0]}",
        f"{last}.{first}",
        f"the{first}{last}",
    ]
    shaped = [(i[: max_length - len(suffix)] + suffix) for i in ideas]
    return {"usernames": list(dict.fromkeys(shaped))}


@api(
    category=CATEGORY,
    description=(
        "Who talks most in a group chat: each member's share of the messages, the most and "
        "least active, and a Gini coefficient of how unevenly the talking is spread."
    ),
    params={
        "messages": {
            "type": "object",
            "minProperties": 2,
            "maxProperties": 500,
            "additionalProperties": {"type": "integer", "minimum": 0},
            "description": "Messages sent per member, by name.",
        },
    },
    templates=[
        "Who dominates our group chat with these message counts: {messages}?",
        "How evenly does our group talk? Messages per person: {messages}.",
    ],
    examples=[
        (
            "In our group chat this month Ana sent 420 messages, Ben 130, Cy 45 and Dee 5. Who "
            "talks most, and how uneven is it?",
            {"messages": {"ana": 420, "ben": 130, "cy": 45, "dee": 5}},
        )
    ],
)
def group_chat_share(messages: dict[str, int]) -> dict[str, Any]:
    """Gini = sum_i sum_j |x_i - x_j| / (2 n^2 mean): 0 when everyone talks equally."""
    total = sum(messages.values())
    if total == 0:
        raise ValueError("nobody has sent a message")
    counts = list(messages.values())
    n = len(counts)
    gini = sum(abs(a - b) for a in counts for b in counts) / (2 * n * n * (total / n))
    ranked = sorted(messages, key=lambda m: (-messages[m], m))
    return {
        "shares_percent": {m: round(100 * messages[m] / total, 1) for m in ranked},
        "most_active": ranked[0],
        "least_active": ranked[-1],
        "gini": round(gini, 3),
    }
