"""A pairwise judge on any OpenAI-compatible chat-completions endpoint.

``POST {base_url}/chat/completions`` with the judging prompt below; the reply must contain
``Verdict: 1``, ``Verdict: 2`` or ``Verdict: tie`` (the last such line counts; a bare ``1``/``2``/
``tie`` reply is accepted too). Anything else is *unparsed*: its preference is None, it is counted
(``stats["unparsed"]``, and ``n_unparsed`` in the leaderboard), and its text is kept.

Robustness: 429, 5xx, timeouts and connection errors are retried up to ``max_retries`` times,
waiting ``Retry-After`` when the server sends one, else ``backoff_s * 2**attempt`` (capped at
``max_backoff_s``); other HTTP errors stop the run at once. Requests start at most
``requests_per_second`` per second, at most ``concurrency`` at a time (threads).

Every reply is cached on disk (``cache_dir``, default ``$QADAPTER_CACHE/judge-annotations``)
under ``sha256(judge config, rendered prompt with both outputs)``, before the next item is
returned: an interrupted run resumes without asking again. Unparsed replies are cached too
(asking again at temperature 0 would usually pay for the same text); delete the file to re-ask.

The API key is read from the environment variable ``api_key_env`` at construction; it is sent in
the Authorization header only, scrubbed from every message this module writes, absent from reprs,
and the judge refuses to be pickled. ``describe()["trusted"]`` is None: an LLM judge's own accuracy
is not measured here (it would cost a paid run over the test pairs).
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import logging
import os
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from typing import Callable, Sequence

import httpx

from ...secrets import redact, redact_url_only
from .base import JudgeError, JudgeItem, Verdict, render_conversation
from .cache import AnnotationCache

log = logging.getLogger(__name__)

PROMPT_VERSION = "qadapter-pairwise-v1"
SYSTEM_PROMPT = "You are a careful, impartial judge of AI assistant responses."
USER_TEMPLATE = """Two assistant responses to the same conversation follow. Decide which \
response is better: more helpful, more honest and more harmless, and better at doing what the \
user asked. The order in which they are shown says nothing about their quality, and a longer \
response is not better for its length alone.

## Conversation
{instruction}

## Response 1
{output_1}

## Response 2
{output_2}

