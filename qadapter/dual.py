"""Several streams in one forward of a stacked batch, reading the shared base weights once.

A batch of ``G * n`` rows is ``G`` row groups of ``n`` rows each. Group 0 runs the base pi1; group
``j >= 1`` runs adapter ``j`` of a stack: the base weights plus that adapter's LoRA delta
``scale_j * B_j A_j x`` (``qadapter.stack``). A single adapter is the case ``G = 2`` (base rows,
then adapter rows). The frozen weights are shared with the base model (no copy); only the
per-layer LoRA factors are extra. On a CPU a batch-G GEMV costs about what a batch-1 GEMV costs
(all rows read the same weight matrix), so one forward replaces G forwards: this is what lifts
two-model decoding from ~0.5x to ~0.8x of the base model's own ``generate`` on CPUs where a step
is bound by reading weights (on others a batch-G step costs about G batch-1 steps).

Shared prefix: below the lowest decoder layer that any group's LoRA touches (adapters with
``lora_layers`` = k put LoRA on the top k layers only), every group computes the same hidden
states from the same tokens. Those layers run once, on group 0's ``n`` rows, and their output is
repeated for the ``G`` groups before the first LoRA layer (:class:`SharedPrefixLayer`); a step
then costs about ``L - k + G k`` layer-rows instead of ``G L``. The KV cache of a prefix layer
holds ``n`` rows, not ``G n``. With LoRA on every layer nothing is shared and the network is the
one of plain row groups, bit for bit.
"""

from __future__ import annotations

import copy

import torch
from peft import PeftModel
from peft.tuners.lora import LoraLayer

from .meta import AdapterError


