"""Training configuration: one frozen dataclass, and the named profiles defined once.

Defaults are the paper's Table 3 (appendix C). Profiles:

* ``paper``: Table 3 as printed (batch 512 through gradient accumulation, 3 epochs, T = 512) for a
  CUDA machine: bf16 compute, 8-bit base, gradient checkpointing.
* ``smol``: the embedded SmolLM2-135M on a 2-core CPU: the same alpha0, alpha_tilde, beta, gamma
  and learning rate, but effective batch 8, 1 epoch and max length 256 so that a few hundred pairs
  train in minutes. fp32 (bf16 matmuls are slow on most CPUs).
* ``tiny``: the random tiny model of the tests: small batches and sequences.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace

from .adapter import AdapterConfig


@dataclass(frozen=True)
class TrainConfig:
    # --- the method (eq. 6 and 9) ---
    alpha0: float = 1.0  # weight of log pi1 (= lambda * alpha1); smaller = follow new preferences more
    alpha_tilde: float = 0.1  # entropy weight / temperature of the customized policy
    beta: float = 0.1  # weight of the L2 regulariser psi on implied rewards
    gamma: float = 0.99  # discount inside the implied-reward operator T
    reg_reduction: str = "mean"  # "mean" over scored tokens of a pair, or "sum" (eq. 9's psi exactly)
    # --- the adapter ---
    adapter: AdapterConfig = AdapterConfig()
    # --- optimisation ---
    lr: float = 3e-4  # AdamW learning rate, linear decay to 0
    warmup_steps: int = 0  # linear warm-up (optimizer steps)
    weight_decay: float = 0.0
    grad_clip: float = 1.0  # max gradient norm; 0 disables clipping
    epochs: int = 3
    batch_size: int = 512  # preference pairs per optimizer step (effective batch)
    micro_batch_size: int = 1  # pairs per forward pass; batch_size / micro_batch_size accumulation steps
    max_steps: int | None = None  # stop early after this many optimizer steps
    max_length: int = 512  # T: tokens of prompt + response per sequence
    max_prompt_length: int | None = None  # default max_length // 2 (see data/tokenize.py)
    seed: int = 0
    # --- checkpoints ---
    checkpoint_every: int = 0  # optimizer steps between checkpoints; 0: none until the end
    keep_checkpoints: int = 2  # newest checkpoints kept on disk
    # --- compute ---
    precision: str = "fp32"  # "fp32", or "bf16" (CUDA)
    load_in_8bit: bool = False  # 8-bit base through bitsandbytes (CUDA)
    gradient_checkpointing: bool = False
    chunk: int = 256  # positions per chunk of vocabulary-sized tensors

    def __post_init__(self) -> None:
        if self.batch_size % self.micro_batch_size:
            raise ValueError(f"batch_size ({self.batch_size}) must be a multiple of micro_batch_size ({self.micro_batch_size})")
        if self.alpha_tilde <= 0:
            raise ValueError(f"alpha_tilde must be > 0, got {self.alpha_tilde}")
        if not 0 <= self.gamma <= 1:
            raise ValueError(f"gamma must be in [0, 1], got {self.gamma}")
        if self.precision not in ("fp32", "bf16"):
            raise ValueError(f"precision must be 'fp32' or 'bf16', got {self.precision!r}")

    @property
    def accumulation_steps(self) -> int:
        return self.batch_size // self.micro_batch_size

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "TrainConfig":
        d = dict(d)
        if isinstance(d.get("adapter"), dict):
            d["adapter"] = AdapterConfig(**d["adapter"])
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


PROFILES: dict[str, TrainConfig] = {
    "paper": TrainConfig(precision="bf16", load_in_8bit=True, gradient_checkpointing=True),
    "smol": TrainConfig(epochs=1, batch_size=8, micro_batch_size=4, max_length=256, checkpoint_every=10),
    "tiny": TrainConfig(epochs=2, batch_size=4, micro_batch_size=2, max_length=96, lr=3e-3, checkpoint_every=2),
}

PROFILE_BASES = {"paper": "meta-llama/Llama-3.1-8B-Instruct", "smol": "smollm2-135m-instruct", "tiny": "tiny"}


def profile(name: str, **overrides) -> TrainConfig:
    if name not in PROFILES:
        raise ValueError(f"unknown profile {name!r}; choose one of {sorted(PROFILES)}")
    return replace(PROFILES[name], **{k: v for k, v in overrides.items() if v is not None})
