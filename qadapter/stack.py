"""Stacked Q-Adapters: the customized policy of one adapter is the pi1 of the next.

    pi^(0) = pi1 (the base),
    pi^(k)(a|s) = softmax((Q_k(s, a) + alpha0_k * log pi^(k-1)(a|s)) / alpha_tilde_k)   (eq. 6)

each level with its own Q head, alpha0 and alpha_tilde (its ``qadapter.json``). Q_k comes from
adapter k's own LoRA on the shared base weights; a ``residual`` head reads Q_k = f_k - f_0 (its
network's logits minus the base network's), so an untrained adapter with alpha0 = alpha_tilde
leaves pi^(k-1) unchanged.

A :class:`Stack` is a verified lineage (``qadapter.meta.verified_lineage``) loaded as one network
with ``depth + 1`` row groups over the base weights (``qadapter.dual``): group 0 the base, group j
adapter j. It is frozen. Training adapter k on top of it (``QAdapter(base, cfg, parent=stack)``)
uses ``log pi^(k-1)`` from :meth:`Stack.policy_from_logits` as its base log-probabilities;
decoding a stack (``CustomizedDecoder.from_adapter``) runs all ``depth + 1`` streams per step.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import torch

from .config import MethodConfig
from .data.tokenize import position_ids
from .dual import build_groups
from .loss import base_logprobs_from_logits, customized_logprobs, q_from_logits
from .meta import AdapterError, adapter_hash, check_adapter_files, check_base, verified_lineage


def stacked_logprobs(
    q_values: Sequence[torch.Tensor],
    base_logprobs: torch.Tensor,
    methods: Sequence[MethodConfig],
) -> torch.Tensor:
    """log pi^(d) from log pi1 and Q_1 .. Q_d, each (..., V), by the recursion of eq. 6.

    ``methods[k]`` gives alpha0_k and alpha_tilde_k of level k. Returns (..., V); with no levels,
    ``base_logprobs`` itself.
    """
    if len(q_values) != len(methods):
        raise ValueError(f"{len(q_values)} Q tensors for {len(methods)} levels")
    lp = base_logprobs
    for q, m in zip(q_values, methods):
        lp = customized_logprobs(q, lp, alpha0=m.alpha0, alpha_tilde=m.alpha_tilde)  # (..., V)
    return lp


def levels_q(logits: Sequence[torch.Tensor], methods: Sequence[MethodConfig]) -> list[torch.Tensor]:
    """Q_1 .. Q_d from group logits f_0 (base), f_1 .. f_d, each (..., V), by each level's head."""
    return [q_from_logits(m.head, f, logits[0]) for f, m in zip(logits[1:], methods)]


def policy_from_logits(
    logits: Sequence[torch.Tensor], methods: Sequence[MethodConfig]
) -> torch.Tensor:
    """log pi^(d) (..., V) from the raw logits of the d + 1 groups, each (..., V)."""
    base_lp = base_logprobs_from_logits(logits[0])
    return stacked_logprobs(levels_q(logits, methods), base_lp, methods)


@dataclass(frozen=True)
class Level:
    """One adapter of a stack: where it lives, its record, its method, its content hash."""

    directory: Path
    meta: dict
    method: MethodConfig
    hash: str


class Stack:
    """A frozen stack of ``depth`` adapters over one base (levels[0] trained on the base)."""

    def __init__(self, base_model, levels: Sequence[Level], lm, groups):
        self.levels = tuple(levels)
        self.lm = lm  # a causal LM on the base weights with depth + 1 row groups
        self.groups = groups
        object.__setattr__(self, "base_model", base_model)

    @classmethod
    def load(cls, directory: str | Path, base_model, base_hash: str) -> "Stack":
        """The verified lineage ending at ``directory``, on ``base_model`` (content ``base_hash``).

        Refuses (:class:`AdapterError`, one line) a missing or changed parent, a loop, another
        base, incomplete files, or an adapter trained on a separate Q model.
        """
        chain = verified_lineage(directory)
        levels = []
        for path, meta in chain:
            check_base(meta, base_hash, str(path))
            check_adapter_files(path)
            if meta.get("q_model"):
                raise AdapterError(
                    f"{path}: trained on a separate Q model ({meta['q_model']}); stacks need "
                    "adapters on the base network"
                )
            levels.append(Level(path, meta, MethodConfig.from_meta(meta), adapter_hash(path)))
        lm, groups = build_groups(base_model, [str(level.directory) for level in levels])
        for p in lm.parameters():
            p.requires_grad_(False)
        return cls(base_model, levels, lm, groups)

    @property
    def depth(self) -> int:
        return len(self.levels)

    @property
    def methods(self) -> list[MethodConfig]:
        return [level.method for level in self.levels]

    @property
    def top(self) -> Level:
        return self.levels[-1]

    def shares_weights_with(self, model) -> bool:
        """True when ``model`` reads the very weight tensors this stack runs on."""
        mine = self.lm.get_input_embeddings().weight
        return model.get_input_embeddings().weight.data_ptr() == mine.data_ptr()

    @torch.no_grad()
    def hidden(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """Hidden states of every group: (B, L) ids -> (depth + 1, B, L, H); rows may be padded
        on either side (positions count real tokens only)."""
        g, b = self.groups.count, input_ids.shape[0]
        self.groups.n = b
        h = (
            self.lm.get_decoder()(
                input_ids=input_ids.repeat(g, 1),
                attention_mask=attention_mask.repeat(g, 1),
                position_ids=position_ids(attention_mask).repeat(g, 1),
            )
        ).last_hidden_state  # (g * B, L, H)
        return h.view(g, b, *h.shape[1:])

    @torch.no_grad()
    def logits(self, hidden: torch.Tensor) -> torch.Tensor:
        """Each group's output layer on its own hidden states: (G, ..., H) -> (G, ..., V)."""
        g = hidden.shape[0]
        flat = hidden.reshape(g, -1, hidden.shape[-1])  # (G, m, H)
        self.groups.n = flat.shape[1]
        out = self.lm.get_output_embeddings()(flat.reshape(-1, flat.shape[-1]))  # (G * m, V)
        return out.view(*hidden.shape[:-1], out.shape[-1])

    @torch.no_grad()
    def policy(self, hidden: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(base logits f_0, log pi^(depth)), each (..., V), from group hidden states (G, .., H)."""
        f = self.logits(hidden)  # (G, ..., V)
        return f[0], policy_from_logits(list(f), self.methods)

    @torch.no_grad()
    def logprobs(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """log pi^(depth)(. | s_t) at every position: (B, L) -> (B, L, V)."""
        return self.policy(self.hidden(input_ids, attention_mask))[1]
