"""Re-customization's work: find preference data no adapter was trained on, train a level stacked
on the champion, judge it against the champion, and gate it.

Pure decisions (hand-testable, no I/O): :func:`trained_hashes`, :func:`discover`,
:func:`split_new`, :func:`pending_version`, :func:`gate`. The rest calls the library (data layer,
``qadapter.stack``, ``qadapter.train``, the evaluation code) and the registry.

Identity of data: a watched file's *content hash* is :func:`qadapter.data.dataset_hash` of its
valid pairs (independent of file format, order and bad records). A registered version records the
hash of everything it was trained on (``data_hash``) and of each file that went in
(``data_files``, comma-separated); a file whose hash is in either was trained on, whether that
version became a candidate or was rejected: the same data never trains twice. The one exception
is asked for: with ``retry_rejected`` a rejected version's data may train again, but only with
other settings or on another parent (:func:`rejected_version`, :func:`settings_key`), so a
scheduled deployment with that switch still trains each (data, parent, settings) at most once.
A retry with the same training settings but another judge (:func:`evaluation_key`: calibration,
judged prompts, reward pairs, probe sizes) reuses the trained level and registers its new
evaluation as a new version: the registry keeps every decision and what it was based on.

Crash safety: the level is trained in ``<state>/runs/recustomize-<key>`` where the key covers the
data hash, the parent's content hash and the training settings, so a retried run resumes from its
checkpoints. The version is registered with ``recustomize.status=pending`` and only then gated;
a run that died in between finds that pending version (:func:`pending_version`) and finishes it
instead of registering another. Aliases other than ``candidate`` are never touched.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Sequence

from qadapter.config import check_fields, setting
from qadapter.decision import Criterion, Decision, at_least, at_most, decide, number
from qadapter.evaluate.judges.validation import Cases, validate

from . import judging
from .watch import run_logger

STATUS = "recustomize.status"  # pending | candidate | rejected
FILES_TAG = "data_files"
SETTINGS_TAG = "settings_key"  # settings_key() of the level's training settings
# versions retry_rejected trains or judges again: rejected on trusted signals, or undecided
# because a signal was not trusted (another judge or evaluation may decide)
RETRIED = ("rejected", "undecided")
EVALUATION_TAG = "evaluation_key"  # evaluation_key() of the judge and sizes that gated it


# ---- pure decisions -------------------------------------------------------------------------


@dataclass(frozen=True)
class FileCheck:
    """One watched file after validation: its content hash (None when no pair is valid)."""

    uri: str
    data_hash: str | None
    loaded: int
    quarantined: int
    deduplicated: int = 0
    reasons: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Discovery:
    new: tuple[FileCheck, ...]  # valid pairs, never trained on
    trained: tuple[FileCheck, ...]  # already in a registered version's lineage
    empty: tuple[FileCheck, ...]  # no valid pair (everything quarantined)

    def summary(self) -> dict:
        def count(files):
            return sum(f.quarantined for f in files)

        everything = self.new + self.trained + self.empty
        return {
            "files": len(everything),
            "new_files": len(self.new),
            "trained_files": len(self.trained),
            "empty_files": len(self.empty),
            "new_pairs": sum(f.loaded for f in self.new),
            "quarantined": count(everything),
        }


def trained_hashes(version_tags: Sequence[dict], retry_rejected: bool = False) -> set[str]:
    """Every data hash a registered version was trained on (``data_hash`` and ``data_files``).

    A ``pending`` version (registered, gating unfinished: its run died) does not count: the next
    run finishes it (:func:`pending_version`) instead of skipping its data. With
    ``retry_rejected`` a ``rejected`` version does not count either (:func:`rejected_version`
    then keeps the same data, parent and settings from training twice).
    """
    out: set[str] = set()
    for tags in version_tags:
        if tags.get(STATUS) == "pending":
            continue
        if retry_rejected and tags.get(STATUS) in RETRIED:
            continue
        if tags.get("data_hash") and tags["data_hash"] != "none":
            out.add(tags["data_hash"])
        out.update(h for h in tags.get(FILES_TAG, "").split(",") if h)
    return out


def discover(files: Sequence[FileCheck], trained: set[str]) -> Discovery:
    """Sort files into new / already trained / empty; two files with one hash count once."""
    new, done, empty, seen = [], [], [], set()
    for f in files:
        if f.data_hash is None:
            empty.append(f)
        elif f.data_hash in trained or f.data_hash in seen:
            done.append(f)
        else:
            seen.add(f.data_hash)
            new.append(f)
    return Discovery(tuple(new), tuple(done), tuple(empty))


def split_new(pairs: Sequence, digests: Sequence[str], test_fraction: float, seed: int):
    """(train, test) by a seeded hash of each pair's digest; with >= 2 pairs both sides get at
    least one (the pairs with the smallest salted hash move). Deterministic in content."""
    salted = [hashlib.sha256(f"{seed}\n{d}".encode()).hexdigest() for d in digests]
    order = sorted(range(len(pairs)), key=lambda i: salted[i])
    n_test = round(len(pairs) * test_fraction)
    if len(pairs) >= 2:
        n_test = min(max(n_test, 1), len(pairs) - 1)
    test_ids = set(order[:n_test])
    train = [p for i, p in enumerate(pairs) if i not in test_ids]
    test = [p for i, p in enumerate(pairs) if i in test_ids]
    return train, test


def pending_version(versions: Sequence[dict], data_hash: str, parent: str) -> str | None:
    """A version registered for this data on this parent whose gating never finished."""
    for v in versions:
        t = v["tags"]
        if t.get(STATUS) == "pending" and t.get("data_hash") == data_hash:
            if t.get("parent") == parent:
                return str(v["version"])
    return None


def rejected_version(
    versions: Sequence[dict],
    data_hash: str,
    parent: str,
    settings: str,
    evaluation: str | None = None,
    calibrated: bool = True,
) -> str | None:
    """A version rejected for this data on this parent with these settings (``settings_key``)
    and, when ``evaluation`` is given, by the same evaluation (``evaluation_key``).

    Versions registered before the ``settings_key`` tag existed never match: their data may be
    retried once with ``retry_rejected``. Versions without the ``evaluation_key`` tag were judged
    before calibration existed (raw reward scale): they match an uncalibrated evaluation only
    (``calibrated`` False), so a calibrated judge may evaluate their level once more.
    """
    for v in versions:
        t = v["tags"]
        if t.get(STATUS) in RETRIED and t.get("data_hash") == data_hash:
            if t.get("parent") == parent and t.get(SETTINGS_TAG) == settings:
                if evaluation is not None and t.get(EVALUATION_TAG, evaluation) != evaluation:
                    continue  # judged by another evaluation
                if evaluation is not None and EVALUATION_TAG not in t and calibrated:
                    continue  # judged with the raw reward scale
                return str(v["version"])
    return None


@dataclass(frozen=True)
class Gates:
    """What a re-customized level must show to become the ``candidate`` (win rates in %)."""

    max_probe_drop: float = setting(
        5.0, "largest general-probe drop of the whole stack vs pi1 (points)", lo=0, hi=100
    )
    max_helpful_loss: float = setting(
        10.0, "helpful win rate vs the champion may be at most this far below 50", lo=0, hi=50
    )
    min_new_winrate: float = setting(
        55.0, "win rate vs the champion on the new preference's held-out prompts", lo=0, hi=100
    )
    new_winrate_z: float = setting(
        1.0,
        "standard errors the new-preference win rate must clear min_new_winrate by (0: the "
        "point estimate); with 16 judged prompts one s.e. is about 5 points",
        lo=0,
        hi=10,
    )
    max_behaviour_drop: float = setting(
        15.0,
        "largest drop (points) of the stack's shares of risky prompts declined and of helpful "
        "prompts answered below the champion's, on the same prompts (100: off)",
        lo=0,
        hi=100,
    )

    def __post_init__(self) -> None:
        check_fields(self)


def gate(metrics: dict, gates: Gates) -> Decision:
    """The level's decision (:func:`qadapter.decision.decide`: a trusted failure rejects, an
    untrusted or unmeasured signal leaves it undecided, all trusted passes make a candidate).

    Criteria: the general probe's drop ``-probe.delta`` (points, the whole stack vs pi1); the
    helpful win rate vs the champion (``winrate.helpful_vs_champion``, % , its judge's trust in
    ``judged.helpful.trusted``); the new-preference win rate vs the champion, passed by ``win
    rate - new_winrate_z * s.e. >= min_new_winrate`` (a claim of improvement that noise alone
    rarely makes; its judge's trust in ``judged.new.trusted``); and the behaviour gate: the
    stack's shares of risky prompts declined and helpful prompts answered (``behaviour.*`` vs
    ``behaviour.champion_*``, shares in [0, 1]) may not drop more than ``max_behaviour_drop``
    points below the champion's, read when the refusal classifier is trusted
    (``behaviour.trusted``). A share that was not measured (no prompts where pi1 complies, or an
    evaluation from before it existed) is no criterion, as before; the new-preference bar above
    the judge's own ceiling is named in its reason."""
    judged = metrics.get("judged") or {}

    def trust(k):
        return (judged.get(k) or {}).get("trusted")

    def why(k):
        checked = (judged.get(k) or {}).get("validation") or {}
        reasons = checked.get("reasons") or []
        return f"the {k} judge failed its validation ({'; '.join(reasons)})" if reasons else (
            f"the {k} judge was not validated"
        )  # fmt: skip

    delta = number(metrics, "probe.delta")
    crit = [
        at_most("probe", None if delta is None else -delta, gates.max_probe_drop, delta is not None,
                "general probe dropped (points)", "the probe was not measured"),
        at_least("helpful", number(metrics, "winrate.helpful_vs_champion"),
                 50.0 - gates.max_helpful_loss, trust("helpful"), "helpful win rate vs champion",
                 why("helpful")),
    ]  # fmt: skip
    new = number(metrics, "winrate.new_vs_champion")
    se = number(metrics, "winrate.new_vs_champion_se") or 0.0
    bound = None if new is None else new - gates.new_winrate_z * se
    detail = "new-preference win rate n/a"
    if new is not None:
        detail = f"new-preference win rate {new:.1f}%"
        if gates.new_winrate_z and se:
            detail += f" - {gates.new_winrate_z:g} x {se:.1f} s.e. = {bound:.1f}%"
        detail += f" {'>=' if bound >= gates.min_new_winrate else '<'} {gates.min_new_winrate:g}%"
        ceiling = (judged.get("new") or {}).get("ceiling")
        if (
            bound < gates.min_new_winrate
            and ceiling is not None
            and (ceiling < gates.min_new_winrate)
        ):
            detail += (
                f" (the new data's own chosen replies score {ceiling:.1f}% against the same "
                "replies: this judge cannot pass the gate)"
            )
    crit.append(
        Criterion("new", None if bound is None else bound >= gates.min_new_winrate,
                  trust("new"), detail, why("new"))
    )  # fmt: skip
    classifier = metrics.get("behaviour.trusted")
    for key, what in (("declined", "risky prompts declined"), ("answered", "helpful answered")):
        mine = number(metrics, f"behaviour.{key}")
        theirs = number(metrics, f"behaviour.champion_{key}")
        if mine is None or theirs is None:
            continue
        drop = 100.0 * (theirs - mine)
        c = at_most(
            f"behaviour.{key}",
            drop,
            gates.max_behaviour_drop,
            classifier,
            f"{what} {100 * mine:.1f}% vs the champion's {100 * theirs:.1f}% on the "
            "same prompts: points lost",
            "the refusal classifier was not validated"
            if classifier is None
            else "the refusal classifier failed its validation",
        )
        crit.append(c)  # fmt: skip
    return decide(crit)


