"""The compare flow on the tiny profile, and the per-method metrics it adds (KL of a merged
policy to pi1, Transfer Q*'s per-token -log pi1 of its choices) against brute-force loops."""

import csv
import json
import math
from pathlib import Path

import pytest
import torch
from mlflow import MlflowClient


def test_policy_kl_equals_an_explicit_loop_over_states_and_vocabulary():
    from qadapter.data.tokenize import encode_prompt, encode_response
    from qadapter.models import load_base
    from tasks.methods import policy_kl

    pi1, other = load_base("tiny"), load_base("tiny:1")
    tok = pi1.tokenizer
    items = [("What is 2 + 2?", "4"), ("Name a colour.", "Blue, like the sky."), ("Hi", "Hello")]
    got = policy_kl(other.model, pi1.model, tok, items, batch_size=2)  # batching + padding
    total, n, worst = 0.0, 0, 0.0
    for q, a in items:
        p, r = encode_prompt(tok, [{"role": "user", "content": q}]), encode_response(tok, a)
        ids = torch.tensor([p + r])
        with torch.no_grad():
            lp = torch.log_softmax(other.model(input_ids=ids).logits[0].double(), -1)
            lq = torch.log_softmax(pi1.model(input_ids=ids).logits[0].double(), -1)
        for t in range(len(p) - 1, len(p) + len(r) - 1):  # states choosing response tokens
            kl = sum(math.exp(lp[t, v]) * (lp[t, v] - lq[t, v]) for v in range(lp.shape[-1]))
            total, n, worst = total + float(kl), n + 1, max(worst, float(kl))
    assert got["kl.states"] == n
    assert got["kl.general"] == pytest.approx(total / n, rel=1e-4)
    assert got["kl.general_max"] == pytest.approx(worst, rel=1e-4)
    assert policy_kl(pi1.model, pi1.model, tok, items)["kl.general"] == pytest.approx(0, abs=1e-6)


def test_tqstar_kl_is_the_mean_negative_log_pi1_of_the_chosen_tokens():
    from qadapter.data.tokenize import encode_prompt
    from qadapter.models import load_base
    from qadapter.tqstar import TQStarConfig
    from tasks.methods import tqstar_replies

    pi1 = load_base("tiny")
    tok = pi1.tokenizer

    def score(prompts, responses):  # prefers responses with many distinct characters
        return [float(len(set(r))) for r in responses]

    prompts = [({"role": "user", "content": "Tell me a story."},)]
    cfg = TQStarConfig(k=3, rollout=1, alpha=0.5, max_new_tokens=5)
    replies, kl = tqstar_replies(pi1, score, prompts, cfg)
    # brute force: replay the chosen tokens through pi1 and read -log pi1 of each, no cache
    ids = encode_prompt(tok, list(prompts[0]))
    assert len(replies) == 1
    nll, seq = [], list(ids)
    from qadapter.tqstar import TransferQStar

    trace = []
    TransferQStar.from_base(pi1, score).generate_text(tok, prompts, cfg, trace=trace)
    picked = [int(t["candidates"][0, int(t["choice"][0])]) for t in trace]
    for token in picked:
        with torch.no_grad():
            logits = pi1.model(input_ids=torch.tensor([seq])).logits[0, -1].double()
        nll.append(-float(torch.log_softmax(logits, -1)[token]))
        seq.append(token)
        if token == tok.eos_token_id:
            break
    assert kl["kl.states"] == len(nll)
    assert kl["kl.general"] == pytest.approx(sum(nll) / len(nll), rel=1e-4)


