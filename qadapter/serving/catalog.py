"""The models a server offers: one base in memory and any number of adapters on its weights.

Every adapter decodes through :class:`qadapter.decode.CustomizedDecoder` on networks that hold
only its LoRA factors next to module shells whose weight tensors *are* the base's: a single
adapter through :func:`qadapter.serving.shared.adapter_networks` (one pass per token for the
residual head at alpha0 = 1, exact; base and adapter rows in one forward otherwise), a stacked
one as its verified :class:`qadapter.stack.Stack` (``from_adapter(fuse=False)``). Nothing copies
the base (``from_adapter``'s own single pass merges into a copy, so it is not used here). The bare
base decodes through the same loop in single-pass mode (``softmax(f_b / 1)`` = pi1), so the
server has one generation path.

Names: a model is asked for by the name it was loaded under (``--adapter NAME=REF``), by the
base's name, or by a registry reference (``hh-qadapter@champion``, ``hh-qadapter/3``,
``models:/...``) that :func:`qadapter.registry.resolve_adapter` turns into a directory on first
use. A directory path in a request is never loaded: only the operator chooses directories.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..adapter import check_adapter_files, check_base
from ..config import MethodConfig
from ..decode import CustomizedDecoder
from ..meta import AdapterError, read_meta
from .shared import adapter_networks

# the bare base as a decoder: Q unused, alpha_tilde = 1 -> softmax(base logits) = pi1
BASE_METHOD = MethodConfig(head="residual", alpha0=1.0, alpha_tilde=1.0)


class UnknownModel(LookupError):
    """A request named a model this server neither holds nor can resolve (a 404)."""


@dataclass
class Served:
    """One model a client can ask for by ``name``."""

    name: str
    kind: str  # "base" or "adapter"
    decoder: CustomizedDecoder
    source: str = ""  # what the operator or client named (directory or registry reference)
    directory: Path | None = None
    meta: dict = field(default_factory=dict)
    networks: tuple | None = None  # (single, dual, rows) of a single adapter; None for a stack

    def decoder_for(self, alpha0: float | None) -> CustomizedDecoder:
        """This model's decoder, with the top level's alpha0 replaced when ``alpha0`` is given.

        Shares the networks (no copy); the new method is validated like training's values
        (:class:`qadapter.config.ConfigError`, a ``ValueError``, when out of range).
        """
        if alpha0 is None or alpha0 == self.decoder.alpha0:
            return self.decoder
        if self.kind == "base":
            raise ValueError("alpha0 applies to adapters only; drop it for the bare base model")
        d = self.decoder
        method = MethodConfig.from_meta(self.meta, alpha0=alpha0)
        if self.networks is not None:
            return adapter_decoder(self.networks, method, d.eos.tolist(), d.pad_token_id)
        return CustomizedDecoder(
            q_net=d.q_net,
            rows=d.rows,
            levels=(*d.levels[:-1], method),
            method=method,
            eos_token_ids=d.eos.tolist(),
            pad_token_id=d.pad_token_id,
        )


def adapter_decoder(networks: tuple, method: MethodConfig, eos, pad: int) -> CustomizedDecoder:
    """A single adapter's decoder: one pass (residual head, alpha0 = 1) or base + adapter rows."""
    single, dual, rows = networks
    common = dict(method=method, eos_token_ids=eos, pad_token_id=pad)
    if method.head == "residual" and method.alpha0 == 1.0:
        return CustomizedDecoder(q_net=single, **common)
    return CustomizedDecoder(q_net=dual, rows=rows, **common)


def eos_ids(base) -> set[int]:
    """The tokenizer's EOS and the generation config's (as ``CustomizedDecoder.from_adapter``)."""
    eos = {base.tokenizer.eos_token_id}
    gen = getattr(base.model.generation_config, "eos_token_id", None)
    eos |= set(gen if isinstance(gen, (list, tuple)) else [gen] if gen is not None else [])
    return eos


def base_served(base, names: tuple[str, ...] = ()) -> list[Served]:
    """The bare base under its own name (and any extra ``names``, e.g. the ``--base`` given)."""
    dec = CustomizedDecoder(
        q_net=base.model,
        method=BASE_METHOD,
        eos_token_ids=eos_ids(base),
        pad_token_id=base.tokenizer.pad_token_id,
    )
    return [
        Served(name=n, kind="base", decoder=dec, source=base.name)
        for n in dict.fromkeys((base.name, *names))
    ]


def load_adapter_served(name: str, directory: str | Path, base, source: str = "") -> Served:
    """An adapter directory as a :class:`Served` on ``base``'s weights (no base copy).

    Refuses (:class:`AdapterError`, one line) another base, incomplete files, a broken lineage
    and adapters trained on a separate Q model (that network is not the shared base).
    """
    directory = Path(directory)
    meta = read_meta(directory)
    reg = registry_module()
    if reg is not None:
        reg.install()  # a models:/ parent of a stacked adapter resolves through the registry
    if meta.get("q_model"):
        raise AdapterError(
            f"{directory}: trained on a separate Q model ({meta['q_model']}); qadapter serve "
            "holds adapters on the base network only; use `qadapter generate --q-model` for it"
        )
    if meta.get("parent"):  # a verified stack of row groups over the base weights
        dec, networks = CustomizedDecoder.from_adapter(directory, base, fuse=False), None
    else:
        check_base(meta, base.content_hash, str(directory))
        check_adapter_files(directory)
        networks = adapter_networks(base.model, directory)
        method = MethodConfig.from_meta(meta)
        dec = adapter_decoder(networks, method, eos_ids(base), base.tokenizer.pad_token_id)
    return Served(
        name=name,
        kind="adapter",
        decoder=dec,
        source=source or str(directory),
        directory=directory,
        meta=meta,
        networks=networks,
    )


def registry_module():
    """``qadapter.registry`` when it is installed in this checkout, else None."""
    try:
        from .. import registry
    except ImportError:
        return None
    return registry


def is_reference(name: str) -> bool:
    """True for a registry reference (``NAME/3``, ``NAME@alias``, ``models:/...``)."""
    reg = registry_module()
    if reg is None:
        return name.startswith("models:/")
    try:
        return bool(reg.is_model_ref(name))
    except ValueError:
        return False


def resolve_reference(ref: str, tracking_uri: str | None = None) -> Path:
    """The adapter directory of a registry reference (downloaded and cached by the registry)."""
    reg = registry_module()
    if reg is None:
        raise UnknownModel(
            f"model {ref!r}: registry references need qadapter.registry, which this "
            "installation lacks; start the server with --adapter NAME=DIRECTORY instead"
        )
    unavailable = getattr(reg, "RegistryUnavailable", ())
    try:
        return Path(reg.resolve_adapter(ref, tracking_uri=tracking_uri))
    except unavailable:
        raise  # the store failed to answer: the caller's 503, not a 404
    except AdapterError as e:
        raise UnknownModel(str(e).strip().splitlines()[0]) from None


def parse_adapter_arg(text: str) -> tuple[str, str]:
    """``NAME=REF`` -> (NAME, REF); a bare ``REF`` is served under its own text."""
    name, sep, ref = text.partition("=")
    if not sep:
        return text, text
    if not name or not ref:
        raise ValueError(f"--adapter {text!r}: expected NAME=DIRECTORY_OR_REFERENCE")
    return name, ref