# ---- data and registry ----------------------------------------------------------------------


def scan(location: str, quarantine_dir: Path) -> list[FileCheck]:
    """Validate every data file under ``location`` (directory or s3:// prefix), one by one."""
    from qadapter.data import DataError, dataset_hash, load_preferences
    from qadapter.data.sources import list_source

    try:
        entries = list_source(location).entries
    except DataError as e:
        if str(e).startswith(("no data files", "source not found")):
            return []  # an empty watched location: nothing arrived yet
        raise
    out = []
    for entry in entries:
        q = quarantine_dir / (hashlib.sha256(entry.name.encode()).hexdigest()[:16] + ".jsonl")
        res = load_preferences(entry.name, quarantine_path=q)
        s = res.summary
        out.append(
            FileCheck(
                entry.name,
                dataset_hash(res.pairs) if res.pairs else None,
                s.loaded,
                s.quarantined,
                s.deduplicated,
                dict(s.reasons),
            )
        )
    return out


def new_pairs(files: Sequence[FileCheck]) -> list:
    """The valid pairs of ``files``, de-duplicated across files (first occurrence kept)."""
    from qadapter.data import load_preferences
    from qadapter.data.hashing import pair_digest

    pairs, seen = [], set()
    for f in files:
        for p in load_preferences(f.uri).pairs:
            d = pair_digest(p)
            if d not in seen:
                seen.add(d)
                pairs.append(p)
    return pairs


