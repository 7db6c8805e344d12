"""Forgetting: what customization cost in general ability, customized pi~ (eq. 6) against pi1.

Metric names returned by :func:`forgetting_report` (floats; probe scores in points, 0-100):

* ``probe.base``, ``probe.customized``, ``probe.delta``, ``probe.delta_se``,
  ``probe.margin_base``, ``probe.margin_customized``, ``probe.margin_delta``,
  ``probe.margin_delta_se``, ``probe.n``: the paired per-item measure on the probe's
  multiple-choice items (``mc.jsonl`` + ``facts.jsonl``, :mod:`.margins`): accuracy in points
  (``probe.delta`` = customized - pi1, paired s.e.) and the log-likelihood margin of the right
  answer (nats). pi1's half is cached by (base content hash, item set hash).
* ``probe.arith.base`` / ``.customized`` / ``.delta`` / ``.delta_se`` / ``.n``: exact match of the
  generated arithmetic task (``qadapter_probe_arith``, lm-eval, first ``limit`` problems), paired
  the same way: per document ``d_i = customized_i - base_i``, ``se = sd(d) / sqrt(n)``.
* ``ppl.base``, ``ppl.customized``: held-out token perplexity on ``data/probe/prose.jsonl``,
  ``exp(-sum log p / N)`` over all N text tokens, each paragraph scored from the prefix token with
  lm-eval's rolling windows (``QAdapterLM.loglikelihood_rolling``).
* ``kl.general``: mean over states of KL(pi~(.|s) || pi1(.|s)) (``loss.kl_to_base``) on general
  prompts, not preference data: each probe question (mc and arith) as a chat user turn, the
  reference answer (correct choice; worked solution) as the assistant response, teacher-forced;
  the states are those where the response tokens (and the end-of-turn token) are chosen.
  ``kl.general_max``: the largest per-state KL; ``kl.states``: how many states were averaged.
  For a stacked adapter pi1 is the base (pi^(0)): the KL of the whole stack, not of its top
  level; ``kl.general_parent`` adds the top level's own KL(pi^(k) || pi^(k-1)).
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path
from types import SimpleNamespace

import torch

from ..data.tokenize import encode_prompt, encode_response, position_ids
from ..loss import base_logprobs_from_logits, kl_to_base
from .benchmarks import PROBE_DIR, run_suite
from .margins import paired_delta, read_jsonl  # noqa: F401  (paired_delta: part of this API)

SCORED = {"qadapter_probe_mc": "acc", "qadapter_probe_arith": "exact_match"}  # lm-eval item key
GENERATED = ("qadapter_probe_arith",)  # the lm-eval tasks forgetting_report runs


def task_metrics(base_items: dict, custom_items: dict) -> dict:
    """``probe.<task>.*`` from per-document lm-eval scores ``{task: [{"doc_id", metric}, ...]}``
    of the tasks both runs scored (``SCORED`` names each task's metric)."""
    out = {}
    if base_items.keys() != custom_items.keys():
        raise ValueError("task_metrics: base and customized runs scored different tasks")
    for task in base_items:
        metric = SCORED[task]
        b = {r["doc_id"]: r[metric] for r in base_items[task]}
        c = {r["doc_id"]: r[metric] for r in custom_items[task]}
        if b.keys() != c.keys():
            raise ValueError(f"{task}: base and customized runs scored different documents")
        ids = sorted(b)
        delta, se = paired_delta([b[i] for i in ids], [c[i] for i in ids])
        name = task.removeprefix("qadapter_probe_")
        out.update(
            {
                f"probe.{name}.base": 100 * sum(b.values()) / len(b),
                f"probe.{name}.customized": 100 * sum(c.values()) / len(c),
                f"probe.{name}.delta": 100 * delta,
                f"probe.{name}.delta_se": 100 * se,
                f"probe.{name}.n": float(len(ids)),
            }
        )
    return out


def perplexity(lm, texts: list[str]) -> dict:
    """Token perplexity of ``texts`` under ``lm`` (a QAdapterLM): {ppl, tokens, logprob}."""
    logprobs = lm.loglikelihood_rolling([SimpleNamespace(args=(t,)) for t in texts])
    n = sum(len(lm.tok_encode(t)) for t in texts)
    total = sum(logprobs)
    nll = -total / n  # nats per token; exp overflows past ~709 (a broken policy): inf, honestly
    return {"ppl": math.exp(nll) if nll < 709.0 else math.inf, "tokens": n, "logprob": total}


def general_items(limit: int | None = None) -> list[tuple[str, str]]:
    """(question, reference answer) of the probe's mc and arith items, first ``limit`` of each."""
    mc = [
        (r["question"], r["choices"][r["answer"]])
        for r in read_jsonl(PROBE_DIR / "mc.jsonl", limit)
    ]
    arith = [(r["question"], r["solution"]) for r in read_jsonl(PROBE_DIR / "arith.jsonl", limit)]
    return mc + arith


@torch.no_grad()
def general_kl(policy, items: list[tuple[str, str]], *, batch_size: int = 8) -> dict:
    """Mean / max of KL(pi~ || pi1) over the response states of chat-rendered ``items``.

    For a stack, ``policy.outputs`` gives (Q_k, log pi^(k-1)): KL to the parent. pi1 is the base,
    so the stack's log pi^(k) (eq. 6 through every level) is compared with the base model's own
    log-probabilities instead, and the KL to the parent is reported as ``kl.general_parent``."""
    tok = policy.base.tokenizer
    stacked = policy.qadapter.parent is not None
    total, count, worst, to_parent = 0.0, 0, 0.0, 0.0
    for start in range(0, len(items), batch_size):
        rows = [
            (encode_prompt(tok, [{"role": "user", "content": q}]), encode_response(tok, a))
            for q, a in items[start : start + batch_size]
        ]
        width = max(len(p) + len(r) for p, r in rows)
        ids = torch.full((len(rows), width), tok.pad_token_id, dtype=torch.long)
        attn = torch.zeros((len(rows), width), dtype=torch.long)
        states = torch.zeros((len(rows), width), dtype=torch.bool)
        for b, (p, r) in enumerate(rows):
            ids[b, : len(p) + len(r)] = torch.tensor(p + r)
            attn[b, : len(p) + len(r)] = 1
            states[b, len(p) - 1 : len(p) + len(r) - 1] = True  # states choosing response tokens
        device = next(policy.base.model.parameters()).device
        ids, attn, states = ids.to(device), attn.to(device), states.to(device)
        q, parent_lp = policy.outputs(ids, attn)  # (B, L, V) each; parent = pi1 unless stacked
        kl = kl_to_base(q, parent_lp, alpha0=policy.alpha0, alpha_tilde=policy.alpha_tilde)
        if stacked:
            to_parent += float(kl[states].double().sum())
            log_pk = policy.logprobs(ids, attn)  # log pi^(k): eq. 6 through the whole stack
            with torch.no_grad():
                pi1_lp = base_logprobs_from_logits(
                    policy.base.model(
                        input_ids=ids, attention_mask=attn, position_ids=position_ids(attn)
                    ).logits
                )
            kl = (log_pk.exp() * (log_pk - pi1_lp)).sum(-1)  # (B, L)
        kl = kl[states]  # (N,)
        total += float(kl.double().sum())
        count += kl.numel()
        worst = max(worst, float(kl.max()))
    out = {"kl.general": total / max(1, count), "kl.general_max": worst, "kl.states": float(count)}
    if stacked:
        out["kl.general_parent"] = to_parent / max(1, count)
    return out


def forgetting_report(
    base_name: str,
    adapter_dir,
    limit: int | None = None,
    *,
    items: int | None = None,
    batch_size: int = 8,
    max_gen_toks: int | None = None,
    output_dir=None,
    alpha0: float | None = None,
    alpha_tilde: float | None = None,
    cache_dir=None,
) -> dict:
    """All forgetting metrics (module docstring) of ``adapter_dir`` against its base ``base_name``.

    ``items``: first N multiple-choice items of the paired measure (None: all). ``limit``: first
    N arithmetic problems, prose paragraphs and KL prompts. ``cache_dir``: where pi1's item
    scores are kept (default ``$QADAPTER_CACHE/probe``). ``output_dir``: lm-eval results of both
    runs go to ``output_dir/base`` and ``output_dir/customized``, the per-item scores to
    ``output_dir/items.json``, the metrics to ``output_dir/forgetting.json``.
    """
    from ..models import load_base
    from .harness import QAdapterLM
    from .margins import cached_item_scores, item_scores, load_items, margin_metrics

    start = time.perf_counter()
    base = load_base(base_name)
    lms = {
        "base": QAdapterLM(base=base, batch_size=batch_size),
        "customized": QAdapterLM(
            base=base,
            adapter=str(adapter_dir),
            alpha0=alpha0,
            alpha_tilde=alpha_tilde,
            batch_size=batch_size,
        ),
    }
    mc = load_items(items)
    scores = {
        "base": cached_item_scores(lms["base"], mc, base.content_hash, cache_dir),
        "customized": item_scores(lms["customized"], mc),
    }
    report = margin_metrics(scores["base"], scores["customized"])
    report["probe.base_cached"] = float(scores["base"]["cached"])
    runs = {}
    for side, lm in lms.items():
        out = None if output_dir is None else Path(output_dir) / side
        runs[side] = run_suite(
            side,
            model=lm,
            limit=limit,
            max_gen_toks=max_gen_toks,
            tasks=list(GENERATED),
            output_dir=out,
        )
    report.update(task_metrics(runs["base"]["items"], runs["customized"]["items"]))
    prose = [r["text"] for r in read_jsonl(PROBE_DIR / "prose.jsonl", limit)]
    for side, lm in lms.items():
        report[f"ppl.{side}"] = perplexity(lm, prose)["ppl"]
    report.update(general_kl(lms["customized"].policy, general_items(limit), batch_size=batch_size))
    report["wall_s"] = round(time.perf_counter() - start, 2)
    if output_dir is not None:
        Path(output_dir).mkdir(parents=True, exist_ok=True)
        (Path(output_dir) / "forgetting.json").write_text(
            json.dumps(report, indent=2, sort_keys=True) + "\n"
        )
        (Path(output_dir) / "items.json").write_text(json.dumps(scores) + "\n")
    return report
