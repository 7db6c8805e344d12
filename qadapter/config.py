"""Configuration: frozen dataclasses with ranges and help, and the named profiles (defined once).

* :class:`MethodConfig`: the method's hyper-parameters (eq. 6 and 9). Decoding, evaluation and
  ``qadapter.json`` need exactly these.
* :class:`AdapterConfig`: the Q network's shape (head, LoRA rank, scaling, dropout).
* :class:`TrainConfig`: a ``MethodConfig`` plus optimisation, checkpoint and compute settings.

Every field carries ``metadata``: ``help`` (the CLI help string; ``qadapter.cli`` generates its
flags from it) and its valid range. :func:`check_fields` validates an instance in
``__post_init__``, so the CLI, the flows and the Python API reject the same values with the same
message, before anything is loaded.

Defaults are the paper's Table 3 (appendix C). Profiles (``PROFILES``):

* ``paper``: Table 3 as printed (batch 512 through gradient accumulation, 3 epochs, T = 512) for a
  CUDA machine: bf16 compute, 8-bit base, gradient checkpointing.
* ``smol``: the embedded SmolLM2-135M on a CPU: alpha0 = alpha_tilde = 0.1, the chosen answers'
  NLL under pi~ with weight 1 (``chosen_nll``, beyond the paper), AdamW 1e-3, 2 epochs, effective
  batch 8, T = 80 with prompts cut to 56 tokens, fp32 (bf16 matmuls are slow on most CPUs); beta
  and gamma stay Table 3's. These are the values of the steering recipe, meant to be trained on
  on-policy data: the rejected side of each harmless pair replaced by pi1's own greedy reply and
  the helpful pairs mixed in (``qadapter train --onpolicy --mix data/hh-mini/helpful``; the
  pipeline's ``smol`` experiment does both by default). What they measured:
  docs/experiments/smol-recipe.md. The paper's values are the ``paper`` profile; the former smol
  values (Table 3's method with batch 8, 1 epoch, T = 256) are :data:`FORMER_SMOL`, on the command
  line ``--alpha0 1 --lr 3e-4 --epochs 1 --max-length 256 --max-prompt-length 128 --chosen-nll 0``.
* ``tiny``: the random tiny model of the tests: small batches and sequences.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from .errors import QAdapterError
from .loss import HEADS, REG_REDUCTIONS

BIG = 10**9  # upper bound of counts (steps, tokens, pairs): beyond it a value is a typo


class ConfigError(QAdapterError, ValueError):
    """A configuration value is out of its range or of the wrong type; the message names it."""


def setting(default: Any, help: str, *, lo=None, hi=None, lo_open=False, choices=None, cli=True):
    """A dataclass field with its help and range: ``lo <= v <= hi`` (``lo < v`` when lo_open)."""
    meta = {"help": help, "lo": lo, "hi": hi, "lo_open": lo_open, "choices": choices, "cli": cli}
    return field(default=default, metadata=meta)


def _rule(meta: dict) -> str:
    lo, hi = meta["lo"], meta["hi"]
    if lo is not None and hi is not None:
        return f"in {'(' if meta['lo_open'] else '['}{lo:g}, {hi:g}]"
    if lo is not None:
        return f"{'>' if meta['lo_open'] else '>='} {lo:g}"
    return f"<= {hi:g}"


def check_value(name: str, value: Any, meta: dict, default: Any) -> None:
    """Raise :class:`ConfigError` unless ``value`` fits the type of ``default`` and the range."""
    if value is None:
        if default is None:
            return
        raise ConfigError(f"{name} must be set (default {default!r})")
    if meta.get("choices") is not None:
        if value not in meta["choices"]:
            raise ConfigError(f"{name} must be one of {', '.join(meta['choices'])}; got {value!r}")
        return
    kind = type(default) if default is not None else (float if meta.get("float") else int)
    if kind is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{name} must be true or false; got {value!r}")
        return
    if kind in (int, float):
        numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
        if not numeric or (kind is int and not float(value).is_integer()):
            raise ConfigError(
                f"{name} must be {'an integer' if kind is int else 'a number'}; got {value!r}"
            )
        if not math.isfinite(value):
            raise ConfigError(f"{name} must be a finite number; got {value!r}")
        lo, hi = meta.get("lo"), meta.get("hi")
        below = lo is not None and (value <= lo if meta.get("lo_open") else value < lo)
        if below or (hi is not None and value > hi):
            raise ConfigError(f"{name} must be {_rule(meta)}; got {value!r}")
        return
    if not isinstance(value, kind):
        raise ConfigError(f"{name} must be a {kind.__name__}; got {value!r}")


def check_fields(obj, skip: frozenset[str] = frozenset()) -> None:
    """Validate every field of a config dataclass instance (but ``skip``) against its metadata."""
    for f in fields(obj):
        if f.metadata and f.name not in skip:
            default = f.default if f.default is not None else None
            check_value(f.name, getattr(obj, f.name), f.metadata, default)


@dataclass(frozen=True)
class MethodConfig:
    """Q-Adapter's hyper-parameters: what training, decoding and ``qadapter.json`` share."""

    # weight of log pi1 (= lambda * alpha1); smaller = follow the new preferences more
    alpha0: float = setting(1.0, "weight of log pi1 in eq. 6", lo=0.0, hi=1e4)
    # entropy weight / temperature of the customized policy
    alpha_tilde: float = setting(0.1, "temperature of eq. 6 (> 0)", lo=0.0, hi=1e4, lo_open=True)
    # weight of the L2 regulariser psi on implied rewards
    beta: float = setting(0.1, "weight of the L2 regulariser of eq. 9", lo=0.0, hi=1e4)
    # discount inside the implied-reward operator T
    gamma: float = setting(0.99, "discount in the implied rewards", lo=0.0, hi=1.0)
    head: str = setting(
        "residual", "Q head: residual (Q = adapter - base logits) or logits", choices=HEADS
    )
    # "mean" over scored tokens of a pair, or "sum" (eq. 9's psi exactly)
    reg_reduction: str = setting(
        "mean", "regulariser: token mean or eq. 9's sum", choices=REG_REDUCTIONS
    )
    # beyond the paper: weight of the mean negative log-likelihood of the chosen response under
    # the customized policy pi~, added to eq. 9 as RPO adds it to DPO. 0 = eq. 9 exactly. Why it
    # exists: docs/experiments/steering.md section 8.
    chosen_nll: float = setting(
        0.0, "weight of the chosen response's NLL under pi~ (0 = eq. 9 only)", lo=0.0, hi=1e4
    )

    def __post_init__(self) -> None:
        check_fields(self)

    @classmethod
    def from_meta(cls, meta: dict, **overrides) -> "MethodConfig":
        """The method of a ``qadapter.json`` record, with non-None ``overrides``."""
        names = {f.name for f in fields(cls)}
        values = {k: v for k, v in meta.items() if k in names and v is not None}
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


