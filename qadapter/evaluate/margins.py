"""A paired, per-item forgetting measure on the probe's multiple-choice items.

Items: ``data/probe/mc.jsonl`` (168 hand-written) followed by ``data/probe/facts.jsonl`` (477
generated from fact tables), 645 four-option questions with known answers. Each is scored as
lm-eval's ``qadapter_probe_mc`` task scores it: context ``"Question: {question}\\nAnswer:"``,
continuation ``" " + choice``, ``l_j = log p(choice_j | context)`` summed over the choice's tokens,
through :meth:`QAdapterLM.loglikelihood` (so under pi~ of eq. 6, ``log_softmax((Q + alpha0 log
pi1) / alpha_tilde)``, for an adapter, and pi1 without one).

Per item, with ``r`` the right answer:

* **margin** ``m = l_r - logsumexp_{j != r} l_j``: the log-odds of the right answer among the
  four options (``log P_r - log(1 - P_r)`` with ``P`` the policy renormalized over the options).
  Smooth, so it moves before an answer flips; unbounded, in nats.
* **correct** ``c = 1`` when ``r`` is the first argmax of ``l`` (lm-eval's ``acc``), else 0.

Between pi1 and the customized policy on the same items: ``probe.margin_delta`` = mean of
``m_custom - m_pi1`` (nats), ``probe.delta`` = 100 x mean of ``c_custom - c_pi1`` (points), each
with its *paired* standard error ``sd(d, ddof=1) / sqrt(n)`` (:func:`paired_delta`).
pi1 against itself gives 0 and 0 exactly. pi1's half is cached on disk by (pi1's content hash,
the item set's hash, which covers the prompt format), so it is computed once per base and item set.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from pathlib import Path
from types import SimpleNamespace

from .benchmarks import PROBE_DIR

ITEM_FILES = ("mc.jsonl", "facts.jsonl")
CONTEXT = "Question: {question}\nAnswer:"  # as data/probe/lm_eval/qadapter_probe_mc.yaml
DELIMITER = " "  # lm-eval's target_delimiter
FORMAT_VERSION = 1  # bump when scoring changes in a way the item hash cannot see


def read_jsonl(path: Path, limit: int | None = None) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as e:
                    raise ValueError(
                        f"{path}:{n}: invalid JSON ({e.msg}); restore the bundled file"
                    ) from None
    return rows[:limit] if limit is not None else rows


def paired_delta(base: list[float], customized: list[float]) -> tuple[float, float]:
    """Mean of ``customized_i - base_i`` and its standard error sd(d, ddof=1) / sqrt(n).

    Hand-worked: base [1, 0, 1, 1], customized [1, 1, 0, 0] -> d = [0, 1, -1, -1],
    mean -0.25, sd^2 = (0.0625 + 1.5625 + 0.5625 + 0.5625) / 3 = 0.91667, se = 0.47871.
    The SE is NaN for fewer than two items.
    """
    if len(base) != len(customized) or not base:
        raise ValueError(
            f"paired_delta needs equally long, non-empty lists ({len(base)} vs {len(customized)})"
        )
    d = [c - b for b, c in zip(base, customized)]
    n = len(d)
    mean = sum(d) / n
    if n < 2:
        return mean, float("nan")
    var = sum((x - mean) ** 2 for x in d) / (n - 1)
    return mean, math.sqrt(var / n)


def load_items(limit: int | None = None, probe_dir: Path = PROBE_DIR) -> list[dict]:
    """The probe's multiple-choice items, mc.jsonl then facts.jsonl; the first ``limit``."""
    items = [r for name in ITEM_FILES for r in read_jsonl(probe_dir / name)]
    return items[:limit] if limit is not None else items