Think briefly if you need to, then end your reply with exactly one line: "Verdict: 1" if \
Response 1 is better, "Verdict: 2" if Response 2 is better, or "Verdict: tie" if neither is \
better."""

_VERDICT = re.compile(r"verdict\s*[:=\-]?\s*[*\"'`]*\s*(1|2|tie)\b", re.IGNORECASE)
_PREFERENCE = {"1": 1.0, "2": 2.0, "tie": 1.5}


def parse_verdict(text: str) -> float | None:
    """Preference in {1.0, 2.0, 1.5} from a judge's reply, None when it states no verdict.

    >>> parse_verdict("Response 2 is right.\\nVerdict: 2"), parse_verdict("tie"), parse_verdict("?")
    (2.0, 1.5, None)
    """
    found = _VERDICT.findall(text or "")
    if found:
        return _PREFERENCE[found[-1].lower()]
    bare = (text or "").strip().strip("*\"'`.! \n").lower()
    return _PREFERENCE.get(bare)


@dataclass(frozen=True)
class OpenAIJudgeConfig:
    base_url: str = (
        "https://api.openai.com/v1"  # any OpenAI-compatible server (vLLM, llama.cpp, ...)
    )
    model: str = "gpt-4o-mini"
    api_key_env: str = "OPENAI_API_KEY"  # the *name* of the environment variable holding the key
    temperature: float = 0.0
    max_tokens: int = 256
    timeout_s: float = 60.0  # per request
    max_retries: int = 6  # retries after the first attempt, for 429 / 5xx / timeouts
    backoff_s: float = 1.0  # first retry delay without Retry-After; doubles each retry
    max_backoff_s: float = 60.0
    requests_per_second: float = 2.0  # request starts per second, all threads together
    concurrency: int = 4  # requests in flight at once
    cache_dir: str | None = None  # None: $QADAPTER_CACHE/judge-annotations


class RateLimiter:
    """Spaces request starts at least ``1 / rate`` seconds apart, across threads."""

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic):
        if rate <= 0:
            raise ValueError(f"requests_per_second must be > 0, got {rate}")
        self.interval, self.clock, self._next, self._lock = (
            1.0 / rate,
            clock,
            0.0,
            threading.Lock(),
        )

    def wait(self) -> None:
        with self._lock:
            now = self.clock()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            time.sleep(start - now)


def retry_after_s(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), None if absent."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None  # unreadable: fall back to exponential backoff
        return max(0.0, when.timestamp() - time.time())


class OpenAIJudge:
    """Pairwise judge on an OpenAI-compatible endpoint (module docstring for the behaviour)."""

    name = "openai"

    def __init__(
        self,
        cfg: OpenAIJudgeConfig = OpenAIJudgeConfig(),
        *,
        sleep: Callable[[float], None] = time.sleep,
    ):
        key = os.environ.get(cfg.api_key_env, "")
        if not key:
            raise JudgeError(
                f"openai judge: environment variable {cfg.api_key_env} is unset or empty; "
                "export the API key there (or set api_key_env to the variable that holds it)"
            )
        if cfg.concurrency < 1:
            raise JudgeError(f"openai judge: concurrency must be >= 1, got {cfg.concurrency}")
        from ...models import cache_dir

        self.cfg, self._secret, self._sleep = cfg, key, sleep
        self.url = cfg.base_url.rstrip("/") + "/chat/completions"
        self.cache = AnnotationCache(cfg.cache_dir or cache_dir() / "judge-annotations")
        self._limiter = RateLimiter(cfg.requests_per_second)
        self._client = httpx.Client(
            timeout=cfg.timeout_s, headers={"Authorization": f"Bearer {key}"}
        )
        self._lock = threading.Lock()
        self.stats = {
            "requests": 0,
            "retries": 0,
            "cache_hits": 0,
            "unparsed": 0,
            "judged": 0,
        }

    def __repr__(self) -> str:
        return f"OpenAIJudge(model={self.cfg.model!r}, base_url={self.scrub(self.cfg.base_url)!r})"

    def __reduce__(self):
        raise TypeError(
            "OpenAIJudge holds an API key and cannot be pickled; pass its OpenAIJudgeConfig instead"
        )

    def scrub(self, text: object) -> str:
        """``text`` without the API key (nor anything :func:`qadapter.secrets.redact` masks)."""
        return redact(str(text).replace(self._secret, "***"))

    def messages(self, item: JudgeItem) -> list[dict]:
        user = USER_TEMPLATE.format(
            instruction=render_conversation(item.prompt),
            output_1=item.output_1,
            output_2=item.output_2,
        )
        return [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": user},
        ]

    def cache_key(self, messages: list[dict]) -> str:
        """sha256 over the judge's identity (endpoint without credentials, model, sampling, prompt
        version) and the rendered messages, which hold the instruction and both outputs in order."""
        identity = {
            "base_url": redact_url_only(self.cfg.base_url),
            "model": self.cfg.model,
            "prompt": PROMPT_VERSION,
            "temperature": self.cfg.temperature,
            "max_tokens": self.cfg.max_tokens,
        }
        return hashlib.sha256(
            json.dumps([identity, messages], sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest()

    def judge(self, items: Sequence[JudgeItem]) -> list[Verdict]:
        with ThreadPoolExecutor(max_workers=self.cfg.concurrency) as pool:
            futures = [pool.submit(self._judge_one, it) for it in items]
            try:
                verdicts = [f.result() for f in futures]
            except BaseException:
                for f in futures:
                    f.cancel()
                raise
        unparsed = sum(v.preference is None for v in verdicts)
        if unparsed:
            log.warning(
                "openai judge: %d of %d replies stated no verdict (counted as unparsed)",
                unparsed,
                len(verdicts),
            )
        return verdicts

    def _judge_one(self, item: JudgeItem) -> Verdict:
        messages = self.messages(item)
        key = self.cache_key(messages)
        record = self.cache.get(key)
        hit = record is not None
        if not hit:
            record = {
                "raw_completion": self._complete(messages),
                "model": self.cfg.model,
                "prompt_version": PROMPT_VERSION,
            }
            self.cache.put(key, record)
        pref = parse_verdict(record["raw_completion"])
        with self._lock:
            self.stats["cache_hits"] += hit
            self.stats["judged"] += 1
            self.stats["unparsed"] += pref is None
        return Verdict(pref, record["raw_completion"], {"cache_hit": hit, "cache_key": key})

    def _complete(self, messages: list[dict]) -> str:
        payload = {
            "model": self.cfg.model,
            "messages": messages,
            "temperature": self.cfg.temperature,
            "max_tokens": self.cfg.max_tokens,
        }
        for attempt in range(self.cfg.max_retries + 1):
            self._limiter.wait()
            with self._lock:
                self.stats["requests"] += 1
            wait = None
            try:
                resp = self._client.post(self.url, json=payload)
            except httpx.TimeoutException:
                reason = f"timed out after {self.cfg.timeout_s} s"
            except httpx.TransportError as e:
                reason = f"connection error ({type(e).__name__}: {self.scrub(e)})"
            else:
                if resp.status_code == 200:
                    return self._content(resp)
                reason = f"HTTP {resp.status_code}"
                if resp.status_code != 429 and resp.status_code < 500:
                    raise JudgeError(
                        f"openai judge: {reason} from {self.scrub(self.url)}: "
                        f"{self.scrub(resp.text[:300])!r}; "
                        f"check base_url, model and the key in ${self.cfg.api_key_env}"
                    ) from None
                wait = retry_after_s(resp.headers.get("retry-after"))
            if attempt == self.cfg.max_retries:
                raise JudgeError(
                    f"openai judge: {reason} from {self.scrub(self.url)}, still failing after "
                    f"{self.cfg.max_retries} retries; rerun later (answers so far are cached)"
                ) from None
            delay = (
                wait
                if wait is not None
                else min(self.cfg.max_backoff_s, self.cfg.backoff_s * 2**attempt)
            )
            log.info(
                "openai judge: %s; retry %d/%d in %.2f s",
                reason,
                attempt + 1,
                self.cfg.max_retries,
                delay,
            )
            with self._lock:
                self.stats["retries"] += 1
            self._sleep(delay)
        raise AssertionError("unreachable")

    def _content(self, resp: httpx.Response) -> str:
        """The reply text; a 200 whose body is not a chat completion becomes an unparsed reply."""
        try:
            content = resp.json()["choices"][0]["message"]["content"]
            return content if isinstance(content, str) else json.dumps(content)
        except (ValueError, KeyError, IndexError, TypeError):
            return self.scrub(resp.text[:2000])

    def describe(self) -> dict:
        cfg = asdict(self.cfg)
        cfg["base_url"] = self.scrub(cfg["base_url"])
        return {
            "judge": self.name,
            "trusted": None,
            "prompt_version": PROMPT_VERSION,
            "config": cfg,
            **self.stats,
        }

    def close(self) -> None:
        self._client.close()
