"""The one place that knows what a secret looks like: it removes secrets from text and refuses
sources that carry them.

Everything that writes text a person or a store will keep (error messages, logs, MLflow params
and tags, ``qadapter.json``, Prefect artifacts) passes it through :func:`redact` first.

Two definitions, used by both the refusal (:func:`has_credentials`) and the mask
(:func:`mask_url`), so that the two can never disagree:

* **user-info** (:data:`USERINFO`): everything between a URL's first ``://`` and the *last*
  ``@`` after it, whatever it holds (``user:password``, a token, an AWS secret key with ``/``
  in it). In a source string the whole string is the URL; in free text (:func:`redact`) each
  whitespace-free word is.
* **sensitive parameter names** (:func:`is_sensitive_name`, case-insensitive): any name that
  contains one of :data:`SECRET_WORDS` (``secret``, ``token``, ``signature``, ``credential``,
  ``password``, ``passwd``, ``key``: this covers AWS's ``X-Amz-Signature``,
  ``X-Amz-Credential``, ``X-Amz-Security-Token``, GCS's ``X-Goog-Signature``,
  ``X-Goog-Credential``, ``client_secret``, ``private_token``, ``api_key``) or is one of
  :data:`SECRET_NAMES` (Azure SAS's ``sig``, GCS v2's ``GoogleAccessId``, ``pwd``, ``auth``, ...).
  A query parameter is such a name after ``?``, ``&`` or ``;`` and followed by ``=``; the same
  rule masks MLflow params by their key (:func:`mask_param`).

The values of environment variables whose names look secret (``*SECRET*``, ``*TOKEN*``,
``*PASSWORD*``, ``*ACCESS_KEY*``, ``*API_KEY*``, plus ``AWS_ACCESS_KEY_ID``) are masked wherever
they appear, when at least 4 characters long.

Sources (data URIs) are refused, never stripped (:func:`refuse_credentials`): credentials come
from the standard chains instead. The refusal names the source with :func:`mask_url` applied.
"""

from __future__ import annotations

import os
import re

MASK = "***"
SECRET_WORDS = ("secret", "token", "signature", "credential", "password", "passwd", "key")
SECRET_NAMES = ("sig", "pwd", "pass", "auth", "authorization", "googleaccessid")
CREDENTIAL_CHAINS = (
    "use the standard credential chains instead: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/"
    "AWS_SESSION_TOKEN, AWS_PROFILE or an instance role for s3:// (AWS_ENDPOINT_URL for "
    "S3-compatible stores), HF_TOKEN or `huggingface-cli login` for hf://"
)

USERINFO = re.compile(r"://.*@", re.DOTALL)  # from the first :// to the last @ after it
_QUERY_PARAM = re.compile(r"([?&;])([^=?&;#\s]*)=([^?&;#\s]*)")  # delimiter, name, value
_WORD = re.compile(r"\S+")
_SECRET_ENV_NAME = re.compile(r"SECRET|TOKEN|PASSWORD|PASSWD|ACCESS_KEY|API_KEY|AWS_ACCESS_KEY_ID")


def is_sensitive_name(name: str) -> bool:
    """True for a parameter (or MLflow param) name whose value is a credential."""
    low = name.strip().lower()
    return any(w in low for w in SECRET_WORDS) or low in SECRET_NAMES


def sensitive_params(url: str) -> list[str]:
    """The names of ``url``'s query parameters whose values are credentials, in order."""
    return [m.group(2) for m in _QUERY_PARAM.finditer(url) if is_sensitive_name(m.group(2))]


def mask_url(url: str) -> str:
    """``url`` with its user-info (:data:`USERINFO`) and sensitive parameter values masked."""
    out = USERINFO.sub("://" + MASK + "@", url, count=1)

    def param(m: re.Match) -> str:
        keep = not is_sensitive_name(m.group(2))
        return f"{m.group(1)}{m.group(2)}={m.group(3) if keep else MASK}"

    return _QUERY_PARAM.sub(param, out)


def has_credentials(url: str) -> bool:
    """True if ``url`` carries credentials: user-info (an ``@`` after its first ``://``) or a
    sensitive parameter with a value. Exactly what :func:`mask_url` masks."""
    return bool(USERINFO.search(url) or sensitive_params(url))


def secret_env_values() -> list[str]:
    """Values of secret-looking environment variables, longest first (so substrings go last)."""
    values = {
        v for k, v in os.environ.items() if v and len(v) >= 4 and _SECRET_ENV_NAME.search(k.upper())
    }
    return sorted(values, key=len, reverse=True)


def redact(text: object) -> str:
    """``text`` with every word's user-info and credential parameter values masked (each
    whitespace-free word read as a URL), then secret environment values masked."""
    out = _WORD.sub(lambda m: mask_url(m.group(0)), str(text))
    for value in secret_env_values():
        out = out.replace(value, MASK)
    return out


def redact_url_only(url: str) -> str:
    """Mask user-info and credential query values of one URL (environment values untouched)."""
    return mask_url(url)


def mask_param(key: str, value: object) -> str:
    """The text an MLflow param ``key`` may store for ``value``: ``***`` when the key's last
    component is a sensitive name, else ``value`` redacted."""
    if is_sensitive_name(key.rsplit(".", 1)[-1]):
        return MASK
    return redact(value)


def refuse_credentials(source: str, kind: type[Exception] = ValueError) -> str:
    """``source`` unchanged if it carries no credentials, else raise ``kind`` with one line that
    names the source (masked) and the credential chains to use instead."""
    if has_credentials(source):
        names = sensitive_params(source)
        what = (
            f"the parameter {names[0]!r}"
            if names
            else "user-info before an '@' after '://' (user:password, a token or a key)"
        )
        shown = redact(mask_url(source))
        raise kind(
            f"source {shown} carries credentials in its URL ({what}); remove them and "
            f"{CREDENTIAL_CHAINS}"
        )
    return source
