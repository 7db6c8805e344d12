"""The compare flow's per-method evaluation: the same probe, judges and behaviour metric for every
policy (pi1, SFT, DPO, RL merged models; Transfer Q* as a decoder of pi1).

Everything is measured against pi1 on the same held-out prompts with greedy decoding and the
same reward-model judges as the customize flow's judge stage (so Q-Adapter's column comes from
that stage's record). pi1's probe items and replies are computed once (:func:`reference`).
"""

from __future__ import annotations

import math

import torch

from qadapter.config import ConfigError

METHODS = ("pi1", "qadapter", "sft", "dpo", "rl", "tqstar")
TRAINED = ("sft", "dpo", "rl")
LABELS = {
    "pi1": "pi1",
    "qadapter": "Q-Adapter",
    "sft": "SFT",
    "dpo": "DPO",
    "rl": "RL (RLOO)",
    "tqstar": "Transfer Q*",
}


def check_methods(methods) -> list[str]:
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise ConfigError(f"unknown methods {unknown}; choose from {', '.join(METHODS)}")
    return list(methods)


@torch.no_grad()
def policy_kl(policy, pi1, tokenizer, items, *, batch_size: int = 8) -> dict:
    """Mean / max over response states of KL(pi(.|s) || pi1(.|s)), exact over the vocabulary.

    ``items``: (question, answer) pairs, rendered as a chat user turn and a teacher-forced
    response (the states of ``forgetting.general_kl``: those choosing response tokens and EOS).
    logits (B, L, V) of both models -> KL (B, L) -> the response states (N,).
    """
    from qadapter.data.tokenize import encode_prompt, encode_response

    total, count, worst = 0.0, 0, 0.0
    device = next(policy.parameters()).device
    for start in range(0, len(items), batch_size):
        rows = [
            (
                encode_prompt(tokenizer, [{"role": "user", "content": q}]),
                encode_response(tokenizer, a),
            )
            for q, a in items[start : start + batch_size]
        ]
        width = max(len(p) + len(r) for p, r in rows)
        ids = torch.full((len(rows), width), tokenizer.pad_token_id, dtype=torch.long)
        attn = torch.zeros((len(rows), width), dtype=torch.long)
        states = torch.zeros((len(rows), width), dtype=torch.bool)
        for b, (p, r) in enumerate(rows):
            ids[b, : len(p) + len(r)] = torch.tensor(p + r)
            attn[b, : len(p) + len(r)] = 1
            states[b, len(p) - 1 : len(p) + len(r) - 1] = True
        ids, attn = ids.to(device), attn.to(device)
        lp = torch.log_softmax(policy(input_ids=ids, attention_mask=attn).logits.float(), -1)
        lq = torch.log_softmax(pi1(input_ids=ids, attention_mask=attn).logits.float(), -1)
        kl = (lp.exp() * (lp - lq)).sum(-1)[states.to(device)]  # (N,)
        total += float(kl.double().sum())
        count += kl.numel()
        worst = max(worst, float(kl.max()))
    return {"kl.general": total / max(1, count), "kl.general_max": worst, "kl.states": float(count)}


def greedy_replies(model_base, prompts, max_new_tokens: int, batch_size: int = 8) -> list[str]:
    from qadapter.decode import SamplingConfig
    from qadapter.evaluate.samples import base_generate

    cfg = SamplingConfig(max_new_tokens=max_new_tokens, greedy=True)
    out = []
    for i in range(0, len(prompts), batch_size):
        out += base_generate(model_base, [list(p) for p in prompts[i : i + batch_size]], cfg)
    return [r.strip() for r in out]


def tqstar_replies(
    pi1, score, prompts, cfg, batch_size: int = 4, progress=None
) -> tuple[list[str], dict]:
    """Transfer Q* replies and the per-token KL of its greedy choice: -log pi1(chosen token)
    (greedy Transfer Q* is deterministic, so KL(q || pi1) = -log pi1(c) at each step).

    ``progress(done, total)``: called after each batch of prompts (Transfer Q* decodes k
    rollouts per token: minutes per subset on a CPU, so the run shows where it is)."""
    from qadapter.tqstar import TransferQStar

    dec = TransferQStar.from_base(pi1, score)
    eos = set(dec.eos.tolist())
    out, nll, steps = [], 0.0, 0
    for i in range(0, len(prompts), batch_size):
        trace: list = []
        out += dec.generate_text(pi1.tokenizer, prompts[i : i + batch_size], cfg, trace=trace)
        done = None
        for t in trace:
            pick = t["choice"]  # (B,)
            tok = t["candidates"].gather(1, pick[:, None])[:, 0]
            logp = t["logp"].gather(1, pick[:, None])[:, 0]
            done = torch.zeros_like(pick, dtype=torch.bool) if done is None else done
            live = ~done
            nll += float(-logp[live].double().sum())
            steps += int(live.sum())
            done = done | torch.tensor([int(x) in eos for x in tok])
        if progress is not None:
            progress(min(i + batch_size, len(prompts)), len(prompts))
    return [r.strip() for r in out], {"kl.general": nll / max(1, steps), "kl.states": float(steps)}


def judge_replies(judges: dict, prompts: dict, reference: dict, replies: dict, seed: int) -> dict:
    """Win rate rows per subset of ``replies`` against pi1's ``reference`` replies."""
    from qadapter.evaluate.winrate import annotate, leaderboard_row

    out = {}
    for subset, judge in judges.items():
        ann = annotate(prompts[subset], reference[subset], replies[subset], judge, seed=seed)
        out[subset] = {"row": leaderboard_row(ann, mode=judge.name), "annotations": ann}
    return out


def behaviour_of(prompts: dict, reference: dict, replies: dict) -> dict:
    from qadapter.evaluate.behaviour import behaviour_metrics

    flat = behaviour_metrics(
        prompts["harmless"],
        reference["harmless"],
        replies["harmless"],
        prompts["helpful"],
        reference["helpful"],
        replies["helpful"],
    )["flat"]
    return {
        "behaviour.declined": flat["behaviour.steer"],
        "behaviour.answered": flat["behaviour.keep"],
    }


def probe_of(ref: dict, items: dict, margins: dict) -> dict:
    """``probe.*`` of one policy against pi1's ``ref`` (``tasks.compare.reference``): the paired
    margin measure on the multiple-choice items and the lm-eval arithmetic task."""
    from qadapter.evaluate.forgetting import task_metrics
    from qadapter.evaluate.margins import margin_metrics

    return {**task_metrics(ref["items"], items), **margin_metrics(ref["margins"], margins)}


def column(
    method: str, probe: dict, kl: float, judged: dict, behaviour: dict, trust: dict | None = None
) -> dict:
    """One column of the comparison: flat metric -> value; ``trust``: ``{subset: bool}`` from
    each judge's validation, as ``judge.<subset>.trusted`` (1.0 / 0.0)."""
    col = {"method": method, **probe, "kl.general": kl, **behaviour}
    for subset, ok in (trust or {}).items():
        col[f"judge.{subset}.trusted"] = float(ok)
    for subset, res in judged.items():
        col[f"winrate.{subset}"] = float(res["row"]["win_rate"])
        col[f"winrate.{subset}_se"] = float(res["row"]["standard_error"])
    return col


def nan_to_none(d: dict) -> dict:
    return {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in d.items()}