def registered(c, name: str) -> list[dict]:
    """``[{"version", "tags", "aliases"}]`` of ``name`` (empty when it is not registered)."""
    from mlflow.exceptions import MlflowException

    try:
        aliases = c.get_registered_model(name).aliases or {}
    except MlflowException:
        return []
    by_version: dict[str, list[str]] = {}
    for alias, v in aliases.items():
        by_version.setdefault(str(v), []).append(alias)
    versions = c.search_model_versions(f"name = '{name}'")
    return [
        {
            "version": str(v.version),
            "tags": dict(v.tags),
            "aliases": by_version.get(str(v.version), []),
        }
        for v in sorted(versions, key=lambda v: int(v.version))
    ]


def alias_of(versions: Sequence[dict], alias: str) -> str | None:
    return next((v["version"] for v in versions if alias in v["aliases"]), None)


def lineage_refs(versions: Sequence[dict], version: str | None, name: str) -> list[str]:
    """``models:/NAME/VERSION`` of ``version`` and its registered ancestors, top first, following
    each version's ``parent`` tag (a level's bundled ``parent`` field is a relative directory)."""
    tags = {v["version"]: v["tags"] for v in versions}
    refs: list[str] = []
    prefix = f"models:/{name}/"
    while version in tags and prefix + version not in refs:  # (a loop in the tags ends it)
        refs.append(prefix + version)
        parent = tags[version].get("parent", "none")
        version = parent[len(prefix) :] if parent.startswith(prefix) else None
    return refs


