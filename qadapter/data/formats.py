"""Record formats: detect which one a raw record is in, and convert it to preference pairs.

- ``hh``:  HH-RLHF transcripts, ``chosen``/``rejected`` strings of
  ``\\n\\nHuman: ...\\n\\nAssistant: ...`` turns. The turns before the last Assistant turn
  are the prompt; that turn is the response.
- ``trl``: ``prompt``/``chosen``/``rejected`` as text or chat messages, or the implicit-prompt
  variant where ``chosen``/``rejected`` are whole conversations sharing a prefix.
- ``dsp``: Domain-Specific Preference records (Cheng et al. 2023): ``query`` plus one response per
  domain (top level or under ``responses``); for a target domain, each record expands to one pair
  per other domain (target's response chosen, the other domain's rejected).

:func:`convert` never raises on bad data: it returns :class:`Problem` items with a quarantine
reason. It raises :class:`DataError` only for configuration mistakes (unknown format, DSP records
without a target domain).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from qadapter.data.pairs import PreferencePair
from qadapter.data.records import DataError

FORMATS = ("hh", "trl", "dsp")
DSP_DOMAINS = ("academy", "business", "entertainment", "literature", "normal")
ROLES = ("system", "user", "assistant")

# Quarantine reasons, with what each means (the summary and docs list them in this order).
REASONS = {
    "missing_field": "a required field is absent",
    "wrong_type": "a field has the wrong type (e.g. a number where text is expected)",
    "empty_response": "chosen or rejected is empty",
    "empty_prompt": "the prompt is empty",
    "identical_responses": "chosen and rejected are the same text",
    "prompt_mismatch": "chosen and rejected conversations differ before the response",
    "bad_conversation": "messages in an impossible order (prompt not ending with a user turn)",
    "unparseable": "bad JSON line, bad CSV row, or a malformed HH transcript",
    "invalid_utf8": "the line is not valid UTF-8",
    "record_too_large": "the record is bigger than max_record_bytes (QADAPTER_MAX_RECORD_BYTES)",
    "prompt_too_long": "the prompt leaves no room for a response (max_prompt_chars)",
}

_HH_TURN = re.compile(r"\n\n(Human|Assistant):")


@dataclass(frozen=True)
class Problem:
    """Why a record (or one pair of a DSP record) cannot be used."""

    reason: str  # a key of REASONS
    detail: str


def check_format(fmt: str) -> None:
    if fmt != "auto" and fmt not in FORMATS:
        raise DataError(f"unknown format {fmt!r} (--format); use one of auto, {', '.join(FORMATS)}")


def check_target_domain(domain: str | None) -> None:
    if domain is not None and domain not in DSP_DOMAINS:
        raise DataError(
            f"unknown DSP target domain {domain!r} (--target-domain); use one of "
            f"{', '.join(DSP_DOMAINS)}"
        )


def detect_format(record: dict) -> str | None:
    """The format a record looks like, or None when it fits none.

    A null field counts as absent: table formats (Parquet, hf datasets) fill the columns a row
    lacks with nulls, so an HH row read beside TRL rows has ``"prompt": None``.
    """
    if record.get("query") is not None and (
        isinstance(record.get("responses"), dict)
        or any(record.get(d) is not None for d in DSP_DOMAINS)
    ):
        return "dsp"
    if record.get("prompt") is not None:
        return "trl"
    chosen = record.get("chosen")
    if isinstance(chosen, list):
        return "trl"
    if isinstance(chosen, str) and _looks_hh(chosen):
        return "hh"
    return None


def convert(
    record: Any, fmt: str = "auto", *, origin: str = "", target_domain: str | None = None
) -> list[PreferencePair | Problem]:
    """Convert one raw record to its pairs (several for DSP) or problems."""
    if not isinstance(record, dict):
        return [Problem("wrong_type", f"expected a JSON object, got {_type(record)}")]
    if fmt == "auto":
        fmt = detect_format(record) or ""
        if not fmt:
            return [_undetected(record)]
    if fmt == "hh":
        return [_convert_hh(record, origin)]
    if fmt == "trl":
        return [_convert_trl(record, origin)]
    if fmt == "dsp":
        return _convert_dsp(record, origin, target_domain)
    check_format(fmt)
    raise AssertionError(fmt)


def _undetected(record: dict) -> Problem:
    missing = [k for k in ("chosen", "rejected") if record.get(k) is None]
    if missing:
        return Problem(
            "missing_field",
            f"no {' or '.join(map(repr, missing))} field (fields: "
            f"{', '.join(sorted(map(str, record))[:8]) or 'none'})",
        )
    if not isinstance(record["chosen"], str):
        return Problem(
            "wrong_type", f"'chosen' is {_type(record['chosen'])}, expected text or chat messages"
        )
    return Problem(
        "missing_field",
        "no 'prompt' field and 'chosen' is not an HH transcript "
        "('\\n\\nHuman: ...\\n\\nAssistant: ...')",
    )


def _type(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _pair(
    prompt: list[dict],
    chosen: str,
    rejected: str,
    origin: str,
) -> PreferencePair | Problem:
    if not prompt or not any(m["content"].strip() for m in prompt):
        return Problem("empty_prompt", "the prompt has no text")
    if prompt[-1]["role"] != "user":
        return Problem(
            "bad_conversation",
            f"the prompt ends with a {prompt[-1]['role']!r} "
            "message; it must end with a user message",
        )
    for name, text in (("chosen", chosen), ("rejected", rejected)):
        if not text.strip():
            return Problem("empty_response", f"{name!r} is empty")
    if chosen.strip() == rejected.strip():
        return Problem("identical_responses", "chosen and rejected are the same text")
    return PreferencePair(tuple(prompt), chosen, rejected, origin)


def _fields(
    record: dict,
    names: tuple[str, ...],
    types: tuple[type, ...],
) -> Problem | None:
    for name in names:
        if name not in record or record[name] is None:
            return Problem("missing_field", f"no {name!r} field")
    for name in names:
        if not isinstance(record[name], types):
            expected = " or ".join("text" if t is str else "a list of messages" for t in types)
            return Problem("wrong_type", f"{name!r} is {_type(record[name])}, expected {expected}")
    return None


# ---- hh --------------------------------------------------------------------------------------


def _looks_hh(text: str) -> bool:
    return text.startswith(("\n\nHuman:", "Human:")) and "\n\nAssistant:" in text


def parse_transcript(text: str) -> list[dict] | str:
    """``"\\n\\nHuman: hi\\n\\nAssistant: yo"`` -> messages, or an error message (str)."""
    if text.startswith("Human:"):
        text = "\n\n" + text
    pieces = _HH_TURN.split(text)
    if pieces[0].strip():
        return "text before the first 'Human:' turn"
    messages = []
    for speaker, content in zip(pieces[1::2], pieces[2::2]):
        role = "user" if speaker == "Human" else "assistant"
        if messages and messages[-1]["role"] == role:
            return f"two {speaker} turns in a row (turn {len(messages) + 1})"
        messages.append({"role": role, "content": content.strip()})
    if not messages or messages[0]["role"] != "user":
        return "no 'Human:' turn at the start"
    if messages[-1]["role"] != "assistant":
        return "the transcript does not end with an 'Assistant:' turn"
    return messages


def _convert_hh(record: dict, origin: str) -> PreferencePair | Problem:
    problem = _fields(record, ("chosen", "rejected"), (str,))
    if problem:
        return problem
    turns = {}
    for name in ("chosen", "rejected"):
        parsed = parse_transcript(record[name])
        if isinstance(parsed, str):
            return Problem("unparseable", f"bad HH transcript in {name!r}: {parsed}")
        turns[name] = parsed
    chosen, rejected = turns["chosen"], turns["rejected"]
    if chosen[:-1] != rejected[:-1]:
        return Problem("prompt_mismatch", _mismatch(chosen[:-1], rejected[:-1]))
    return _pair(chosen[:-1], chosen[-1]["content"], rejected[-1]["content"], origin)


def _mismatch(a: list[dict], b: list[dict]) -> str:
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"chosen and rejected differ at prompt turn {i + 1} ({x['role']})"
    return f"chosen has {len(a)} prompt turns, rejected has {len(b)}"


# ---- trl -------------------------------------------------------------------------------------


def _messages(value: Any, name: str) -> list[dict] | Problem:
    if not isinstance(value, list):
        return Problem("wrong_type", f"{name!r} is {_type(value)}, expected a list of messages")
    messages = []
    for i, message in enumerate(value):
        where = f"{name}[{i}]"
        if not isinstance(message, dict):
            return Problem("wrong_type", f"{where} is {_type(message)}, expected a message object")
        if "role" not in message or "content" not in message:
            return Problem("missing_field", f"{where} needs 'role' and 'content'")
        if message["role"] not in ROLES:
            return Problem(
                "wrong_type",
                f"{where}.role is {message['role']!r}, expected one of {', '.join(ROLES)}",
            )
        if not isinstance(message["content"], str):
            return Problem(
                "wrong_type", f"{where}.content is {_type(message['content'])}, expected text"
            )
        messages.append({"role": message["role"], "content": message["content"]})
    return messages


def _response(value: Any, name: str) -> str | Problem:
    if isinstance(value, str):
        return value
    messages = _messages(value, name)
    if isinstance(messages, Problem):
        return messages
    if len(messages) != 1 or messages[0]["role"] != "assistant":
        return Problem(
            "bad_conversation",
            f"{name!r} must be text or one assistant message, got {len(messages)} message(s)",
        )
    return messages[0]["content"]


def _convert_trl(record: dict, origin: str) -> PreferencePair | Problem:
    for name in ("chosen", "rejected"):
        if name not in record or record[name] is None:
            return Problem("missing_field", f"no {name!r} field")
    prompt_value = record.get("prompt")
    if prompt_value is None:
        return _convert_trl_implicit(record, origin)
    if isinstance(prompt_value, str):
        prompt = [{"role": "user", "content": prompt_value}]
    else:
        prompt = _messages(prompt_value, "prompt")
        if isinstance(prompt, Problem):
            return prompt
    responses = {}
    for name in ("chosen", "rejected"):
        response = _response(record[name], name)
        if isinstance(response, Problem):
            return response
        responses[name] = response
    return _pair(prompt, responses["chosen"], responses["rejected"], origin)


def _convert_trl_implicit(record: dict, origin: str) -> PreferencePair | Problem:
    conversations = {}
    for name in ("chosen", "rejected"):
        if isinstance(record[name], str):
            return Problem("missing_field", f"no 'prompt' field and {name!r} is plain text")
        messages = _messages(record[name], name)
        if isinstance(messages, Problem):
            return messages
        if not messages or messages[-1]["role"] != "assistant":
            return Problem("bad_conversation", f"{name!r} must end with an assistant message")
        conversations[name] = messages
    chosen, rejected = conversations["chosen"], conversations["rejected"]
    if chosen[:-1] != rejected[:-1]:
        return Problem("prompt_mismatch", _mismatch(chosen[:-1], rejected[:-1]))
    return _pair(chosen[:-1], chosen[-1]["content"], rejected[-1]["content"], origin)


# ---- dsp -------------------------------------------------------------------------------------


def _convert_dsp(
    record: dict,
    origin: str,
    target: str | None,
) -> list[PreferencePair | Problem]:
    if target is None:
        raise DataError(
            f"{origin}: DSP records need a target domain; pass --target-domain "
            f"(target_domain=) with one of {', '.join(DSP_DOMAINS)}"
        )
    check_target_domain(target)
    problem = _fields(record, ("query",), (str,))
    if problem:
        return [problem]
    responses = record.get("responses", record)
    if not isinstance(responses, dict):
        return [Problem("wrong_type", f"'responses' is {_type(responses)}, expected an object")]
    if responses.get(target) is None:
        return [Problem("missing_field", f"no response for target domain {target!r}")]
    if not isinstance(responses[target], str):
        return [Problem("wrong_type", f"{target!r} is {_type(responses[target])}, expected text")]
    others = [d for d in DSP_DOMAINS if d != target and responses.get(d) is not None]
    if not others:
        return [Problem("missing_field", f"no response from a domain other than {target!r}")]
    prompt = [{"role": "user", "content": record["query"]}]
    items: list[PreferencePair | Problem] = []
    for domain in others:
        rejected = responses[domain]
        if not isinstance(rejected, str):
            items.append(Problem("wrong_type", f"{domain!r} is {_type(rejected)}, expected text"))
            continue
        item = _pair(prompt, responses[target], rejected, f"{origin}#{domain}")
        if isinstance(item, Problem):
            item = Problem(item.reason, f"{item.detail} (rejected domain {domain!r})")
        items.append(item)
    return items
