"""Token-level scoring with the customized policy pi~ of eq. 6, or with the base pi1 alone.

:class:`Policy` holds a loaded base and, optionally, an adapter: ``logprobs`` gives
``log pi~(.|s_t) = log_softmax((Q + alpha0 log pi1) / alpha_tilde)`` from ``QAdapter.full_outputs``
and ``loss.customized_logprobs`` (``log pi1`` without adapter); ``decoder`` is the matching
``CustomizedDecoder``. :func:`score_rows` scores ``(context, continuation)`` token rows in
right-padded batches, longest first, with lm-eval's truncation (keep the last ``max_length + 1``
tokens); :func:`score_shared_contexts` scores the continuations of shared contexts (multiple
choice) over the contexts' repeated KV caches. Used by the lm-eval model (``harness``) and the
forgetting metrics.
"""

from __future__ import annotations

import copy

import torch
from tqdm import tqdm
from transformers import DynamicCache

from ..adapter import AdapterError, load_adapter, read_meta
from ..config import MethodConfig
from ..data.tokenize import left_pad, position_ids
from ..decode import CustomizedDecoder
from ..loss import base_logprobs_from_logits, customized_logprobs, q_from_logits
from ..models import Base


def eos_ids(base: Base) -> set[int]:
    """The tokenizer's EOS plus the generation config's EOS ids (what ends a response)."""
    ids = {base.tokenizer.eos_token_id}
    gen = getattr(getattr(base.model, "generation_config", None), "eos_token_id", None)
    ids |= set(gen if isinstance(gen, (list, tuple)) else [] if gen is None else [gen])
    return {i for i in ids if i is not None}


