"""The lm-eval model on the real embedded base agrees with lm-eval's own ``hf`` model (slow)."""

import json
from types import SimpleNamespace

import pytest

from qadapter.evaluate.benchmarks import PROBE_DIR
from qadapter.evaluate.harness import QAdapterLM
from qadapter.models import EMBEDDED, load_base

pytestmark = pytest.mark.slow


def test_smollm2_pi1_matches_lm_evals_hf_model_on_probe_requests():
    from lm_eval.models.huggingface import HFLM

    base = load_base(EMBEDDED)
    ours = QAdapterLM(base=base, batch_size=4)
    hf = HFLM(pretrained=base.path, dtype="float32", device="cpu", batch_size=4)
    mc = [json.loads(line) for line in open(PROBE_DIR / "mc.jsonl", encoding="utf-8")][:3]
    requests = [
        SimpleNamespace(args=(f"Question: {d['question']}\nAnswer:", " " + c))
        for d in mc
        for c in d["choices"]
    ]
    for (a, ga), (b, gb) in zip(ours.loglikelihood(requests), hf.loglikelihood(requests)):
        assert a == pytest.approx(b, abs=2e-3) and ga == gb
    prose = json.loads(open(PROBE_DIR / "prose.jsonl", encoding="utf-8").readline())["text"]
    rolling = [SimpleNamespace(args=(prose,))]
    assert ours.loglikelihood_rolling(rolling) == pytest.approx(
        hf.loglikelihood_rolling(rolling), abs=1e-2
    )
    gen = [
        SimpleNamespace(
            args=(
                "Question: What is 2 + 3?\nAnswer:",
                {"until": ["\n\n", "Question:"], "max_gen_toks": 24},
            )
        )
    ]
    assert ours.generate_until(gen) == hf.generate_until(gen)
