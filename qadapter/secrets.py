"""The one place that knows what a secret looks like: it removes secrets from text and refuses
sources that carry them.

Everything that writes text a person or a store will keep (error messages, logs, MLflow params
and tags, ``qadapter.json``, Prefect artifacts) passes it through :func:`redact` first.

What counts as a secret in text:

* ``user:password@`` (or ``token@``) userinfo in any URL: replaced by ``***@``;
* credential-looking query parameters (:data:`SECRET_PARAMS`: ``X-Amz-Security-Token``,
  ``X-Amz-Signature``, ``token``, ``api_key``, ...): their values replaced by ``***``;
* the values of environment variables whose names look secret (``*SECRET*``, ``*TOKEN*``,
  ``*PASSWORD*``, ``*ACCESS_KEY*``, ``*API_KEY*``, plus ``AWS_ACCESS_KEY_ID``), wherever they
  appear, when at least 4 characters long.

Sources (data URIs) are stricter: a source string *carries credentials* (:func:`has_credentials`)
when an ``@`` follows its first ``://`` (userinfo, and anything that could be mistaken for it) or
when one of :data:`SECRET_PARAMS` appears as a parameter name after ``?``, ``&`` or ``;``. Such a
source is refused (:func:`refuse_credentials`), never stripped: credentials come from the standard
chains instead. :data:`SAFE_SOURCE_PATTERN` is the same rule as a regular expression without
look-around, usable by Python ``re``, pydantic ``Field(pattern=...)`` (Rust regex) and JSON Schema,
so a server can reject such a parameter before it stores it.
"""

from __future__ import annotations

import os
import re

MASK = "***"
SECRET_PARAMS = (
    "x-amz-security-token",
    "x-amz-signature",
    "x-amz-credential",
    "token",
    "access_token",
    "api_key",
    "apikey",
    "key",
    "secret",
    "password",
    "sig",
    "signature",
)  # query parameter names (case-insensitive) whose values are credentials
CREDENTIAL_CHAINS = (
    "use the standard credential chains instead: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/"
    "AWS_SESSION_TOKEN, AWS_PROFILE or an instance role for s3:// (AWS_ENDPOINT_URL for "
    "S3-compatible stores), HF_TOKEN or `huggingface-cli login` for hf://"
)

_USERINFO = re.compile(r"(?<=://)[^/@\s?#]+@")
_PARAM_NAMES = "|".join(re.escape(name) for name in SECRET_PARAMS)
_SECRET_QUERY = re.compile(rf"(?i)([?&;](?:{_PARAM_NAMES})=)[^&#\s]*")
_SOURCE_USERINFO = re.compile(r"://.*@", re.DOTALL)  # any @ after the first ://
_SECRET_ENV_NAME = re.compile(r"SECRET|TOKEN|PASSWORD|PASSWD|ACCESS_KEY|API_KEY|AWS_ACCESS_KEY_ID")


def secret_env_values() -> list[str]:
    """Values of secret-looking environment variables, longest first (so substrings go last)."""
    values = {
        v for k, v in os.environ.items() if v and len(v) >= 4 and _SECRET_ENV_NAME.search(k.upper())
    }
    return sorted(values, key=len, reverse=True)


def redact(text: object) -> str:
    """``text`` with URL userinfo, credential query values and secret env values masked."""
    out = redact_url_only(str(text))
    for value in secret_env_values():
        out = out.replace(value, MASK)
    return out


def redact_url_only(url: str) -> str:
    """Mask userinfo and credential query values of one URL (environment values untouched)."""
    return _SECRET_QUERY.sub(lambda m: m.group(1) + MASK, _USERINFO.sub(MASK + "@", url))


def has_credentials(url: str) -> bool:
    """True if ``url`` carries credentials: an ``@`` after its first ``://``, or a parameter
    named in :data:`SECRET_PARAMS` after ``?``, ``&`` or ``;``. Everything :func:`redact_url_only`
    masks is covered (so a refused-or-clean source never needs masking)."""
    return bool(_SOURCE_USERINFO.search(url) or _SECRET_QUERY.search(url))


