"""``qadapter info ADAPTER``: an adapter's configuration and lineage (verifies its files)."""

from __future__ import annotations

from .args import ADAPTER_HELP, adapter_path


def add_info(sub) -> None:
    p = sub.add_parser(
        "info", help="print an adapter's configuration and lineage (verifies its files)"
    )
    p.add_argument("adapter", help=ADAPTER_HELP)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_info)


def _mixed_in(m: dict) -> str:
    """One part of ``qadapter info``'s "trained" line: pairs mixed or replayed in, or an
    ancestor's pairs rehearsed (labelled ``qadapter.rehearsal.LABEL`` + its reference)."""
    from ..rehearsal import LABEL

    source = str(m.get("source"))
    if source.startswith(LABEL):
        return f"; {m.get('pairs')} pairs of {source[len(LABEL) :]} rehearsed"
    return f"; {m.get('pairs')} pairs of {source} mixed in"


def cmd_info(args) -> int:
    """Configuration and lineage; a stacked adapter's chain is verified level by level (its
    parents' content hashes), and a broken chain ends in one error line after what could be read.
    A registry reference is shown with the directory it was downloaded to."""
    from ..registry import naming

    with naming(args.adapter):
        label = args.adapter
        args.adapter = adapter_path(args.adapter)
        return _info(args, label)


def _info(args, label: str) -> int:
    import json

    from ..meta import (
        AdapterError,
        adapter_hash,
        check_adapter_files,
        lineage,
        read_meta,
        verified_lineage,
    )
    from ..registry import is_model_ref

    meta = read_meta(args.adapter)
    check_adapter_files(args.adapter)
    chain = lineage(args.adapter)  # a loop is an error here already
    levels, problem = [], None
    if chain:
        try:
            levels = verified_lineage(args.adapter)
        except AdapterError as e:
            problem = e
    if args.json:
        print(json.dumps(meta, indent=2, sort_keys=True))
        if problem:
            raise problem
        return 0
    data = meta.get("data") or {}
    lora = meta.get("adapter", {})
    lines = [
        f"adapter      {label}" + (f"  ({args.adapter})" if label != args.adapter else ""),
        f"base         {meta['base_model']}  (hash {meta['base_hash'][:16]})",
        f"q model      {meta.get('q_model') or 'the base network + LoRA'}",
        f"head         {meta['head']}   LoRA r={lora.get('lora_r')} alpha={lora.get('lora_alpha')}",
        f"eq. 6        alpha0={meta['alpha0']}  alpha_tilde={meta['alpha_tilde']}",
        f"eq. 9        gamma={meta['gamma']}  beta={meta.get('beta')}",
        f"data         {data.get('source')}  ({data.get('pairs')} pairs, "
        f"hash {str(data.get('hash'))[:16]})",
        f"trained      {meta.get('steps')} steps on {meta.get('pairs')} pairs"
        + (
            f" (resumed from step {meta['resumed_from_step']})"
            if meta.get("resumed_from_step")
            else ""
        )
        + "".join(_mixed_in(m) for m in data.get("mix") or ()),
    ]
    fm = meta.get("final_metrics") or {}
    if fm:
        nan = float("nan")
        lines.append(
            f"last step    loss {fm.get('loss', nan):.4f}  accuracy {fm.get('accuracy', nan):.3f}  "
            f"margin {fm.get('margin', nan):.3f}"
        )
    if "heldout" in meta and "after" in meta["heldout"]:
        h = meta["heldout"]
        lines.append(
            f"held-out     accuracy {h['before']['accuracy']:.3f} -> {h['after']['accuracy']:.3f} "
            f"on {h['after']['pairs']} pairs"
        )
    if not chain:
        lines.append(f"lineage      {label} (no parent)")
    elif levels:
        # parents by their registry reference where they have one, else by their directory
        parents = [
            ref if is_model_ref(ref) else str(p.resolve())
            for (p, _), ref in zip(levels[-2::-1], chain)
        ]
        lines.append(
            "lineage      "
            + " <- ".join([label, *parents, f"base {meta['base_model']}"])
            + f"  (depth {len(levels)}, verified)"
        )
        for k, (path, m) in enumerate(levels, 1):
            shown = label if k == len(levels) else parents[len(levels) - 1 - k]
            lines.append(
                f"  level {k}  {shown}  hash {adapter_hash(path)[:12]}  head {m['head']}  "
                f"alpha0={m['alpha0']}  alpha_tilde={m['alpha_tilde']}"
            )
    else:
        lines.append("lineage      " + " <- ".join([label, *chain]) + "  (unverified)")
    print("\n".join(lines))
    if problem:
        raise problem
    return 0