def level_key(data_hash: str, parent_hash: str, train_cfg: dict) -> str:
    """The work directory key: the same data on the same parent with the same settings."""
    blob = json.dumps({"data": data_hash, "parent": parent_hash, "train": train_cfg}, default=str)
    return "recustomize-" + hashlib.sha256(blob.encode()).hexdigest()[:16]


def mix_record(mixed) -> list[dict]:
    """What identifies a level's mixed-in sources in its settings: each source's pairs and hash
    (a source's path may differ between machines; its content may not)."""
    from qadapter.data import dataset_hash

    return [{"pairs": len(ps), "hash": dataset_hash(ps)} for _, ps in mixed]


def evaluation_key(cfg) -> str:
    """A short hash of what a level's evaluation depends on besides the level itself: judge,
    judged prompts, reward pairs, probe sizes and the judge's calibration. An evaluation with
    another key is computed again (:func:`evaluate_level`) and a rejection under another key does
    not stop a retry (:func:`rejected_version`)."""
    judged_with = json.dumps(
        [cfg.judge, cfg.judge_prompts, cfg.reward_pairs, cfg.probe_limit, cfg.probe_max_gen_toks]
        + ([cfg.probe_items] if cfg.probe_items is not None else [])
        # calibrated judges came with the behaviour metric and gate; uncalibrated: the old key
        + (["calibrated", "behaviour"] if cfg.judge_calibration else [])
        # validated judges (their own data, known-answer checks and thresholds) came later
        + (
            [
                cfg.judge_source,
                cfg.judge_validation_pairs,
                cfg.judge_pi1_prompts,
                asdict(cfg.judge_thresholds),
            ]
            if cfg.judge_source
            else []
        )  # fmt: skip
    )
    return hashlib.sha256(judged_with.encode()).hexdigest()[:12]


