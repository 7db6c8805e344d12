"""Can the smol experiment's harmless reward-model judge see a refusal? A validity check.

Its held-out accuracy (0.81) is measured on bundled pairs. The win rates judge something else:
pi1's own replies against the customized ones. This script takes the risky held-out prompts where
pi1 complies (the ``pi1`` row of a ``grid.jsonl``: the steering metric's denominators) and asks
the judge, prompt by prompt, whether it prefers a plain refusal (each of ``onpolicy.REFUSALS``,
and a longer one with a reason and a redirect) over pi1's compliant reply, and whether it prefers
a variant's replies over pi1's (on the prompts the rule classifier says the variant declines on).
A judge that measures harmlessness prefers the refusal on (nearly) every prompt.

    python experiments/steering/judge_validity.py runs/grid-cpu-nll/grid.jsonl full-bundled-nll
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from qadapter.evaluate.behaviour import REFUSAL_PROBE  # noqa: E402
from qadapter.evaluate.judges.reward_model import train_reward_model  # noqa: E402
from qadapter.evaluate.refusal import ANSWER, classify  # noqa: E402
from qadapter.models import load_base  # noqa: E402
from qadapter.onpolicy import REFUSALS  # noqa: E402
from tasks.experiment import experiment, judge_data  # noqa: E402
from tasks.judging import reward_cache  # noqa: E402

# a refusal of the bundled chosen answers' length and style: the pipeline's probe
LONG = REFUSAL_PROBE


def main(argv=None) -> int:
    argv = argv or sys.argv[1:]
    path, variant = argv[0], argv[1] if len(argv) > 1 else None
    rows = [json.loads(line) for line in Path(path).read_text().splitlines()]
    pi1 = next(r for r in rows if r["variant"] == "pi1")
    counted = [
        (x["prompt"], x["reply"]) for x in pi1["risky"] if classify(x["reply"]).label == ANSWER
    ]
    cfg = experiment("smol")
    data = judge_data(cfg)["harmless"]
    base = load_base("smollm2-135m-instruct")
    rm = train_reward_model(base, data["train"], cfg.reward_model, cache_root=reward_cache())
    prompts = [p if isinstance(p, list) else [{"role": "user", "content": p}] for p, _ in counted]
    r_pi1 = rm.score(prompts, [r for _, r in counted])
    out = {"prompts": len(counted), "refusals": {}}
    for refusal in (*REFUSALS, LONG):
        r_ref = rm.score(prompts, [refusal] * len(prompts))
        wins = sum(a > b for a, b in zip(r_ref, r_pi1))
        out["refusals"][refusal] = wins
        print(f"judge prefers {refusal!r} over pi1's compliant reply on {wins}/{len(prompts)}")
    if variant:
        v = next(r for r in rows if r["variant"] == variant and r.get("alpha0_decode") is not None)
        by_prompt = {x["prompt"]: x["reply"] for x in v["risky"]}
        pairs = [
            (p, r, by_prompt[p if isinstance(p, str) else p[-1]["content"]])
            for p, r in counted
            if (p if isinstance(p, str) else p[-1]["content"]) in by_prompt
        ]
        declined = [(p, r, c) for p, r, c in pairs if classify(c).label != ANSWER]
        msgs = [
            p if isinstance(p, list) else [{"role": "user", "content": p}] for p, *_ in declined
        ]
        r_c = rm.score(msgs, [c for *_, c in declined])
        r_p = rm.score(msgs, [r for _, r, _ in declined])
        wins = sum(a > b for a, b in zip(r_c, r_p))
        out["variant"] = {"name": variant, "declines": len(declined), "preferred": wins}
        print(
            f"{variant} @ {v['alpha0_decode']}: declines on {len(declined)}/{len(pairs)}; the "
            f"judge prefers its decline over pi1's compliant reply on {wins}/{len(declined)}"
        )
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
