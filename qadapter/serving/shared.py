"""One adapter's networks over the shared base weights, without a copy of the base.

An adapter's LoRA factors ``A (in, r)`` and ``scale B (r, out)`` per layer (read through PEFT by
:func:`qadapter.dual.lora_factors`) are held once and used by two module shells whose weight
tensors *are* the base's (:func:`qadapter.dual.plain_shell`):

* ``single``: ``y = W x + (x A) B`` on every row: the adapter network f_q alone. With the
  ``residual`` head and alpha0 = 1, eq. 6 is ``softmax(f_q / alpha_tilde)`` exactly (see
  :mod:`qadapter.decode`), so one pass per token suffices: what ``CustomizedDecoder.from_adapter``
  does with a *merged copy* of the base, here without the copy.
* ``dual``: two row groups (base rows, adapter rows) through :class:`qadapter.dual.
  GroupLoRALinear`, for every other alpha0 and the ``logits`` head: the base pass and the adapter
  pass in one forward.
"""

from __future__ import annotations

import torch

from ..dual import GroupLoRALinear, RowGroups, lora_factors, plain_shell


class LoRALinear(torch.nn.Module):
    """y = W x + (x A) B for every row; W is the base layer's own (shared) weight.

    x: (..., in); ``a``: (in, r); ``b``: (r, out) with the LoRA scale folded in.
    """

    def __init__(self, base_layer: torch.nn.Module, a: torch.Tensor, b: torch.Tensor):
        super().__init__()
        self.base_layer = base_layer
        self.register_buffer("a", a, persistent=False)  # (in, r)
        self.register_buffer("b", b, persistent=False)  # (r, out)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.base_layer(x) + (x @ self.a.to(x.dtype)) @ self.b.to(x.dtype)


def _replace(lm: torch.nn.Module, name: str, module: torch.nn.Module) -> None:
    parent, _, child = name.rpartition(".")
    setattr(lm.get_submodule(parent), child, module)


def adapter_networks(base_model: torch.nn.Module, adapter_dir) -> tuple:
    """``(single, dual, rows)`` for one adapter directory on ``base_model``'s weights.

    Both networks share the base's weights and one copy of the adapter's factors; ``rows`` is the
    dual network's :class:`RowGroups` (2 groups: base, adapter).
    """
    factors = lora_factors(base_model, str(adapter_dir))  # {name: (A (r, in), scale B (out, r))}
    single, dual, rows = plain_shell(base_model), plain_shell(base_model), RowGroups(2)
    for name, (a, b) in factors.items():
        a_t, b_t = a.t().contiguous(), b.t().contiguous()  # (in, r), (r, out)
        _replace(single, name, LoRALinear(single.get_submodule(name), a_t, b_t))
        group = GroupLoRALinear(dual.get_submodule(name), a_t.unsqueeze(0), b_t.unsqueeze(0), rows)
        _replace(dual, name, group)  # (1, in, r), (1, r, out): views of the same factors
    return single.eval(), dual.eval(), rows
