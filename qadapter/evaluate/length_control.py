"""A length-controlled win rate: the project's own, in the spirit of AlpacaEval's LC win rate.

This is NOT AlpacaEval's official length-controlled win rate (that one fits a GLM with a per-
instruction difficulty term estimated from AlpacaEval's hub files); it is a two-parameter version
that needs nothing but the annotations:

    y_i = preference_i - 1                                   (in [0, 1]; soft labels allowed)
    x_i = tanh(d_i / std(d)),  d_i = len(model_i) - len(reference_i)  (characters; 0 if std = 0)
                             (all over the parsed items: an unparsed verdict takes no part)
    fit  P(model wins) = sigmoid(theta + phi * x_i)   by ridge-regularized logistic regression
    lc_win_rate = 100 * sigmoid(theta)                (the win rate at equal lengths)

A judge that prefers whichever answer is longer, on answers that are longer half of the time,
gets an LC win rate of 50 while its raw win rate can be anything.
"""

from __future__ import annotations

import math
from typing import Sequence

RIDGE = 1e-2  # L2 penalty on (theta, phi): keeps the fit finite when wins are perfectly separable


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def length_features(model_lengths: Sequence[int], reference_lengths: Sequence[int]) -> list[float]:
    """``tanh(d / std(d))`` per item, d the length difference (std: ddof=0; zeros if it is 0)."""
    d = [float(m - r) for m, r in zip(model_lengths, reference_lengths)]
    if not d:
        return []
    mean = sum(d) / len(d)
    std = math.sqrt(sum((v - mean) ** 2 for v in d) / len(d))
    return [math.tanh(v / std) if std > 0 else 0.0 for v in d]


def fit_length_model(
    y: Sequence[float], x: Sequence[float], *, ridge: float = RIDGE, iterations: int = 100
) -> tuple[float, float]:
    """(theta, phi) minimizing sum_i CE(y_i, sigmoid(theta + phi x_i)) + ridge/2 (theta^2 + phi^2).

    Newton's method on the 2x2 problem (convex, so it converges from (0, 0)).
    """
    theta = phi = 0.0
    for _ in range(iterations):
        g0, g1 = ridge * theta, ridge * phi  # gradient
        h00 = h11 = ridge  # Hessian
        h01 = 0.0
        for yi, xi in zip(y, x):
            s = _sigmoid(theta + phi * xi)
            w = s * (1.0 - s)
            g0 += s - yi
            g1 += (s - yi) * xi
            h00 += w
            h01 += w * xi
            h11 += w * xi * xi
        det = h00 * h11 - h01 * h01
        step0 = (h11 * g0 - h01 * g1) / det
        step1 = (h00 * g1 - h01 * g0) / det
        theta, phi = theta - step0, phi - step1
        if abs(step0) + abs(step1) < 1e-12:
            break
    return theta, phi


def length_controlled_win_rate(
    preferences: Sequence[float | None],
    model_lengths: Sequence[int],
    reference_lengths: Sequence[int],
) -> float:
    """``100 * sigmoid(theta)`` of the fit above over parsed items (NaN when none).

    Unparsed items (preference None) are left out before anything is computed: std(d) is taken
    over the items the model is fitted on, so an unreadable verdict on an unusually long or
    short answer does not rescale the others' length feature.
    """
    if not len(preferences) == len(model_lengths) == len(reference_lengths):
        raise ValueError(
            f"length-controlled win rate: {len(preferences)} preferences, {len(model_lengths)} "
            f"model lengths and {len(reference_lengths)} reference lengths; pass one per item"
        )
    kept = [i for i, p in enumerate(preferences) if p is not None]
    if not kept:
        return math.nan
    x = length_features([model_lengths[i] for i in kept], [reference_lengths[i] for i in kept])
    theta, _ = fit_length_model([preferences[i] - 1.0 for i in kept], x)
    return 100.0 * _sigmoid(theta)