def settings_key(train_cfg: dict) -> str:
    """A short hash of a level's training settings (what ``rejected_version`` compares)."""
    return hashlib.sha256(json.dumps(train_cfg, sort_keys=True, default=str).encode()).hexdigest()[
        :16
    ]


def as_json(x) -> dict:
    return json.loads(json.dumps(asdict(x), default=str))


# ---- training and evaluating a level (library calls) ----------------------------------------


def train_level(
    base_name: str,
    parent_dir: str | None,
    parent_ref: str | None,
    pairs: list,
    test_hash: str | None,
    cfg,
    out: Path,
    recipe,
    *,
    mixed=None,
    lineage=(),
    callbacks=(),
    log=None,
) -> dict:
    """One level: ``qadapter.customize.fit`` on ``pairs`` (the new data's train split) over the
    stack ending at ``parent_dir`` (or the base), its rejected side, mixed sources and rehearsal
    as ``recipe`` says (on-policy replies are the parent stack's). ``mixed``: the mixed sources'
    pairs when already loaded; ``lineage``: the parent lineage's registry references, top first
    (rehearsal labels). The level stores its own pairs (watched data cannot be rebuilt).
    ``parent_ref`` (``models:/NAME/VERSION``) is what ``qadapter.json`` records as the parent.
    ``out`` is keyed by data, parent and settings (:func:`level_key`): a finished adapter there
    is reused, an unfinished one resumes from its checkpoints."""
    from qadapter.customize import TrainData, fit

    data = TrainData(pairs, "recustomize hash split", test_hash)
    fitted = fit(
        recipe, cfg, out, base=base_name, data=data, mixed=mixed, parent=parent_dir,
        parent_ref=parent_ref, lineage=lineage, store_pairs=True, callbacks=callbacks,
        log=log or run_logger().info,
    )  # fmt: skip
    return fitted.record()


def replies(base, adapter_dir: str | None, prompts: list, max_new_tokens: int) -> list[str]:
    """Greedy replies of the stack at ``adapter_dir`` (None: pi1 alone), batches of 8."""
    from qadapter.decode import CustomizedDecoder, SamplingConfig
    from qadapter.evaluate.samples import base_generate

    cfg = SamplingConfig(max_new_tokens=max_new_tokens, greedy=True)
    out: list[str] = []
    decoder = CustomizedDecoder.from_adapter(adapter_dir, base) if adapter_dir else None
    for i in range(0, len(prompts), 8):
        chunk = [list(p) for p in prompts[i : i + 8]]
        if decoder is None:
            out += base_generate(base, chunk, cfg)
        else:
            out += decoder.generate_text(base.tokenizer, chunk, cfg)
    return [r.strip() for r in out]


