"""The customized policy as an lm-evaluation-harness model, registered as ``qadapter``.

One class scores both sides of a forgetting comparison: with ``adapter=DIR`` every request type
uses the customized policy of eq. 6, ``log pi~ = log_softmax((Q + alpha0 log pi1) / alpha_tilde)``
(``QAdapter.full_outputs`` + ``loss.customized_logprobs`` for scoring, ``CustomizedDecoder`` for
generation); without an adapter it is the base policy pi1 alone.

lm-eval's conventions, followed exactly:

* ``loglikelihood(context, continuation)``: trailing spaces of the context move to the
  continuation; context + continuation are encoded *jointly* and split after the context's own
  token count; an empty (or blank) context is replaced by the prefix token (BOS, else EOS)
  unless the continuation already starts with it. Inputs longer than ``max_length`` keep their
  end.
  ``is_greedy`` is True when every continuation token is the argmax of pi~ (of pi1 without adapter).
* ``loglikelihood_rolling(text)``: disjoint rolling windows of ``max_length`` tokens after the
  prefix token (``lm_eval.utils.get_rolling_token_windows`` / ``make_disjoint_window``), every
  token scored exactly once, summed.
* ``generate_until(context, gen_kwargs)``: contexts left-truncated to ``max_length -
  max_gen_toks`` (an empty context starts from the prefix token); generation stops at EOS, at
  ``max_gen_toks`` or once every row of the batch contains one of the ``until`` strings; the text
  is cut before the first stop string.

Requests are sorted by length (longest first), batched (right padding for scoring, left padding
for generation) and returned in their original order.

Model args: ``base=NAME`` (default the embedded SmolLM2), ``adapter=DIR`` (or a registered
version, ``models:/hh-qadapter/3`` / ``models:/hh-qadapter@champion``), ``alpha0``,
``alpha_tilde`` (override the adapter's), ``batch_size`` (default 8), ``max_length`` (default the
model's ``max_position_embeddings``).
"""

from __future__ import annotations

import logging

import lm_eval.models  # noqa: F401  (registers lm-eval's own models first; see DESIGN.md)
import torch
from lm_eval.api.model import LM
from lm_eval.api.registry import register_model
from lm_eval.models.utils import (
    handle_stop_sequences,
    normalize_gen_kwargs,
    postprocess_generated_text,
)
from lm_eval.utils import get_rolling_token_windows, make_disjoint_window
from tqdm import tqdm

from .. import models
from ..data.tokenize import left_pad
from ..decode import SamplingConfig
from ..models import Base
from .scoring import Policy, eos_ids, score_rows, score_shared_contexts

log = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 8
DEFAULT_MAX_GEN_TOKS = 256


class _AllStopped(Exception):
    """Raised from the decoder's step callback once every row has stopped."""


class StopWatcher:
    """Collects a batch's new tokens step by step; stops decoding once every row has an EOS token
    or one of the stop strings in its text."""

    def __init__(self, tokenizer, stops: list[str], eos: set[int], n_rows: int):
        self.tokenizer, self.stops, self.eos = tokenizer, [s for s in stops if s], eos
        self.tokens: list[list[int]] = [[] for _ in range(n_rows)]
        self.done = [False] * n_rows

    def text(self, row: int) -> str:
        toks = self.tokens[row]
        cut = next((j for j, t in enumerate(toks) if t in self.eos), len(toks))
        return self.tokenizer.decode(toks[:cut], skip_special_tokens=True)

    def __call__(self, nxt: torch.Tensor) -> None:
        for r, t in enumerate(nxt.tolist()):
            if self.done[r]:
                continue
            self.tokens[r].append(t)
            self.done[r] = t in self.eos or any(s in self.text(r) for s in self.stops)
        if all(self.done):
            raise _AllStopped


SAMPLING_KEYS = {"do_sample", "temperature", "top_k", "top_p"}