class RowGroups:
    """Rows per group of the current batch (``n``) and the group count; shared by all layers."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.n = 0
        self.shared = 0  # decoder layers below every LoRA layer, run once for all groups


class GroupLoRALinear(torch.nn.Module):
    """y = W x for every row, plus scale_j B_j (A_j x) for the rows of group j >= 1.

    x: (G * n, ..., in) with groups contiguous along dim 0. ``a``: (G - 1, in, r), ``b``:
    (G - 1, r, out), the scale folded into ``b``; ranks are zero-padded to the largest (exact: the
    padded columns add zeros) and a level without LoRA on this layer has zero factors.
    """

    def __init__(
        self, base_layer: torch.nn.Module, a: torch.Tensor, b: torch.Tensor, groups: RowGroups
    ):
        super().__init__()
        self.base_layer = base_layer
        self.register_buffer("a", a.contiguous(), persistent=False)  # (G-1, in, r)
        self.register_buffer("b", b.contiguous(), persistent=False)  # (G-1, r, out)
        self.groups = groups

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.base_layer(x)
        n, g = self.groups.n, self.a.shape[0]
        if x.shape[0] != (g + 1) * n:
            raise RuntimeError(f"batch of {x.shape[0]} rows is not {g + 1} groups of {n}")
        rest = x[n:]  # (g * n, ..., in)
        xs = rest.reshape(g, -1, rest.shape[-1])  # (g, n * ..., in)
        delta = torch.bmm(torch.bmm(xs, self.a.to(x.dtype)), self.b.to(x.dtype))  # (g, n*.., out)
        y[n:] += delta.reshape(*rest.shape[:-1], delta.shape[-1])
        return y


class SharedPrefixLayer(torch.nn.Module):
    """A decoder layer below every LoRA layer: runs on group 0's rows only.

    The first prefix layer takes group 0's ``n`` rows of the (identical) ``G n`` input rows; the
    last one repeats its output for the ``G`` groups. The attention mask, position ids and rotary
    tables, built by the model for ``G n`` rows, are cut to the first ``n``.
    """

    def __init__(self, layer: torch.nn.Module, groups: RowGroups, first: bool, last: bool):
        super().__init__()
        self.layer, self.groups, self.first, self.last = layer, groups, first, last
        if hasattr(layer, "attention_type"):  # models that pick a mask per layer read it
            self.attention_type = layer.attention_type

    def forward(self, hidden_states: torch.Tensor, *args, **kwargs) -> torch.Tensor:
        n, g = self.groups.n, self.groups.count
        if self.first:
            if hidden_states.shape[0] != g * n:
                raise RuntimeError(
                    f"batch of {hidden_states.shape[0]} rows is not {g} groups of {n}"
                )
            hidden_states = hidden_states[:n]  # (n, T, H)

        def cut(t):
            # batch-major tensors only (mask (G n, 1, T, S), position ids (G n, T), rotary
            # tables (G n, T, D)); a 1-D tensor (positions in the cache) is never cut
            batch_major = torch.is_tensor(t) and t.dim() >= 2 and t.shape[0] == g * n
            return t[:n] if batch_major else t

        args = tuple(cut(a) for a in args)
        kwargs = {
            k: tuple(cut(t) for t in v) if isinstance(v, tuple) else cut(v)
            for k, v in kwargs.items()
        }
        out = self.layer(hidden_states, *args, **kwargs)  # (n, T, H)
        return out.repeat(g, *([1] * (out.dim() - 1))) if self.last else out


def layer_index(lm: torch.nn.Module) -> dict[str, int]:
    """``{module name: i}`` of the decoder layers of a causal LM."""
    layers = {id(m): i for i, m in enumerate(lm.get_decoder().layers)}
    return {name: layers[id(m)] for name, m in lm.named_modules() if id(m) in layers}


def share_prefix(lm: torch.nn.Module, lora_names: list[str], groups: RowGroups) -> int:
    """Wrap the decoder layers below the lowest LoRA layer in :class:`SharedPrefixLayer`;
    returns how many were wrapped (0 when a group has LoRA on the first layer)."""
    index = layer_index(lm)
    lowest = min(
        (i for name in lora_names for prefix, i in index.items() if name.startswith(prefix + ".")),
        default=0,
    )
    layers = lm.get_decoder().layers
    for i in range(lowest):
        layers[i] = SharedPrefixLayer(layers[i], groups, first=i == 0, last=i == lowest - 1)
    return lowest


def plain_shell(base_model: torch.nn.Module) -> torch.nn.Module:
    """New module objects over ``base_model``'s weight tensors (no copy), without LoRA layers.

    A base that PEFT has already wrapped in place (a ``QAdapter`` being trained) is unwrapped in
    the shell only: each LoRA layer is replaced by its frozen base layer.
    """
    shared = {id(t): t for t in list(base_model.parameters()) + list(base_model.buffers())}
    shell = copy.deepcopy(base_model, shared)
    for name, module in list(shell.named_modules()):
        if isinstance(module, LoraLayer):
            parent, _, child = name.rpartition(".")
            setattr(shell.get_submodule(parent), child, module.get_base_layer())
    return shell


def lora_factors(
    base_model: torch.nn.Module, adapter_dir: str
) -> dict[str, tuple[torch.Tensor, torch.Tensor]]:
    """``{layer name: (A (r, in), scale * B (out, r))}`` of a PEFT LoRA adapter directory.

    Read through PEFT itself (on a throw-away shell), so its rank/alpha patterns and rsLoRA
    scaling are the ones PEFT applies. Names are relative to the causal LM.
    """
    peft = PeftModel.from_pretrained(plain_shell(base_model), str(adapter_dir))
    out = {}
    for name, module in peft.get_base_model().named_modules():
        if not isinstance(module, LoraLayer):
            continue
        if getattr(module, "use_dora", {}).get("default", False):
            raise AdapterError(
                f"{adapter_dir}: DoRA adapters are not supported by qadapter decoding"
            )
        a = module.lora_A["default"].weight.detach()
        b = module.lora_B["default"].weight.detach() * module.scaling["default"]
        out[name] = (a, b)
    return out


def build_groups(
    base_model: torch.nn.Module, adapter_dirs: list[str], *, shared_prefix: bool = True
) -> tuple[torch.nn.Module, RowGroups]:
    """A causal LM on ``base_model``'s weights whose row group j >= 1 carries adapter j - 1.

    With ``shared_prefix`` the layers below every adapter's lowest LoRA layer run once for all
    groups (:func:`share_prefix`; ``groups.shared`` says how many); without, every layer runs
    on all rows (the reference the tests compare with)."""
    levels = [lora_factors(base_model, str(d)) for d in adapter_dirs]
    lm = plain_shell(base_model)
    groups = RowGroups(len(levels) + 1)
    names = sorted({name for level in levels for name in level})
    for name in names:
        layer = lm.get_submodule(name)
        out_f, in_f = layer.weight.shape
        present = [level[name][0] for level in levels if name in level]
        r = max(t.shape[0] for t in present)
        # the factors' own dtype (the base weight may be int8), on the weight's device
        kw = dict(dtype=present[0].dtype, device=layer.weight.device)
        a = torch.zeros(len(levels), in_f, r, **kw)
        b = torch.zeros(len(levels), r, out_f, **kw)
        for j, level in enumerate(levels):
            if name in level:
                la, lb = level[name]
                a[j, :, : la.shape[0]] = la.t()
                b[j, : lb.shape[1], :] = lb.t()
        parent, _, child = name.rpartition(".")
        setattr(lm.get_submodule(parent), child, GroupLoRALinear(layer, a, b, groups))
    groups.shared = share_prefix(lm, names, groups) if shared_prefix else 0
    return lm.eval(), groups
