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

Stacking (``qadapter.stack``): with ``parent=Stack(...)`` the frozen stack below takes the base's
place. The base pass then returns the hidden states of every stack level (one forward of
``depth + 1`` row groups over the shared weights) and the chunk functions read ``log pi^(k-1)``
through the stack instead of ``log pi1``; the residual head still subtracts the base network's
logits. Nothing in the training loop changes. ``save_adapter`` records the parent's reference and
content hash; ``load_adapter`` loads and verifies the lineage.
"""

from __future__ import annotations

from pathlib import Path

import torch
from peft import LoraConfig, PeftModel, get_peft_model
from torch.utils.checkpoint import checkpoint

from .config import AdapterConfig
from .data.tokenize import position_ids
from .filemode import follow_umask
from .loss import HEADS, base_logprobs_from_logits, q_from_logits, soft_value, taken
from .meta import (
    META_FILE,
    META_VERSION,
    AdapterError,
    adapter_hash,
    check_adapter_files,
    check_base,
    read_meta,
    reference_scheme,
    resolve_parent,
    verified_lineage,
    write_meta,
)

__all__ = [
    "HEADS", "META_FILE", "AdapterConfig", "AdapterError", "QAdapter", "check_adapter_files",
    "check_base", "load_adapter", "lora_config", "read_meta", "save_adapter",
]  # fmt: skip


def top_layers(model, k: int) -> dict:
    """PEFT settings that put LoRA on every linear layer of the top ``k`` decoder layers only:
    ``{target_modules, layers_to_transform, layers_pattern}`` (PEFT needs the linear layers'
    names, not "all-linear", to restrict layers). 0 < k < the model's layer count."""
    n = model.config.num_hidden_layers
    linear = {
        name.rsplit(".", 1)[-1]
        for name, mod in model.named_modules()
        if isinstance(mod, torch.nn.Linear) and ".layers." in name
    }
    return dict(
        target_modules=sorted(linear),
        layers_to_transform=list(range(n - k, n)),
        layers_pattern="layers",
    )


def lora_config(cfg: AdapterConfig, model=None) -> LoraConfig:
    """The PEFT LoRA configuration of an adapter shape (also used by the DPO stage).

    ``cfg.lora_layers`` = k > 0 puts the LoRA on the top k decoder layers of ``model`` only; 0,
    or k = the model's layer count, is ``cfg.target_modules`` on every layer (the same
    configuration either way).
    """
    targets: dict = dict(target_modules=cfg.target_modules)
    if cfg.lora_layers:
        if model is None:
            raise ValueError("lora_config: lora_layers > 0 needs the model (its layer count)")
        n = model.config.num_hidden_layers
        if cfg.lora_layers > n:
            raise AdapterError(
                f"lora_layers={cfg.lora_layers}, but the base has {n} decoder layers; "
                f"pass 1..{n}, or 0 for all layers"
            )
        if cfg.lora_layers < n:
            targets = top_layers(model, cfg.lora_layers)
    return LoraConfig(
        r=cfg.lora_r,
        lora_alpha=cfg.lora_alpha,
        lora_dropout=cfg.lora_dropout,
        bias="none",
        task_type="CAUSAL_LM",
        **targets,
    )


def _backbone(lm):
    """The transformer body of a causal LM (hidden states without the LM head)."""
    return lm.get_decoder()


def _terms_chunk(
    h_q, h_f, actions, q_head, frozen_policy, head: str, alpha0: float, alpha_tilde: float
):
    """Q(s, a) of the taken actions, V(s) and log pi^(k-1)(a|s) of the taken actions for n states.

    h_q: (n, H) adapter hidden states; h_f: (G, n, H) the frozen levels' (G = 1 without a
    parent); actions: (n,). ``frozen_policy(h_f)`` -> (base logits, log pi^(k-1)), (n, V) each.
    The loss.py functions of eq. 6 and 9 on one chunk of states (so training runs the tested math).
    """
    with torch.no_grad():
        base_logits, base_lp = frozen_policy(h_f)  # (n, V) each
    q = q_from_logits(head, q_head(h_q), base_logits)  # (n, V)
    values = soft_value(q, base_lp, alpha0=alpha0, alpha_tilde=alpha_tilde)  # V(s), (n,)
    return taken(q, actions), values, taken(base_lp, actions)  # (n,) each; the last without grad


