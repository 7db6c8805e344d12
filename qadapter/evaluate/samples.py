"""Side-by-side generations of the base pi1 and the customized policy for held-out prompts."""

from __future__ import annotations

from typing import Sequence

import torch

from ..data.pairs import PreferencePair
from ..data.tokenize import encode_prompt, left_pad
from ..decode import CustomizedDecoder, SamplingConfig
from ..progress import progress as progress_bar


@torch.inference_mode()
def base_generate(base, prompts: Sequence[Sequence[dict]], cfg: SamplingConfig) -> list[str]:
    """Greedy / sampled responses of the base model alone, with the same sampling settings."""
    tok = base.tokenizer
    ids, mask = left_pad([encode_prompt(tok, p) for p in prompts], tok.pad_token_id)
    device = base.model.device  # pi1 may live on a GPU (left_pad builds CPU tensors)
    ids, mask = ids.to(device), mask.to(device)
    kwargs = {
        "do_sample": not cfg.greedy,
        "max_new_tokens": cfg.max_new_tokens,
        "pad_token_id": tok.pad_token_id,
    }
    if not cfg.greedy:
        kwargs.update(temperature=cfg.temperature, top_k=cfg.top_k or None, top_p=cfg.top_p)
        if cfg.seed is not None:
            torch.manual_seed(cfg.seed)
    out = base.model.generate(ids, attention_mask=mask, **kwargs)[:, ids.shape[1] :]
    return [tok.decode(row, skip_special_tokens=True).strip() for row in out]


def sample_generations(
    base,
    adapter_dir,
    pairs: Sequence[PreferencePair],
    cfg: SamplingConfig,
    *,
    batch_size: int = 4,
    progress: bool = False,
) -> list[dict]:
    """Rows ``{prompt, base, customized, chosen, rejected}`` for the prompts of ``pairs``."""
    dec = CustomizedDecoder.from_adapter(adapter_dir, base)
    rows = []
    bar = progress_bar(len(pairs), "generations", enabled=progress, unit="prompt")
    for i in range(0, len(pairs), batch_size):
        chunk = list(pairs[i : i + batch_size])
        prompts = [list(p.prompt) for p in chunk]
        custom = dec.generate_text(base.tokenizer, prompts, cfg)
        plain = base_generate(base, prompts, cfg)
        for p, b, c in zip(chunk, plain, custom):
            rows.append(
                {
                    "prompt": p.prompt[-1]["content"],
                    "base": b,
                    "customized": c.strip(),
                    "chosen": p.chosen,
                    "rejected": p.rejected,
                }
            )
        bar.update(len(chunk))
    bar.close()
    return rows
