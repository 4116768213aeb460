"""ShareGPT conversations in the Hermes function-calling style.

``{"id", "conversations": [{"from": "system", "value": "... <tools>[...]</tools> ..."},
{"from": "human", "value": query}, {"from": "gpt", "value": "<tool_call>\\n{"name": ...,
"arguments": {...}}\\n</tool_call>" per call}]}``; an irrelevance sample's gpt turn is a plain
answer with no ``<tool_call>`` block. Tools in the system turn are OpenAI function definitions,
each parameter's allowed values, range and format also written into its description
(``contract.with_contract``): the model reads this turn as text.
"""

from __future__ import annotations

import re
from typing import Any

from apigen_stream.errors import DatasetError
from apigen_stream.export.common import NO_CALL_ANSWER, calls_of, dumps, infer_style, loads_field
from apigen_stream.export.contract import with_contract, without_contract
from apigen_stream.library.convert import tool_from_openai, tool_to_openai
from apigen_stream.records import Sample

NAME = "sharegpt"
SYSTEM_HEAD = (
    "You are a function calling AI model. You are provided with function signatures within "
    "<tools></tools> XML tags. You may call one or more functions to assist with the user "
    "query. Don't make assumptions about what values to plug into functions. For each function "
    "call return a json object with function name and arguments within <tool_call></tool_call> "
    'XML tags as follows:\n<tool_call>\n{"name": <function-name>, "arguments": '
    "<args-dict>}\n</tool_call>\nHere are the available tools: <tools>"
)
SYSTEM_TAIL = "</tools>"
# The list itself: the prompt names the tags before it ("<tools></tools> XML tags").
_TOOLS = re.compile(r"<tools>(\[.*\])</tools>", re.DOTALL)
_CALL = re.compile(r"<tool_call>\s*(.*?)\s*</tool_call>", re.DOTALL)


def to_row(sample: Sample) -> dict[str, Any]:
    """One conversation of ``sample``."""
    tools = dumps([tool_to_openai(with_contract(t)) for t in sample.tools])
    if sample.calls:
        blocks = [
            f"<tool_call>\n{dumps({'name': c.name, 'arguments': c.arguments})}\n</tool_call>"
            for c in sample.calls
        ]
        answer = "\n".join(blocks)
    else:
        answer = NO_CALL_ANSWER
    return {
        "id": sample.id,
        "conversations": [
            {"from": "system", "value": f"{SYSTEM_HEAD}{tools}{SYSTEM_TAIL}"},
            {"from": "human", "value": sample.query},
            {"from": "gpt", "value": answer},
        ],
    }


def _turn(turns: list[Any], who: str, row_id: str) -> str:
    for turn in turns:
        value = turn.get("value") if isinstance(turn, dict) else None
        if isinstance(value, str) and turn.get("from") == who:
            return value
    raise DatasetError(f"row {row_id}: no {who} turn")


def from_row(row: dict[str, Any]) -> Sample:
    """The sample one conversation holds."""
    row_id = str(row.get("id", ""))
    turns = row.get("conversations")
    if not isinstance(turns, list):
        raise DatasetError(f"row {row_id}: no conversations")
    found = _TOOLS.search(_turn(turns, "system", row_id))
    tools_raw = loads_field(found.group(1), "tools", row_id) if found else []
    tools = [without_contract(tool_from_openai(t)) for t in tools_raw if isinstance(t, dict)]
    answer = _turn(turns, "gpt", row_id)
    calls = calls_of([loads_field(b, "a tool call", row_id) for b in _CALL.findall(answer)], row_id)
    query = _turn(turns, "human", row_id)
    return Sample(
        id=row_id, style=infer_style(calls, len(tools)), query=query, calls=calls, tools=tools
    )