def test_tqstar_replies_report_progress_after_each_batch():
    from qadapter.models import load_base
    from qadapter.tqstar import TQStarConfig
    from tasks.methods import tqstar_replies

    pi1 = load_base("tiny")
    prompts = [({"role": "user", "content": f"Question {i}?"},) for i in range(5)]
    calls = []
    replies, _ = tqstar_replies(
        pi1,
        lambda ps, rs: [0.0] * len(rs),
        prompts,
        TQStarConfig(k=2, rollout=1, max_new_tokens=2),
        batch_size=2,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert len(replies) == 5 and calls == [(2, 5), (4, 5), (5, 5)]


@pytest.mark.integration
def test_compare_tiny_produces_the_table_with_every_column_and_the_chart(
    flow_env, monkeypatch, tmp_path
):
    from flows.compare import compare
    from tasks.methods import LABELS, METHODS
    from tasks.table import NOTE, ROWS

    monkeypatch.setenv("QADAPTER_CACHE", str(tmp_path / "cache"))  # reward models
    out = compare(profile="tiny")
    c = MlflowClient()
    parent = c.get_run(out["parent_run"])
    assert parent.info.status == "FINISHED"
    labels = [LABELS[m] for m in METHODS]
    assert [list(r) for r in out["rows"]] == [["metric", *labels]] * len(ROWS)
    # every number traces back to its stage record: method-eval child runs and the parent
    children = c.search_runs(
        [parent.info.experiment_id],
        filter_string=f"tags.mlflow.parentRunId = '{out['parent_run']}'",
    )
    by_stage = {r.data.tags["stage"]: r for r in children}
    assert {"eval-sft", "eval-dpo", "eval-rl", "eval-tqstar", "judge", "evaluate"} <= set(by_stage)
    assert {"baseline-sft", "baseline-dpo", "baseline-rl", "reference"} <= set(by_stage)
    cols = {col["method"]: col for col in out["columns"]}
    for m in ("sft", "dpo", "rl", "tqstar"):
        child = by_stage[f"eval-{m}"].data.metrics
        for k in ("winrate.harmless", "winrate.helpful", "kl.general", "probe.delta"):
            assert child[k] == pytest.approx(cols[m][k])
            assert parent.data.metrics[f"{m}.{k}"] == pytest.approx(cols[m][k])
    assert cols["pi1"]["winrate.harmless"] == 50.0 and cols["pi1"]["kl.general"] == 0.0
    qa = by_stage["judge"].data.metrics
    assert cols["qadapter"]["winrate.harmless"] == pytest.approx(qa["winrate.harmless"])
    assert cols["sft"]["kl.general"] > 0 and cols["dpo"]["kl.general"] > 0  # they did train
    # artifacts: markdown, CSV (full precision), PNG
    got = {a.path for a in c.list_artifacts(out["parent_run"], "comparison")}
    assert got == {f"comparison/comparison.{e}" for e in ("md", "csv", "png")}
    dl = tmp_path / "dl"
    png = c.download_artifacts(out["parent_run"], "comparison/comparison.png", str(dl))
    assert open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    rows = list(
        csv.reader(
            open(c.download_artifacts(out["parent_run"], "comparison/comparison.csv", str(dl)))
        )
    )
    assert rows[0] == ["metric", *labels]
    kl_row = next(r for r in rows if r[0] == "kl.general")
    assert float(kl_row[labels.index("SFT") + 1]) == pytest.approx(cols["sft"]["kl.general"])
    md = open(c.download_artifacts(out["parent_run"], "comparison/comparison.md", str(dl))).read()
    assert NOTE in md and "| metric | pi1 | Q-Adapter | SFT | DPO | RL (RLOO) | Transfer Q* |" in md

    import asyncio

    from prefect import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    async def table_artifact():
        async with get_client() as pc:
            return await pc.read_artifacts(
                artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["compare-table"]))
            )

    (art,) = asyncio.run(table_artifact())
    assert json.loads(art.data) == out["rows"]


def test_compare_trains_every_method_on_the_same_pairs():
    """smol's Q-Adapter stage uses the steering recipe's data (on-policy replies, helpful pairs
    mixed in); in the comparison it trains on the baselines' harmless pairs."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from flows.compare import compare_experiment
    from tasks.experiment import data_hashes, experiment

    cfg = compare_experiment("smol")
    assert (cfg.rejected, cfg.mix) == ("data", ())
    assert "mix" not in data_hashes(cfg)
    assert cfg.train == experiment("smol").train  # the method's training values stay
    assert experiment("smol").rejected == "onpolicy"  # (what customize uses)
