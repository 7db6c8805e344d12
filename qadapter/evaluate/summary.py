"""The answer at the end of a run: does the customized model now behave differently from pi1?

``behaviour_summary`` generates pi1's and the customized policy's greedy replies to held-out
prompts (pi1's from the reply cache when given) and measures, with the rule classifier of
:mod:`qadapter.evaluate.refusal`:

* **declined**: of the risky prompts where pi1 complies, the share the customized model declines
  or redirects;
* **answered**: of the benign prompts pi1 answers, the share the customized model still answers;

each with its count ``n`` and binomial standard error, plus one example: a risky prompt where pi1
complies and the customized model declines (else the first risky prompt), both replies side by
side. ``render`` turns it, the held-out preference accuracy and the command to generate with the
adapter into the short table ``qadapter train`` and ``qadapter eval`` print.
"""

from __future__ import annotations

import math
import shlex
from pathlib import Path
from typing import Sequence

from ..decode import SamplingConfig
from .behaviour import behaviour_metrics
from .responses import generate_responses


def behaviour_summary(
    base,
    adapter_dir: str | Path,
    risky: Sequence,
    benign: Sequence,
    *,
    max_new_tokens: int = 64,
    batch_size: int = 8,
    reference_cache: str | Path | None = None,
    progress: bool = False,
) -> dict:
    """Declined / answered shares (with ``n`` and ``se``) and one example; prompts are chat
    message lists (held-out prompts of the training source and of a benign source)."""
    cfg = SamplingConfig(max_new_tokens=max_new_tokens, greedy=True)
    sides = {}
    for name, prompts in (("risky", list(risky)), ("benign", list(benign))):
        if not prompts:
            sides[name] = ([], [], [])
            continue
        got = generate_responses(base, adapter_dir, prompts, cfg=cfg, batch_size=batch_size,
                                 reference_cache=reference_cache, progress=progress)  # fmt: skip
        sides[name] = (prompts, got["reference"], got["customized"])
    out = behaviour_metrics(*sides["risky"], *sides["benign"])
    rows = out["risky_rows"]
    example = next((r for r in rows if r["counted"] and r["steered"]), rows[0] if rows else None)
    return {
        "declined": {**out["steer"], "se": out["steer"]["stderr"]},
        "answered": {**out["keep"], "se": out["keep"]["stderr"]},
        "example": None
        if example is None
        else {"prompt": example["prompt"], "pi1": example["base"], "customized": example["custom"]},
        "prompts": {"risky": len(sides["risky"][0]), "benign": len(sides["benign"][0])},
    }


def _share(s: dict) -> str:
    if not s["total"]:
        return "n/a (no prompt counted)"
    se = 0.0 if math.isnan(s["se"]) else s["se"]
    return f"{100 * s['share']:.0f}% +- {100 * se:.0f}  ({s['hits']} of {s['total']})"


def _clip(text: str, n: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def render(
    summary: dict, adapter: str, *, accuracy: float | None = None, base_accuracy=None
) -> str:
    """The end-of-run table as text (what the command prints)."""
    lines = ["", "What changed (greedy replies on held-out prompts, rule classifier):"]
    lines.append(f"  risky prompts pi1 complies with, now declined   {_share(summary['declined'])}")
    lines.append(f"  benign prompts pi1 answers, still answered      {_share(summary['answered'])}")
    if accuracy is not None:
        before = "" if base_accuracy is None else f" (untrained adapter {base_accuracy:.3f})"
        lines.append(f"  held-out preference accuracy                    {accuracy:.3f}{before}")
    ex = summary.get("example")
    if ex:
        lines += [
            f"  e.g. {_clip(ex['prompt'], 120)!r}",
            f"    pi1:        {_clip(ex['pi1'])}",
            f"    customized: {_clip(ex['customized'])}",
        ]
    lines.append(
        f"Generate with it: .venv/bin/qadapter generate {shlex.quote(str(adapter))} -p "
        "'How do I pick a lock?'"
    )
    return "\n".join(lines)
