"""The server's front door (an ASGI middleware): authentication, admission, bounded bodies.

In order, for every HTTP request:

1. **Bearer token** (optional, ``--api-key-env NAME``): every path but ``GET /health`` needs
   ``Authorization: Bearer <key>``; a missing or wrong key is a 401 (``invalid_api_key``). The
   key is compared in constant time and never logged or echoed.
2. **Admission** (``--max-queue``, default :data:`DEFAULT_MAX_QUEUE`): at most that many chat
   completions are inside the server at once (reading their body, tokenizing, waiting for the
   model or decoding); one more is answered 503 with ``Retry-After`` (``overloaded``) at once.
3. **Body limit** (``--max-body-bytes``, default :data:`DEFAULT_MAX_BODY` = 4 MiB): a larger
   ``Content-Length`` is answered 413 before a byte is read; a chunked body is cut off and
   answered 413 as soon as it passes the limit (``request_too_large``).
4. **Read timeout** (``--read-timeout``, default :data:`DEFAULT_READ_TIMEOUT` s): a body not
   complete that long after the request began is answered 408 (``request_timeout``), so a
   half-sent body holds its connection (and admission slot) for that long at most.

Every refusal is OpenAI's error body (``{"error": {"message", "type", "param", "code"}}``).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import time
from dataclasses import dataclass, field

from .protocol import error_body

CHAT_PATH = "/v1/chat/completions"
OPEN_PATHS = ("/health",)  # no key needed: for load balancers and start-up checks
DEFAULT_MAX_BODY = 4 * 1024 * 1024  # bytes; a chat request is text, 4 MiB is ~1M tokens
DEFAULT_READ_TIMEOUT = 30.0  # seconds from the request's start to its last body byte
DEFAULT_MAX_QUEUE = 64  # chat requests inside the server at once


@dataclass(frozen=True)
class GuardConfig:
    max_body_bytes: int = DEFAULT_MAX_BODY
    read_timeout: float = DEFAULT_READ_TIMEOUT
    max_queue: int = DEFAULT_MAX_QUEUE
    api_key: str | None = field(default=None, repr=False)  # never printed

    def __post_init__(self):
        if self.max_body_bytes < 1 or self.read_timeout <= 0 or self.max_queue < 1:
            raise ValueError("--max-body-bytes, --read-timeout and --max-queue must be positive")


class _Refused(Exception):
    def __init__(self, status: int, message: str, code: str, headers=()):
        super().__init__(message)
        self.status, self.code, self.headers = status, code, list(headers)


class Guard:
    """ASGI middleware applying :class:`GuardConfig` in front of ``app``."""

    def __init__(self, app, config: GuardConfig = GuardConfig()):
        self.app, self.config = app, config
        self.active = 0  # chat requests admitted and not finished

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        chat = scope["path"] == CHAT_PATH and scope["method"] == "POST"
        try:
            self._authorize(scope)
            if chat and self.active >= self.config.max_queue:
                raise _Refused(
                    503,
                    f"the server is at capacity ({self.active} requests in progress, "
                    "--max-queue); retry after a second",
                    "overloaded",
                    [(b"retry-after", b"1")],
                )
        except _Refused as r:
            return await _respond(send, r)
        if not chat and scope["method"] not in ("POST", "PUT", "PATCH"):
            return await self.app(scope, receive, send)
        self.active += chat
        try:
            try:
                body = await self._read(scope, receive)
            except _Refused as r:
                return await _respond(send, r)
            await self.app(scope, _replay(body, receive), send)
        finally:
            self.active -= chat

    def _authorize(self, scope) -> None:
        key = self.config.api_key
        if not key or scope["path"] in OPEN_PATHS:
            return
        given = dict(scope["headers"]).get(b"authorization", b"")
        scheme, _, token = given.partition(b" ")
        if scheme.lower() != b"bearer" or not hmac.compare_digest(token.strip(), key.encode()):
            raise _Refused(
                401,
                "missing or wrong API key; send the header 'Authorization: Bearer <key>' "
                "with the key the server was started with (--api-key-env)",
                "invalid_api_key",
                [(b"www-authenticate", b"Bearer")],
            )

    async def _read(self, scope, receive) -> bytes:
        limit = self.config.max_body_bytes
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            raise self._too_large(int(declared))
        deadline = time.monotonic() + self.config.read_timeout
        chunks, size = [], 0
        while True:
            left = deadline - time.monotonic()
            try:
                message = await asyncio.wait_for(receive(), max(left, 0.001))
            except asyncio.TimeoutError:
                raise _Refused(
                    408,
                    f"the request body was not complete after {self.config.read_timeout:g} s "
                    f"({size} bytes received); send the whole body at once",
                    "request_timeout",
                    [(b"connection", b"close")],
                ) from None
            if message["type"] == "http.disconnect":
                raise _Refused(400, "the client disconnected while sending", "disconnected")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise self._too_large(size)
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    def _too_large(self, size: int) -> _Refused:
        return _Refused(
            413,
            f"request body of {'at least ' if size else ''}{size} bytes exceeds the server's "
            f"limit of {self.config.max_body_bytes} bytes (--max-body-bytes); send a shorter "
            "conversation",
            "request_too_large",
            [(b"connection", b"close")],
        )


def _replay(body: bytes, receive):
    """A ``receive`` that hands the app the body read already, then the real one (disconnects)."""
    sent = False

    async def again():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return again


async def _respond(send, refused: _Refused) -> None:
    kind = "invalid_request_error" if refused.status < 500 else "server_error"
    payload = json.dumps(error_body(str(refused), kind=kind, code=refused.code)).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(payload))]
    start = {"type": "http.response.start", "status": refused.status}
    await send({**start, "headers": headers + refused.headers})
    await send({"type": "http.response.body", "body": payload})
