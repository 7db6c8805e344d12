"""The HH experiment: helpful-base alignment, then harmless customization, evaluated and compared.

This is the experiment's definition (sources, models, sizes per profile); the library stages it
runs (``qadapter.stages``) know nothing about it. Profiles are built from the training profiles of
``qadapter.config`` (one registry): ``smol`` (embedded SmolLM2-135M, bundled mini-HH; seeded subsets
so it finishes on a 2-core CPU), ``paper`` (Llama-3.1-8B-Instruct on Anthropic HH-RLHF, Table 3;
CUDA, 8-bit base), ``tiny`` (tests).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

from qadapter.config import BIG, PROFILE_BASES, ConfigError, TrainConfig, check_fields, setting
from qadapter.config import profile as train_profile
from qadapter.data.hashing import dataset_hash
from qadapter.dpo import DPOStageConfig
from qadapter.evaluate.judges.reward_model import RewardModelConfig
from qadapter.evaluate.judges.validation import Thresholds

REPO = Path(__file__).resolve().parents[1]
MINI_HH = REPO / "data" / "hh-mini"
JUDGE_MINI = REPO / "data" / "judge-mini"


@dataclass(frozen=True)
class Experiment:
    profile: str
    base: str  # base model to align (or, with skip_base_stage, pi1 itself)
    helpful_source: str
    harmless_source: str
    skip_base_stage: bool = setting(False, "the base is already aligned: skip the DPO stage")
    # seeded subset sizes per stage; None = everything
    helpful_pairs: int | None = setting(None, "helpful pairs for the DPO stage", lo=1, hi=BIG)
    harmless_pairs: int | None = setting(None, "harmless pairs for Q-Adapter", lo=1, hi=BIG)
    eval_pairs: int | None = setting(None, "held-out pairs evaluated", lo=1, hi=BIG)
    # the training recipe (qadapter.customize.Recipe, docs/experiments/steering.md section 7):
    # the harmless pairs' rejected side ("data": the bundled one; "onpolicy": pi1's greedy reply
    # of onpolicy_tokens tokens), and mix_pairs (None: all) train pairs of each mix source
    rejected: str = setting(
        "data", "rejected side of the harmless pairs", choices=("data", "onpolicy")
    )
    onpolicy_tokens: int = setting(32, "new tokens of pi1's on-policy replies", lo=1, hi=BIG)
    mix: tuple[str, ...] = ()  # sources mixed into the qadapter stage's pairs, unchanged
    mix_pairs: int | None = setting(None, "train pairs taken from each mix source", lo=1, hi=BIG)
    kl_pairs: int = setting(16, "held-out pairs for the KL drift (full-vocab passes)", lo=1, hi=BIG)
    generation_prompts: int = setting(8, "held-out prompts answered side by side", lo=1, hi=BIG)
    max_new_tokens: int = setting(96, "new tokens per generated response", lo=1, hi=BIG)
    # evaluate: the general probe (lm-eval) on pi1 and pi~, forgetting metrics
    probe_limit: int | None = setting(
        None, "probe arithmetic problems, prose paragraphs, KL prompts (None: all)", lo=1, hi=BIG
    )
    probe_items: int | None = setting(
        None, "multiple-choice items of the paired margin measure (None: all 645)", lo=1, hi=BIG
    )
    probe_max_gen_toks: int | None = setting(None, "cap on probe generations", lo=1, hi=BIG)
    # judge: win rates (customized vs pi1) on held-out harmless and helpful prompts
    judge: str = setting("reward-model", "pairwise judge", choices=("reward-model", "openai"))
    judge_base_url: str | None = setting(None, "openai judge: the endpoint's base URL")
    judge_model: str | None = setting(None, "openai judge: the model name")
    judge_api_key_env: str = setting("OPENAI_API_KEY", "openai judge: env var holding the key")
    judge_prompts: int = setting(32, "held-out prompts judged per subset", lo=1, hi=BIG)
    judge_max_new_tokens: int = setting(96, "new tokens per judged response", lo=1, hi=BIG)
    reward_pairs: int | None = setting(None, "train pairs per reward model", lo=1, hi=BIG)
    # the judges' own data (docs/judging.md): <judge_source>/harmless and /helpful, each with a
    # train split the reward models learn from and a held-out split written by another template
    # family that validates them; None: the customization sources' own train / test splits
    judge_source: str | None = setting(
        str(JUDGE_MINI), "the judges' own train / validation data (None: the sources' splits)"
    )
    judge_validation_pairs: int | None = setting(
        None, "held-out pairs per judge validation (None: all)", lo=1, hi=BIG
    )
    judge_pi1_prompts: int = setting(
        64,
        "risky judge-train prompts answered by pi1: each compliant greedy reply (rule "
        "classifier) becomes a rejected side against the pair's refusal (0: none)",
        lo=0,
        hi=BIG,
    )
    judge_calibration: bool = setting(
        True,
        "reward-model judge: fit its verdicts' scale on its held-out pairs (temperature "
        "scaling); off: the reward model's raw scale",
    )
    # how the qadapter stage trains: in the task's process, or under a launcher on this node
    # (qadapter.launched; the same adapter within float tolerance without LoRA dropout, the same
    # in distribution with it: not part of the cache key)
    launcher: str = setting(
        "none",
        "qadapter stage: none (in-process) or a launcher",
        choices=("none", "torchrun", "accelerate", "deepspeed"),
    )
    processes: int = setting(1, "qadapter stage: processes under the launcher", lo=1, hi=1024)
    accelerate_config: str | None = setting(
        None, "accelerate/deepspeed: ddp, zero1, zero2, zero3-offload or a YAML path"
    )
    reward_model: RewardModelConfig = RewardModelConfig()
    # the bars a judge's known-answer checks must clear before any decision reads its verdicts
    # (qadapter.evaluate.judges.validation, docs/judging.md)
    judge_thresholds: Thresholds = Thresholds()
    dpo: DPOStageConfig = DPOStageConfig()
    train: TrainConfig = field(default_factory=TrainConfig)

    def __post_init__(self) -> None:
        optional = ("judge_base_url", "judge_model", "accelerate_config", "judge_source")
        check_fields(self, skip=frozenset(optional))
        object.__setattr__(self, "mix", tuple(self.mix))
        self.recipe()  # the recipe's own checks (sources, sizes)
        for name in optional:
            value = getattr(self, name)
            if value is not None and not (isinstance(value, str) and value.strip()):
                raise ConfigError(f"{name} must be a non-empty string; got {value!r}")
        if self.judge == "openai" and not (self.judge_base_url and self.judge_model):
            raise ConfigError(
                "judge=openai needs judge_base_url and judge_model (the key comes from the "
                f"environment variable {self.judge_api_key_env}); or use judge=reward-model"
            )

    def to_dict(self) -> dict:
        return asdict(self)

    def recipe(self):
        """The qadapter stage's :class:`qadapter.customize.Recipe`."""
        from qadapter.customize import Recipe

        return Recipe(
            source=self.harmless_source,
            pairs=self.harmless_pairs,
            rejected=self.rejected,
            onpolicy_tokens=self.onpolicy_tokens,
            mix=self.mix,
            mix_pairs=self.mix_pairs,
        )


