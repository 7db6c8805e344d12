"""On-policy preference pairs: the bundled chosen answer against pi1's own reply.

Beyond the paper (which trains on a static, off-policy dataset): the Q-Adapter loss with gamma = 1
is DPO on the customized policy pi~ (``tests/test_telescoping.py``), and DPO on responses the
policy would never produce can raise the margin without changing what the policy does (the
margin is won on tokens pi~ already avoids). Pairing the preferred answer with what pi1 *actually
says* puts the pressure where behaviour is decided: on pi1's own first tokens. This is one round
of iterative/online preference optimisation; repeat it with the customized policy for more.

``onpolicy_pairs(base, pairs, n, seed)`` keeps every selected prompt (an empty reply, i.e. pi1
ending its turn at once, is a legitimate rejected response), so nothing is dropped.
"""

from __future__ import annotations

import random
import warnings
from typing import Callable, Sequence

from .data.pairs import PreferencePair
from .decode import SamplingConfig
from .evaluate.samples import base_generate


def select_pairs(pairs: Sequence[PreferencePair], n: int | None, seed: int) -> list[PreferencePair]:
    """A seeded sample of ``n`` pairs (all, in order, when n is None or >= len(pairs))."""
    if n is None or n >= len(pairs):
        return list(pairs)
    if n <= 0:
        raise ValueError(f"onpolicy_pairs: n must be positive, got {n}")
    idx = sorted(random.Random(seed).sample(range(len(pairs)), n))
    return [pairs[i] for i in idx]


def onpolicy_pairs(
    base,
    pairs: Sequence[PreferencePair],
    n: int | None = None,
    seed: int = 0,
    *,
    max_new_tokens: int = 32,
    greedy: bool = True,
    temperature: float = 1.0,
    batch_size: int = 8,
    keep: Callable[[str], bool] | None = None,
    stats: dict | None = None,
) -> list[PreferencePair]:
    """Pairs ``(prompt, chosen = bundled chosen, rejected = pi1's reply)`` for ``n`` prompts of
    ``pairs``.

    base: a :class:`qadapter.models.Base` (pi1). Replies are greedy, or sampled at ``temperature``
    with a per-batch seed derived from ``seed`` (reproducible). ``max_new_tokens`` bounds the reply:
    behaviour is decided in the opening tokens, and the training loop treats a response cut by
    ``max_length`` as ending there.

    ``keep(reply) -> bool`` (optional) keeps only pairs whose pi1 reply should be pushed down, e.g.
    ``lambda r: classify(r).label == "answer"`` so that a reply in which pi1 already declines is not
    used as the rejected side. Skipped prompts are counted: a warning says how many, and ``stats``
    (if given) receives ``{"generated", "kept", "skipped"}``.
    """
    if batch_size <= 0:
        raise ValueError(f"onpolicy_pairs: batch_size must be positive, got {batch_size}")
    chosen = select_pairs(pairs, n, seed)
    out: list[PreferencePair] = []
    skipped = 0
    how = "greedy" if greedy else f"T={temperature}"
    for i in range(0, len(chosen), batch_size):
        chunk = chosen[i : i + batch_size]
        cfg = SamplingConfig(
            max_new_tokens=max_new_tokens,
            greedy=greedy,
            temperature=temperature,
            seed=None if greedy else seed * 1_000_003 + i,
        )
        replies = base_generate(base, [list(p.prompt) for p in chunk], cfg)
        for p, r in zip(chunk, replies):
            if keep is not None and not keep(r):
                skipped += 1
                continue
            out.append(
                PreferencePair(
                    p.prompt,
                    p.chosen,
                    r,
                    origin=f"onpolicy(pi1, {how}):{p.origin}",
                )
            )
    if skipped:
        warnings.warn(
            f"onpolicy_pairs: {skipped} of {len(chosen)} prompts skipped by keep()", stacklevel=2
        )
    if stats is not None:
        stats.update(generated=len(chosen), kept=len(out), skipped=skipped)
    return out