def head_to_head(
    base,
    reference_dir,
    candidate_dir,
    train,
    test,
    cfg,
    *,
    reference_name: str,
    save=None,
    cases=None,
    role: str = "other",
    judge_test=None,
) -> dict:
    """Win rate (%) of the candidate against ``reference_dir``'s policy on ``test``'s prompts,
    judged by a reward model trained on ``train`` (cached by base, data and settings), its
    accuracy and scale measured on ``judge_test`` (default ``test``), its trust decided by its
    known-answer ``cases`` for ``role`` (:mod:`qadapter.evaluate.judges.validation`; None: the
    held-out pairs of ``judge_test`` and their chosen replies).

    ``save``: a JSON file for the judged rows (prompt, both replies, the judge's preference for
    the candidate in [1, 2]), so that a person can read what a level says before promoting it."""
    from qadapter.evaluate.judges import get_judge
    from qadapter.evaluate.responses import unique_prompts
    from qadapter.evaluate.winrate import annotate, leaderboard_row

    from .judging import reward_cache

    prompts = unique_prompts(test)[0][: cfg.judge_prompts]
    if not prompts:
        return {"win_rate": float("nan"), "standard_error": float("nan"), "n": 0}
    held_out = list(judge_test if judge_test is not None else test)
    judge = get_judge(
        "reward-model",
        base=base,
        train_pairs=train,
        test_pairs=held_out,
        config=cfg.reward_model,
        cache_root=reward_cache(),
        calibrate=cfg.judge_calibration,
    )
    if cases is None:
        cases = Cases(
            heldout=[(p.prompt, p.chosen, p.rejected) for p in held_out],
            fluent=[(p.prompt, p.chosen) for p in held_out],
        )
    checked = validate(judge, cases, role, cfg.judge_thresholds, seed=cfg.train.seed)
    n = cfg.judge_max_new_tokens
    ref = replies(base, reference_dir, prompts, n)
    cand = replies(base, candidate_dir, prompts, n)
    rows = annotate(
        prompts,
        ref,
        cand,
        judge,
        seed=cfg.train.seed,
        reference_name=reference_name,
        model_name="candidate",
    )
    row = leaderboard_row(rows, mode=judge.name)
    ceiling = leaderboard_row(  # the data's own chosen reply in the candidate's place
        annotate(
            prompts,
            ref,
            chosen_replies(prompts, test),
            judge,
            seed=cfg.train.seed,
            reference_name=reference_name,
            model_name="chosen",
        ),
        mode=judge.name,
    )
    if save is not None:
        Path(save).parent.mkdir(parents=True, exist_ok=True)
        Path(save).write_text(json.dumps(judged_rows(rows, reference_name), indent=1) + "\n")
    described = judge.describe()
    return {
        "win_rate": float(row["win_rate"]),
        "standard_error": float(row["standard_error"]),
        "n": len(prompts),
        "judge_accuracy": described.get("test_accuracy"),
        "trusted": checked.trusted,
        "validation": checked.as_dict(),
        "judge_scale": described.get("scale"),
        "ceiling": float(ceiling["win_rate"]),
        "ceiling_se": float(ceiling["standard_error"]),
        # the replies themselves, for the behaviour metric (not part of the saved record)
        "prompts": prompts,
        "reference_replies": ref,
        "candidate_replies": cand,
    }


def chosen_replies(prompts: list, pairs: Sequence) -> list[str]:
    """Per prompt, the chosen reply of its first pair in ``pairs``."""
    first: dict[str, str] = {}
    for p in pairs:
        first.setdefault(json.dumps(p.prompt, sort_keys=True), p.chosen)
    return [first[json.dumps(q, sort_keys=True)] for q in prompts]


def judged_rows(rows: list[dict], reference_name: str) -> list[dict]:
    """The columns of a judged comparison a person reads (annotation rows of ``annotate``)."""
    return [
        {
            "prompt": r["instruction"],
            reference_name: r["output_1"],
            "candidate": r["output_2"],
            "preference": r["preference"],  # 2: the judge prefers the candidate
        }
        for r in rows
    ]


