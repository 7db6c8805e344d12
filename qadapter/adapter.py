"""The Q-network: a frozen base pi1 plus a LoRA-adapted network whose output is the residual Q.

Q-head parameterizations (``AdapterConfig.head``):

* ``residual`` (default): Q(s, .) = adapter logits - base logits. At initialisation (LoRA B = 0)
  Q = 0 and the customized policy is pi1^(alpha0/alpha_tilde) renormalised, i.e. pi1 itself when
  alpha0 = alpha_tilde. The adapter learns only the change.
* ``logits``: Q(s, .) = adapter logits, as the reference implementation does. At initialisation
  the customized policy is softmax((1 + alpha0) / alpha_tilde * base logits): a sharpened pi1.

The Q head is the network's own (frozen, weight-tied) output layer: PEFT's ``all-linear`` target
excludes it, and a trainable V x H head would add 28M parameters for SmolLM2 (525M for Llama-3-8B)
to the ~5M of the LoRA, which the paper's 6M-parameter count rules out.

Q can also come from a separate, smaller model that shares the tokenizer (paper, section 3), with
LoRA on it; only the ``logits`` head is offered there (a residual would need a third pass).
The base pass always runs under ``torch.no_grad()``; base weights are never updated.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
from peft import LoraConfig, PeftModel, get_peft_model
from torch.utils.checkpoint import checkpoint

HEADS = ("residual", "logits")
META_FILE = "qadapter.json"
META_VERSION = 1


class AdapterError(Exception):
    """An adapter directory is missing, malformed, or does not match the loaded base."""


@dataclass(frozen=True)
class AdapterConfig:
    head: str = "residual"  # "residual" or "logits" (module docstring)
    lora_r: int = 16  # LoRA rank (paper appendix C)
    lora_alpha: int = 16  # LoRA scaling numerator (appendix C: "scaling of 16")
    lora_dropout: float = 0.05  # appendix C
    target_modules: str = "all-linear"  # every linear layer but the output head (appendix C)

    def __post_init__(self) -> None:
        if self.head not in HEADS:
            raise ValueError(f"head must be one of {HEADS}, got {self.head!r}")


def lora_config(cfg: AdapterConfig) -> LoraConfig:
    return LoraConfig(
        r=cfg.lora_r,
        lora_alpha=cfg.lora_alpha,
        lora_dropout=cfg.lora_dropout,
        target_modules=cfg.target_modules,
        bias="none",
        task_type="CAUSAL_LM",
    )


def _backbone(lm):
    """The transformer body of a causal LM (hidden states without the LM head)."""
    return lm.get_decoder()


def _terms_chunk(h_q, h_b, actions, q_head, base_head, residual: bool, alpha0: float, alpha_tilde: float):
    """Q(s, a) of the taken actions and V(s) for n states.   h_q, h_b: (n, H); actions: (n,)."""
    with torch.no_grad():
        base_logits = base_head(h_b).float()  # (n, V)
        base_lp = base_logits - torch.logsumexp(base_logits, dim=-1, keepdim=True)  # log pi1, (n, V)
    q = q_head(h_q).float()  # (n, V)
    if residual:
        q = q - base_logits
    z = (q + alpha0 * base_lp) / alpha_tilde  # eq. 6 logits, (n, V)
    values = alpha_tilde * torch.logsumexp(z, dim=-1)  # V(s), (n,)
    q_taken = q.gather(-1, actions.unsqueeze(-1)).squeeze(-1)  # (n,)
    return q_taken, values


class QAdapter(torch.nn.Module):
    """Frozen base pi1 + trainable Q network. ``self.qnet`` is a PeftModel."""

    def __init__(self, base_model, config: AdapterConfig, q_model=None, qnet: PeftModel | None = None, seed: int = 0):
        super().__init__()
        self.config = config
        self.shared = q_model is None
        for p in base_model.parameters():
            p.requires_grad_(False)
        if not self.shared:
            if config.head != "logits":
                raise AdapterError("a separate Q model supports head='logits' only; pass --head logits")
            if q_model.get_output_embeddings().weight.shape[0] != base_model.get_output_embeddings().weight.shape[0]:
                raise AdapterError("the Q model's vocabulary differs from the base's; they must share a tokenizer")
        if qnet is None:
            with torch.random.fork_rng(devices=[]):  # LoRA A init depends on the seed alone
                torch.manual_seed(seed)
                qnet = get_peft_model(base_model if self.shared else q_model, lora_config(config))
        self.qnet = qnet
        # Registered outside the module tree on purpose: in shared mode it is the same object
        # that qnet wraps, and we must not count or save its parameters twice.
        object.__setattr__(self, "base_model", base_model)

    # ---- passes -------------------------------------------------------------------------------

    def _q_lm(self):
        return self.qnet.get_base_model()

    def base_hidden(self, input_ids, attention_mask):
        """Hidden states of pi1, (B, L, H), without gradients."""
        with torch.no_grad():
            if self.shared:
                with self.qnet.disable_adapter():
                    return _backbone(self._q_lm())(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            return _backbone(self.base_model)(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    def q_hidden(self, input_ids, attention_mask):
        """Hidden states of the Q network, (B, L, H), with gradients to the LoRA weights."""
        return _backbone(self._q_lm())(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    @property
    def base_head(self):
        return self.base_model.get_output_embeddings()

    @property
    def q_head(self):
        return self._q_lm().get_output_embeddings()

    def response_terms(self, input_ids, attention_mask, actions, action_mask, *, alpha0, alpha_tilde, chunk=256, checkpoint_chunks=True):
        """Q(s_t, a_t) and V(s_t), (B, L) each, computed only where ``action_mask`` is True.

        These are all positions eq. 9 needs: Q at every scored action and V(s_{t+1}) only when the
        action at t+1 is scored too. Vocabulary-sized tensors exist for one chunk of positions at
        a time; with ``checkpoint_chunks`` they are recomputed in backward instead of stored.
        """
        h_b = self.base_hidden(input_ids, attention_mask)  # (B, L, H)
        h_q = self.q_hidden(input_ids, attention_mask)  # (B, L, H)
        idx = action_mask.nonzero(as_tuple=True)
        hq, hb, act = h_q[idx], h_b[idx], actions[idx]  # (N, H), (N, H), (N,)
        residual = self.config.head == "residual"
        q_parts, v_parts = [], []
        for i in range(0, hq.shape[0], chunk):
            args = (hq[i : i + chunk], hb[i : i + chunk], act[i : i + chunk], self.q_head, self.base_head, residual, alpha0, alpha_tilde)
            if checkpoint_chunks and torch.is_grad_enabled():
                q_t, v_t = checkpoint(_terms_chunk, *args, use_reentrant=False)
            else:
                q_t, v_t = _terms_chunk(*args)
            q_parts.append(q_t)
            v_parts.append(v_t)
        q_taken = torch.zeros(action_mask.shape, dtype=torch.float32, device=hq.device)
        values = torch.zeros(action_mask.shape, dtype=torch.float32, device=hq.device)
        if q_parts:
            q_taken = q_taken.index_put(idx, torch.cat(q_parts))
            values = values.index_put(idx, torch.cat(v_parts))
        return q_taken, values

    def full_outputs(self, input_ids, attention_mask):
        """Q values and log pi1 at every position, (B, L, V) each (tests and evaluation)."""
        with torch.no_grad():
            base_logits = self.base_head(self.base_hidden(input_ids, attention_mask)).float()
        q = self.q_head(self.q_hidden(input_ids, attention_mask)).float()
        if self.config.head == "residual":
            q = q - base_logits
        return q, torch.log_softmax(base_logits, dim=-1)

    def trainable_parameters(self):
        return [p for p in self.qnet.parameters() if p.requires_grad]


# ---- saving and loading ---------------------------------------------------------------------


def save_adapter(model: QAdapter, directory: str | Path, meta: dict) -> Path:
    """Write the PEFT adapter (safetensors) and ``qadapter.json`` (hyper-parameters, lineage)."""
    directory = Path(directory)
    model.qnet.save_pretrained(directory, safe_serialization=True)
    record = {"format_version": META_VERSION, "head": model.config.head, "adapter": asdict(model.config), **meta}
    (directory / META_FILE).write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
    return directory


def read_meta(directory: str | Path) -> dict:
    path = Path(directory) / META_FILE
    if not path.is_file():
        raise AdapterError(f"{directory}: no {META_FILE}; is this a qadapter output directory?")
    try:
        meta = json.loads(path.read_text())
    except json.JSONDecodeError as e:
        raise AdapterError(f"{path}:{e.lineno}: invalid JSON ({e.msg}); restore the file from the training run") from None
    for key in ("alpha0", "alpha_tilde", "gamma", "head", "base_model", "base_hash"):
        if key not in meta:
            raise AdapterError(f"{path}: field {key!r} is missing; the adapter was not written by qadapter")
    return meta


def check_base(meta: dict, base_hash: str, where: str) -> None:
    if meta["base_hash"] != base_hash:
        raise AdapterError(
            f"{where}: adapter was trained on base {meta['base_model']!r} with content hash "
            f"{meta['base_hash'][:12]}, but the loaded base hashes to {base_hash[:12]}; load the same base"
        )


def load_adapter(directory: str | Path, base_model, base_hash: str, *, q_model=None, trainable: bool = False) -> tuple[QAdapter, dict]:
    """Rebuild a :class:`QAdapter` from a directory written by :func:`save_adapter`."""
    meta = read_meta(directory)
    check_base(meta, base_hash, str(directory))
    cfg = AdapterConfig(**meta["adapter"])
    target = base_model if q_model is None else q_model
    qnet = PeftModel.from_pretrained(target, str(directory), is_trainable=trainable)
    return QAdapter(base_model, cfg, q_model=q_model, qnet=qnet), meta