class Policy:
    """pi~ of eq. 6 when ``adapter_dir`` is given, else pi1: log-probabilities and a decoder.

    The adapter's LoRA is loaded onto a copy of the base weights, so ``base.model`` stays pi1
    for its other users.
    """

    def __init__(
        self,
        base: Base,
        adapter_dir=None,
        *,
        alpha0: float | None = None,
        alpha_tilde: float | None = None,
    ):
        self.base, self.adapter_dir = base, adapter_dir
        self.qadapter = None
        if adapter_dir is None:
            if alpha0 is not None or alpha_tilde is not None:
                raise ValueError(
                    "alpha0/alpha_tilde need an adapter; pass adapter=DIR or drop them"
                )
            # the decoder's single mode samples softmax(logits / alpha_tilde): pi1 itself here
            self.decoder = CustomizedDecoder(
                q_net=base.model,
                method=MethodConfig(alpha0=1.0, alpha_tilde=1.0),
                eos_token_ids=eos_ids(base),
                pad_token_id=base.tokenizer.pad_token_id,
            )
            return
        meta = read_meta(adapter_dir)
        if meta.get("q_model") is not None:
            raise AdapterError(
                f"{adapter_dir}: separate-Q-model adapters are not supported in evaluation yet; "
                "evaluate an adapter trained on the shared base"
            )
        method = MethodConfig.from_meta(meta, alpha0=alpha0, alpha_tilde=alpha_tilde)  # validated
        self.alpha0, self.alpha_tilde = method.alpha0, method.alpha_tilde
        # the decoder first: it copies or shares the clean base weights
        self.decoder = CustomizedDecoder.from_adapter(
            adapter_dir, base, alpha0=self.alpha0, alpha_tilde=self.alpha_tilde
        )
        self.qadapter, _ = load_adapter(adapter_dir, copy.deepcopy(base.model), base.content_hash)
        self.qadapter.eval()

    @property
    def customized(self) -> bool:
        return self.qadapter is not None

    @property
    def incremental(self) -> bool:
        """Whether :meth:`extend` applies: pi1, or an adapter on the base (not on a stack, whose
        log pi^(k-1) only :meth:`logprobs` computes, through ``QAdapter.full_outputs``)."""
        return self.qadapter is None or self.qadapter.parent is None

    @torch.no_grad()
    def outputs(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """(Q, log pi1), (B, L, V) each; adapter only."""
        return self.qadapter.full_outputs(input_ids, attention_mask)

    @torch.no_grad()
    def logprobs(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """log pi~(.|s_t) (eq. 6), or log pi1 without adapter: (B, L) ids -> (B, L, V) float32."""
        if self.qadapter is None:
            logits = self.base.model(
                input_ids=input_ids,
                attention_mask=attention_mask,
                position_ids=position_ids(attention_mask),
            ).logits
            return base_logprobs_from_logits(logits)
        q, base_lp = self.qadapter.full_outputs(input_ids, attention_mask)
        return customized_logprobs(q, base_lp, alpha0=self.alpha0, alpha_tilde=self.alpha_tilde)

    @torch.no_grad()
    def extend(
        self, input_ids, attention_mask, position_ids, caches, keep: int = 0
    ) -> torch.Tensor:
        """log pi~ (or log pi1) for new tokens after the keys/values in ``caches``, extending them.

        caches: [base cache, Q cache] (``DynamicCache``; the second unused without adapter).
        input_ids, position_ids (B, T); attention_mask (B, past + T). Returns (B, T, V) float32,
        or (B, keep, V) for the last ``keep`` positions only (the output layer skips the rest).
        Equals :meth:`logprobs` on the whole sequence (Q from the two networks' logits through
        ``loss.q_from_logits``, as ``QAdapter.full_outputs`` does).
        """
        if not self.incremental:
            raise NotImplementedError("incremental scoring of a stacked adapter; use logprobs()")
        kw = dict(attention_mask=attention_mask, position_ids=position_ids, use_cache=True)
        kw["logits_to_keep"] = keep
        if self.qadapter is None:
            f_b = self.base.model(input_ids=input_ids, past_key_values=caches[0], **kw).logits
            return base_logprobs_from_logits(f_b)
        qnet = self.qadapter.qnet
        with qnet.disable_adapter():
            f_b = qnet(input_ids=input_ids, past_key_values=caches[0], **kw).logits
        f_q = qnet(input_ids=input_ids, past_key_values=caches[1], **kw).logits
        q = q_from_logits(self.qadapter.config.head, f_q, f_b)
        base_lp = base_logprobs_from_logits(f_b)
        return customized_logprobs(q, base_lp, alpha0=self.alpha0, alpha_tilde=self.alpha_tilde)


def score_shared_contexts(
    policy: Policy, groups: list[tuple[list[int], list[list[int]]]], *, batch_size: int
) -> list[list[tuple[float, bool]]]:
    """(log p(cont | ctx), is_greedy) for groups of continuations sharing one context.

    groups: ``[(ctx, [cont, ...]), ...]`` (multiple choice: one group per question). Each context
    runs once through both networks (``batch_size`` contexts per left-padded batch, output layer
    at the last position only); its keys and values are repeated for its continuations, which run
    as one right-padded batch. No truncation: the caller checks that ``ctx + cont`` fits the
    model's length. Returns one list of results per group, in order.
    """
    device = next(policy.base.model.parameters()).device
    pad = policy.base.tokenizer.pad_token_id
    out = []
    for start in range(0, len(groups), batch_size):
        chunk = groups[start : start + batch_size]
        ids, ctx_mask = left_pad([list(ctx) for ctx, _ in chunk], pad)
        ids, ctx_mask = ids.to(device), ctx_mask.to(device)
        caches = [DynamicCache(), DynamicCache()]
        pos = position_ids(ctx_mask)
        first = policy.extend(ids, ctx_mask, pos, caches, keep=1)  # (G, 1, V)
        owner = torch.tensor(
            [g for g, (_, conts) in enumerate(chunk) for _ in conts], device=device
        )
        conts = [c for _, cs in chunk for c in cs]
        n, width = len(conts), max(len(c) for c in conts)
        logprobs = first[owner]  # (n, 1, V): predicts each continuation's first token
        if width > 1:  # the continuations' own tokens predict their later tokens
            for cache in caches:
                cache.reorder_cache(owner)
            body = torch.full((n, width - 1), pad, dtype=torch.long, device=device)
            body_mask = torch.zeros((n, width - 1), dtype=torch.long, device=device)
            for i, c in enumerate(conts):
                body[i, : len(c) - 1] = torch.tensor(c[:-1], dtype=torch.long)
                body_mask[i, : len(c) - 1] = 1
            attn = torch.cat([ctx_mask[owner], body_mask], dim=1)  # (n, Lc + width - 1)
            body_pos = ctx_mask.sum(-1)[owner][:, None] + torch.arange(width - 1, device=device)
            rest = policy.extend(body, attn, body_pos, caches)  # (n, width - 1, V)
            logprobs = torch.cat([logprobs, rest], dim=1)  # (n, width, V)
        targets = torch.zeros((n, width), dtype=torch.long, device=device)
        mask = torch.zeros((n, width), dtype=torch.bool, device=device)
        for i, c in enumerate(conts):
            targets[i, : len(c)] = torch.tensor(c, dtype=torch.long)
            mask[i, : len(c)] = True
        sums, greedy = continuation_scores(logprobs, targets, mask)
        flat = [(float(sums[i]), bool(greedy[i])) for i in range(n)]
        for _, cs in chunk:
            out.append(flat[: len(cs)])
            flat = flat[len(cs) :]
    return out


def continuation_scores(
    logprobs: torch.Tensor, targets: torch.Tensor, mask: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """Summed log-probability of the masked targets and whether each is the argmax.

    logprobs (B, T, V); targets (B, T) long, the token predicted at each position; mask (B, T)
    bool, True at scored positions. Returns (sums (B,) float64, greedy (B,) bool).
    """
    tok = logprobs.gather(-1, targets.unsqueeze(-1)).squeeze(-1).double()  # (B, T)
    sums = torch.where(mask, tok, torch.zeros_like(tok)).sum(-1)
    hit = (logprobs.argmax(-1) == targets) | ~mask  # (B, T)
    return sums, hit.all(-1)


def score_rows(
    policy: Policy,
    rows: list[tuple[list[int], list[int]]],
    *,
    batch_size: int,
    max_length: int,
    desc: str | None = None,
) -> list[tuple[float, bool]]:
    """(log p(cont | ctx), is_greedy) for token rows ``(ctx, cont)``, batched longest first.

    The model reads ``(ctx + cont)[-(max_length + 1):-1]`` (right-padded) and the last
    ``len(cont)`` positions predict ``cont``.
    """
    pad = policy.base.tokenizer.pad_token_id
    out: list[tuple[float, bool] | None] = [None] * len(rows)
    order = sorted(range(len(rows)), key=lambda i: -(len(rows[i][0]) + len(rows[i][1])))
    for start in tqdm(range(0, len(order), batch_size), desc=desc, disable=desc is None):
        idx = order[start : start + batch_size]
        wholes = []
        for i in idx:
            ctx, cont = rows[i]
            if not ctx or len(cont) > max_length:
                raise ValueError(
                    f"request {i}: needs >= 1 context token and <= max_length={max_length} "
                    "continuation tokens"
                )
            wholes.append((list(ctx) + list(cont))[-(max_length + 1) :])
        width = max(len(w) for w in wholes) - 1
        ids = torch.full((len(idx), width), pad, dtype=torch.long)
        targets = torch.full((len(idx), width), pad, dtype=torch.long)
        attn = torch.zeros((len(idx), width), dtype=torch.long)
        mask = torch.zeros((len(idx), width), dtype=torch.bool)
        for b, (i, w) in enumerate(zip(idx, wholes)):
            n, k = len(w) - 1, len(rows[i][1])
            ids[b, :n], targets[b, :n], attn[b, :n] = torch.tensor(w[:-1]), torch.tensor(w[1:]), 1
            mask[b, n - k : n] = True
        device = next(policy.base.model.parameters()).device
        sums, greedy = continuation_scores(
            policy.logprobs(ids.to(device), attn.to(device)), targets.to(device), mask.to(device)
        )
        for b, i in enumerate(idx):
            out[i] = (float(sums[b]), bool(greedy[b]))
    return out  # type: ignore[return-value]
