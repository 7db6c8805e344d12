"""The pipeline's side of ``qadapter data publish``: the Prefect event ``preference-data.arrived``.

``emit_arrived`` is registered in pyproject.toml under the entry-point group
``qadapter.on_published`` (:data:`qadapter.data.publish.HOOKS`), so the command, which is library
code and never imports Prefect, calls it after a file is published. What the event carries is
:func:`qadapter.data.publish.event_resource` and :func:`~qadapter.data.publish.event_payload`.
"""

from __future__ import annotations

import logging

from qadapter.data.publish import EVENT, Published, event_payload, event_resource
from qadapter.data.records import DataError
from qadapter.secrets import redact


def prefect_api_url() -> str | None:
    """The configured Prefect API (environment or profile), or None."""
    from prefect.settings import PREFECT_API_URL

    value = PREFECT_API_URL.value()
    return str(value) if value else None


def emit_arrived(p: Published, *, timeout: float = 30.0) -> str | None:
    """Send ``preference-data.arrived`` to the configured API; the event id, or None if no API
    is configured. Raises :class:`DataError` (one line) when the API does not answer."""
    api = prefect_api_url()
    if api is None:
        return None
    import httpx
    from prefect.events import emit_event
    from prefect.events.worker import EventsWorker

    try:
        httpx.get(f"{api.rstrip('/')}/health", timeout=10).raise_for_status()
    except httpx.HTTPError as exc:
        raise DataError(
            f"publish: {p.uri} is published, but the Prefect API at {redact(api)} does not answer "
            f"({type(exc).__name__}); start the server, or let the schedule pick the file up"
        ) from None
    event = emit_event(event=EVENT, resource=event_resource(p), payload=event_payload(p))
    # deliver before the process exits; the worker's own "Still processing items: 1 items
    # remaining..." warning while it drains is noise to the user (the result is said below)
    drain_log = logging.getLogger("EventsWorker")
    level = drain_log.level
    drain_log.setLevel(logging.ERROR)
    try:
        EventsWorker.drain_all(timeout=timeout)
    finally:
        drain_log.setLevel(level)
    return None if event is None else str(event.id)
