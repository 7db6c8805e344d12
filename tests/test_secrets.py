"""qadapter.secrets: one definition of user-info and of sensitive names, shared by the refusal
and the mask; a property test that every URL with a credential is refused and masked."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qadapter.secrets import (
    MASK,
    has_credentials,
    is_sensitive_name,
    mask_param,
    mask_url,
    redact,
    redact_url_only,
    refuse_credentials,
)

EXAMPLES = [  # (source, carries credentials)
    ("s3://bucket/prefix?X-Amz-Security-Token=IQoJb3JpZ2lu", True),
    ("s3://bucket/prefix?x-amz-security-token=abc", True),
    ("s3://user:pass@host/prefix", True),
    ("s3://AKIAEXAMPLE@bucket/prefix", True),
    ("s3://AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY@bucket/p", True),
    ("hf://org/name?token=hf_abc", True),
    ("hf://org/name?split=train&TOKEN=hf_abc", True),
    ("hf://org/name?split=train;api_key=1", True),
    ("https://host/data.jsonl?X-Amz-Signature=deadbeef&X-Amz-Credential=AKIA", True),
    ("https://storage.googleapis.com/b/o?X-Goog-Signature=ab12&X-Goog-Credential=sa%40p", True),
    ("https://storage.googleapis.com/b/o?GoogleAccessId=sa@p&Expires=1&Signature=ab", True),
    ("https://acct.blob.core.windows.net/c/b?sv=2022-11-02&se=2026&sp=r&sig=abc%3D", True),
    ("https://host/d.jsonl?client_secret=abc", True),
    ("https://host/d.jsonl?private_token=abc", True),
    ("https://host/d.jsonl?Signature=abc", True),
    ("s3://b/p?a=1?password=x", True),
    ("s3://b/p?key=", True),
    ("s3://bucket/prefix?keys=1", True),  # *key*: a name containing key is treated as one
    ("s3://bucket/prefix?monkey=1&signatures=2&tokens=3", True),
    ("s3://b/p/x.jsonl?u=http://user:pw@h", True),
    ("s3://***@host/prefix", True),  # looks like userinfo: refused, whatever it holds
    ("s3://b/a&secret=x", True),
    ("hf://org/name?data_dir=harmless-base&split=test", False),
    ("hf://org/name?name=cfg&revision=v1", False),
    ("hf:///local/dataset/dir?split=train", False),
    ("https://acct.blob.core.windows.net/c/b?sv=2022-11-02&se=2026&sp=r", False),  # no sig
    ("s3://bucket/prefix/train.jsonl", False),
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
def test_refusal_and_mask_agree_on_examples(source, expected):
    assert has_credentials(source) is expected
    assert (mask_url(source) != source) is expected or source.startswith("s3://***@")
    if expected:
        with pytest.raises(ValueError):
            refuse_credentials(source)
    else:
        assert refuse_credentials(source) == source


def test_examples_cover_both_sides_and_enough_cases():
    assert len(EXAMPLES) >= 30
    assert {flag for _, flag in EXAMPLES} == {True, False}


def test_the_issue_aws_key_with_slashes_is_not_printed():
    key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    with pytest.raises(ValueError) as info:
        refuse_credentials(f"s3://AKIAIOSFODNN7EXAMPLE:{key}@bucket/p")
    msg = str(info.value)
    assert "AKIAIOSFODNN7EXAMPLE" not in msg and "K7MDENG" not in msg and "EXAMPLEKEY" not in msg
    assert msg.startswith("source s3://***@bucket/p carries credentials")


@pytest.mark.parametrize(
    "name, sensitive",
    [
        ("X-Amz-Signature", True),
        ("X-Amz-Credential", True),
        ("X-Amz-Security-Token", True),
        ("X-Goog-Signature", True),
        ("X-Goog-Credential", True),
        ("sig", True),
        ("client_secret", True),
        ("private_token", True),
        ("apiKey", True),
        ("db_password", True),
        ("GoogleAccessId", True),
        ("split", False),
        ("revision", False),
        ("sv", False),
        ("se", False),
        ("data_dir", False),
    ],
)
def test_sensitive_names(name, sensitive):
    assert is_sensitive_name(name) is sensitive


# ---- the property: any URL with a credential is refused, and the mask removes the credential -

_SECRET = st.text(
    alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+_", min_size=12
).filter(lambda s: "://" not in s)
_USERINFO = st.builds(
    lambda user, secret, sep: f"{user}{sep}{secret}",
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", max_size=8),
    _SECRET,
    st.sampled_from([":", ":", "", "%3A"]),
)
_PROVIDER_NAMES = [
    "X-Amz-Signature",
    "X-Amz-Credential",
    "X-Amz-Security-Token",
    "X-Goog-Signature",
    "X-Goog-Credential",
    "sig",
    "Signature",
    "client_secret",
    "private_token",
    "access_token",
    "api_key",
    "password",
]
_GENERIC_NAME = st.builds(
    lambda pre, word, post, upper: (pre + word + post).upper() if upper else pre + word + post,
    st.sampled_from(["", "x-", "my_", "client", "X-Custom-"]),
    st.sampled_from(["secret", "token", "signature", "credential", "password", "key"]),
    st.sampled_from(["", "s", "_v2", "Id"]),
    st.booleans(),
)
_NAME = st.one_of(st.sampled_from(_PROVIDER_NAMES), _GENERIC_NAME)
_SCHEME = st.sampled_from(["s3", "gs", "https", "http", "hf", "az", "abfss"])
_HOST = st.from_regex(r"[a-z][a-z0-9.-]{0,12}", fullmatch=True)
_PATH = st.from_regex(r"(/[A-Za-z0-9._-]{1,8}){0,3}", fullmatch=True)
_PLAIN = st.lists(
    st.tuples(
        st.sampled_from(["split", "sv", "se", "sp", "revision"]),
        st.from_regex(r"[a-z0-9]{1,6}", fullmatch=True),
    ),
    max_size=3,
)


@st.composite
def _credentialed_urls(draw):
    """(url, the credential it carries)."""
    scheme, host, path = draw(_SCHEME), draw(_HOST), draw(_PATH)
    params = [f"{k}={v}" for k, v in draw(_PLAIN)]
    if draw(st.booleans()):
        secret = draw(_USERINFO)
        query = ("?" + "&".join(params)) if params else ""
        return f"{scheme}://{secret}@{host}{path}{query}", secret
    secret = draw(_SECRET)
    params.insert(draw(st.integers(0, len(params))), f"{draw(_NAME)}={secret}")
    sep = draw(st.sampled_from(["&", "&", ";"]))
    return f"{scheme}://{host}{path}?" + sep.join(params), secret


@settings(max_examples=600, deadline=None)
@given(_credentialed_urls())
def test_any_url_with_a_credential_is_refused_and_masked(case):
    url, secret = case
    assert has_credentials(url)
    with pytest.raises(ValueError) as info:
        refuse_credentials(url)
    message = str(info.value)
    assert secret not in message and "\n" not in message
    assert secret not in mask_url(url)
    assert secret not in redact(f"reading {url} failed: timed out")
    assert MASK in mask_url(url)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=sorted(set(":/@=?&;#-_x. sigkeytokenSIG")), max_size=40))
def test_everything_the_mask_changes_is_refused(source):
    if redact_url_only(source) != source:
        assert has_credentials(source)


def test_mlflow_params_never_store_sensitive_values(monkeypatch):
    """The flows' parent run logs ``tasks.tracking.flatten(params)``: sensitive keys and
    credentials inside values are masked, lists included."""
    from tasks.tracking import flatten

    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY", raising=False)
    params = {
        "data": {
            "source": "https://h/d.jsonl?X-Goog-Signature=gsig123&split=train",
            "sources": ["s3://AKIAX:abc/def@bucket/p", "hf://org/n?private_token=ptok9"],
        },
        "judge": {"api_key": "sk-plain-value", "client_secret": "12345678"},
        "alpha0": 0.5,
    }
    flat = flatten(params)
    text = repr(flat)
    for secret in ("gsig123", "AKIAX", "abc/def", "ptok9", "sk-plain-value", "12345678"):
        assert secret not in text, secret
    assert flat["alpha0"] == 0.5 and flat["judge.api_key"] == MASK
    assert flat["data.source"] == "https://h/d.jsonl?X-Goog-Signature=***&split=train"
    assert mask_param("train.lr", 0.1) == "0.1"


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
        match=r"^source s3://\*\*\*@host/p carries credentials in its URL \(user-info",
    ):
        refuse_credentials("s3://user:pw@host/p")


def test_redact_masks_userinfo_query_values_and_secret_env(monkeypatch):
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "sEcReTvAlUe123")
    text = redact("http://user:pw@host:9000/x?token=abc&split=train failed: key sEcReTvAlUe123")
    assert text == "http://***@host:9000/x?token=***&split=train failed: key ***"
