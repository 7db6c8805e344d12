"""The sweep flow, tiny profile, on a Prefect test server, tracked in a SQLite MLflow store."""

import csv
import math
import sys
from pathlib import Path

import pytest
from mlflow import MlflowClient

sys.path.insert(0, str(Path(__file__).parent))
from test_customize import prefect_api  # noqa: E402

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture(autouse=True)
def private_model_cache(tmp_path, monkeypatch):
    """The judge stage's reward models go to a per-test cache, never the user's."""
    monkeypatch.setenv("QADAPTER_CACHE", str(tmp_path / "cache"))


def alpha0_dependent_responses(monkeypatch):
    """The tiny random model answers every prompt with newlines (empty after stripping), so every
    alpha0 would give the same texts and every point the same win rates. On top of the real
    generation, the customized side declines the first ``round(n * (1 - alpha0))`` prompts (alpha0
    as decoded: the override, else the adapter's own) and answers the others, so the judged
    numbers move with alpha0 and two points at one alpha0 give equal texts."""
    import qadapter.evaluate.responses as responses
    from qadapter.config import MethodConfig
    from qadapter.meta import read_meta

    real = responses.generate_responses

    def varied(base, adapter_dir, prompts, **kw):
        out = real(base, adapter_dir, prompts, **kw)
        alpha0 = MethodConfig.from_meta(read_meta(adapter_dir), alpha0=kw.get("alpha0")).alpha0
        declined = round(len(prompts) * (1.0 - min(alpha0, 1.0)))
        words = [p[-1]["content"].split()[:4] for p in prompts]
        out["reference"] = [
            f"Sure, {' '.join(w)} {r}".strip() for w, r in zip(words, out["reference"])
        ]
        out["customized"] = [
            ("I can't help with that." if i < declined else f"Yes: {' '.join(w[::-1])} {c}").strip()
            for i, (w, c) in enumerate(zip(words, out["customized"]))
        ]
        return out

    monkeypatch.setattr(responses, "generate_responses", varied)


def children(c, parent_id: str) -> list:
    exp = c.get_run(parent_id).info.experiment_id
    return c.search_runs([exp], filter_string=f"tags.mlflow.parentRunId = '{parent_id}'")


