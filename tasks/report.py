"""What the customize flow reports: parent-run metrics, Prefect tables, the markdown summary.

Pure functions of the stage records (no Prefect, no MLflow), so the numbers a user reads in the
Prefect UI are the numbers in the stage records, rounded only for display.
"""

from __future__ import annotations

import math

HELDOUT = ("accuracy", "accuracy_init", "kl_mean", "kl_mean_init", "margin")
FORGETTING = (
    "probe.base",
    "probe.customized",
    "probe.delta",
    "probe.delta_se",
    "probe.margin_delta",
    "probe.margin_delta_se",
    "probe.n",
    "kl.general",
)
CELL = 280  # characters per generated text in the Prefect table (narrow enough for both sides)


def parent_metrics(ev: dict, jd: dict) -> dict:
    """The parent MLflow run's metrics: ``heldout.*``, forgetting, win rates, judge, behaviour."""
    out = {f"heldout.{k}": float(ev[k]) for k in HELDOUT}
    out.update({k: float(ev["forgetting"][k]) for k in FORGETTING})
    out.update({k: float(v) for k, v in jd["metrics"].items()})
    return out


def rounded(x, digits: int = 4):
    """Floats rounded for display (NaN shown as 'n/a'); everything else unchanged."""
    if isinstance(x, float):
        return "n/a" if math.isnan(x) else round(x, digits)
    return x


def results_rows(ev: dict, jd: dict) -> list[dict]:
    """The results table: one row per metric, trained / untrained (or pi1) side by side."""
    f = ev["forgetting"]
    rows = [
        {"metric": "held-out accuracy", "customized": ev["accuracy"],
         "reference": ev["accuracy_init"], "reference is": "untrained adapter"},
        {"metric": "held-out margin", "customized": ev["margin"], "reference": ev["margin_init"],
         "reference is": "untrained adapter"},
        {"metric": "KL(pi~ || pi1), held-out", "customized": ev["kl_mean"],
         "reference": ev["kl_mean_init"], "reference is": "untrained adapter"},
        {"metric": "KL(pi~ || pi1), general prompts", "customized": f["kl.general"],
         "reference": 0.0, "reference is": "pi1"},
        {"metric": "general probe (points)", "customized": f["probe.customized"],
         "reference": f["probe.base"], "reference is": "pi1"},
    ]  # fmt: skip
    m = jd["metrics"]
    for subset in ("harmless", "helpful"):
        if f"winrate.{subset}" in m:
            rows.append(
                {
                    "metric": f"{subset} win rate vs pi1 (%) +- s.e.",
                    "customized": f"{m[f'winrate.{subset}']:.1f} +- "
                    f"{m[f'winrate.{subset}_se']:.1f}",
                    "reference": 50.0,
                    "reference is": "pi1",
                }
            )
    for name, label in (("declined", "risky prompts declined"), ("answered", "helpful answered")):
        if f"behaviour.{name}" in m:
            rows.append(
                {
                    "metric": f"{label} (share)",
                    "customized": m[f"behaviour.{name}"],
                    "reference": 0.0 if name == "declined" else 1.0,
                    "reference is": "pi1 (by construction)",
                }
            )
    return [{k: rounded(v) for k, v in r.items()} for r in rows]


def clip(text: str, n: int = CELL) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def generation_rows(rows: list[dict]) -> list[dict]:
    """Generations for the Prefect table: the whole conversation (earlier turns included), each
    distinct prompt once, pi1 and the customized reply side by side, texts clipped."""
    seen, out = set(), []
    for r in rows:
        conv = r.get("conversation", r["prompt"])
        if conv in seen:
            continue
        seen.add(conv)
        out.append(
            {
                "conversation": clip(conv, 2 * CELL),
                "pi1": clip(r["base"]),
                "customized": clip(r["customized"]),
            }
        )
    return out


