"""qadapter.secrets: redaction, the credential rule for sources, and SAFE_SOURCE_PATTERN."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qadapter.secrets import (
    SAFE_SOURCE_PATTERN,
    SECRET_PARAMS,
    has_credentials,
    redact,
    redact_url_only,
    refuse_credentials,
)

EXAMPLES = [  # (source, carries credentials)
    ("s3://bucket/prefix?X-Amz-Security-Token=IQoJb3JpZ2lu", True),
    ("s3://bucket/prefix?x-amz-security-token=abc", True),
    ("s3://user:pass@host/prefix", True),
    ("s3://AKIAEXAMPLE@bucket/prefix", True),
    ("hf://org/name?token=hf_abc", True),
    ("hf://org/name?split=train&TOKEN=hf_abc", True),
    ("hf://org/name?split=train;api_key=1", True),
    ("https://host/data.jsonl?X-Amz-Signature=deadbeef&X-Amz-Credential=AKIA", True),
    ("https://host/d.jsonl?sig=abc", True),
    ("https://host/d.jsonl?Signature=abc", True),
    ("s3://b/p?a=1?password=x", True),
    ("s3://b/p?key=", True),
    ("s3://b/p/x.jsonl?u=http://user:pw@h", True),
    ("s3://***@host/prefix", True),  # looks like userinfo: refused, whatever it holds
    ("s3://b/a&secret=x", True),
    ("hf://org/name?data_dir=harmless-base&split=test", False),
    ("hf://org/name?name=cfg&revision=v1", False),
    ("hf:///local/dataset/dir?split=train", False),
    ("s3://bucket/prefix/train.jsonl", False),
    ("s3://bucket/prefix?keys=1", False),
    ("s3://bucket/prefix?monkey=1&signatures=2&tokens=3", False),
    ("s3://bucket/prefix?key", False),  # a name without a value is no credential
    ("/data/prefs/train.jsonl", False),
    ("data/user@example.com/train.jsonl", False),  # @ in a local path, no ://
    ("C:/data/train.jsonl", False),
    ("relative/dir", False),
    ("", False),
    ("a:/b://c/d", False),
    ("file:///tmp/token=x.jsonl", False),  # "token=" not after ?, & or ;
]


@pytest.mark.parametrize("source, expected", EXAMPLES)
def test_safe_pattern_agrees_with_has_credentials_on_examples(source, expected):
    assert has_credentials(source) is expected
    assert (re.search(SAFE_SOURCE_PATTERN, source) is not None) is (not expected)


def test_examples_cover_both_sides_and_enough_cases():
    assert len(EXAMPLES) >= 20
    assert {flag for _, flag in EXAMPLES} == {True, False}


# Random strings over the characters the rule cares about: delimiters, colons, slashes, @, =,
# every letter of the parameter names in both cases, and a few others.
_ALPHABET = sorted(set(":/@=?&;#-_x. " + "".join(SECRET_PARAMS) + "".join(SECRET_PARAMS).upper()))
_FRAGMENTS = [
    ":",
    "/",
    "//",
    "://",
    "@",
    "?",
    "&",
    ";",
    "=",
    "x",
    "s3://b/p",
    "user:pw",
]
_FRAGMENTS += (
    list(SECRET_PARAMS) + [p.upper() for p in SECRET_PARAMS] + [p[:-1] for p in SECRET_PARAMS]
)
_SOURCES = st.one_of(
    st.text(alphabet=_ALPHABET, max_size=40),
    st.lists(st.sampled_from(_FRAGMENTS), max_size=12).map("".join),
)


@settings(max_examples=3000, deadline=None)
@given(_SOURCES)
def test_safe_pattern_agrees_with_has_credentials_on_random_strings(source):
    assert (re.search(SAFE_SOURCE_PATTERN, source) is not None) is (not has_credentials(source))


@settings(max_examples=500, deadline=None)
@given(_SOURCES)
def test_everything_redact_would_mask_is_refused(source):
    if redact_url_only(source) != source:
        assert has_credentials(source)


def test_pattern_works_as_a_pydantic_field_pattern():
    from pydantic import BaseModel, Field, ValidationError

    class Params(BaseModel):
        source: str = Field(pattern=SAFE_SOURCE_PATTERN)

    assert Params(source="s3://bucket/prefix").source == "s3://bucket/prefix"
    for source, flagged in EXAMPLES:
        if flagged:
            with pytest.raises(ValidationError):
                Params(source=source)
        else:
            assert Params(source=source).source == source


def test_pattern_uses_no_lookaround_or_inline_flags():
    for construct in ("(?=", "(?!", "(?<", "(?i", "\\Z", "\\A"):
        assert construct not in SAFE_SOURCE_PATTERN


def test_refuse_credentials_names_the_source_redacted_and_the_chains():
    with pytest.raises(ValueError) as info:
        refuse_credentials("s3://bucket/p?X-Amz-Security-Token=SeCrEtT0ken")
    message = str(info.value)
    assert "SeCrEtT0ken" not in message and "\n" not in message
    assert message.startswith(
        "source s3://bucket/p?X-Amz-Security-Token=*** carries credentials in its URL (the "
        "parameter 'X-Amz-Security-Token'); remove them and use the standard credential chains"
    )
    for hint in ("AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_ENDPOINT_URL", "HF_TOKEN"):
        assert hint in message
    assert refuse_credentials("s3://bucket/p") == "s3://bucket/p"
    with pytest.raises(
        ValueError,
        match=r"^source s3://\*\*\*@host/p carries credentials in its "
        r"URL \(an '@' after '://' \(user:password@ or token@\)\)",
    ):
        refuse_credentials("s3://user:pw@host/p")


def test_redact_masks_userinfo_query_values_and_secret_env(monkeypatch):
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "sEcReTvAlUe123")
    text = redact("http://user:pw@host:9000/x?token=abc&split=train failed: key sEcReTvAlUe123")
    assert text == "http://***@host:9000/x?token=***&split=train failed: key ***"