def items_hash(items: list[dict]) -> str:
    """sha256 of what is scored: the prompt format and each item's question, choices, answer."""
    canon = [[r["id"], r["question"], r["choices"], r["answer"]] for r in items]
    blob = json.dumps([FORMAT_VERSION, CONTEXT, DELIMITER, canon], ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def choice_logprobs(lm, items: list[dict]) -> list[list[float]]:
    """``l_j`` of every choice of every item under ``lm`` (a :class:`QAdapterLM`)."""
    requests = [
        SimpleNamespace(args=(CONTEXT.format(question=r["question"]), DELIMITER + c))
        for r in items
        for c in r["choices"]
    ]
    flat = [lp for lp, _ in lm.loglikelihood(requests)]
    out, at = [], 0
    for r in items:
        out.append(flat[at : at + len(r["choices"])])
        at += len(r["choices"])
    return out


def margin(logprobs: list[float], answer: int) -> float:
    """``l_r - logsumexp_{j != r} l_j`` (module docstring).

    Hand-worked: l = [-1, -2, -3, -4], r = 0: logsumexp(-2, -3, -4) = -1.59239, m = 0.59239."""
    wrong = [lp for j, lp in enumerate(logprobs) if j != answer]
    top = max(wrong)
    if top == -math.inf:
        return math.inf if logprobs[answer] > -math.inf else math.nan
    return logprobs[answer] - (top + math.log(sum(math.exp(lp - top) for lp in wrong)))


def correct(logprobs: list[float], answer: int) -> int:
    """1 when ``answer`` is the first index of the largest log-probability (lm-eval's acc)."""
    return int(max(range(len(logprobs)), key=lambda j: (logprobs[j], -j)) == answer)


def item_scores(lm, items: list[dict]) -> dict:
    """``{ids, margin, correct, logprobs}`` (lists in item order) of ``lm`` on ``items``."""
    lps = choice_logprobs(lm, items)
    return {
        "ids": [r["id"] for r in items],
        "margin": [margin(lp, r["answer"]) for lp, r in zip(lps, items)],
        "correct": [correct(lp, r["answer"]) for lp, r in zip(lps, items)],
        "logprobs": lps,
    }


def cache_file(cache_dir, base_hash: str, item_hash: str) -> Path:
    return Path(cache_dir) / f"probe-pi1-{base_hash[:16]}-{item_hash[:16]}.json"


def cached_item_scores(lm, items: list[dict], base_hash: str, cache_dir=None) -> dict:
    """:func:`item_scores` of pi1, stored in ``cache_dir`` (default ``$QADAPTER_CACHE/probe``)
    under (``base_hash``, :func:`items_hash`); a file whose recorded hashes differ is recomputed.
    The returned dict says ``cached: True`` when it was read back."""
    if cache_dir is None:
        from ..models import cache_dir as default_cache

        cache_dir = default_cache() / "probe"
    item_hash = items_hash(items)
    path = cache_file(cache_dir, base_hash, item_hash)
    if path.is_file():
        stored = json.loads(path.read_text())
        if stored.get("base_hash") == base_hash and stored.get("items_hash") == item_hash:
            return {**stored["scores"], "cached": True}
    scores = item_scores(lm, items)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    record = {"base_hash": base_hash, "items_hash": item_hash, "scores": scores}
    tmp.write_text(json.dumps(record))
    tmp.replace(path)
    return {**scores, "cached": False}


def margin_metrics(base: dict, custom: dict) -> dict:
    """``probe.*`` metrics of the paired comparison of two :func:`item_scores` (module docstring).

    ``probe.base`` / ``probe.customized``: accuracy (points); ``probe.delta`` / ``probe.delta_se``:
    paired accuracy difference (points); ``probe.margin_base`` / ``probe.margin_customized``: mean
    margin (nats); ``probe.margin_delta`` / ``probe.margin_delta_se``: paired margin difference;
    ``probe.n``: items."""
    if base["ids"] != custom["ids"]:
        raise ValueError(
            "margin_metrics: pi1 and the customized policy were scored on different items; "
            "score both on the same load_items() list"
        )
    n = len(base["ids"])
    acc_d, acc_se = paired_delta(base["correct"], custom["correct"])
    m_d, m_se = paired_delta(base["margin"], custom["margin"])
    return {
        "probe.base": 100 * sum(base["correct"]) / n,
        "probe.customized": 100 * sum(custom["correct"]) / n,
        "probe.delta": 100 * acc_d,
        "probe.delta_se": 100 * acc_se,
        "probe.margin_base": sum(base["margin"]) / n,
        "probe.margin_customized": sum(custom["margin"]) / n,
        "probe.margin_delta": m_d,
        "probe.margin_delta_se": m_se,
        "probe.n": float(n),
    }
