"""Base and adapter passes in one forward of a doubled batch, reading the base weights once.

Rows ``[:split]`` of a batch run pi1; rows ``[split:]`` run the adapter network (base weights plus
the LoRA delta ``scale * B A x``). The frozen weights are shared with the base model (no copy);
only the per-layer LoRA factors are extra. On a CPU a batch-2 GEMV costs about what a batch-1 GEMV
costs (both read the same weight matrix), so one doubled forward replaces two forwards: this is
what lifts two-model decoding from ~0.5x to ~0.8x of the base model's own ``generate``.
"""

from __future__ import annotations

import copy

import torch
from peft import PeftModel
from peft.tuners.lora import LoraLayer


class RowSplit:
    """Where the adapter rows start in the current batch; shared by all wrapped layers."""

    def __init__(self) -> None:
        self.split = 0


class RowLoRALinear(torch.nn.Module):
    """y = W x for every row, plus scale * B (A x) for rows >= split.   x: (N, T, in)"""

    def __init__(
        self,
        base_layer: torch.nn.Module,
        lora_a: torch.Tensor,
        lora_b_scaled: torch.Tensor,
        rows: RowSplit,
    ):
        super().__init__()
        self.base_layer = base_layer
        self.register_buffer(
            "lora_a_t", lora_a.detach().t().contiguous(), persistent=False
        )  # (in, r)
        self.register_buffer(
            "lora_b_t", lora_b_scaled.detach().t().contiguous(), persistent=False
        )  # (r, out)
        self.rows = rows

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.base_layer(x)
        s = self.rows.split
        y[s:] += (x[s:] @ self.lora_a_t.to(x.dtype)) @ self.lora_b_t.to(x.dtype)
        return y


def build_dual(base_model: torch.nn.Module, adapter_dir: str) -> tuple[torch.nn.Module, RowSplit]:
    """A causal LM on ``base_model``'s weights; rows >= ``RowSplit.split`` carry the adapter."""
    shared = {id(t): t for t in list(base_model.parameters()) + list(base_model.buffers())}
    shell = copy.deepcopy(base_model, shared)  # new module objects, the same weight tensors
    peft = PeftModel.from_pretrained(shell, adapter_dir)
    lm = peft.get_base_model()
    rows = RowSplit()
    for name, module in list(lm.named_modules()):
        if not isinstance(module, LoraLayer):
            continue
        if getattr(module, "use_dora", {}).get("default", False):
            raise NotImplementedError("DoRA adapters are not supported by dual decoding")
        a = module.lora_A["default"].weight
        b = module.lora_B["default"].weight * module.scaling["default"]
        parent_name, _, child = name.rpartition(".")
        setattr(
            lm.get_submodule(parent_name), child, RowLoRALinear(module.get_base_layer(), a, b, rows)
        )
    return lm.eval(), rows
