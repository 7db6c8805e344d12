"""``qadapter serve``: an OpenAI-compatible HTTP server (FastAPI) over one :class:`Engine`.

    GET  /health                 {"status": "ok", "models": [...], "queued": n}
    GET  /v1/models              the served models: the bare base and every loaded adapter
    POST /v1/chat/completions    OpenAI chat completions, ``stream`` false or true (server-sent
                                 events ending in ``data: [DONE]``), plus ``alpha0`` (eq. 6)

Every refused request gets OpenAI's error body (``{"error": {"message", "type", "param",
"code"}}``) with a 4xx status and one line saying what was wrong and what to do: 400 for a body
that is not JSON or breaks the schema, 404 for an unknown model or path, 405 for a wrong method.
A failure inside the server is a 500 with the same shape and no traceback (that goes to the
server's log). Messages pass through :func:`qadapter.secrets.redact`.

Run it with ``qadapter serve ...`` or ``python -m qadapter.serving.server ...`` (same flags).
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import time
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..data.tokenize import encode_prompt
from ..meta import AdapterError
from ..secrets import redact
from .catalog import UnknownModel
from .engine import Engine, Job
from .protocol import (
    ChatRequest,
    RequestError,
    chunk,
    completion,
    completion_id,
    error_body,
    usage,
)

log = logging.getLogger("qadapter.serve")


def _error(status: int, message: str, **kw) -> JSONResponse:
    kind = "invalid_request_error" if status < 500 else "server_error"
    return JSONResponse(error_body(message, kind=kind, **kw), status_code=status)


def create_app(engine: Engine, *, default_max_tokens: int = 256) -> FastAPI:
    """The FastAPI application; starts the engine's worker on startup and stops it on shutdown."""

    @asynccontextmanager
    async def lifespan(app):
        engine.start()
        yield
        engine.stop()

    app = FastAPI(title="qadapter serve", lifespan=lifespan, docs_url=None, redoc_url=None)

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
            req = ChatRequest.parse(await request.body())
            served = await run_in_threadpool(engine.lookup, req.model)
            prompt = _render(engine.base.tokenizer, req.chat())
        except RequestError as e:
            return _error(e.status, str(e), code=e.code, param=e.param)
        except UnknownModel as e:
            return _error(404, str(e), code="model_not_found", param="model")
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
    info = {"kind": s.kind, "source": redact(s.source)}
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
    from .startup import build_engine

    logging.basicConfig(level=args.log_level.upper(), format="%(levelname)s: %(message)s")
    try:
        if not 0 <= args.port <= 65535:
            raise ValueError(f"--port {args.port}: expected 0..65535")
        if args.max_batch < 1 or args.max_tokens < 1:
            raise ValueError("--max-batch and --max-tokens must be >= 1")
        engine = build_engine(
            args.base, args.adapter, max_batch=args.max_batch, tracking_uri=args.tracking_uri
        )
    except user_errors() as e:
        print(error_line(e), file=sys.stderr)
        return 2
    names = ", ".join(f"{s.name} ({s.kind})" for s in engine.models.values())
    print(f"qadapter serve: {names} on http://{args.host}:{args.port}", file=sys.stderr)
    app = create_app(engine, default_max_tokens=args.max_tokens)
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
