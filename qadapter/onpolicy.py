"""On-policy preference pairs: the bundled chosen answer against pi1's own reply.

Beyond the paper (which trains on a static, off-policy dataset): the Q-Adapter loss with gamma = 1
is DPO on the customized policy pi~ (``tests/test_telescoping.py``), and DPO on responses the
policy would never produce can raise the margin without changing what the policy does (the
margin is won on tokens pi~ already avoids). Pairing the preferred answer with what pi1 *actually
says* puts the pressure where behaviour is decided: on pi1's own first tokens. This is one round
of iterative/online preference optimisation; repeat it with the customized policy for more.

``onpolicy_pairs(base, pairs, n, seed)`` keeps every selected prompt (an empty reply, i.e. pi1
ending its turn at once, is a legitimate rejected response), so nothing is dropped.

``anchor_pairs(base, pairs, n, seed, refusals)`` is the other side of the same idea: on prompts
where pi1's answer should be *kept* (helpful requests), pi1's own reply is the chosen side and a
refusal sentence the rejected one, so that the customization learns when not to decline. Mixed into
the same training run as the on-policy harmless pairs (``docs/experiments/steering.md``).
"""

from __future__ import annotations

import random
import warnings
from typing import Callable, Sequence

from .data.pairs import PreferencePair
from .decode import SamplingConfig
from .evaluate.refusal import ANSWER, classify
from .evaluate.samples import base_generate

# Rejected sides of the helpful anchors: the openers a harmless-only customization over-uses
# ("I'd advise against that." opened 30 of 34 helpful replies of the on-matched adapter) and the
# usual refusal forms. One is drawn per selected prompt (seeded).
REFUSALS = (
    "I'd advise against that.",
    "I'm sorry, but I can't help with that.",
    "I'd rather not help with that.",
    "I can't assist with that request.",
)


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
    chosen = select_pairs(pairs, n, seed)
    how = "greedy" if greedy else f"T={temperature}"
    replies = _replies(base, chosen, seed, max_new_tokens, greedy, temperature, batch_size)
    out = [
        PreferencePair(p.prompt, p.chosen, r, origin=f"onpolicy(pi1, {how}):{p.origin}")
        for p, r in zip(chosen, replies)
        if keep is None or keep(r)
    ]
    _count("onpolicy_pairs", len(chosen), len(out), stats)
    return out


def pi1_answers(reply: str) -> bool:
    """True when the rule classifier (:mod:`qadapter.evaluate.refusal`) labels ``reply`` an
    answer (not a decline, redirect or degenerate text)."""
    return classify(reply).label == ANSWER


def anchor_pairs(
    base,
    pairs: Sequence[PreferencePair],
    n: int | None = None,
    seed: int = 0,
    refusals: Sequence[str] = REFUSALS,
    *,
    max_new_tokens: int = 32,
    batch_size: int = 8,
    keep: Callable[[str], bool] | None = pi1_answers,
    stats: dict | None = None,
) -> list[PreferencePair]:
    """Helpful anchors ``(prompt, chosen = pi1's greedy reply, rejected = a refusal)`` for ``n``
    prompts of ``pairs`` (their bundled answers are not used).

    The refusal of the k-th selected prompt is ``refusals[random.Random(seed + 1).randrange(...)]``
    (k-th draw, one draw per selected prompt, kept or not: the assignment does not depend on
    which prompts are skipped). ``keep(reply)`` (default :func:`pi1_answers`) skips prompts where
    pi1 does not answer (it declines, redirects, or its reply is empty/degenerate): pushing up
    such a reply would teach the opposite of an anchor. Skipped prompts are counted (warning, and
    ``stats = {"generated", "kept", "skipped"}``).
    """
    if not refusals or any(not isinstance(r, str) or not r.strip() for r in refusals):
        raise ValueError(
            f"anchor_pairs: refusals must be non-empty strings, got {list(refusals)!r}; "
            "pass e.g. qadapter.onpolicy.REFUSALS"
        )
    chosen = select_pairs(pairs, n, seed)
    rng = random.Random(seed + 1)
    picks = [refusals[rng.randrange(len(refusals))] for _ in chosen]
    replies = _replies(base, chosen, seed, max_new_tokens, True, 1.0, batch_size)
    out = [
        PreferencePair(p.prompt, r, refusal, origin=f"anchor(pi1 greedy vs refusal):{p.origin}")
        for p, r, refusal in zip(chosen, replies, picks)
        if keep is None or keep(r)
    ]
    _count("anchor_pairs", len(chosen), len(out), stats)
    return out


def _replies(base, chosen, seed, max_new_tokens, greedy, temperature, batch_size) -> list[str]:
    """pi1's replies to the prompts of ``chosen``, in batches (sampled: seed per batch)."""
    if batch_size <= 0:
        raise ValueError(f"onpolicy_pairs: batch_size must be positive, got {batch_size}")
    replies: list[str] = []
    for i in range(0, len(chosen), batch_size):
        chunk = chosen[i : i + batch_size]
        cfg = SamplingConfig(
            max_new_tokens=max_new_tokens,
            greedy=greedy,
            temperature=temperature,
            seed=None if greedy else seed * 1_000_003 + i,
        )
        replies += base_generate(base, [list(p.prompt) for p in chunk], cfg)
    return replies


def _count(name: str, generated: int, kept: int, stats: dict | None) -> None:
    skipped = generated - kept
    if skipped:
        warnings.warn(f"{name}: {skipped} of {generated} prompts skipped by keep()", stacklevel=3)
    if stats is not None:
        stats.update(generated=generated, kept=kept, skipped=skipped)
