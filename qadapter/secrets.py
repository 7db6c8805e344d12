"""The one place that knows what a secret looks like, and removes it from text.

Everything that writes text a person or a store will keep (error messages, logs, MLflow params
and tags, ``qadapter.json``, Prefect artifacts) passes it through :func:`redact` first.

What counts as a secret:

* ``user:password@`` (or ``token@``) userinfo in any URL: replaced by ``***@``;
* credential-looking query parameters (``X-Amz-Security-Token``, ``X-Amz-Signature``,
  ``X-Amz-Credential``, ``token``, ``access_token``, ``api_key``, ``key``, ``secret``, ``password``,
  ``sig``, ``signature``): their values replaced by ``***``;
* the values of environment variables whose names look secret (``*SECRET*``, ``*TOKEN*``,
  ``*PASSWORD*``, ``*ACCESS_KEY*``, ``*API_KEY*``, plus ``AWS_ACCESS_KEY_ID``), wherever they
  appear, when at least 4 characters long.
"""

from __future__ import annotations

import os
import re

_USERINFO = re.compile(r"(?<=://)[^/@\s?#]+@")
_SECRET_QUERY = re.compile(
    r"(?i)([?&;](?:x-amz-security-token|x-amz-signature|x-amz-credential|token|access_token|"
    r"api_key|apikey|key|secret|password|sig|signature)=)[^&#\s]*"
)
_SECRET_ENV_NAME = re.compile(r"SECRET|TOKEN|PASSWORD|PASSWD|ACCESS_KEY|API_KEY|AWS_ACCESS_KEY_ID")
MASK = "***"


def secret_env_values() -> list[str]:
    """Values of secret-looking environment variables, longest first (so substrings go last)."""
    values = {
        v for k, v in os.environ.items() if v and len(v) >= 4 and _SECRET_ENV_NAME.search(k.upper())
    }
    return sorted(values, key=len, reverse=True)


def redact(text: object) -> str:
    """``text`` with URL userinfo, credential query values and secret env values masked."""
    out = _USERINFO.sub(MASK + "@", str(text))
    out = _SECRET_QUERY.sub(lambda m: m.group(1) + MASK, out)
    for value in secret_env_values():
        out = out.replace(value, MASK)
    return out


def has_credentials(url: str) -> bool:
    """True if ``url`` carries credentials in its userinfo or query string."""
    return redact_url_only(url) != url


def redact_url_only(url: str) -> str:
    """Mask userinfo and credential query values of one URL (environment values untouched)."""
    return _SECRET_QUERY.sub(lambda m: m.group(1) + MASK, _USERINFO.sub(MASK + "@", url))