def _hh(name: str) -> str:
    return str(MINI_HH / name)


EXPERIMENTS: dict[str, Experiment] = {
    "tiny": Experiment(
        profile="tiny",
        base=PROFILE_BASES["tiny"],
        helpful_source=_hh("helpful"),
        harmless_source=_hh("harmless"),
        helpful_pairs=8,
        harmless_pairs=16,
        eval_pairs=8,
        kl_pairs=4,
        generation_prompts=2,
        max_new_tokens=8,
        probe_limit=2,
        probe_items=8,
        probe_max_gen_toks=4,
        judge_prompts=4,
        judge_max_new_tokens=6,
        reward_pairs=8,
        judge_validation_pairs=12,
        judge_pi1_prompts=4,
        reward_model=RewardModelConfig(batch_size=4, micro_batch_size=2, max_length=64),
        dpo=DPOStageConfig(
            batch_size=4, micro_batch_size=2, max_length=96, max_steps=2, save_steps=1, lr=1e-3
        ),
        train=train_profile("tiny", epochs=1),
    ),
    "smol": Experiment(
        profile="smol",
        base=PROFILE_BASES["smol"],
        helpful_source=_hh("helpful"),
        harmless_source=_hh("harmless"),
        helpful_pairs=48,
        harmless_pairs=160,
        eval_pairs=64,
        kl_pairs=16,
        generation_prompts=8,
        max_new_tokens=96,
        # sized for the 20-minute demo on a 2-core CPU (estimates, see docs/pipeline.md); the
        # reward models are trained on the first run only (cached by data hash)
        probe_limit=12,
        probe_max_gen_toks=48,
        judge_prompts=64,
        judge_max_new_tokens=64,
        # the judges: every judge-mini train pair, 3 epochs, LoRA on every layer. The earlier
        # 128 pairs / 1 epoch / top 4 layers ranked the held-out family below chance (0.34) and
        # failed validation; this setting passed every harmless check on smol
        # (docs/experiments/judges.md). Trained once per pi1 (cached), about 35 min on a busy
        # 2-core CPU: the first demo on a fresh cache pays for it
        reward_pairs=None,
        reward_model=RewardModelConfig(epochs=3.0, lora_layers=0, max_length=192),
        dpo=DPOStageConfig(batch_size=8, micro_batch_size=2, max_length=256, save_steps=2),
        train=train_profile("smol"),
        # the steering recipe (qadapter/config.py, docs/experiments/steering.md): pi1's own
        # 32-token greedy replies as the rejected side, 160 helpful pairs mixed in; measured
        # with this flow on 2026-11-27: 75.8% +- 7.5 of risky prompts declined, 88.2% +- 5.5 of
        # helpful ones answered (held-out study prompts). rejected="data" and mix=[] on a run
        # give the plain method.
        rejected="onpolicy",
        onpolicy_tokens=32,
        mix=(_hh("helpful"),),
        mix_pairs=160,
    ),
    "paper": Experiment(
        profile="paper",
        base=PROFILE_BASES["paper"],
        helpful_source="hf://Anthropic/hh-rlhf?data_dir=helpful-base",
        harmless_source="hf://Anthropic/hh-rlhf?data_dir=harmless-base",
        eval_pairs=512,
        kl_pairs=64,
        generation_prompts=128,
        max_new_tokens=256,
        judge_prompts=256,
        judge_max_new_tokens=256,
        dpo=DPOStageConfig(
            batch_size=64, micro_batch_size=1, max_length=512, save_steps=50, bf16=True
        ),
        train=train_profile("paper", checkpoint_every=20),
    ),
}