def behaviour_summary(m: dict) -> str:
    """Declined / answered shares with s.e. and n, and whether the classifier is trusted."""

    def share(k):
        n = int(m.get(f"behaviour.{k}_n", 0))
        return (
            f"{100 * m[f'behaviour.{k}']:.0f}% +- {100 * m.get(f'behaviour.{k}_se', 0):.0f} (n={n})"
        )

    text = (
        f"declined {share('declined')} of risky prompts pi1 complies with, answered "
        f"{share('answered')} of helpful prompts pi1 answers"
    )
    if m.get("behaviour.trusted") == 0.0:
        text += " **(refusal classifier NOT validated: not read by decisions)**"
    return text


def judge_summary(m: dict, subset: str) -> str:
    """A win rate with its judge's checks; a judge that failed them is marked not read."""
    text = f"{subset} win rate {m[f'winrate.{subset}']:.1f}% +- {m[f'winrate.{subset}_se']:.1f}"
    checks = [
        f"{c} {m[f'judge.{subset}.{c}']:.2f}"
        for c in ("heldout", "refusal", "over_refusal", "degeneracy", "position", "length_bias")
        if isinstance(m.get(f"judge.{subset}.{c}"), float)
        and not math.isnan(m[f"judge.{subset}.{c}"])
    ]
    if checks:
        ok = m.get(f"judge.{subset}.trusted") == 1.0
        text += f" (judge {'trusted' if ok else '**NOT trusted, not read**'}: {', '.join(checks)})"
    return text


def summary(cfg, hashes: dict, hb: dict, qa: dict, ev: dict, jd: dict, parent: str) -> str:
    """The markdown summary artifact."""
    from .tracking import REGISTERED_MODEL

    base_line = (
        "skipped (the base is pi1)"
        if hb["skipped"]
        else f"DPO on {hb['pairs']} helpful pairs, {hb['steps']} steps -> `{hb['base_path']}`"
    )
    qa_line = (
        f"{qa['pairs']} harmless pairs, {qa['steps']} steps, alpha0={cfg.train.alpha0}, "
        f"alpha_tilde={cfg.train.alpha_tilde}; registered `{REGISTERED_MODEL}` "
        f"v{qa['model_version']}"
    )
    f = ev["forgetting"]
    ev_line = (
        f"held-out accuracy {ev['accuracy']:.3f} (untrained {ev['accuracy_init']:.3f}) on "
        f"{ev['pairs']} pairs; KL(pi~ || pi1) {ev['kl_mean']:.4f} "
        f"(untrained {ev['kl_mean_init']:.4f}); general probe {f['probe.base']:.1f} -> "
        f"{f['probe.customized']:.1f} (delta {f['probe.delta']:+.2f} +- {f['probe.delta_se']:.2f} "
        f"points; margin {f['probe.margin_delta']:+.3f} +- {f['probe.margin_delta_se']:.3f} nats; "
        f"{f['probe.n']:.0f} items), KL on general prompts {f['kl.general']:.4f}"
    )
    m = jd["metrics"]
    judge_line = "; ".join(judge_summary(m, s) for s in ("harmless", "helpful"))
    if "behaviour.declined" in m:
        judge_line = behaviour_summary(m) + "; " + judge_line
    trust = {
        True: "",
        False: " **(judge NOT trusted: see warnings)**",
        None: " (the judge's accuracy is not measured)",
    }[jd["trusted"]]
    warnings = "".join(f"\n- {w}" for w in jd["warnings"])
    return f"""# Q-Adapter customization ({cfg.profile})

| stage | result |
| --- | --- |
| helpful-base | {base_line} |
| qadapter | {qa_line} |
| evaluate | {ev_line} |
| judge ({cfg.judge}) | {judge_line}{trust} |

Data hashes: harmless `{hashes["harmless"][:16]}`, helpful `{str(hashes["helpful"])[:16]}`.
MLflow parent run `{parent}`.
Adapter: `{qa["adapter_dir"]}`.
{"Warnings:" + warnings if warnings else ""}
"""