class QAdapter(torch.nn.Module):
    """Frozen base pi1 + trainable Q network. ``self.qnet`` is a PeftModel."""

    def __init__(
        self,
        base_model,
        config: AdapterConfig,
        q_model=None,
        qnet: PeftModel | None = None,
        seed: int = 0,
        parent=None,
    ):
        super().__init__()
        self.config = config
        self.shared = q_model is None
        if parent is not None:
            if not self.shared:
                raise AdapterError(
                    "a stacked adapter needs the base network as its Q network; drop the q_model"
                )
            if not parent.shares_weights_with(base_model):
                raise AdapterError(
                    "the parent stack runs on other weights than this base model; load it with "
                    "Stack.load(parent_dir, base.model, base.content_hash) on the same base"
                )
        for name, p in base_model.named_parameters():
            # pi1 is frozen; LoRA weights already injected by a given ``qnet`` keep the
            # trainability PEFT gave them (load_adapter(..., trainable=True) continues training)
            if "lora_" not in name:
                p.requires_grad_(False)
        if not self.shared:
            if config.head != "logits":
                raise AdapterError(
                    "a separate Q model supports head='logits' only; pass --head logits"
                )
            if (
                q_model.get_output_embeddings().weight.shape[0]
                != base_model.get_output_embeddings().weight.shape[0]
            ):
                raise AdapterError(
                    "the Q model's vocabulary differs from the base's; they must share a tokenizer"
                )
        if qnet is None:
            with torch.random.fork_rng(devices=[]):  # LoRA A init depends on the seed alone
                torch.manual_seed(seed)
                target = base_model if self.shared else q_model
                qnet = get_peft_model(target, lora_config(config, target))
        self.qnet = qnet
        # Registered outside the module tree on purpose: in shared mode it is the same object
        # that qnet wraps, and we must not count or save its parameters twice.
        object.__setattr__(self, "base_model", base_model)
        object.__setattr__(self, "parent", parent)  # frozen qadapter.stack.Stack, or None

    # ---- passes -------------------------------------------------------------------------------

    def _q_lm(self):
        return self.qnet.get_base_model()

    def base_hidden(self, input_ids, attention_mask):
        """Hidden states of pi1, (B, L, H), without gradients."""
        kw = dict(attention_mask=attention_mask, position_ids=position_ids(attention_mask))
        with torch.no_grad():
            if self.shared:
                with self.qnet.disable_adapter():
                    return _backbone(self._q_lm())(input_ids=input_ids, **kw).last_hidden_state
            return _backbone(self.base_model)(input_ids=input_ids, **kw).last_hidden_state

    def frozen_hidden(self, input_ids, attention_mask):
        """Hidden states of the frozen levels, (G, B, L, H), without gradients: group 0 the base,
        group j the j-th adapter of the parent stack (G = 1 without a parent)."""
        if self.parent is not None:
            return self.parent.hidden(input_ids, attention_mask)
        return self.base_hidden(input_ids, attention_mask).unsqueeze(0)

    def frozen_policy(self, h_f):
        """(base logits f_0, log pi^(k-1)), (..., V) each, from frozen hidden states (G, ..., H).

        log pi^(k-1) is log pi1 without a parent, else the stack's policy (eq. 6 level by level).
        """
        with torch.no_grad():
            if self.parent is not None:
                return self.parent.policy(h_f)
            base_logits = self.base_head(h_f[0])
            return base_logits, base_logprobs_from_logits(base_logits)

    def q_hidden(self, input_ids, attention_mask):
        """Hidden states of the Q network, (B, L, H), with gradients to the LoRA weights."""
        return _backbone(self._q_lm())(
            input_ids=input_ids,
            attention_mask=attention_mask,
            position_ids=position_ids(attention_mask),
        ).last_hidden_state

    @property
    def base_head(self):
        return self.base_model.get_output_embeddings()

    @property
    def q_head(self):
        return self._q_lm().get_output_embeddings()

    def response_terms(
        self,
        input_ids,
        attention_mask,
        actions,
        action_mask,
        *,
        alpha0,
        alpha_tilde,
        chunk=256,
        checkpoint_chunks=True,
        with_base=False,
    ):
        """Q(s_t, a_t) and V(s_t), (B, L) each, computed only where ``action_mask`` is True.

        ``with_base=True`` adds a third (B, L) tensor, log pi1(a_t|s_t) of the taken actions
        (log pi^(k-1) on a parent stack; no gradient), from which log pi~(a_t|s_t) follows
        exactly (``qadapter.loss.taken_customized_logprobs``).

        These are all positions eq. 9 needs: Q at every scored action and V(s_{t+1}) only when the
        action at t+1 is scored too. Vocabulary-sized tensors exist for one chunk of positions at
        a time; with ``checkpoint_chunks`` they are recomputed in backward instead of stored.
        """
        h_f = self.frozen_hidden(input_ids, attention_mask)  # (G, B, L, H)
        h_q = self.q_hidden(input_ids, attention_mask)  # (B, L, H)
        idx = action_mask.nonzero(as_tuple=True)
        hq, hf, act = h_q[idx], h_f[:, idx[0], idx[1]], actions[idx]  # (N, H), (G, N, H), (N,)
        q_parts, v_parts, b_parts = [], [], []
        for i in range(0, hq.shape[0], chunk):
            args = (
                hq[i : i + chunk],
                hf[:, i : i + chunk],
                act[i : i + chunk],
                self.q_head,
                self.frozen_policy,
                self.config.head,
                alpha0,
                alpha_tilde,
            )
            if checkpoint_chunks and torch.is_grad_enabled():
                q_t, v_t, b_t = checkpoint(_terms_chunk, *args, use_reentrant=False)
            else:
                q_t, v_t, b_t = _terms_chunk(*args)
            q_parts.append(q_t)
            v_parts.append(v_t)
            b_parts.append(b_t)
        q_taken = torch.zeros(action_mask.shape, dtype=torch.float32, device=hq.device)
        values = torch.zeros(action_mask.shape, dtype=torch.float32, device=hq.device)
        base_taken = torch.zeros(action_mask.shape, dtype=torch.float32, device=hq.device)
        if q_parts:
            q_taken = q_taken.index_put(idx, torch.cat(q_parts))
            values = values.index_put(idx, torch.cat(v_parts))
            base_taken = base_taken.index_put(idx, torch.cat(b_parts).detach())
        if with_base:
            return q_taken, values, base_taken
        return q_taken, values

    def full_outputs(self, input_ids, attention_mask):
        """Q values and log pi1 (log pi^(k-1) on a parent stack) at every position, (B, L, V) each
        (tests and evaluation)."""
        with torch.no_grad():
            base_logits, prev_lp = self.frozen_policy(self.frozen_hidden(input_ids, attention_mask))
        adapter_logits = self.q_head(self.q_hidden(input_ids, attention_mask))  # (B, L, V)
        q = q_from_logits(self.config.head, adapter_logits, base_logits)
        return q, prev_lp

    def trainable_parameters(self):
        return [p for p in self.qnet.parameters() if p.requires_grad]


