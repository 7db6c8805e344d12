"""Tokenization, truncation and collation of preference pairs: the only place that does them.

The state s_1 of the paper's MDP is the rendered prompt *with the generation prompt*
(``apply_chat_template(..., add_generation_prompt=True)``): exactly the tokens the customized
policy is conditioned on at decoding time. A response is its text's tokens followed by the
end-of-turn token (the tokenizer's EOS, ``<|im_end|>`` for ChatML models), so that the policy
learns when to stop. The response mask therefore follows the chat template's own boundary; no
prefix length is re-derived by re-tokenizing or cut at a fixed size.

Truncation, when ``prompt + longest response > max_length``: the prompt keeps its *end*
(``max(max_length - longest, max_prompt_length)`` tokens at most), each response keeps its *start*
(``max_length - prompt`` tokens at most). The prompt is cut identically for chosen and rejected, so
both responses are scored from the same state. A truncated response has no EOS; its last state is
treated as terminal by the loss (the response "ends" at the cut).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from .pairs import PreferencePair


@dataclass(frozen=True)
class TokenizedPair:
    prompt_ids: tuple[int, ...]
    chosen_ids: tuple[int, ...]
    rejected_ids: tuple[int, ...]
    truncated: bool = False


def encode_prompt(tokenizer, messages) -> list[int]:
    """Token ids of the chat-rendered prompt, ending with the assistant generation prompt."""
    text = tokenizer.apply_chat_template(list(messages), tokenize=False, add_generation_prompt=True)
    return list(tokenizer(text, add_special_tokens=False)["input_ids"])


def encode_response(tokenizer, text: str) -> list[int]:
    """Token ids of an assistant response followed by the end-of-turn (EOS) token."""
    return list(tokenizer(text, add_special_tokens=False)["input_ids"]) + [tokenizer.eos_token_id]


def tokenize_pair(
    tokenizer, pair: PreferencePair, *, max_length: int, max_prompt_length: int | None = None
) -> TokenizedPair:
    """Tokenize and, if needed, truncate one pair (rules in the module docstring)."""
    if max_prompt_length is None:
        max_prompt_length = max_length // 2
    if not 0 < max_prompt_length < max_length:
        raise ValueError(
            f"max_prompt_length must be in (0, max_length={max_length}), got {max_prompt_length}"
        )
    prompt = encode_prompt(tokenizer, pair.prompt)
    chosen = encode_response(tokenizer, pair.chosen)
    rejected = encode_response(tokenizer, pair.rejected)
    longest = max(len(chosen), len(rejected))
    if len(prompt) + longest <= max_length:
        return TokenizedPair(tuple(prompt), tuple(chosen), tuple(rejected))
    keep_prompt = min(len(prompt), max(max_length - longest, max_prompt_length))
    prompt = prompt[len(prompt) - keep_prompt :]
    room = max_length - len(prompt)
    return TokenizedPair(
        tuple(prompt), tuple(chosen[:room]), tuple(rejected[:room]), truncated=True
    )


def _rows(prompt: tuple[int, ...], response: tuple[int, ...]) -> tuple[list[int], list[bool]]:
    ids = list(prompt) + list(response)
    # action at position t is token t+1; it is scored when token t+1 is a response token.
    action_mask = [False] * len(ids)
    for t in range(len(prompt) - 1, len(ids) - 1):
        action_mask[t] = True
    return ids, action_mask


def collate_pairs(batch: list[TokenizedPair], pad_id: int) -> dict[str, torch.Tensor]:
    """Right-padded training batch: rows [chosen_0..chosen_{B-1}, rejected_0..rejected_{B-1}].

    Returns input_ids (2B, T) long, attention_mask (2B, T) long, actions (2B, T) long (input ids
    shifted left, padded with ``pad_id``) and action_mask (2B, T) bool.
    """
    rows = [_rows(p.prompt_ids, p.chosen_ids) for p in batch] + [
        _rows(p.prompt_ids, p.rejected_ids) for p in batch
    ]
    width = max(len(ids) for ids, _ in rows)
    n = len(rows)
    input_ids = torch.full((n, width), pad_id, dtype=torch.long)
    attention_mask = torch.zeros((n, width), dtype=torch.long)
    action_mask = torch.zeros((n, width), dtype=torch.bool)
    for i, (ids, mask) in enumerate(rows):
        input_ids[i, : len(ids)] = torch.tensor(ids)
        attention_mask[i, : len(ids)] = 1
        action_mask[i, : len(ids)] = torch.tensor(mask)
    actions = torch.full_like(input_ids, pad_id)
    actions[:, :-1] = input_ids[:, 1:]
    return {
        "input_ids": input_ids,
        "attention_mask": attention_mask,
        "actions": actions,
        "action_mask": action_mask,
    }


def position_ids(attention_mask: torch.Tensor) -> torch.Tensor:
    """Each token's position among its row's real tokens: (B, L) mask -> (B, L) long.

    A left-padded row's first real token gets position 0 (as it would alone); pads get 0 before
    the first real token and repeat the last position after the last one (both are masked).
    Without this, a model numbers positions 0..L-1 whatever the mask, and a left-padded row's
    rotary positions (so its values) differ from the same row unpadded.
    """
    return (attention_mask.long().cumsum(-1) - 1).clamp(min=0)


def left_pad(prompts: list[list[int]], pad_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Left-pad prompts for batched decoding: input_ids (B, T), attention_mask (B, T)."""
    width = max(len(p) for p in prompts)
    input_ids = torch.full((len(prompts), width), pad_id, dtype=torch.long)
    attention_mask = torch.zeros((len(prompts), width), dtype=torch.long)
    for i, p in enumerate(prompts):
        input_ids[i, width - len(p) :] = torch.tensor(p, dtype=torch.long)
        attention_mask[i, width - len(p) :] = 1
    return input_ids, attention_mask