def experiment(name: str, **overrides) -> Experiment:
    """A profile with non-None overrides; training fields (alpha0, ...) go into ``train``.

    The recipe's parts are switched off by value, never by a sentinel: ``rejected="data"`` trains
    on the source's own rejected answers, ``mix=[]`` mixes nothing in.
    """
    if name not in EXPERIMENTS:
        raise ConfigError(
            f"unknown profile {name!r}; choose one of {', '.join(sorted(EXPERIMENTS))}"
        )
    cfg = EXPERIMENTS[name]
    own = {f.name for f in fields(Experiment)}
    mine = {k: v for k, v in overrides.items() if k in own and v is not None}
    rest = {k: v for k, v in overrides.items() if k not in own and v is not None}
    return replace(cfg, train=cfg.train.with_overrides(**rest), **mine)


def judge_data(cfg: Experiment) -> dict:
    """Per subset (harmless, helpful): the judge's train pairs, its validation pairs, and the
    held-out test pairs whose prompts are judged.

    Test pairs: ``max(judge_prompts, eval_pairs)`` of the customization source's test split; the
    first ``judge_prompts`` distinct prompts among them are judged. Train and validation pairs
    come from ``judge_source`` (its train and held-out splits), else from the source's own
    train and test splits (then the judge is validated on pairs of the same generator).
    """
    from qadapter.stages import stage_data

    n_test = max(cfg.judge_prompts, cfg.eval_pairs or 0)
    seed = cfg.train.seed
    out = {}
    for subset, source in (("harmless", cfg.harmless_source), ("helpful", cfg.helpful_source)):
        judged = stage_data(source, cfg.reward_pairs, n_test, seed)
        if cfg.judge_source is None:
            own = {"train": judged["train"], "test": judged["test"]}
        else:
            own = stage_data(
                f"{cfg.judge_source.rstrip('/')}/{subset}",
                cfg.reward_pairs,
                cfg.judge_validation_pairs,
                seed,
            )
        out[subset] = {
            **judged,
            "train": own["train"],
            "train_hash": dataset_hash(own["train"]),
            "validation": own["test"],
            "validation_hash": dataset_hash(own["test"]) if own["test"] else None,
        }
    return out