# ---- saving and loading ---------------------------------------------------------------------


def save_adapter(model: QAdapter, directory: str | Path, meta: dict) -> Path:
    """Write the PEFT adapter (safetensors) and ``qadapter.json`` (hyper-parameters, lineage).

    On a parent stack, ``parent`` (the stack top's directory, or the reference given in ``meta``)
    and ``parent_hash`` (its content hash) are recorded; ``meta`` naming a parent the model was
    not built on is refused.
    """
    from dataclasses import asdict

    directory = Path(directory)
    record = {
        "format_version": META_VERSION,
        "head": model.config.head,
        "adapter": asdict(model.config),
        **meta,
    }
    top = model.parent.top if model.parent is not None else None
    ref = record.get("parent")
    if top is None and ref:
        raise AdapterError(
            f"{directory}: metadata names parent {ref!r}, but the model was not trained on it; "
            "build it with QAdapter(..., parent=Stack.load(parent_dir, ...))"
        )
    if top is not None:
        # a registry reference (models:/...) is checked when the adapter is loaded; a directory
        # can be checked now
        ref = ref or str(top.directory.resolve())
        named = resolve_parent(ref, directory) if reference_scheme(ref) is None else None
        if named is not None and named.resolve() != top.directory.resolve():
            if not (named / META_FILE).is_file() or adapter_hash(named) != top.hash:
                raise AdapterError(
                    f"{directory}: metadata names parent {ref!r}, but the model was trained on "
                    f"{top.directory}; pass that parent"
                )
        record.update(parent=ref, parent_hash=top.hash)
    model.qnet.save_pretrained(directory, safe_serialization=True)
    write_meta(directory, record)
    follow_umask(directory)  # PEFT's weights arrive 0600; make them 0644 under umask 022
    return directory


def load_adapter(
    directory: str | Path, base_model, base_hash: str, *, q_model=None, trainable: bool = False
) -> tuple[QAdapter, dict]:
    """Rebuild a :class:`QAdapter` from a directory written by :func:`save_adapter`, on its
    verified parent stack when it has one."""
    meta = read_meta(directory)
    check_base(meta, base_hash, str(directory))
    check_adapter_files(directory)
    parent = None
    if meta.get("parent"):
        from .stack import Stack

        chain = verified_lineage(directory)  # root first; chain[-2] is the parent
        parent = Stack.load(chain[-2][0], base_model, base_hash)
    cfg = (
        AdapterConfig(**meta["adapter"]) if "adapter" in meta else AdapterConfig(head=meta["head"])
    )
    target = base_model if q_model is None else q_model
    qnet = PeftModel.from_pretrained(target, str(directory), is_trainable=trainable)
    return QAdapter(base_model, cfg, q_model=q_model, qnet=qnet, parent=parent), meta