def refuse_credentials(source: str, kind: type[Exception] = ValueError) -> str:
    """``source`` unchanged if it carries no credentials, else raise ``kind`` with one line that
    names the source (redacted) and the credential chains to use instead."""
    if has_credentials(source):
        query = _SECRET_QUERY.search(source)
        what = (
            f"the parameter {query.group(1)[1:-1]!r}"
            if query
            else "an '@' after '://' (user:password@ or token@)"
        )
        raise kind(
            f"source {redact(source)} carries credentials in its URL ({what}); remove them and "
            f"{CREDENTIAL_CHAINS}"
        )
    return source


# ---- SAFE_SOURCE_PATTERN: has_credentials() as a look-around-free regular expression ----------
#
# The language "no @ after the first ://, and no [?&;]NAME= anywhere" is built from units, each of
# which leaves the string in a known state (see tests/test_secrets.py for the property test that
# it agrees with has_credentials on random strings):
#   D      = [?&;], a parameter delimiter;
#   walk   = D, then a path p down the trie of SECRET_PARAMS, then a character that leaves the trie
#            (not a child of p, not "=" when p is a whole name, not ":" and not a delimiter);
#   pend   = D, then a path p down the trie, followed only by a delimiter, a colon block or the end;
#   K      = a colon block ":+(/:+)*" (so "//" may never follow one, which would make "://").
# Before the first "://": (plain | pend* K/? plain' | pend* (K/?)? walk)* pend* (K/?)?
# After it: no "@", and the same trie rule with no colon bookkeeping.


def _trie(names: tuple[str, ...]) -> dict:
    root: dict = {}
    for name in names:
        node = root
        for ch in name:
            node = node.setdefault(ch, {})
        node[""] = {}  # end of a whole name
    return root


def _chars(ch: str) -> str:
    """The literal characters of one trie letter, both cases."""
    return ch.lower() + ch.upper() if ch.isalpha() else ch


def _class(chars: str, negate: bool) -> str:
    escaped = "".join("\\" + c if c in "\\]^-[" else c for c in dict.fromkeys(chars))
    return f"[{'^' if negate else ''}{escaped}]"


def _atom(ch: str) -> str:
    both = _chars(ch)
    return (
        _class(both, False) if len(both) > 1 else re.escape(ch) if ch in ".^$*+?()[]{}|\\" else ch
    )


def _walk(node: dict, excluded: str) -> str:
    """Regex for a trie path from ``node`` followed by one character that leaves the trie."""
    children = [ch for ch in node if ch]
    stop = excluded + "".join(_chars(ch) for ch in children) + ("=" if "" in node else "")
    alternatives = [_class(stop, True)] + [_atom(ch) + _walk(node[ch], excluded) for ch in children]
    return "(?:" + "|".join(alternatives) + ")"


def _prefix(node: dict) -> str:
    """Regex for any trie path from ``node`` (possibly empty)."""
    children = [ch for ch in node if ch]
    if not children:
        return ""
    return "(?:" + "|".join(_atom(ch) + _prefix(node[ch]) for ch in children) + ")?"


def _safe_source_pattern(names: tuple[str, ...]) -> str:
    trie = _trie(names)
    d = "[?&;]"
    colon = "(?::+(?:/:+)*/?)"  # a colon block, optionally followed by one "/"
    walk_head = d + _walk(trie, ":?&;")
    pend = f"(?:{colon}?{d}{_prefix(trie)})"
    before = f"(?:[^:?&;]|{pend}*{colon}[^:/?&;]|{pend}*{colon}?{walk_head})*{pend}*{colon}?"
    after = f"[^?&;@]*(?:{d}(?:{_walk(trie, '?&;@')}[^?&;@]*|{_prefix(trie)}))*"
    return f"^{before}(?:://{after})?$"


SAFE_SOURCE_PATTERN = _safe_source_pattern(SECRET_PARAMS)
