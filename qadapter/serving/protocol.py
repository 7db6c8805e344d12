"""OpenAI's chat-completions shapes: the request schema, responses, stream chunks, error bodies.

Requests are validated strictly from the raw JSON (``ChatRequest.parse``): a string where a
number belongs, a negative ``max_tokens`` or an unknown role is a 400 naming the field, never a
coercion. Unknown OpenAI fields (``frequency_penalty``, ``user``, ...) are ignored; ones whose
meaning this server cannot honour (``n`` > 1, ``stop``, ``tools``, ``logprobs``) are refused.
``alpha0`` is qadapter's extension: eq. 6's weight of log pi1 for this request (adapters only);
``ignore_eos`` (as in vLLM) decodes exactly ``max_tokens`` tokens (for benchmarks).
"""

from __future__ import annotations

import re
import time
import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..secrets import redact
from .engine import Result, Settings


class RequestError(ValueError):
    """A request the server refuses: HTTP ``status``, OpenAI error ``code`` and ``param``."""

    def __init__(self, message: str, *, status: int = 400, code: str | None = None, param=None):
        super().__init__(message)
        self.status, self.code, self.param = status, code, param


def error_body(message: str, *, kind: str = "invalid_request_error", code=None, param=None):
    """OpenAI's error object; the message is one line with secrets masked and absolute server
    paths shortened (:func:`hide_paths`)."""
    line = (str(message).strip().splitlines() or ["error"])[0]
    line = hide_paths(redact(line))
    return {"error": {"message": line, "type": kind, "param": param, "code": code}}


# an absolute POSIX path with at least one directory (not a URL's path, not the API's /v1/...)
_ABS_PATH = re.compile(r"(?<![\w.:/~-])/(?!v1/)(?:[^\s/'\"]+/)+([^\s/'\",;:)]*)")


def hide_paths(text: str) -> str:
    """``text`` with absolute server paths cut to their last component (``.../adapter``): a
    client learns which adapter or file, not where the server keeps it."""
    return _ABS_PATH.sub(lambda m: ".../" + m.group(1), text)


class TextPart(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")
    type: Literal["text"]
    text: str


class Message(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")
    role: Literal["system", "developer", "user", "assistant"]
    content: str | list[TextPart]

    def as_chat(self) -> dict:
        """``{"role", "content"}`` for the chat template (``developer`` is a system message)."""
        text = (
            self.content if isinstance(self.content, str) else "".join(p.text for p in self.content)
        )
        return {"role": "system" if self.role == "developer" else self.role, "content": text}


_UNSUPPORTED = {"stop": "stop sequences", "tools": "tool calls", "logprobs": "logprobs"}


class ChatRequest(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")

    model: str = Field(min_length=1)
    messages: list[Message] = Field(min_length=1)
    stream: bool = False
    temperature: float = Field(1.0, ge=0.0, le=2.0)  # 0: greedy
    top_p: float = Field(1.0, gt=0.0, le=1.0)
    max_tokens: int | None = Field(None, ge=1)
    max_completion_tokens: int | None = Field(None, ge=1)  # OpenAI's newer name
    seed: int | None = Field(None, ge=0, lt=2**63)
    alpha0: float | None = Field(None, ge=0.0)  # qadapter extension (eq. 6)
    ignore_eos: bool = False  # extension (as vLLM's): always max_tokens tokens (benchmarks)
    n: int = Field(1, ge=1, le=1)
    stop: str | list[str] | None = None
    tools: list | None = None
    logprobs: bool | None = None

    @field_validator("stop", "tools", "logprobs")
    @classmethod
    def _unsupported(cls, v, info):
        if v:
            what = _UNSUPPORTED[info.field_name]
            raise ValueError(f"{what} are not supported; drop '{info.field_name}'")
        return v

    @classmethod
    def parse(cls, body: bytes) -> "ChatRequest":
        """Validate a raw JSON body; :class:`RequestError` (400) naming the first bad field."""
        try:
            return cls.model_validate_json(body)
        except ValidationError as e:
            err = e.errors(include_url=False, include_input=False)[0]
            if err["type"] == "json_invalid":
                raise RequestError(
                    f"request body is not valid JSON ({err['msg']}); send a JSON object"
                ) from None
            where = ".".join(str(p) for p in err["loc"]) or "body"
            msg = err["msg"].removeprefix("Value error, ")
            raise RequestError(f"{where}: {msg}", param=where) from None

    def settings(self, default_max_tokens: int) -> Settings:
        return Settings(
            max_tokens=self.max_completion_tokens or self.max_tokens or default_max_tokens,
            temperature=self.temperature,
            top_p=self.top_p,
            seed=self.seed,
            alpha0=self.alpha0,
            ignore_eos=self.ignore_eos,
        )

    def chat(self) -> list[dict]:
        return [m.as_chat() for m in self.messages]


def completion_id() -> str:
    return "chatcmpl-" + uuid.uuid4().hex[:24]


def completion(cid: str, model: str, result: Result) -> dict:
    """A ``chat.completion`` object for one finished request."""
    return {
        "id": cid,
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": result.text},
                "finish_reason": result.finish_reason,
            }
        ],
        "usage": usage(result),
    }


def usage(result: Result) -> dict:
    return {
        "prompt_tokens": result.prompt_tokens,
        "completion_tokens": result.completion_tokens,
        "total_tokens": result.prompt_tokens + result.completion_tokens,
    }


def chunk(cid: str, model: str, created: int, delta: dict, finish_reason=None, **extra) -> dict:
    """A ``chat.completion.chunk`` (one server-sent event of a stream)."""
    return {
        "id": cid,
        "object": "chat.completion.chunk",
        "created": created,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
        **extra,
    }
