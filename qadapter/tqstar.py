"""Transfer Q* decoding (Chakraborty et al., arXiv 2405.20495), the simple variant of issue 9.

Alignment at decoding time, no training: at each step of a response y_<t to a prompt x,

    candidates  c_1..c_k  = the top-k tokens of pi1(. | x, y_<t)
    rollout     z_j       = greedy continuation of (x, y_<t, c_j) under pi1, ``rollout`` tokens,
                            stopped early at EOS (a candidate that is EOS is not continued)
    Q-estimate  r_j       = score(x, y_<t + c_j + z_j)          (the target reward, on text)
    choice                = argmax_j  log pi1(c_j | x, y_<t) + r_j / alpha          (greedy)
                            or a sample from softmax((log pi1 + r / alpha) / temperature)

The rollout policy here is pi1 itself (the paper's baseline model rho_BL is pi1), so r_j is
r(x, y_<t, c_j, z_j) with z_j ~ greedy(pi1): the paper's "direct transfer" with a short horizon.
alpha -> inf recovers pi1's greedy decoding (the top-1 candidate); small alpha follows the reward.

Cost and caching: every prompt keeps k rows in one KV cache (rows b*k .. b*k+k-1 of prompt b hold
the same prefix). A step feeds the k candidates as one batch, then ``rollout - 1`` more greedy
tokens; afterwards the cache is cropped back to prefix + candidate and the chosen candidate's row
is copied over its k siblings, so the chosen token's keys, values and next-token logits are
reused rather than recomputed. Per new token: max(1, rollout) forwards of B*k rows plus one
reward call on B*k texts.

The reward interface is the project's: ``score(prompts: list[list[dict]], responses: list[str])
-> list[float]``; responses are decoded without EOS or special tokens.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Sequence

import torch
from transformers import DynamicCache

from .config import BIG, ConfigError, check_fields, setting
from .data.tokenize import encode_prompt, left_pad, position_ids

Score = Callable[[list, list], list]


@dataclass(frozen=True)
class TQStarConfig:
    k: int = setting(4, "candidates per step: the top-k tokens of pi1", lo=1, hi=BIG)
    rollout: int = setting(
        8, "greedy pi1 tokens after each candidate (0: score the prefix)", lo=0, hi=BIG
    )
    # reward scale: log pi1 + reward / alpha; math.inf gives pi1's greedy decoding
    alpha: float = field(default=1.0, metadata={"help": "reward scale (> 0; inf: pi1 greedy)"})
    max_new_tokens: int = setting(128, "new tokens at most", lo=0, hi=10**7)
    greedy: bool = setting(
        True, "argmax over candidates; false: sample softmax(total / temperature)"
    )
    temperature: float = setting(1.0, "sampling temperature over the candidates", lo=0.0, hi=1e4)
    seed: int | None = setting(None, "sampling seed", lo=0, hi=2**63 - 1)

    def __post_init__(self) -> None:
        check_fields(self, skip=frozenset({"alpha"}))
        if (
            isinstance(self.alpha, bool)
            or not isinstance(self.alpha, (int, float))
            or not self.alpha > 0
        ):
            raise ConfigError(
                f"TQStarConfig.alpha must be > 0 (math.inf for pi1 greedy), got {self.alpha!r}"
            )
        if not self.greedy and not self.temperature > 0:
            raise ConfigError(
                f"TQStarConfig.temperature must be > 0 when sampling, got {self.temperature}"
            )


def candidate_scores(logp: torch.Tensor, rewards: torch.Tensor, alpha: float) -> torch.Tensor:
    """log pi1(c_j) + r_j / alpha for each candidate.   (B, k), (B, k) -> (B, k) float"""
    bonus = torch.zeros_like(rewards) if math.isinf(alpha) else rewards / alpha
    return logp + bonus


def choose(
    totals: torch.Tensor, cfg: TQStarConfig, generator: torch.Generator | None
) -> torch.Tensor:
    """Index of the picked candidate per row.   (B, k) -> (B,) long"""
    if cfg.greedy:
        return totals.argmax(-1)
    probs = torch.softmax(totals / cfg.temperature, dim=-1)
    return torch.multinomial(probs, 1, generator=generator).squeeze(-1)


def eos_ids_of(model, tokenizer) -> set[int]:
    """The tokenizer's EOS and every EOS id of the model's generation config."""
    eos = {tokenizer.eos_token_id}
    gen = getattr(getattr(model, "generation_config", None), "eos_token_id", None)
    eos |= set(gen if isinstance(gen, (list, tuple)) else [gen] if gen is not None else [])
    return {int(e) for e in eos if e is not None}


class TransferQStar:
    """Transfer Q* decoding of ``model`` (pi1) toward the reward ``score``; see the module doc."""

    def __init__(
        self,
        model,
        tokenizer,
        score: Score,
        *,
        eos_token_ids: Sequence[int] | None = None,
    ):
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.score = score
        eos = set(eos_token_ids) if eos_token_ids is not None else eos_ids_of(model, tokenizer)
        self.eos = torch.tensor(sorted(eos), dtype=torch.long)
        self.pad_token_id = tokenizer.pad_token_id

    @classmethod
    def from_base(cls, base, score: Score) -> "TransferQStar":
        """From a loaded :class:`qadapter.models.Base` and a reward callable."""
        return cls(base.model, base.tokenizer, score)

    def response_text(self, ids: Sequence[int]) -> str:
        """Decoded response: cut before the first EOS, special tokens skipped."""
        eos = set(self.eos.tolist())
        cut = next((i for i, t in enumerate(ids) if t in eos), len(ids))
        return self.tokenizer.decode(list(ids[:cut]), skip_special_tokens=True)

    def _forward(self, cache, ids, mask, pos) -> torch.Tensor:
        """Next-token logits of the last fed position.   ids (N, l) -> (N, V) float32"""
        out = self.model(
            input_ids=ids,
            attention_mask=mask,
            position_ids=pos,
            past_key_values=cache,
            use_cache=True,
            logits_to_keep=1,
        )
        return out.logits[:, -1].float()

    def _rewards(self, prompts, texts: list[str], active: list[int], k: int) -> torch.Tensor:
        """Rewards of each active prompt's k candidate texts; 0 for finished prompts.  -> (B, k)"""
        rewards = torch.zeros(len(prompts), k)
        if not active:
            return rewards
        rows = [b * k + j for b in active for j in range(k)]
        got = list(self.score([list(prompts[r // k]) for r in rows], [texts[r] for r in rows]))
        if len(got) != len(rows):
            raise ValueError(
                f"Transfer Q*: the reward function returned {len(got)} scores for {len(rows)} "
                "responses; it must return one per response"
            )
        values = torch.tensor([float(v) for v in got])
        if not torch.isfinite(values).all():
            raise ValueError(
                "Transfer Q*: the reward function returned a non-finite score; "
                "fix the reward model or its inputs"
            )
        rewards.view(-1)[torch.tensor(rows)] = values
        return rewards

    @torch.inference_mode()
    def generate(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        prompts: Sequence,
        cfg: TQStarConfig,
        trace: list | None = None,
    ) -> torch.Tensor:
        """New tokens for left-padded prompts: (B, n) long, ``pad_token_id`` after a row's EOS.

        ``prompts`` are the chat-message lists the ids were rendered from (the reward sees them).
        ``trace``, when given, receives one dict per step: candidates, logp, rewards (B, k) and
        choice (B,) (finished rows included, with reward 0).
        """
        device = next(self.model.parameters()).device
        b, k, r = input_ids.shape[0], cfg.k, cfg.rollout
        if len(prompts) != b:
            raise ValueError(f"Transfer Q*: {len(prompts)} prompts for {b} rows of input_ids")
        gen = torch.Generator(device="cpu").manual_seed(cfg.seed) if cfg.seed is not None else None
        eos = self.eos.to(device)
        mask = attention_mask.to(device)
        pos = position_ids(mask)
        cache = DynamicCache()
        logp = torch.log_softmax(
            self._forward(cache, input_ids.to(device), mask, pos), dim=-1
        )  # (B, V)
        cache.batch_repeat_interleave(k)  # rows b*k + j
        mask = mask.repeat_interleave(k, dim=0)  # (B*k, T)
        pos = pos[:, -1:].repeat_interleave(k, dim=0)  # (B*k, 1) last prefix position
        finished = torch.zeros(b, dtype=torch.bool, device=device)
        accepted: list[list[int]] = [[] for _ in range(b)]
        out = []
        for _ in range(cfg.max_new_tokens):
            cand_logp, cand = logp.topk(k, dim=-1)  # (B, k)
            flat = cand.reshape(-1, 1)  # (B*k, 1)
            one = mask.new_ones((b * k, 1))
            mask, pos = torch.cat([mask, one], dim=-1), pos + 1
            first_logits = self._forward(cache, flat, mask, pos)  # (B*k, V) after the candidate
            alive = ~torch.isin(flat[:, 0], eos)
            rolled, logits, fed = [], first_logits, 1
            for i in range(r):
                if not bool(alive.any()):
                    break
                nxt = logits.argmax(-1)
                rolled.append(torch.where(alive, nxt, torch.full_like(nxt, self.pad_token_id)))
                alive = alive & ~torch.isin(nxt, eos)
                if i < r - 1 and bool(alive.any()):
                    roll_mask = torch.cat([mask, mask.new_ones((b * k, fed))], dim=-1)
                    logits = self._forward(cache, nxt.unsqueeze(-1), roll_mask, pos + fed)
                    fed += 1
            if fed > 1:
                cache.crop(-(fed - 1))  # back to prefix + candidate
            roll = torch.stack(rolled, dim=1).tolist() if rolled else [[] for _ in range(b * k)]
            cands = flat[:, 0].tolist()
            texts = [
                self.response_text(accepted[row // k] + [cands[row]] + roll[row])
                for row in range(b * k)
            ]
            active = [i for i in range(b) if not bool(finished[i])]
            rewards = self._rewards(prompts, texts, active, k).to(device)
            totals = candidate_scores(cand_logp, rewards, cfg.alpha)
            pick = choose(totals.cpu(), cfg, gen).to(device)  # (B,)
            if trace is not None:
                trace.append(
                    {
                        "candidates": cand.cpu(),
                        "logp": cand_logp.cpu(),
                        "rewards": rewards.cpu(),
                        "choice": pick.cpu(),
                    }
                )
            nxt = cand.gather(1, pick.unsqueeze(-1)).squeeze(-1)
            nxt = torch.where(finished, torch.full_like(nxt, self.pad_token_id), nxt)
            out.append(nxt)
            for i in active:
                accepted[i].append(int(nxt[i]))
            finished |= torch.isin(nxt, eos)
            if bool(finished.all()):
                break
            src = torch.arange(b, device=device) * k + pick  # the chosen row of each prompt
            cache.batch_select_indices(src.repeat_interleave(k))
            logp = torch.log_softmax(first_logits[src], dim=-1)
        return torch.stack(out, dim=1) if out else input_ids.new_zeros((b, 0))

    def generate_text(
        self, tokenizer, prompts, cfg: TQStarConfig, trace: list | None = None
    ) -> list[str]:
        """Prompts (strings or chat-message lists) -> responses (EOS and padding removed)."""
        messages = [
            [{"role": "user", "content": p}] if isinstance(p, str) else list(p) for p in prompts
        ]
        ids, mask = left_pad(
            [encode_prompt(tokenizer, m) for m in messages], tokenizer.pad_token_id
        )
        new = self.generate(ids, mask, messages, cfg, trace=trace)
        return [self.response_text(row) for row in new.tolist()]