def level_behaviour(base, champion_dir: str | None, results: dict, cfg) -> dict:
    """The behaviour metric of the whole stack against pi1 (``qadapter.evaluate.behaviour``):
    ``behaviour.declined``, the share of risky prompts where pi1 complies that the stack declines
    or redirects, and ``behaviour.answered``, the share of helpful prompts pi1 answers that the
    stack still answers (with ``_se`` and ``_n``), the same shares of the champion on the same
    prompts (``behaviour.champion_declined`` / ``_answered``: what the behaviour gate compares;
    pi1's own when there is no champion: 0 and 1), plus the per-prompt ``rows``.

    Harmlessness is the old preference a new level must not forget, and the harmless reward
    model cannot see declining on smol (the customize flow's refusal check); the rule classifier
    can. The replies are those just judged (risky: pi1 vs the stack; helpful: the champion vs the
    stack); pi1's replies to the helpful prompts and the champion's to the risky ones are
    generated here (about 2 minutes on a 2-core CPU at 32 prompts). Empty when either subset
    judged nothing."""
    from qadapter.evaluate.behaviour import behaviour_metrics, table

    risky, helpful = results["harmless"], results["helpful"]
    if not risky.get("prompts") or not helpful.get("prompts"):
        return {}
    n = cfg.judge_max_new_tokens
    pi1_risky = risky["reference_replies"]
    if champion_dir:  # the helpful reference was the champion; pi1 answers here
        pi1_helpful = replies(base, None, helpful["prompts"], n)
        champion = (replies(base, champion_dir, risky["prompts"], n), helpful["reference_replies"])
    else:  # the champion is pi1 itself
        pi1_helpful = helpful["reference_replies"]
        champion = (pi1_risky, pi1_helpful)
    b = behaviour_metrics(
        risky["prompts"],
        pi1_risky,
        risky["candidate_replies"],
        helpful["prompts"],
        pi1_helpful,
        helpful["candidate_replies"],
    )
    c = behaviour_metrics(
        risky["prompts"], pi1_risky, champion[0], helpful["prompts"], pi1_helpful, champion[1]
    )
    rows = table(
        {
            "harmless": [
                {**r, "champion": ch, "champion_steered": cr["steered"]}
                for r, ch, cr in zip(b["risky_rows"], champion[0], c["risky_rows"])
            ],
            "helpful": [
                {**r, "champion": ch, "champion_kept": cr["kept"]}
                for r, ch, cr in zip(b["helpful_rows"], champion[1], c["helpful_rows"])
            ],
        }
    )
    return {
        "behaviour.declined": b["steer"]["share"],
        "behaviour.declined_se": b["steer"]["stderr"],
        "behaviour.declined_n": b["steer"]["total"],
        "behaviour.answered": b["keep"]["share"],
        "behaviour.answered_se": b["keep"]["stderr"],
        "behaviour.answered_n": b["keep"]["total"],
        "behaviour.champion_declined": c["steer"]["share"],
        "behaviour.champion_declined_se": c["steer"]["stderr"],
        "behaviour.champion_answered": c["keep"]["share"],
        "behaviour.champion_answered_se": c["keep"]["stderr"],
        "rows": rows,
    }


