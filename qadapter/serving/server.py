"""``qadapter serve``: an OpenAI-compatible HTTP server (FastAPI) over one :class:`Engine`.

    GET  /health                 {"status": "ok", "models": [...], "queued": n}
    GET  /v1/models              the served models: the bare base and every loaded adapter
    POST /v1/chat/completions    OpenAI chat completions, ``stream`` false or true (server-sent
                                 events ending in ``data: [DONE]``), plus ``alpha0`` (eq. 6)

Every refused request gets OpenAI's error body (``{"error": {"message", "type", "param",
"code"}}``) with a 4xx status and one line saying what was wrong and what to do: 400 for a body
that is not JSON or breaks the schema, 404 for an unknown model or path, 405 for a wrong method,
401 / 408 / 413 / 503 from the front door (:mod:`qadapter.serving.guard`: API key, read timeout,
body limit, a full queue). A failure inside the server is a 500 with the same shape and no
traceback (that goes to the server's log). Messages pass through
:func:`qadapter.secrets.redact` and show no absolute server path
(:func:`qadapter.serving.protocol.hide_paths`).

Nothing slow runs on the event loop: request bodies are parsed and prompts rendered and
tokenized on a small pool of their own (``tokenize_workers`` threads); registry references are
resolved by :class:`qadapter.serving.lookup.RegistryLookup` on another (short timeout, bounded,
negative cache: 503 with ``Retry-After`` when the tracking server is slow). A request for a model
already held touches neither pool's queue of lookups, so a dead tracking server never delays it.
A conversation with more characters than the context could hold in tokens (context length x the
longest token's characters) is refused before it is tokenized.

Run it with ``qadapter serve ...`` or ``python -m qadapter.serving.server ...`` (same flags).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..data.tokenize import encode_prompt
from ..meta import AdapterError
from ..secrets import redact
from .catalog import UnknownModel
from .engine import Engine, Job
from .guard import Guard, GuardConfig
from .lookup import LookupConfig, RegistryBusy, RegistryLookup
from .protocol import (
    ChatRequest,
    RequestError,
    chunk,
    completion,
    completion_id,
    error_body,
    hide_paths,
    usage,
)

log = logging.getLogger("qadapter.serve")


def _error(status: int, message: str, headers=None, **kw) -> JSONResponse:
    kind = "invalid_request_error" if status < 500 else "server_error"
    return JSONResponse(error_body(message, kind=kind, **kw), status_code=status, headers=headers)


def create_app(
    engine: Engine,
    *,
    default_max_tokens: int = 256,
    guard: GuardConfig = GuardConfig(),
    lookup: LookupConfig = LookupConfig(),
    tokenize_workers: int = 2,
) -> FastAPI:
    """The FastAPI application; starts the engine's worker on startup and stops it on shutdown."""
    registry = RegistryLookup(engine, lookup)
    pool = ThreadPoolExecutor(tokenize_workers, thread_name_prefix="qadapter-tokenize")
    max_chars = prompt_char_limit(engine)

    async def off_loop(fn, *args):
        return await asyncio.get_running_loop().run_in_executor(pool, fn, *args)

    @asynccontextmanager
    async def lifespan(app):
        engine.start()
        yield
        engine.stop()
        registry.close()
        pool.shutdown(wait=False, cancel_futures=True)

    app = FastAPI(title="qadapter serve", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.add_middleware(Guard, config=guard)
    app.state.lookup = registry

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request, exc):
        what = {404: "no such endpoint", 405: "method not allowed"}.get(exc.status_code)
        msg = f"{what or exc.detail}: {request.method} {request.url.path}"
        return _error(exc.status_code, msg + "; see GET /v1/models and POST /v1/chat/completions")

    @app.exception_handler(Exception)
    async def server_error(request, exc):
        log.error("internal error on %s: %s", request.url.path, redact(repr(exc)))
        return _error(500, "internal server error; see the server log")

    @app.get("/health")
    async def health():
        return {"status": "ok", "models": sorted(list(engine.models)), "queued": engine.queued}

    @app.get("/v1/models")
    async def models():
        return {
            "object": "list",
            "data": [_model_card(n, s) for n, s in list(engine.models.items())],
        }

    @app.post("/v1/chat/completions")
    async def chat(request: Request):
        try:
            req = await off_loop(ChatRequest.parse, await request.body())
            served = await registry.served(req.model)
            messages = req.chat()
            _check_chars(messages, max_chars, engine.context_length)
            prompt = await off_loop(_render, engine.base.tokenizer, messages)
        except RequestError as e:
            return _error(e.status, str(e), code=e.code, param=e.param)
        except UnknownModel as e:
            return _error(404, str(e), code="model_not_found", param="model")
        except RegistryBusy as e:
            retry = {"Retry-After": str(e.retry_after)}
            return _error(503, str(e), headers=retry, code="registry_unavailable", param="model")
        except (AdapterError, ValueError) as e:  # an adapter that cannot load, a template error
            return _error(400, f"model {req.model!r}: {e}", param="model")
        loop = asyncio.get_running_loop()
        events: asyncio.Queue = asyncio.Queue()
        job = Job(
            served,
            prompt,
            req.settings(default_max_tokens),
            lambda ev: loop.call_soon_threadsafe(events.put_nowait, ev),
            stream=req.stream,
        )
        try:
            engine.submit(job)
        except ValueError as e:  # context too long, alpha0 out of range
            param = "alpha0" if "alpha" in str(e) else "max_tokens"
            return _error(400, str(e), param=param)
        if req.stream:
            return StreamingResponse(_sse(job, events, req.model), media_type="text/event-stream")
        try:
            kind, value = await events.get()
        finally:
            job.cancel()  # no-op once done; frees the row if the client went away
        if kind == "error":
            return _error(500, value)
        return completion(completion_id(), req.model, value)

    return app