def test_tiny_sweep_points_plot_table_and_candidate(flow_env, monkeypatch, tmp_path):
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    from flows.sweep import EVALUATION, TRAINING, sweep
    from tasks import sweep as S

    alpha0_dependent_responses(monkeypatch)
    # wide tolerances: on tiny (2 probe items per task) one flipped item moves the probe 25 points
    out = sweep(profile="tiny", max_probe_drop=100.0, max_helpful_loss=50.0)
    c = MlflowClient()
    parent = c.get_run(out["parent_run"])
    assert parent.info.status == "FINISHED" and parent.data.tags["flow"] == "sweep"
    exp = parent.info.experiment_id
    stage_runs = {
        s: c.search_runs([exp], filter_string=f"tags.stage = '{s}'")
        for s in ("helpful-base", "qadapter", "evaluate", "judge")
    }
    # the helpful base aligned once; two trainings (the decode-time sweep reuses alpha0 = 1's Q);
    # evaluate / judge: train 0.1, train 1, decode 0.1 (decode 1 is train 1's, cached)
    assert {s: len(r) for s, r in stage_runs.items()} == {
        "helpful-base": 1,
        "qadapter": 2,
        "evaluate": 3,
        "judge": 3,
    }
    assert all(r.info.status == "FINISHED" for rs in stage_runs.values() for r in rs)
    assert sorted(r.data.params["alpha0"] for r in stage_runs["qadapter"]) == ["0.1", "1.0"]
    # one training at a time: the two training runs do not overlap
    spans = sorted((r.info.start_time, r.info.end_time) for r in stage_runs["qadapter"])
    assert spans[0][1] <= spans[1][0]
    decode_evals = [r for r in stage_runs["evaluate"] if "decode_alpha0" in r.data.params]
    assert [r.data.params["decode_alpha0"] for r in decode_evals] == ["0.1"]

    points = {
        (r.data.params["sweep.kind"], float(r.data.params["alpha0"])): r
        for r in children(c, out["parent_run"])
        if r.data.tags.get("stage") == "sweep-point"
    }
    assert set(points) == {("train", 0.1), ("train", 1.0), ("decode", 0.1), ("decode", 1.0)}
    for (kind, a), r in points.items():
        assert r.info.status == "FINISHED" and r.data.tags["sweep.kind"] == kind
        assert float(r.data.params["train.method.alpha0"]) == (a if kind == "train" else 1.0)
        for m in ("winrate.harmless", "winrate.helpful", "probe.delta", "kl.general",
                  "heldout.accuracy", "reward.harmless", "reward.helpful"):  # fmt: skip
            assert math.isfinite(r.data.metrics[m]), (kind, a, m)
    t1, d1 = points[("train", 1.0)], points[("decode", 1.0)]
    assert d1.data.metrics == t1.data.metrics  # the same stages (cache), the same numbers
    assert d1.data.tags["stage.evaluate.run_id"] == t1.data.tags["stage.evaluate.run_id"]
    d01 = points[("decode", 0.1)].data.metrics
    for m in ("kl.general", "heldout.kl_mean", "heldout.kl_mean_init"):  # eq. 6 at alpha0 0.1
        assert d01[m] != t1.data.metrics[m], m
    assert {r.data.tags["judge.trusted"] for r in points.values()} <= {"true", "false"}
    # alpha0 0.1 declines 4 of the 4 harmless prompts, alpha0 1 none: different judged texts,
    # so a different mean reward (raw: a tiny judge at chance is calibrated to ties, so its win
    # rates can both be exactly 50)
    assert d01["reward.harmless"] != t1.data.metrics["reward.harmless"]
    # the decode-time point at 0.1 decodes the same texts as the adapter trained at 0.1
    assert d01["reward.harmless"] == points[("train", 0.1)].data.metrics["reward.harmless"]

    # the table (CSV) and Figure 3 (PNG) on the parent run
    names = {a.path for a in c.list_artifacts(out["parent_run"], "sweep")}
    assert names == {"sweep/figure3.png", "sweep/table.csv"}
    png = Path(c.download_artifacts(out["parent_run"], "sweep/figure3.png", str(tmp_path / "d")))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
    table = list(csv.DictReader(open(c.download_artifacts(out["parent_run"], "sweep/table.csv"))))
    assert [(r["kind"], float(r["alpha0"])) for r in table] == [
        ("train", 0.1),
        ("train", 1.0),
        ("decode", 0.1),
        ("decode", 1.0),
    ]
    for r in table:
        run = points[(r["kind"], float(r["alpha0"]))]
        assert r["run_id"] == run.info.run_id
        for m in ("winrate.harmless", "winrate.helpful", "probe.delta", "reward.helpful"):
            assert float(r[m]) == run.data.metrics[m]

    # the selection: recomputed from the logged metrics, tagged, and the candidate alias
    rows = [
        {"kind": k, "alpha0": a, "run_id": r.info.run_id, **r.data.metrics}
        for (k, a), r in points.items()
    ]
    expected = S.select(rows, max_probe_drop=100.0, max_helpful_loss=50.0)
    assert expected.chosen is not None and expected.chosen["kind"] == "train"
    chosen = points[(expected.chosen["kind"], expected.chosen["alpha0"])]
    assert out["chosen"]["run_id"] == chosen.info.run_id
    assert {r.info.run_id: r.data.tags["sweep.chosen"] for r in points.values()} == {
        r.info.run_id: str(r is chosen).lower() for r in points.values()
    }
    candidate = c.get_model_version_by_alias("hh-qadapter", "candidate")
    assert f"hh-qadapter/{candidate.version}" == chosen.data.tags["model_version"]
    assert candidate.run_id == chosen.data.tags["stage.qadapter.run_id"]
    # the version carries the point's judged numbers (tags and description)
    for k in ("winrate.harmless", "winrate.helpful", "probe.delta"):
        assert float(candidate.tags[k]) == pytest.approx(chosen.data.metrics[k]), k
    assert "winrate.harmless" in candidate.description
    assert parent.data.tags["sweep.chosen_run"] == chosen.info.run_id
    assert parent.data.metrics["sweep.chosen_alpha0"] == expected.chosen["alpha0"]

    # Prefect: the global concurrency limits and the artifacts
    limits = prefect_api(lambda pc: pc.read_global_concurrency_limits())
    assert {gl.name: gl.limit for gl in limits if gl.name in (TRAINING, EVALUATION)} == {
        TRAINING: 1,
        EVALUATION: 1,
    }
    arts = prefect_api(
        lambda pc: pc.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["sweep-summary"]))
        )
    )
    assert arts and "figure3.png" in arts[0].data and "**Selection:**" in arts[0].data


