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
    policy=None,
    on_batch: Callable[[int, int], None] | None = None,
) -> list[PreferencePair]:
    """Pairs ``(prompt, chosen = bundled chosen, rejected = pi1's reply)`` for ``n`` prompts of
    ``pairs``.

    ``policy``: a :class:`qadapter.decode.CustomizedDecoder` (e.g. of a parent stack) whose replies
    replace pi1's: the rejected side is then what *that* policy says, the on-policy data for a new
    level stacked on it (its own pi1). ``on_batch(done, total)`` is called after each batch of
    replies (progress reports).

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
    who = "pi1" if policy is None else "parent"
    replies = _replies(
        base, chosen, seed, max_new_tokens, greedy, temperature, batch_size, policy, on_batch
    )
    out = [
        PreferencePair(p.prompt, p.chosen, r, origin=f"onpolicy({who}, {how}):{p.origin}")
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


def _replies(
    base, chosen, seed, max_new_tokens, greedy, temperature, batch_size, policy=None, on_batch=None
) -> list[str]:
    """pi1's (or ``policy``'s) replies to the prompts of ``chosen``, in batches (sampled: seed
    per batch)."""
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
        prompts = [list(p.prompt) for p in chunk]
        if policy is None:
            replies += base_generate(base, prompts, cfg)
        else:
            replies += [t.strip() for t in policy.generate_text(base.tokenizer, prompts, cfg)]
        if on_batch is not None:
            on_batch(len(replies), len(chosen))
    return replies


def _count(name: str, generated: int, kept: int, stats: dict | None) -> None:
    skipped = generated - kept
    if skipped:
        warnings.warn(f"{name}: {skipped} of {generated} prompts skipped by keep()", stacklevel=3)
    if stats is not None:
        stats.update(generated=generated, kept=kept, skipped=skipped)


BATCH = 8  # prompts per generate call (part of the reply cache's key: padding changes digits)


def replies_cache():
    """Where pi1's on-policy replies are kept: ``$QADAPTER_REPLY_CACHE``, else ``replies/`` in
    the model cache (``qadapter.models.cache_dir``), shared by every driver and run."""
    import os
    from pathlib import Path

    from .models import cache_dir

    return Path(os.environ.get("QADAPTER_REPLY_CACHE") or cache_dir() / "replies")


def reply_key(base_hash: str, prompts: Sequence, tokens: int, policy_hash: str) -> str:
    """The cache key of a set of greedy replies: pi1's content hash, the prompts (in order), the
    generation settings (new tokens, greedy, batch size) and the replying policy ("pi1", or the
    parent adapter's content hash, which covers its whole stack)."""
    import json
    from hashlib import sha256

    settings = {"max_new_tokens": tokens, "greedy": True, "batch_size": BATCH}
    blob = json.dumps([base_hash, policy_hash, settings, list(prompts)], sort_keys=True)
    return sha256(blob.encode()).hexdigest()[:24]


def cached_onpolicy_pairs(
    base, train: Sequence[PreferencePair], tokens: int, log=None, parent=None, bar: bool = False
) -> list[PreferencePair]:
    """:func:`onpolicy_pairs` on every pair of ``train`` (greedy, ``tokens`` new tokens), the
    replies kept in :func:`replies_cache` under :func:`reply_key`, so that a second run, a
    retried or resumed training, every rank of a launched one, a sweep point or another alpha0
    reuse them instead of generating again. ``log(msg)`` receives a start line, about ten
    progress lines with an estimate of the time left (unless ``bar``: a progress bar on stderr
    with the same estimate), and an end line. ``parent``: an adapter directory; the replies are
    then its customized policy's (its whole stack, decoded at its own alpha0), the pi1 of a level
    trained on it."""
    import json
    import os
    import time

    from .meta import adapter_hash
    from .progress import progress as progress_bar

    who = "pi1" if parent is None else "the parent's customized policy"
    origin = f"onpolicy({'pi1' if parent is None else 'parent'}, greedy)"
    policy_hash = adapter_hash(parent) if parent is not None else "pi1"
    key = reply_key(base.content_hash, [p.prompt for p in train], tokens, policy_hash)
    path = replies_cache() / f"replies-{key}.json"

    def pairs_of(replies: list[str]) -> list[PreferencePair]:
        return [
            PreferencePair(p.prompt, p.chosen, r, origin=f"{origin}:{p.origin}")
            for p, r in zip(train, replies, strict=True)
        ]

    if path.exists():
        pairs = pairs_of(json.loads(path.read_text())["replies"])
        if log:
            log(f"on-policy: {len(pairs)} replies of {who} reused from the cache ({path.name})")
        return pairs
    t0 = time.time()
    if log:
        log(f"on-policy: {who}'s greedy replies ({tokens} new tokens) to {len(train)} prompts")
    policy = None
    if parent is not None:
        from .decode import CustomizedDecoder

        policy = CustomizedDecoder.from_adapter(parent, base)  # base weights shared, unchanged
    bar_on = bar  # a bar shows the count and time left itself: no progress lines then
    bar = progress_bar(len(train), "on-policy replies", enabled=bar, unit="reply")
    shown = [0, 0]  # replies counted by the bar; tenths logged (about ten lines, any size)

    def on_batch(done: int, total: int) -> None:
        bar.update(done - shown[0])
        shown[0] = done
        if log and not bar_on and (10 * done // total > shown[1] or done == total):
            shown[1] = 10 * done // total
            took = time.time() - t0
            left = took / done * (total - done)
            log(f"on-policy: {done}/{total} replies ({took:.0f}s, about {left:.0f}s left)")

    pairs = onpolicy_pairs(
        base, train, None, max_new_tokens=tokens, policy=policy, on_batch=on_batch,
        batch_size=BATCH,
    )  # fmt: skip
    bar.close()
    if log:
        log(f"on-policy: {len(pairs)} pairs (chosen vs {who}'s reply) in {time.time() - t0:.0f}s")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    record = {"tokens": tokens, "policy": policy_hash, "replies": [p.rejected for p in pairs]}
    tmp.write_text(json.dumps(record))
    tmp.replace(path)
    return pairs