def sampling_config(kwargs: dict, max_gen_toks: int) -> SamplingConfig:
    """lm-eval generation kwargs (normalized) -> SamplingConfig.

    Greedy unless ``do_sample`` with a temperature > 0 (lm-eval's own reading of temperature 0).
    Keys other than do_sample / temperature / top_k / top_p have no meaning for eq. 6 decoding:
    they are named in one warning, never silently dropped.
    """
    ignored = sorted(set(kwargs) - SAMPLING_KEYS)
    if ignored:
        log.warning("generate_until: ignoring generation kwargs %s (not used by qadapter)", ignored)
    temperature = float(kwargs.get("temperature") or 0.0)
    if not kwargs.get("do_sample") or temperature <= 0:
        return SamplingConfig(max_new_tokens=max_gen_toks, greedy=True)
    return SamplingConfig(
        max_new_tokens=max_gen_toks,
        temperature=temperature,
        top_k=int(kwargs.get("top_k") or 0),
        top_p=float(kwargs.get("top_p") or 1.0),
    )


@register_model("qadapter")
class QAdapterLM(LM):
    """lm-eval model over :class:`Policy` (module docstring). ``base`` may be a loaded Base."""

    def __init__(
        self,
        base="smollm2-135m-instruct",
        adapter=None,
        alpha0=None,
        alpha_tilde=None,
        batch_size=DEFAULT_BATCH_SIZE,
        max_length=None,
        device="cpu",
        max_batch_size=None,  # passed by lm-eval's CLI; batches have a fixed size here
        dtype="float32",
    ):
        super().__init__()
        if isinstance(batch_size, str) and not batch_size.isdigit():
            raise ValueError(
                f"batch_size must be a positive integer, got {batch_size!r} "
                "('auto' is not supported)"
            )
        loaded = (
            base
            if isinstance(base, Base)
            else models.load_base(
                str(base), device=device or "cpu", dtype=getattr(torch, str(dtype))
            )
        )
        adapter = None if adapter in (None, "", "none", "None") else adapter
        from ..registry import install, naming, resolve_adapter

        install()  # models:/ parents of a stacked adapter
        with naming(adapter or ""):
            self.policy = Policy(
                loaded,
                None if adapter is None else str(resolve_adapter(adapter)),
                alpha0=None if alpha0 is None else float(alpha0),
                alpha_tilde=None if alpha_tilde is None else float(alpha_tilde),
            )
        self.tokenizer = loaded.tokenizer
        self.batch_size = int(batch_size or DEFAULT_BATCH_SIZE)
        if self.batch_size <= 0:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
        self.max_length = int(
            max_length or getattr(loaded.model.config, "max_position_embeddings", None) or 2048
        )
        self.eos = eos_ids(loaded)

    @property
    def prefix_token_id(self) -> int:
        bos = self.tokenizer.bos_token_id
        return bos if bos is not None else self.tokenizer.eos_token_id

    def tok_encode(self, text: str) -> list[int]:
        return list(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def encode_pair(self, context: str, continuation: str) -> tuple[list[int], list[int]]:
        """lm-eval's token boundary for (context, continuation) (module docstring)."""
        if context.strip() == "":  # nothing to condition on but the prefix token
            cont = self.tok_encode(context + continuation)
            if cont and cont[0] == self.prefix_token_id:
                return cont[:1], cont[1:]
            return [self.prefix_token_id], cont
        stripped = context.rstrip()
        moved = context[len(stripped) :]
        context, continuation = stripped, moved + continuation
        whole = self.tok_encode(context + continuation)
        n_ctx = len(self.tok_encode(context))
        return whole[:n_ctx], whole[n_ctx:]

    def loglikelihood(self, requests) -> list[tuple[float, bool]]:
        """Requests sharing a context (multiple choice) run that context once
        (:func:`score_shared_contexts`); the others go in length-sorted batches."""
        rows = [self.encode_pair(*req.args) for req in requests]
        by_context: dict[tuple, list[int]] = {}
        for i, (ctx, _) in enumerate(rows):
            by_context.setdefault(tuple(ctx), []).append(i)
        out: list = [None] * len(rows)
        shared = [
            (ctx, idx)
            for ctx, idx in by_context.items()
            if self.policy.incremental  # a stacked adapter scores whole rows (score_rows)
            and len(idx) > 1
            and all(rows[i][1] for i in idx)
            and len(ctx) + max(len(rows[i][1]) for i in idx) <= self.max_length + 1
        ]
        groups = [(list(ctx), [rows[i][1] for i in idx]) for ctx, idx in shared]
        scored = score_shared_contexts(self.policy, groups, batch_size=self.batch_size)
        for (_, idx), results in zip(shared, scored):
            for i, res in zip(idx, results):
                out[i] = res
        rest = [i for i in range(len(rows)) if out[i] is None]
        scored = score_rows(
            self.policy,
            [rows[i] for i in rest],
            batch_size=self.batch_size,
            max_length=self.max_length,
            desc="loglikelihood" if rest else None,
        )
        for i, res in zip(rest, scored):
            out[i] = res
        for req, res in zip(requests, out):
            self.cache_hook.add_partial("loglikelihood", req.args, res)
        return out

    def rolling_windows(self, text: str) -> list[tuple[list[int], list[int]]]:
        windows = get_rolling_token_windows(
            token_list=self.tok_encode(text),
            prefix_token=self.prefix_token_id,
            max_seq_len=self.max_length,
            context_len=1,
        )
        return [make_disjoint_window(w) for w in windows]

    def loglikelihood_rolling(self, requests) -> list[float]:
        owners, rows = [], []
        for i, req in enumerate(requests):
            for w in self.rolling_windows(req.args[0]):
                owners.append(i)
                rows.append(w)
        scores = score_rows(
            self.policy,
            rows,
            batch_size=self.batch_size,
            max_length=self.max_length,
            desc="loglikelihood_rolling",
        )
        totals = [0.0] * len(requests)
        for i, (lp, _) in zip(owners, scores):
            totals[i] += lp
        for req, total in zip(requests, totals):
            self.cache_hook.add_partial("loglikelihood_rolling", req.args, total)
        return totals

    def generate_until(self, requests) -> list[str]:
        out: list[str | None] = [None] * len(requests)
        groups: dict[str, list[int]] = {}
        for i, req in enumerate(requests):
            groups.setdefault(repr(sorted(req.args[1].items(), key=str)), []).append(i)
        eos_text = self.tokenizer.decode([self.tokenizer.eos_token_id], skip_special_tokens=False)
        bar = tqdm(total=len(requests), desc="generate_until")
        for members in groups.values():
            kwargs = normalize_gen_kwargs(requests[members[0]].args[1], DEFAULT_MAX_GEN_TOKS)
            stops = handle_stop_sequences(kwargs.pop("until", None), eos=eos_text)
            max_gen = int(kwargs.pop("max_gen_toks"))
            if max_gen >= self.max_length:
                raise ValueError(
                    f"max_gen_toks={max_gen} must be below max_length={self.max_length}"
                )
            cfg = sampling_config(kwargs, max_gen)
            encoded = {  # an empty context starts from the prefix token
                i: (self.tok_encode(requests[i].args[0]) or [self.prefix_token_id])[
                    -(self.max_length - max_gen) :
                ]
                for i in members
            }
            order = sorted(members, key=lambda i: -len(encoded[i]))
            for start in range(0, len(order), self.batch_size):
                idx = order[start : start + self.batch_size]
                for i, text in zip(idx, self.generate_batch([encoded[i] for i in idx], cfg, stops)):
                    out[i] = text
                    self.cache_hook.add_partial("generate_until", requests[i].args, text)
                bar.update(len(idx))
        bar.close()
        return out  # type: ignore[return-value]

    def generate_batch(
        self, contexts: list[list[int]], cfg: SamplingConfig, stops: list[str]
    ) -> list[str]:
        """Decode left-padded contexts with the policy's decoder; each text cut before its stop."""
        ids, mask = left_pad(contexts, self.tokenizer.pad_token_id)
        watcher = StopWatcher(self.tokenizer, stops, self.eos, len(contexts))
        try:
            self.policy.decoder.generate(ids, mask, cfg, on_step=watcher)
        except _AllStopped:
            pass
        return [
            postprocess_generated_text(watcher.text(r), stops, None) for r in range(len(contexts))
        ]