def test_deployment_run_sweep_tiny(tmp_path):
    """`prefect deployment run sweep/hh-alpha0-tiny` on a local stack (Prefect server, process
    worker, MLflow server on loopback): points, plot, table and the alias, read back over HTTP."""
    from infra import local_stack

    with local_stack(tmp_path) as stack:
        deployed = stack.prefect("deploy", "--name", "hh-alpha0-tiny", timeout=300)
        assert "sweep/hh-alpha0-tiny" in deployed.stdout + deployed.stderr
        run = stack.prefect(
            "deployment", "run", "sweep/hh-alpha0-tiny", "--param", "max_probe_drop=100",
            "--param", "max_helpful_loss=50", "--watch", "--watch-timeout", "900",
            timeout=960, check=False,
        )  # fmt: skip
        out = run.stdout + run.stderr
        assert run.returncode == 0 and "Completed" in out, out[-3000:]

        c = MlflowClient(stack.mlflow_uri)
        exp = c.get_experiment_by_name("qadapter-hh").experiment_id
        (parent,) = c.search_runs([exp], filter_string="tags.flow = 'sweep'")
        assert parent.info.status == "FINISHED"
        count = {
            s: len(c.search_runs([exp], filter_string=f"tags.stage = '{s}'"))
            for s in ("helpful-base", "qadapter")
        }
        assert count == {"helpful-base": 1, "qadapter": 2}
        points = {
            (r.data.params["sweep.kind"], float(r.data.params["alpha0"])): r
            for r in children(c, parent.info.run_id)
            if r.data.tags.get("stage") == "sweep-point"
        }
        assert set(points) == {("train", 0.1), ("train", 1.0), ("decode", 0.1), ("decode", 1.0)}
        names = {a.path for a in c.list_artifacts(parent.info.run_id, "sweep")}
        assert names == {"sweep/figure3.png", "sweep/table.csv"}
        # the deployment's judges are the tiny profile's random reward models, held to the real
        # bars: they fail their validation (too few known-answer cases, chance accuracy), so the
        # sweep decides nothing: no point chosen, no alias, and the reason is on the run
        assert [r for r in points.values() if r.data.tags["sweep.chosen"] == "true"] == []
        assert parent.data.tags["sweep.outcome"] == "undecided"
        assert parent.data.tags["sweep.selection"].startswith("undecided: no point passes")
        assert parent.data.tags["sweep.chosen_run"] == "none"
        with pytest.raises(Exception, match="candidate"):
            c.get_model_version_by_alias("hh-qadapter", "candidate")
        for r in points.values():
            assert r.data.metrics["judge.harmless.trusted"] == 0.0

        # the Prefect summary artifact shows the figure: its link serves the PNG over HTTP
        import json
        import re
        import urllib.request

        req = urllib.request.Request(
            f"{stack.prefect_api_url}/artifacts/filter",
            data=json.dumps({"artifacts": {"key": {"any_": ["sweep-summary"]}}}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310 (loopback URL)
            (summary,) = json.loads(resp.read())
        (url,) = re.findall(r"!\[Figure 3\]\((\S+)\)", summary["data"])
        assert url.startswith(f"{stack.mlflow_uri}/get-artifact?") and parent.info.run_id in url
        with urllib.request.urlopen(url, timeout=30) as resp:  # noqa: S310 (loopback URL)
            assert resp.read(8) == b"\x89PNG\r\n\x1a\n"
