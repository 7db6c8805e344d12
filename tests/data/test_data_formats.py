"""Format detection and conversion: hh, trl (text, messages, implicit prompt), dsp."""

from __future__ import annotations

import pytest

from qadapter.data import DataError
from qadapter.data.formats import Problem, convert, detect_format, parse_transcript
from qadapter.data.pairs import PreferencePair


def one(record, fmt="auto", **kw):
    items = convert(record, fmt, origin="f.jsonl:1", **kw)
    assert len(items) == 1
    return items[0]


def test_hh_single_turn(hh):
    pair = one({"chosen": hh("Hi there", "Hello!"), "rejected": hh("Hi there", "Go away")})
    assert pair == PreferencePair(({"role": "user", "content": "Hi there"},), "Hello!", "Go away")
    assert pair.origin == "f.jsonl:1"


def test_hh_multi_turn_prompt_is_shared_prefix(hh):
    chosen = hh("Hi", "Hello!", "How are you?", "Fine, thanks.")
    rejected = hh("Hi", "Hello!", "How are you?", "None of your business.")
    pair = one({"chosen": chosen, "rejected": rejected}, "hh")
    assert pair.prompt == (
        {"role": "user", "content": "Hi"},
        {"role": "assistant", "content": "Hello!"},
        {"role": "user", "content": "How are you?"},
    )
    assert (pair.chosen, pair.rejected) == ("Fine, thanks.", "None of your business.")


def test_hh_response_keeps_inner_newlines(hh):
    pair = one({"chosen": hh("List two", "1. a\n2. b"), "rejected": hh("List two", "no")})
    assert pair.chosen == "1. a\n2. b"


def test_hh_prompt_mismatch_is_an_error_not_fixed(hh):
    item = one({"chosen": hh("Hi", "Hello", "Q1", "A"), "rejected": hh("Hi", "Hey", "Q1", "B")})
    assert item == Problem(
        "prompt_mismatch", "chosen and rejected differ at prompt turn 2 (assistant)"
    )


def test_hh_bad_transcripts():
    assert parse_transcript("no markers at all") == "text before the first 'Human:' turn"
    assert parse_transcript("\n\nHuman: a\n\nHuman: b\n\nAssistant: c").startswith("two Human")
    assert parse_transcript("\n\nHuman: only a question") == (
        "the transcript does not end with an 'Assistant:' turn"
    )
    item = one(
        {
            "chosen": "\n\nHuman: q\n\nHuman: q\n\nAssistant: a",
            "rejected": "\n\nHuman: q\n\nAssistant: b",
        },
        "hh",
    )
    assert item.reason == "unparseable" and "'chosen'" in item.detail


def test_hh_empty_final_response(hh):
    item = one({"chosen": "\n\nHuman: q\n\nAssistant:", "rejected": hh("q", "b")})
    assert item.reason == "empty_response"


def test_trl_text_prompt_becomes_one_user_message():
    pair = one({"prompt": "What is 2+2?", "chosen": "4", "rejected": "5"})
    assert pair.prompt == ({"role": "user", "content": "What is 2+2?"},)
    assert (pair.chosen, pair.rejected) == ("4", "5")


def test_trl_conversational_explicit_prompt():
    record = {
        "prompt": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "Color of sky?"},
        ],
        "chosen": [{"role": "assistant", "content": "Blue."}],
        "rejected": "Green.",
    }
    pair = one(record, "trl")
    assert pair.prompt[0] == {"role": "system", "content": "Be brief."}
    assert (pair.chosen, pair.rejected) == ("Blue.", "Green.")


def test_trl_implicit_prompt():
    prefix = [
        {"role": "user", "content": "Hi"},
        {"role": "assistant", "content": "Hello"},
        {"role": "user", "content": "Joke?"},
    ]
    record = {
        "chosen": prefix + [{"role": "assistant", "content": "A pun."}],
        "rejected": prefix + [{"role": "assistant", "content": "No."}],
    }
    assert detect_format(record) == "trl"
    pair = one(record)
    assert pair.prompt == tuple(prefix)
    assert (pair.chosen, pair.rejected) == ("A pun.", "No.")