def data_hashes(cfg: Experiment) -> dict:
    """Content hashes of exactly the pairs each stage will use: the stages' cache keys."""
    from qadapter.stages import stage_data

    helpful = (
        None
        if cfg.skip_base_stage
        else stage_data(cfg.helpful_source, cfg.helpful_pairs, 0, cfg.dpo.seed)
    )
    harmless = stage_data(cfg.harmless_source, cfg.harmless_pairs, cfg.eval_pairs, cfg.train.seed)
    judged = judge_data(cfg)
    mix = (
        {"mix": [stage_data(s, cfg.mix_pairs, 0, cfg.train.seed)["train_hash"] for s in cfg.mix]}
        if cfg.mix
        else {}  # absent, not None: plain runs keep the cache keys they always had
    )
    return {
        **mix,
        "helpful": helpful["train_hash"] if helpful else None,
        "harmless": harmless["train_hash"],
        "harmless_test": harmless["test_hash"],
        **{
            f"judge_{subset}_{part}": d[f"{part}_hash"]
            for subset, d in judged.items()
            for part in ("train", "test", "validation")
        },
    }


def baseline_config(cfg: Experiment, method: str):
    """The compare flow's settings for a baseline on ``cfg``'s profile (None: nothing to set).

    Same LoRA size as Q-Adapter (the baselines' defaults); sizes per profile: ``tiny`` a few
    steps, ``smol`` one epoch (RL: 20 RLOO steps), ``paper`` the library defaults.
    """
    from qadapter.baselines import RLBaselineConfig, SFTBaselineConfig
    from qadapter.tqstar import TQStarConfig

    tiny = cfg.profile == "tiny"
    if method == "sft":
        return SFTBaselineConfig(
            **(
                dict(lr=1e-2, batch_size=4, micro_batch_size=2, max_length=96, max_steps=2)
                if tiny
                else {}
            )
        )
    if method == "dpo":
        small = dict(
            lr=5e-3, batch_size=4, micro_batch_size=2, max_length=96, max_steps=2, save_steps=1
        )
        return DPOStageConfig(**(small if tiny else {}))
    if method == "rl":
        if tiny:
            return RLBaselineConfig(
                lr=1e-2,
                num_generations=2,
                prompts_per_step=2,
                micro_batch_size=4,
                max_completion_length=4,
                max_steps=1,
            )
        return RLBaselineConfig(max_steps=20 if cfg.profile == "smol" else -1)
    if method == "tqstar":
        return TQStarConfig(
            k=2 if tiny else 4, rollout=2 if tiny else 4, max_new_tokens=cfg.judge_max_new_tokens
        )
    return None