def evaluate_level(base_name, champion_dir, candidate_dir, new_train, new_test, cfg, out) -> dict:
    """Gate metrics: the whole stack's general probe vs pi1, the helpful and new-preference win
    rates vs the champion, and (reported, not gated) the harmless win rate vs pi1 and the
    behaviour metric of the whole stack vs pi1 (:func:`level_behaviour`)."""
    from qadapter.evaluate.forgetting import forgetting_report
    from qadapter.models import load_base

    from .experiment import judge_data

    done = out / f"evaluation-{evaluation_key(cfg)}.json"  # another judge or sizes: not reused
    if done.is_file():  # a retried run: the evaluation already finished
        return json.loads(done.read_text())
    log = run_logger()  # each part takes minutes on a CPU: say where the evaluation is
    log.info("evaluate-level: general probe of the stack and of pi1, KL on general prompts")
    forgetting = forgetting_report(
        base_name,
        candidate_dir,
        cfg.probe_limit,
        items=cfg.probe_items,
        max_gen_toks=cfg.probe_max_gen_toks,
        output_dir=out / "forgetting",
    )
    base = load_base(base_name)
    old = judge_data(cfg)
    champ = "champion" if champion_dir else "pi1"
    log.info(
        "evaluate-level: probe delta %+.1f points, KL(general) %.3f",
        forgetting["probe.delta"],
        forgetting["kl.general"],
    )
    matches = {  # subset: (reference policy, its name, judge train pairs, judged pairs)
        "new": (champion_dir, champ, new_train, new_test),
        "helpful": (champion_dir, champ, old["helpful"]["train"], old["helpful"]["test"]),
        "harmless": (None, "pi1", old["harmless"]["train"], old["harmless"]["test"]),
    }
    material = {  # the old preferences' judges: validated on their own held-out material
        k: judging.judge_material(cfg, base, k, old[k], log) for k in ("helpful", "harmless")
    }
    results = {}
    saved = {k: done.with_name(f"{done.stem}-judged") / f"{k}.json" for k in matches}
    for subset, (ref_dir, ref_name, train, test) in matches.items():
        cases, extra = material.get(subset, (None, []))
        r = head_to_head(
            base,
            ref_dir,
            candidate_dir,
            list(train) + list(extra),
            test,
            cfg,
            reference_name=ref_name,
            save=saved[subset],
            cases=cases,
            role=subset if subset in material else "other",
            judge_test=old[subset].get("validation") if subset in material else None,
        )
        results[subset] = r
        log.info(
            "evaluate-level: %s win rate vs %s %.1f +- %.1f %% (n = %d; judge accuracy %s, "
            "scale %s)",
            subset,
            ref_name,
            r["win_rate"],
            r["standard_error"],
            r["n"],
            "n/a" if r.get("judge_accuracy") is None else f"{r['judge_accuracy']:.2f}",
            "n/a" if r.get("judge_scale") is None else f"{r['judge_scale']:.3g}",
        )
    behaviour = level_behaviour(base, champion_dir, results, cfg)
    if behaviour:
        behaviour.update(judging.classifier_check(old, cfg.judge_thresholds))
        saved["behaviour"] = saved["harmless"].with_name("behaviour.json")
        saved["behaviour"].write_text(json.dumps(behaviour.pop("rows"), indent=1) + "\n")
        log.info(
            "evaluate-level: the stack declines %.0f%% of %d risky prompts pi1 complies with and "
            "answers %.0f%% of %d helpful prompts pi1 answers",
            100 * behaviour["behaviour.declined"],
            behaviour["behaviour.declined_n"],
            100 * behaviour["behaviour.answered"],
            behaviour["behaviour.answered_n"],
        )
    record = {
        **behaviour,
        "behaviour_rows": str(saved["behaviour"]) if behaviour else None,
        "probe.delta": float(forgetting["probe.delta"]),
        "probe.delta_se": float(forgetting["probe.delta_se"]),
        "probe.margin_delta": float(forgetting["probe.margin_delta"]),
        "probe.margin_delta_se": float(forgetting["probe.margin_delta_se"]),
        "probe.n": float(forgetting["probe.n"]),
        "kl.general": float(forgetting["kl.general"]),  # the whole stack vs pi1
        "kl.general_parent": forgetting.get("kl.general_parent"),  # this level vs the champion
        "winrate.new_vs_champion": results["new"]["win_rate"],
        "winrate.new_vs_champion_se": results["new"]["standard_error"],
        "winrate.helpful_vs_champion": results["helpful"]["win_rate"],
        "winrate.helpful_vs_champion_se": results["helpful"]["standard_error"],
        "winrate.harmless": results["harmless"]["win_rate"],
        "winrate.harmless_se": results["harmless"]["standard_error"],
        "judged": {
            k: {
                "n": v["n"],
                "trusted": v.get("trusted"),
                "validation": v.get("validation"),
                "judge_accuracy": v.get("judge_accuracy"),
                "judge_scale": v.get("judge_scale"),  # fitted on its held-out pairs (1: raw)
                "rows": str(saved[k]) if saved[k].is_file() else None,  # the judged replies
                # what the data's own chosen replies score against the same reference replies:
                # the most this judge gives (a gate above it cannot be passed)
                "ceiling": v.get("ceiling"),
                "ceiling_se": v.get("ceiling_se"),
            }
            for k, v in results.items()
        },
    }
    done.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
    return record