@dataclass(frozen=True)
class AdapterConfig:
    """The Q network: head and LoRA shape (paper appendix C)."""

    head: str = setting("residual", "Q head (see qadapter.adapter)", choices=HEADS, cli=False)
    lora_r: int = setting(16, "LoRA rank", lo=1, hi=4096)
    lora_alpha: int = setting(16, "LoRA scaling numerator (appendix C: 16)", lo=1, hi=10**6)
    lora_dropout: float = setting(0.05, "LoRA dropout", lo=0.0, hi=0.99)
    target_modules: str = setting("all-linear", "LoRA targets", cli=False)
    # the layers below the lowest LoRA layer are shared by base and adapter at decoding time
    lora_layers: int = setting(0, "LoRA on the top N decoder layers only; 0: all", lo=0, hi=10**6)

    def __post_init__(self) -> None:
        check_fields(self)


@dataclass(frozen=True)
class TrainConfig:
    method: MethodConfig = MethodConfig()
    # --- the adapter (the head is the method's) ---
    lora_r: int = setting(16, "LoRA rank", lo=1, hi=4096)
    lora_alpha: int = setting(16, "LoRA alpha (scaling numerator)", lo=1, hi=10**6)
    lora_dropout: float = setting(0.05, "LoRA dropout", lo=0.0, hi=0.99)
    lora_layers: int = setting(0, "LoRA on the top N decoder layers only; 0: all", lo=0, hi=10**6)
    # --- optimisation ---
    lr: float = setting(3e-4, "AdamW learning rate (decays to 0)", lo=0.0, hi=1.0, lo_open=True)
    warmup_steps: int = setting(0, "linear warm-up steps", lo=0, hi=BIG)
    weight_decay: float = setting(0.0, "AdamW weight decay", lo=0.0, hi=10.0)
    grad_clip: float = setting(1.0, "max gradient norm; 0 disables clipping", lo=0.0, hi=1e6)
    epochs: int = setting(3, "passes over the data", lo=1, hi=10**5)
    batch_size: int = setting(512, "pairs per optimizer step (effective batch)", lo=1, hi=BIG)
    micro_batch_size: int = setting(1, "pairs per forward pass", lo=1, hi=BIG)
    max_steps: int | None = setting(None, "stop after this many optimizer steps", lo=1, hi=BIG)
    max_length: int = setting(512, "max tokens per prompt + response (T)", lo=8, hi=10**7)
    max_prompt_length: int | None = setting(
        None, "max prompt tokens (default max_length // 2)", lo=1, hi=10**7
    )
    seed: int = setting(0, "random seed", lo=0, hi=2**32 - 1)
    # --- checkpoints ---
    checkpoint_every: int = setting(0, "steps between checkpoints (0: none)", lo=0, hi=BIG)
    keep_checkpoints: int = setting(2, "newest checkpoints kept on disk", lo=1, hi=1000)
    # --- compute ---
    precision: str = setting("fp32", "precision (bf16: CUDA)", choices=("fp32", "bf16"))
    load_in_8bit: bool = setting(False, "8-bit base through bitsandbytes (CUDA)", cli=False)
    gradient_checkpointing: bool = setting(False, "recompute activations in backward")
    chunk: int = setting(256, "positions per chunk of vocabulary-sized tensors", lo=1, hi=10**7)

    def __post_init__(self) -> None:
        if isinstance(self.method, dict):
            object.__setattr__(self, "method", MethodConfig(**self.method))
        check_fields(self)
        if self.batch_size % self.micro_batch_size:
            raise ConfigError(
                f"batch_size ({self.batch_size}) must be a multiple of micro_batch_size "
                f"({self.micro_batch_size})"
            )
        if self.max_prompt_length is not None and self.max_prompt_length >= self.max_length:
            raise ConfigError(  # was found only when tokenizing, inside the training ranks
                f"max_prompt_length ({self.max_prompt_length}) must be below max_length "
                f"({self.max_length}): the response needs room; lower --max-prompt-length or "
                "raise --max-length"
            )

    # read-only views, so call sites say cfg.alpha0 rather than cfg.method.alpha0
    alpha0 = property(lambda self: self.method.alpha0)
    alpha_tilde = property(lambda self: self.method.alpha_tilde)
    beta = property(lambda self: self.method.beta)
    gamma = property(lambda self: self.method.gamma)
    reg_reduction = property(lambda self: self.method.reg_reduction)
    chosen_nll = property(lambda self: self.method.chosen_nll)

    @property
    def adapter(self) -> AdapterConfig:
        """The Q network this configuration trains."""
        return AdapterConfig(
            head=self.method.head,
            lora_r=self.lora_r,
            lora_alpha=self.lora_alpha,
            lora_dropout=self.lora_dropout,
            lora_layers=self.lora_layers,
        )

    def to_dict(self) -> dict:
        return asdict(self)

    def with_overrides(self, **overrides) -> "TrainConfig":
        """A copy with non-None overrides; method fields (alpha0, head, ...) go into ``method``."""
        overrides = {k: v for k, v in overrides.items() if v is not None}
        method_names = {f.name for f in fields(MethodConfig)}
        method = {k: overrides.pop(k) for k in list(overrides) if k in method_names}
        names = {f.name for f in fields(TrainConfig)}
        unknown = sorted(set(overrides) - names)
        if unknown:
            raise ConfigError(f"unknown training setting(s): {', '.join(unknown)}")
        return replace(self, method=replace(self.method, **method), **overrides)

    @classmethod
    def from_dict(cls, d: dict) -> "TrainConfig":
        """Inverse of :meth:`to_dict`; also reads the flat layout of older ``qadapter.json``."""
        d = dict(d)
        method = d.pop("method", None) or {}
        adapter = d.pop("adapter", None) or {}
        flat = {k: d.pop(k) for k in list(d) if k in {f.name for f in fields(MethodConfig)}}
        keys = ("lora_r", "lora_alpha", "lora_dropout", "lora_layers")
        lora = {k: adapter[k] for k in keys if k in adapter}
        if "head" in adapter:
            flat.setdefault("head", adapter["head"])
        names = {f.name for f in fields(cls)}
        kept = {k: v for k, v in {**lora, **d}.items() if k in names}
        return cls(method=MethodConfig(**{**method, **flat}), **kept)


