"""Forgetting metrics: paired probe deltas and their SE, prose perplexity, KL on general prompts."""

import copy
import math

import pytest
import torch
from peft import PeftModel

from qadapter.data.tokenize import encode_prompt, encode_response
from qadapter.evaluate.forgetting import (
    forgetting_report,
    general_items,
    general_kl,
    paired_delta,
    perplexity,
    task_metrics,
)
from qadapter.evaluate.harness import QAdapterLM


def test_paired_delta_hand_worked():
    # d = [0, 1, -1, -1]: mean -0.25; deviations 0.25, 1.25, -0.75, -0.75;
    # sd^2 = (0.0625 + 1.5625 + 0.5625 + 0.5625) / 3 = 2.75 / 3; se = sqrt(2.75 / 3 / 4)
    mean, se = paired_delta([1, 0, 1, 1], [1, 1, 0, 0])
    assert mean == pytest.approx(-0.25)
    assert se == pytest.approx(math.sqrt(2.75 / 12))
    assert se == pytest.approx(0.478714, abs=1e-6)
    mean, se = paired_delta([0.0], [1.0])
    assert mean == 1.0 and math.isnan(se)
    with pytest.raises(ValueError, match="equally long"):
        paired_delta([1.0], [1.0, 0.0])


def test_task_metrics_pair_documents_per_task():
    base = {
        "qadapter_probe_mc": [
            {"doc_id": 0, "acc": 1.0},
            {"doc_id": 1, "acc": 0.0},
            {"doc_id": 2, "acc": 1.0},
            {"doc_id": 3, "acc": 1.0},
        ],
        "qadapter_probe_arith": [
            {"doc_id": 1, "exact_match": 0.0},
            {"doc_id": 0, "exact_match": 1.0},
        ],
    }
    custom = {
        "qadapter_probe_mc": [
            {"doc_id": 3, "acc": 0.0},
            {"doc_id": 2, "acc": 0.0},
            {"doc_id": 1, "acc": 1.0},
            {"doc_id": 0, "acc": 1.0},
        ],
        "qadapter_probe_arith": [
            {"doc_id": 0, "exact_match": 1.0},
            {"doc_id": 1, "exact_match": 1.0},
        ],
    }
    m = task_metrics(base, custom)
    # mc: the hand-worked paired_delta example (order by doc id); arith: d = [0, 1]
    se_mc, se_ar = 100 * math.sqrt(2.75 / 12), 100 * math.sqrt(0.5 / 2)
    assert (m["probe.mc.base"], m["probe.mc.customized"], m["probe.mc.delta"]) == pytest.approx(
        (75.0, 50.0, -25.0)
    )
    assert (
        m["probe.arith.base"],
        m["probe.arith.customized"],
        m["probe.arith.delta"],
    ) == pytest.approx((50.0, 100.0, 50.0))
    assert m["probe.mc.delta_se"] == pytest.approx(se_mc) and m[
        "probe.arith.delta_se"
    ] == pytest.approx(se_ar)
    assert "probe.delta" not in m  # the aggregate is the paired margin measure's (margins.py)
    custom["qadapter_probe_arith"].pop()
    with pytest.raises(ValueError, match="different documents"):
        task_metrics(base, custom)


@torch.no_grad()
def test_perplexity_against_a_token_by_token_loop(tiny_base, random_adapter):
    lm = QAdapterLM(base=tiny_base, adapter=str(random_adapter))
    texts = [
        "Paris is the capital of France.",
        "Mix flour, water, salt and yeast, then let it rise.",
    ]
    got = perplexity(lm, texts)
    peft = PeftModel.from_pretrained(copy.deepcopy(tiny_base.model), str(random_adapter)).eval()
    total, n = 0.0, 0
    for text in texts:
        toks = [lm.prefix_token_id] + tiny_base.tokenizer.encode(text, add_special_tokens=False)
        for i in range(1, len(toks)):
            ids = torch.tensor([toks[:i]])
            f_b = tiny_base.model(input_ids=ids).logits[0, -1].double()
            f_q = peft(input_ids=ids).logits[0, -1].double()
            log_pi1 = f_b - torch.logsumexp(f_b, 0)
            z = ((f_q - f_b) + 0.7 * log_pi1) / 0.6  # eq. 6, the adapter's alpha0 and alpha_tilde
            total += float(z[toks[i]] - torch.logsumexp(z, 0))
            n += 1
    assert got["tokens"] == n
    assert got["ppl"] == pytest.approx(math.exp(-total / n), rel=1e-5)


@torch.no_grad()
def test_general_kl_against_a_loop_over_states(tiny_base, random_adapter):
    lm = QAdapterLM(base=tiny_base, adapter=str(random_adapter))
    items = general_items(2)[:1] + general_items(2)[2:3]  # one mc item, one arith item
    got = general_kl(lm.policy, items, batch_size=2)
    peft = PeftModel.from_pretrained(copy.deepcopy(tiny_base.model), str(random_adapter)).eval()
    tok, kls = tiny_base.tokenizer, []
    for q, a in items:
        p, r = encode_prompt(tok, [{"role": "user", "content": q}]), encode_response(tok, a)
        seq = p + r
        for end in range(len(p), len(seq)):  # the state choosing seq[end]
            ids = torch.tensor([seq[:end]])
            f_b = tiny_base.model(input_ids=ids).logits[0, -1].double()
            f_q = peft(input_ids=ids).logits[0, -1].double()
            log_pi1 = torch.log_softmax(f_b, 0)
            log_pt = torch.log_softmax(((f_q - f_b) + 0.7 * log_pi1) / 0.6, 0)
            kls.append(
                sum(math.exp(log_pt[a]) * float(log_pt[a] - log_pi1[a]) for a in range(len(log_pt)))
            )
    assert got["kl.states"] == len(kls)
    assert got["kl.general"] == pytest.approx(sum(kls) / len(kls), rel=1e-4)
    assert got["kl.general_max"] == pytest.approx(max(kls), rel=1e-4)
    assert got["kl.general"] > 0.01


def test_identity_adapter_forgets_nothing(identity_adapter, tmp_path):
    report = forgetting_report(
        "tiny",
        identity_adapter,
        limit=4,
        items=12,
        max_gen_toks=6,
        output_dir=tmp_path,
        cache_dir=tmp_path / "cache",
    )
    assert report["probe.delta"] == 0.0 and report["probe.delta_se"] == 0.0
    assert report["probe.base"] == report["probe.customized"]
    assert report["probe.margin_delta"] == pytest.approx(0.0, abs=1e-5)
    assert report["probe.n"] == 12 and report["probe.arith.n"] == 4
    assert report["probe.base_cached"] == 0.0
    assert report["kl.general"] == pytest.approx(0.0, abs=1e-6)
    assert report["kl.states"] > 8
    assert report["ppl.customized"] == pytest.approx(report["ppl.base"], rel=1e-5)
    assert report["ppl.base"] > 1.0
    assert (tmp_path / "forgetting.json").is_file() and (tmp_path / "items.json").is_file()
    assert (tmp_path / "base" / "results.json").is_file() and (
        tmp_path / "customized" / "results.json"
    ).is_file()


def test_random_adapter_moves_the_policy(random_adapter, tmp_path):
    report = forgetting_report(
        "tiny", random_adapter, limit=3, items=8, max_gen_toks=4, cache_dir=tmp_path
    )
    assert report["kl.general"] > 0.01
    assert report["probe.margin_delta"] != 0.0 and report["probe.margin_delta_se"] > 0
    assert report["ppl.customized"] != pytest.approx(report["ppl.base"], rel=1e-3)
