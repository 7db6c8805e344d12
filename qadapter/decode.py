"""Customized decoding: sample from pi~ = softmax((Q + alpha0 log pi1) / alpha_tilde) (eq. 6).

Both networks (the base pi1 and the Q network) run at every step, each over its own keys and
values. Each step takes the last position's logits of both, forms eq. 6 and picks a token (greedy, or sampling
with temperature / top-k / top-p). Batched prompts are left-padded, with per-row position ids.

Two-model decoding normally runs as one doubled batch on the base weights (``qadapter.dual``).
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

from .adapter import read_meta, check_base
from .data.tokenize import encode_prompt, left_pad
from .loss import customized_logprobs


@dataclass(frozen=True)
class SamplingConfig:
    max_new_tokens: int = 128
    greedy: bool = False
    temperature: float = 1.0  # on top of eq. 6; 1.0 samples the customized policy exactly
    top_k: int = 0  # 0: no top-k filtering
    top_p: float = 1.0  # 1.0: no nucleus filtering
    seed: int | None = None

    def __post_init__(self) -> None:
        if self.temperature <= 0 and not self.greedy:
            raise ValueError("temperature must be > 0 (use greedy=True for argmax decoding)")
        if not 0 < self.top_p <= 1:
            raise ValueError(f"top_p must be in (0, 1], got {self.top_p}")


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


def select_tokens(logprobs: torch.Tensor, cfg: SamplingConfig, generator: torch.Generator | None) -> torch.Tensor:
    """Pick the next token of each row from (B, V) log-probabilities (or logits)."""
    if cfg.greedy:
        return logprobs.argmax(-1)
    logits = filter_logits(logprobs / cfg.temperature, top_k=cfg.top_k, top_p=cfg.top_p)
    return torch.multinomial(torch.softmax(logits, dim=-1), 1, generator=generator).squeeze(-1)


class CustomizedDecoder:
    """Decoding from eq. 6. Three ways to get the logits of a step, chosen by ``from_adapter``:

    * ``dual``: one model sharing the base weights runs a doubled batch, base rows then adapter
      rows (:mod:`qadapter.dual`); one KV cache holds both streams' keys and values.
    * ``pair``: two models (base, and a separate Q model with merged LoRA), two KV caches.
    * ``single``: the merged Q model alone (the exact alpha0 = 1 residual shortcut).
    """

    def __init__(self, *, mode: str, models: list, head: str, alpha0: float, alpha_tilde: float, eos_token_ids, pad_token_id: int, rows=None):
        if mode not in ("dual", "pair", "single"):
            raise ValueError(f"unknown decoding mode {mode!r}")
        self.mode, self.models, self.rows = mode, [m.eval() for m in models], rows
        self.head = head
        self.alpha0 = float(alpha0)
        self.alpha_tilde = float(alpha_tilde)
        self.eos = torch.tensor(sorted(set(eos_token_ids)), dtype=torch.long)
        self.pad_token_id = pad_token_id

    @property
    def single_pass(self) -> bool:
        return self.mode == "single"

    @classmethod
    def from_adapter(cls, adapter_dir, base, *, alpha0: float | None = None, alpha_tilde: float | None = None, fuse: bool = True, q_model=None) -> "CustomizedDecoder":
        """Build from an adapter directory and a loaded :class:`qadapter.models.Base`.

        alpha0 / alpha_tilde default to the values the adapter was trained with; overriding them
        moves along the paper's trade-off without retraining. ``q_model`` is the separate Q
        network's base model when the adapter was trained on one (``qadapter.json: q_model``).
        """
        from peft import PeftModel

        from .dual import build_dual

        meta = read_meta(adapter_dir)
        check_base(meta, base.content_hash, str(adapter_dir))
        a0 = float(meta["alpha0"] if alpha0 is None else alpha0)
        at = float(meta["alpha_tilde"] if alpha_tilde is None else alpha_tilde)
        eos = {base.tokenizer.eos_token_id}
        gen_eos = getattr(base.model.generation_config, "eos_token_id", None)
        eos |= set(gen_eos if isinstance(gen_eos, (list, tuple)) else [gen_eos] if gen_eos is not None else [])
        common = dict(head=meta["head"], alpha0=a0, alpha_tilde=at, eos_token_ids=eos, pad_token_id=base.tokenizer.pad_token_id)
        separate = meta.get("q_model") is not None
        if separate and q_model is None:
            raise ValueError(f"{adapter_dir}: adapter was trained on a separate Q model ({meta['q_model']}); pass it as q_model")
        if fuse and meta["head"] == "residual" and a0 == 1.0 and not separate:
            merged = PeftModel.from_pretrained(copy.deepcopy(base.model), str(adapter_dir)).merge_and_unload()
            return cls(mode="single", models=[merged], **common)
        if separate:
            merged = PeftModel.from_pretrained(q_model, str(adapter_dir)).merge_and_unload()
            return cls(mode="pair", models=[merged, base.model], **common)
        dual, rows = build_dual(base.model, str(adapter_dir))
        return cls(mode="dual", models=[dual], rows=rows, **common)

    def customized(self, base_logits: torch.Tensor | None, q_logits: torch.Tensor) -> torch.Tensor:
        """Eq. 6 logits (up to a per-row constant) from the two networks' raw logits.   (B, V)"""
        if self.single_pass:
            return q_logits.float() / self.alpha_tilde
        base_lp = torch.log_softmax(base_logits.float(), dim=-1)
        q = q_logits.float() - base_logits.float() if self.head == "residual" else q_logits.float()
        return customized_logprobs(q, base_lp, alpha0=self.alpha0, alpha_tilde=self.alpha_tilde)

    def _step_logits(self, caches, ids, pos, mask):
        """(base_logits or None, q_logits), each (B, V), for the last position of ``ids``."""
        if self.mode == "dual":
            b = ids.shape[0]
            self.rows.split = b
            two = lambda t: torch.cat([t, t], dim=0)  # noqa: E731  rows: base stream, then adapter stream
            logits = self.models[0](input_ids=two(ids), attention_mask=two(mask), position_ids=two(pos), past_key_values=caches[0], use_cache=True, logits_to_keep=1).logits[:, -1]
            return logits[:b], logits[b:]
        out = [m(input_ids=ids, attention_mask=mask, position_ids=pos, past_key_values=c, use_cache=True, logits_to_keep=1).logits[:, -1] for m, c in zip(self.models, caches)]
        return (None, out[0]) if self.single_pass else (out[1], out[0])

    @torch.inference_mode()
    def generate(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, cfg: SamplingConfig, on_step: Callable[[torch.Tensor], None] | None = None) -> torch.Tensor:
        """New tokens for left-padded prompts: (B, n) long, ``pad_token_id`` after a row's EOS."""
        device = next(self.models[0].parameters()).device
        input_ids, attention_mask = input_ids.to(device), attention_mask.to(device)
        gen = torch.Generator(device=device).manual_seed(cfg.seed) if cfg.seed is not None else None
        eos = self.eos.to(device)
        position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)
        caches = [DynamicCache() for _ in self.models]
        base_logits, q_logits = self._step_logits(caches, input_ids, position_ids, attention_mask)
        finished = torch.zeros(input_ids.shape[0], dtype=torch.bool, device=device)
        out = []
        for _ in range(cfg.max_new_tokens):
            nxt = select_tokens(self.customized(base_logits, q_logits), cfg, gen)
            nxt = torch.where(finished, torch.full_like(nxt, self.pad_token_id), nxt)
            out.append(nxt)
            if on_step is not None:
                on_step(nxt)
            finished |= torch.isin(nxt, eos)
            if bool(finished.all()):
                break
            attention_mask = torch.cat([attention_mask, attention_mask.new_ones((attention_mask.shape[0], 1))], dim=-1)
            position_ids = position_ids[:, -1:] + 1
            base_logits, q_logits = self._step_logits(caches, nxt.unsqueeze(-1), position_ids, attention_mask)
        return torch.stack(out, dim=1) if out else input_ids.new_zeros((input_ids.shape[0], 0))

    def generate_text(self, tokenizer, prompts, cfg: SamplingConfig, on_step=None) -> list[str]:
        """Prompts (strings or chat-message lists) -> decoded responses (EOS and padding removed)."""
        encoded = [encode_prompt(tokenizer, [{"role": "user", "content": p}] if isinstance(p, str) else p) for p in prompts]
        ids, mask = left_pad(encoded, tokenizer.pad_token_id)
        new = self.generate(ids, mask, cfg, on_step=on_step)
        texts = []
        for row in new.tolist():
            cut = next((i for i, t in enumerate(row) if t in set(self.eos.tolist())), len(row))
            texts.append(tokenizer.decode(row[:cut], skip_special_tokens=True))
        return texts