def cli_fields(cls) -> list:
    """The fields of a config dataclass that become command-line flags (``metadata['cli']``)."""
    return [f for f in fields(cls) if f.metadata and f.metadata.get("cli", True)]


PAPER_BASE = "meta-llama/Llama-3.1-8B-Instruct"

PROFILES: dict[str, TrainConfig] = {
    "paper": TrainConfig(precision="bf16", load_in_8bit=True, gradient_checkpointing=True),
    "smol": TrainConfig(  # the steering recipe's values (module docstring)
        method=MethodConfig(alpha0=0.1, alpha_tilde=0.1, chosen_nll=1.0),
        lr=1e-3,
        epochs=2,
        batch_size=8,
        micro_batch_size=4,
        max_length=80,
        max_prompt_length=56,
        checkpoint_every=5,
    ),
    "tiny": TrainConfig(
        epochs=2, batch_size=4, micro_batch_size=2, max_length=96, lr=3e-3, checkpoint_every=2
    ),
}

# The smol profile's former values (Table 3's method at CPU scale, before the steering recipe
# became its default): scripts that reproduce earlier measurements (benchmarks, the steering
# study's first sections) train with ``profile("smol", **FORMER_SMOL)``.
FORMER_SMOL: dict[str, Any] = dict(
    alpha0=1.0, lr=3e-4, epochs=1, max_length=256, max_prompt_length=128, chosen_nll=0.0
)

PROFILE_BASES = {"paper": PAPER_BASE, "smol": "smollm2-135m-instruct", "tiny": "tiny"}


def profile(name: str, **overrides) -> TrainConfig:
    """A named profile with non-None overrides (method fields included: ``alpha0=0.5``)."""
    if name not in PROFILES:
        raise ConfigError(f"unknown profile {name!r}; choose one of {', '.join(sorted(PROFILES))}")
    return PROFILES[name].with_overrides(**overrides)