def test_trl_implicit_prompt_mismatch():
    record = {
        "chosen": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "a"}],
        "rejected": [{"role": "user", "content": "Yo"}, {"role": "assistant", "content": "b"}],
    }
    assert one(record).reason == "prompt_mismatch"


@pytest.mark.parametrize(
    "record, reason",
    [
        ({"prompt": "q", "chosen": "a"}, "missing_field"),
        ({"prompt": "q", "chosen": 3, "rejected": "b"}, "wrong_type"),
        ({"prompt": 7, "chosen": "a", "rejected": "b"}, "wrong_type"),
        (
            {"prompt": [{"role": "user", "content": 5}], "chosen": "a", "rejected": "b"},
            "wrong_type",
        ),
        (
            {"prompt": [{"role": "robot", "content": "q"}], "chosen": "a", "rejected": "b"},
            "wrong_type",
        ),
        ({"prompt": [{"role": "user"}], "chosen": "a", "rejected": "b"}, "missing_field"),
        ({"prompt": "q", "chosen": "  ", "rejected": "b"}, "empty_response"),
        ({"prompt": "q", "chosen": "same", "rejected": "same"}, "identical_responses"),
        ({"prompt": "", "chosen": "a", "rejected": "b"}, "empty_prompt"),
        (
            {
                "prompt": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "x"}],
                "chosen": "a",
                "rejected": "b",
            },
            "bad_conversation",
        ),
        (
            {"prompt": "q", "chosen": [{"role": "assistant", "content": "a"}] * 2, "rejected": "b"},
            "bad_conversation",
        ),
        ({"chosen": "a", "rejected": "b"}, "missing_field"),  # neither a prompt nor HH
        ({"text": "hello"}, "missing_field"),
        (["not", "an", "object"], "wrong_type"),
    ],
)
def test_trl_problems(record, reason):
    assert one(record).reason == reason


def test_null_prompt_column_from_tables_means_absent(hh):
    # Parquet / hf datasets fill missing columns with None: an HH row still detects as hh.
    record = {"prompt": None, "chosen": hh("q", "a"), "rejected": hh("q", "b")}
    assert detect_format(record) == "hh"
    assert one(record).chosen == "a"


DSP = {
    "query": "Explain gravity.",
    "responses": {
        "academy": "Gravity is a force.",
        "business": "Gravity drives markets.",
        "entertainment": "Gravity is a jerk!",
        "literature": "O gravity...",
        "normal": "A force.",
    },
}


def test_dsp_expands_target_against_every_other_domain():
    items = convert(DSP, origin="d.json[0]", target_domain="academy")
    assert [p.rejected for p in items] == [
        "Gravity drives markets.",
        "Gravity is a jerk!",
        "O gravity...",
        "A force.",
    ]
    assert all(p.chosen == "Gravity is a force." for p in items)
    assert all(p.prompt == ({"role": "user", "content": "Explain gravity."},) for p in items)
    assert items[0].origin == "d.json[0]#business"


def test_dsp_top_level_domains_and_partial_problems():
    record = {"query": "q", "academy": "A", "business": "", "literature": "A"}
    items = convert(record, "dsp", origin="x", target_domain="academy")
    assert [i.reason for i in items] == ["empty_response", "identical_responses"]
    items = convert(record, "dsp", origin="x", target_domain="entertainment")
    assert [i.reason for i in items] == ["missing_field"]


def test_dsp_without_target_domain_is_a_config_error():
    with pytest.raises(DataError, match="--target-domain"):
        convert(DSP, origin="d.json[0]")
    with pytest.raises(DataError, match="unknown DSP target domain 'sports'"):
        convert(DSP, origin="d.json[0]", target_domain="sports")


def test_unknown_format_is_a_config_error():
    with pytest.raises(DataError, match="unknown format 'xml'.*auto, hh, trl, dsp"):
        convert({"prompt": "q"}, "xml")