def prompt_char_limit(engine: Engine) -> int:
    """Characters no prompt within the context can exceed: context x the longest token's text
    (a token's vocabulary string is at least as long as the text it decodes to)."""
    vocab = engine.base.tokenizer.get_vocab()
    longest = max((len(t) for t in vocab), default=1)
    return engine.context_length * max(longest, 1)


def _check_chars(messages: list[dict], limit: int, context: int) -> None:
    n = sum(len(m["content"]) for m in messages if isinstance(m.get("content"), str))
    if n > limit:
        raise RequestError(
            f"messages: {n} characters cannot fit the model's context of {context} tokens; "
            "shorten the conversation",
            param="messages",
        )


def _render(tokenizer, messages) -> list[int]:
    """Prompt token ids through the chat template; a template's refusal is the client's 400."""
    try:
        return encode_prompt(tokenizer, messages)
    except Exception as e:  # jinja's TemplateError (e.g. a role order the template refuses)
        first = (str(e).strip().splitlines() or [type(e).__name__])[0]
        raise RequestError(
            f"messages: the model's chat template refused them ({first})", param="messages"
        ) from None


def _model_card(name: str, s) -> dict:
    info = {"kind": s.kind, "source": hide_paths(redact(s.source))}
    if s.kind == "adapter":
        d = s.decoder
        info.update(alpha0=d.alpha0, alpha_tilde=d.alpha_tilde, depth=d.depth)
        info.update(parent=s.meta.get("parent"), base_model=s.meta.get("base_model"))
    return {"id": name, "object": "model", "created": 0, "owned_by": "qadapter", "qadapter": info}


async def _sse(job: Job, events: asyncio.Queue, model: str):
    """Server-sent events: a role chunk, content chunks, a finish chunk with usage, [DONE]."""
    cid, created = completion_id(), int(time.time())

    def event(obj) -> str:
        return f"data: {json.dumps(obj)}\n\n"

    try:
        yield event(chunk(cid, model, created, {"role": "assistant", "content": ""}))
        while True:
            kind, value = await events.get()
            if kind == "delta":
                yield event(chunk(cid, model, created, {"content": value}))
            elif kind == "done":
                yield event(
                    chunk(
                        cid,
                        model,
                        created,
                        {},
                        value.finish_reason,
                        usage=usage(value),
                    )
                )
                break
            else:
                yield event(error_body(value, kind="server_error"))
                break
        yield "data: [DONE]\n\n"
    finally:
        job.cancel()  # the client disconnected (or we are done): free its row


def serve(args) -> int:
    """Build the engine for parsed ``serve`` flags (:mod:`.startup`) and run uvicorn until stopped;
    2 with one error line when start-up fails."""
    import uvicorn

    from ..errors import error_line, user_errors
    from .startup import api_key_from_env, build_engine, exposure_warning

    logging.basicConfig(level=args.log_level.upper(), format="%(levelname)s: %(message)s")
    # MLflow's own HTTP client waits 120 s and retries 7 times by default: a slow tracking server
    # would hold a lookup thread for minutes (the operator's settings win)
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_TIMEOUT", str(max(1, int(args.registry_timeout))))
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "1")
    try:
        if not 0 <= args.port <= 65535:
            raise ValueError(f"--port {args.port}: expected 0..65535")
        if args.max_batch < 1 or args.max_tokens < 1:
            raise ValueError("--max-batch and --max-tokens must be >= 1")
        key = api_key_from_env(args.api_key_env)
        guard = GuardConfig(
            max_body_bytes=args.max_body_bytes,
            read_timeout=args.read_timeout,
            max_queue=args.max_queue,
            api_key=key,
        )
        lookup = LookupConfig(timeout=args.registry_timeout)
        warning = exposure_warning(args.host, key is not None)
        engine = build_engine(
            args.base, args.adapter, max_batch=args.max_batch, tracking_uri=args.tracking_uri
        )
    except user_errors() as e:
        print(error_line(e), file=sys.stderr)
        return 2
    names = ", ".join(f"{s.name} ({s.kind})" for s in engine.models.values())
    print(f"qadapter serve: {names} on http://{args.host}:{args.port}", file=sys.stderr)
    if warning:
        print(warning, file=sys.stderr)
    app = create_app(engine, default_max_tokens=args.max_tokens, guard=guard, lookup=lookup)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    return 0


def main(argv=None) -> int:
    """``python -m qadapter.serving.server [--base ...] [--adapter NAME=REF ...] ...``"""
    import argparse

    from .startup import add_serve_arguments

    parser = argparse.ArgumentParser(prog="qadapter serve", description=__doc__.split("\n")[0])
    add_serve_arguments(parser)
    return serve(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
