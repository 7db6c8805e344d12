"""Customized decoding: sample from pi~ = softmax((Q + alpha0 log pi1) / alpha_tilde) (eq. 6).

Both networks (the base pi1 and the Q network) run at every step, each over its own keys and
values. Each step takes the last position's logits of both, forms eq. 6 and picks a token
(greedy, or sampling with temperature / top-k / top-p). Batched prompts are left-padded, with
per-row position ids.

Two-model decoding normally runs as one doubled batch on the base weights (``qadapter.dual``).
A stack of d adapters (``qadapter.stack``) runs d + 1 row groups the same way (group 0 the base,
group j adapter j) and forms eq. 6 level by level; alpha0 / alpha_tilde overrides apply to the top
adapter only.
One exact shortcut: with the ``residual`` head, Q = f_q - f_b (adapter and base logits), so
Q + alpha0 log pi1 = f_q + (alpha0 - 1) f_b - alpha0 logsumexp(f_b). The last term is constant in
the action and cancels in the softmax; with alpha0 = 1 (the paper's default) the customized policy
is softmax(f_q / alpha_tilde) and the base pass is not needed at all. ``fuse`` (default on) uses
this; it changes nothing in the distribution (tests compare both paths token by token).

``temperature`` applies on top of eq. 6: 1.0 (default) samples pi~ exactly.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Callable

import torch
from transformers import DynamicCache

from .adapter import check_adapter_files, check_base, read_meta
from .config import BIG, MethodConfig, check_fields, setting
from .data.tokenize import encode_prompt, left_pad, position_ids
from .dual import RowGroups
from .stack import policy_from_logits


@dataclass(frozen=True)
class SamplingConfig:
    max_new_tokens: int = setting(128, "new tokens per response at most", lo=1, hi=BIG)
    greedy: bool = setting(False, "argmax decoding")
    # on top of eq. 6; 1.0 samples the customized policy exactly
    temperature: float = setting(
        1.0, "temperature on top of eq. 6 (1.0 samples it exactly)", lo=0.0, hi=1e4, lo_open=True
    )
    top_k: int = setting(0, "keep the k most likely tokens (0: off)", lo=0, hi=BIG)
    top_p: float = setting(
        1.0, "nucleus: smallest set with this much mass (1.0: off)", lo=0.0, hi=1.0, lo_open=True
    )
    seed: int | None = setting(None, "sampling seed", lo=0, hi=2**63 - 1)

    def __post_init__(self) -> None:
        # greedy decoding ignores the temperature (0 is a common way to ask for argmax)
        check_fields(self, skip=frozenset({"temperature"}) if self.greedy else frozenset())


def filter_logits(logits: torch.Tensor, *, top_k: int = 0, top_p: float = 1.0) -> torch.Tensor:
    """Set logits outside the top-k / nucleus (smallest set with mass >= top_p) to -inf.   (B, V)"""
    out = logits.clone()
    if top_k and top_k < out.shape[-1]:
        kth = torch.topk(out, top_k, dim=-1).values[..., -1:]
        out[out < kth] = float("-inf")
    if top_p < 1.0:
        sorted_logits, order = torch.sort(out, dim=-1, descending=True)
        probs = torch.softmax(sorted_logits, dim=-1)
        before = probs.cumsum(-1) - probs  # mass strictly before each token
        drop_sorted = before >= top_p  # keeps the first token always
        drop = torch.zeros_like(drop_sorted).scatter(-1, order, drop_sorted)
        out[drop] = float("-inf")
    return out


def select_tokens(
    logprobs: torch.Tensor, cfg: SamplingConfig, generator: torch.Generator | None
) -> torch.Tensor:
    """Pick the next token of each row from (B, V) log-probabilities (or logits)."""
    if cfg.greedy:
        return logprobs.argmax(-1)
    logits = filter_logits(logprobs / cfg.temperature, top_k=cfg.top_k, top_p=cfg.top_p)
    return torch.multinomial(torch.softmax(logits, dim=-1), 1, generator=generator).squeeze(-1)


class CustomizedDecoder:
    """Decoding from eq. 6. Three ways to get a step's logits, chosen by ``from_adapter``:

    * ``q_net`` + ``rows`` (a :class:`qadapter.dual.RowGroups`): one model sharing the base weights
      runs ``depth + 1`` row groups, base rows then each adapter's rows (:mod:`qadapter.dual`);
      one KV cache. ``levels`` holds each adapter's method, bottom first (a stack when > 1).
    * ``q_net`` + ``base_net``: a separate Q model (LoRA merged) and the base, two KV caches.
    * ``q_net`` alone: the merged Q model (the exact alpha0 = 1 residual shortcut); no base pass.
    """

    def __init__(
        self,
        *,
        q_net: torch.nn.Module,
        method: MethodConfig,
        eos_token_ids,
        pad_token_id: int,
        base_net: torch.nn.Module | None = None,
        rows: RowGroups | None = None,
        levels: tuple[MethodConfig, ...] | None = None,
    ):
        if base_net is not None and rows is not None:
            raise ValueError("pass base_net (two models) or rows (dual batch), not both")
        self.levels = tuple(levels) if levels is not None else (method,)
        if self.levels[-1] != method:
            raise ValueError("the top level's method must be `method`")
        if rows is not None and rows.count != len(self.levels) + 1:
            raise ValueError(f"{rows.count} row groups for {len(self.levels)} levels")
        if rows is None and len(self.levels) > 1:
            raise ValueError("a stack decodes with row groups (rows)")
        self.q_net = q_net.eval()
        self.base_net = base_net.eval() if base_net is not None else None
        self.rows = rows
        self.method = method
        self.eos = torch.tensor(sorted(set(eos_token_ids)), dtype=torch.long)
        self.pad_token_id = pad_token_id

    @property
    def mode(self) -> str:
        """ "stack", "dual", "pair" or "single" (for reports and tests)."""
        if self.rows is not None:
            return "stack" if self.depth > 1 else "dual"
        return "pair" if self.base_net is not None else "single"

    @property
    def depth(self) -> int:
        return len(self.levels)

    @property
    def single_pass(self) -> bool:
        return self.rows is None and self.base_net is None

    @property
    def alpha0(self) -> float:
        return self.method.alpha0

    @property
    def alpha_tilde(self) -> float:
        return self.method.alpha_tilde

    @classmethod
    def from_adapter(
        cls,
        adapter_dir,
        base,
        *,
        alpha0: float | None = None,
        alpha_tilde: float | None = None,
        fuse: bool = True,
        q_model=None,
    ) -> "CustomizedDecoder":
        """Build from an adapter directory and a loaded :class:`qadapter.models.Base`.

        alpha0 / alpha_tilde default to the values the adapter was trained with; overriding them
        moves along the paper's trade-off without retraining (validated like training's values).
        An adapter with a parent decodes its whole verified stack (the overrides apply to it, the
        top level, only).
        ``q_model`` is the separate Q network's base model when the adapter was trained on one
        (``qadapter.json: q_model``).
        """
        from peft import PeftModel

        from .dual import build_groups
        from .stack import Stack

        meta = read_meta(adapter_dir)
        method = MethodConfig.from_meta(meta, alpha0=alpha0, alpha_tilde=alpha_tilde)
        check_base(meta, base.content_hash, str(adapter_dir))
        check_adapter_files(adapter_dir)
        eos = {base.tokenizer.eos_token_id}
        gen_eos = getattr(base.model.generation_config, "eos_token_id", None)
        eos |= set(
            gen_eos
            if isinstance(gen_eos, (list, tuple))
            else [gen_eos]
            if gen_eos is not None
            else []
        )
        common = dict(method=method, eos_token_ids=eos, pad_token_id=base.tokenizer.pad_token_id)
        if meta.get("parent"):
            stack = Stack.load(adapter_dir, base.model, base.content_hash)
            levels = (*stack.methods[:-1], method)
            return cls(q_net=stack.lm, rows=stack.groups, levels=levels, **common)
        separate = meta.get("q_model") is not None
        if separate and q_model is None:
            raise ValueError(
                f"{adapter_dir}: adapter was trained on a separate Q model ({meta['q_model']}); "
                "pass it as q_model"
            )
        if fuse and method.head == "residual" and method.alpha0 == 1.0 and not separate:
            merged = PeftModel.from_pretrained(
                copy.deepcopy(base.model), str(adapter_dir)
            ).merge_and_unload()
            return cls(q_net=merged, **common)
        if separate:
            merged = PeftModel.from_pretrained(q_model, str(adapter_dir)).merge_and_unload()
            return cls(q_net=merged, base_net=base.model, **common)
        dual, rows = build_groups(base.model, [str(adapter_dir)])
        return cls(q_net=dual, rows=rows, **common)

    def customized(self, *logits: torch.Tensor | None) -> torch.Tensor:
        """Eq. 6 logits (up to a per-row constant) from the streams' raw logits.   (B, V) each

        ``(base, q)`` for one adapter (base None in single-pass mode); ``(base, f_1, .., f_d)``
        for a stack, giving log pi^(d).
        """
        if self.single_pass:  # residual head, alpha0 = 1: (f_q - f_b + log pi1) / at = f_q / at + c
            return logits[-1].float() / self.method.alpha_tilde
        return policy_from_logits(logits, self.levels)

    def _networks(self) -> list[torch.nn.Module]:
        return [self.q_net] if self.base_net is None else [self.q_net, self.base_net]

    def _step_logits(self, caches, ids, pos, mask):
        """Each stream's logits, (B, V), for the last position of ``ids``: (base or None, q), or
        (base, f_1, .., f_d) with row groups."""
        kw = dict(position_ids=pos, use_cache=True, logits_to_keep=1)
        if self.rows is not None:
            b, g = ids.shape[0], self.rows.count
            self.rows.n = b
            rep = lambda t: t.repeat(g, 1)  # noqa: E731  groups: base, then adapters bottom-up
            kw["position_ids"] = rep(pos)
            out = self.q_net(
                input_ids=rep(ids), attention_mask=rep(mask), past_key_values=caches[0], **kw
            )
            return tuple(out.logits[:, -1].view(g, b, -1).unbind(0))
        q = self.q_net(input_ids=ids, attention_mask=mask, past_key_values=caches[0], **kw).logits[
            :, -1
        ]
        if self.base_net is None:
            return None, q
        b = self.base_net(
            input_ids=ids, attention_mask=mask, past_key_values=caches[1], **kw
        ).logits[:, -1]
        return b, q

    @torch.no_grad()
    def extend_logprobs(self, cache, input_ids, attention_mask, position_ids, keep: int = 0):
        """log pi~ (log pi^(depth) on a stack) of new tokens after the keys/values in ``cache``.

        Row-group modes only; ``cache`` is one ``DynamicCache`` holding all groups' rows (group g
        of a batch of B is rows g*B .. g*B + B - 1; reorder it with indices for every group),
        except in the shared-prefix layers (``rows.shared`` lowest), which hold group 0's B rows.
        input_ids, position_ids (B, T); attention_mask (B, past + T) -> (B, T, V), or (B, keep, V)
        for the last ``keep`` positions only.
        """
        if self.rows is None:
            raise ValueError("extend_logprobs needs the row-group decoder (mode dual or stack)")
        b, g = input_ids.shape[0], self.rows.count
        self.rows.n = b
        rep = lambda t: t.repeat(g, 1)  # noqa: E731
        logits = self.q_net(
            input_ids=rep(input_ids),
            attention_mask=rep(attention_mask),
            position_ids=rep(position_ids),
            past_key_values=cache,
            use_cache=True,
            logits_to_keep=keep,
        ).logits  # (g * B, T, V)
        return policy_from_logits(list(logits.view(g, b, *logits.shape[1:])), self.levels)

    @torch.inference_mode()
    def generate(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        cfg: SamplingConfig,
        on_step: Callable[[torch.Tensor], None] | None = None,
    ) -> torch.Tensor:
        """New tokens for left-padded prompts: (B, n) long, ``pad_token_id`` after a row's EOS."""
        device = next(self.q_net.parameters()).device
        input_ids, attention_mask = input_ids.to(device), attention_mask.to(device)
        gen = torch.Generator(device=device).manual_seed(cfg.seed) if cfg.seed is not None else None
        eos = self.eos.to(device)
        positions = position_ids(attention_mask)
        caches = [DynamicCache() for _ in self._networks()]
        logits = self._step_logits(caches, input_ids, positions, attention_mask)
        finished = torch.zeros(input_ids.shape[0], dtype=torch.bool, device=device)
        out = []
        for _ in range(cfg.max_new_tokens):
            nxt = select_tokens(self.customized(*logits), cfg, gen)
            nxt = torch.where(finished, torch.full_like(nxt, self.pad_token_id), nxt)
            out.append(nxt)
            if on_step is not None:
                on_step(nxt)
            finished |= torch.isin(nxt, eos)
            if bool(finished.all()):
                break
            attention_mask = torch.cat(
                [attention_mask, attention_mask.new_ones((attention_mask.shape[0], 1))], dim=-1
            )
            positions = positions[:, -1:] + 1
            logits = self._step_logits(caches, nxt.unsqueeze(-1), positions, attention_mask)
        return torch.stack(out, dim=1) if out else input_ids.new_zeros((input_ids.shape[0], 0))

    def generate_text(self, tokenizer, prompts, cfg: SamplingConfig, on_step=None) -> list[str]:
        """Prompts (strings or chat-message lists) -> responses (EOS and padding removed)."""
        encoded = [
            encode_prompt(tokenizer, [{"role": "user", "content": p}] if isinstance(p, str) else p)
            for p in prompts
        ]
        ids, mask = left_pad(encoded, tokenizer.pad_token_id)
        new = self.generate(ids, mask, cfg, on_step=on_step)
        texts = []
        for row in new.tolist():
            cut = next((i for i, t in enumerate(row) if t in set(self.eos.tolist())), len(row))
            texts.append(tokenizer.decode(row[:cut], skip_special_tokens=True))
        return texts
