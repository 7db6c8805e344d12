"""Errors a person can act on, the one line they become, and which of them a retry cannot fix.

Library code raises the specific errors (``DataError``, ``ModelError``, ``AdapterError``,
``ConfigError``, ``TrainingError``, ``LockError``); the CLI prints :func:`error_line` and exits
with :func:`exit_code`; the pipeline's retry policy does not retry :func:`user_errors`.
"""

from __future__ import annotations

from .secrets import redact

PREFIX = "qadapter: error: "


class QAdapterError(Exception):
    """Base of qadapter's own user-facing errors; the message says what, where and what to do."""

    exit_code = 2  # bad input


class TrainingError(QAdapterError):
    """Training cannot go on (NaN loss, nothing to train on); the message says what to do."""

    exit_code = 1


class LockError(QAdapterError):
    """Another process holds the output directory."""


def user_errors() -> tuple[type[BaseException], ...]:
    """Errors caused by inputs (arguments, files, data, models): a retry cannot fix them."""
    from .data import DataError
    from .models import ModelError

    return (QAdapterError, DataError, ModelError, ValueError)


def exit_code(exc: BaseException) -> int:
    return getattr(exc, "exit_code", 2)


def error_line(message: object) -> str:
    """``qadapter: error: <first line of message>`` with secrets masked."""
    lines = str(message).strip().splitlines() or [type(message).__name__]
    return PREFIX + redact(lines[0])
