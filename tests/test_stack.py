"""Stacked adapters against eq. 6 applied level by level by hand, from each adapter's own logits.

pi^(0) = pi1; pi^(k) = softmax((Q_k + alpha0_k log pi^(k-1)) / alpha_tilde_k). The references
below build every level's network separately (PEFT on a fresh copy of the base, full forwards, no
cache, float64) and write the formula out per level; the code under test runs all levels as row
groups of one network over the shared base weights.
"""

import json
import shutil
from pathlib import Path

import pytest
import torch
from peft import PeftModel
from torch.testing import assert_close

from qadapter import cli
from qadapter.adapter import AdapterConfig, AdapterError, QAdapter, load_adapter, save_adapter
from qadapter.config import profile
from qadapter.data.tokenize import collate_pairs, encode_prompt, left_pad
from qadapter.decode import CustomizedDecoder, SamplingConfig
from qadapter.loss import implied_rewards, qadapter_loss
from qadapter.meta import adapter_hash, read_meta, register_resolver, update_meta
from qadapter.models import load_base
from qadapter.objective import pair_rewards, pair_terms, tokenize_all
from qadapter.stack import Stack
from qadapter.train import train

PROMPTS = ["How do I bake bread?", "What is the capital of France?", "Thanks!"]
# (head, alpha0, alpha_tilde, LoRA rank) per level: mixed heads and ranks on purpose
LEVELS = [("residual", 0.7, 0.5, 4), ("logits", 1.3, 0.8, 2), ("residual", 0.5, 0.6, 3)]


def random_lora(model: QAdapter, seed: int, scale: float = 0.3) -> None:
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.trainable_parameters():
            p.copy_(torch.randn(p.shape, generator=g) * scale)


def make_stack(tmp_path, depth: int) -> list:
    """Adapter directories of levels 1..depth, each trained (randomly) on the one below."""
    dirs = []
    for k, (head, a0, at, r) in enumerate(LEVELS[:depth]):
        base = load_base("tiny")
        parent = Stack.load(dirs[-1], base.model, base.content_hash) if dirs else None
        cfg = AdapterConfig(head=head, lora_r=r, lora_alpha=2 * r, lora_dropout=0.0)
        model = QAdapter(base.model, cfg, parent=parent, seed=k)
        random_lora(model, seed=10 + k)
        out = tmp_path / f"level{k + 1}"
        meta = {"alpha0": a0, "alpha_tilde": at, "gamma": 0.9}
        save_adapter(model, out, {**meta, "base_model": base.name, "base_hash": base.content_hash})
        dirs.append(out)
    return dirs


def level_logits(adapter_dir, ids, mask) -> torch.Tensor:
    """f_j: adapter j's own network (PEFT on a fresh base), full forward. (B, L, V) float64."""
    net = PeftModel.from_pretrained(load_base("tiny").model, str(adapter_dir)).eval()
    with torch.no_grad():
        return net(input_ids=ids, attention_mask=mask).logits.double()


def by_hand(dirs, ids, mask, top=None) -> list[torch.Tensor]:
    """[log pi^(0), .., log pi^(d)], each (B, L, V) float64; ``top`` overrides the last level's
    (alpha0, alpha_tilde)."""
    with torch.no_grad():
        f0 = load_base("tiny").model(input_ids=ids, attention_mask=mask).logits.double()
    lps = [f0 - f0.logsumexp(-1, keepdim=True)]
    for k, d in enumerate(dirs):
        meta = read_meta(d)
        a0, at = (meta["alpha0"], meta["alpha_tilde"])
        if top is not None and k == len(dirs) - 1:
            a0, at = top
        f = level_logits(d, ids, mask)
        q = f - f0 if meta["head"] == "residual" else f  # Q_k
        z = (q + a0 * lps[-1]) / at  # eq. 6, level k
        lps.append(z - z.logsumexp(-1, keepdim=True))
    return lps


def prompts(tok):
    return [encode_prompt(tok, [{"role": "user", "content": p}]) for p in PROMPTS]


def test_stack_of_two_equals_the_recursion_by_hand(tmp_path):
    dirs = make_stack(tmp_path, 2)
    base = load_base("tiny")
    ids, mask = left_pad(prompts(base.tokenizer), base.tokenizer.pad_token_id)
    assert not bool(mask.all())  # left padding really happens
    lp0, lp1, lp2 = by_hand(dirs, ids, mask)
    assert (lp1 - lp0).abs().max() > 0.5 and (lp2 - lp1).abs().max() > 0.5  # Q_1, Q_2 far from 0

    stack = Stack.load(dirs[1], base.model, base.content_hash)
    assert stack.depth == 2 and [lv.method.head for lv in stack.levels] == ["residual", "logits"]
    assert_close(stack.logprobs(ids, mask).double(), lp2, atol=2e-4, rtol=1e-4)
    # the one-level stack below is pi^(1) and the loaded top adapter sees log pi^(1) as its base
    below = Stack.load(dirs[0], base.model, base.content_hash)
    assert_close(below.logprobs(ids, mask).double(), lp1, atol=2e-4, rtol=1e-4)
    model, meta = load_adapter(dirs[1], base.model, base.content_hash)
    assert model.parent.depth == 1 and meta["parent_hash"] == adapter_hash(dirs[0])
    q, prev = model.full_outputs(ids, mask)
    assert_close(prev.double(), lp1, atol=2e-4, rtol=1e-4)
    assert_close(q.double(), level_logits(dirs[1], ids, mask), atol=2e-4, rtol=1e-4)  # logits head


@pytest.mark.parametrize("depth,top", [(2, None), (3, None), (3, (0.9, 0.4))])
def test_stacked_greedy_equals_argmax_of_the_recursion_from_scratch(tmp_path, depth, top):
    dirs = make_stack(tmp_path, depth)
    base = load_base("tiny")
    kw = dict(zip(("alpha0", "alpha_tilde"), top)) if top else {}
    dec = CustomizedDecoder.from_adapter(dirs[-1], base, **kw)
    assert dec.mode == "stack" and dec.depth == depth and dec.rows.count == depth + 1
    encoded = prompts(base.tokenizer)
    ids, mask = left_pad(encoded, base.tokenizer.pad_token_id)
    new = dec.generate(ids, mask, SamplingConfig(max_new_tokens=8, greedy=True))
    eos = set(dec.eos.tolist())
    checked = 0
    for row, prompt in enumerate(encoded):
        seq = torch.tensor([prompt])
        for t in range(new.shape[1]):
            ref = by_hand(dirs, seq, torch.ones_like(seq), top=top)[-1][0, -1]  # (V,)
            top2 = ref.topk(2).values
            assert top2[0] - top2[1] > 1e-6, "near-tie: the test would be fragile"
            assert new[row, t].item() == ref.argmax().item(), f"row {row} step {t}"
            checked += 1
            if new[row, t].item() in eos:
                break
            seq = torch.cat([seq, new[row : row + 1, t : t + 1]], dim=1)
    assert checked >= 3 * 3


def test_training_on_a_stack_uses_log_pi_of_the_stack_as_its_base(tmp_path, toy_pairs):
    (d1,) = make_stack(tmp_path, 1)
    base = load_base("tiny")
    stack = Stack.load(d1, base.model, base.content_hash)
    cfg = profile("tiny", alpha0=0.6, alpha_tilde=0.4, gamma=0.9, beta=0.25, chunk=3)
    model = QAdapter(base.model, AdapterConfig(lora_r=2, lora_dropout=0.0), parent=stack, seed=3)
    random_lora(model, seed=4, scale=0.2)
    frozen = {k: v.clone() for k, v in stack.lm.state_dict().items() if ".a" in k or ".b" in k}
    assert all(not p.requires_grad for p in stack.lm.parameters())

    batch = collate_pairs(
        tokenize_all(base.tokenizer, toy_pairs[:2] + toy_pairs[10:11], cfg),
        base.tokenizer.pad_token_id,
    )
    keys = ("input_ids", "attention_mask", "actions", "action_mask")
    ids, mask, act, amask = (batch[k] for k in keys)
    lp0, lp1 = by_hand([d1], ids, mask)  # log pi1 and log pi^(1) (the stack's policy), by hand
    with torch.no_grad():
        f0_raw = load_base("tiny").model(input_ids=ids, attention_mask=mask).logits.double()
    q = model.qnet(input_ids=ids, attention_mask=mask).logits.double() - f0_raw  # residual Q_2
    reference = implied_rewards(
        q, lp1, act, amask, alpha0=0.6, alpha_tilde=0.4, gamma=0.9
    )  # (2B, L)
    trained = pair_rewards(model, batch, cfg.method, chunk=cfg.chunk)
    assert reference.abs().max() > 0.1
    assert_close(trained.double(), reference, atol=2e-4, rtol=1e-4)
    # with log pi1 in place of log pi^(1) the rewards differ: the stack is really used
    flat = implied_rewards(q, lp0, act, amask, alpha0=0.6, alpha_tilde=0.4, gamma=0.9)
    assert (flat - reference).abs().max() > 0.1

    # the loss and its gradient through the chunked, checkpointed path agree with the reference
    loss, _ = pair_terms(model, batch, cfg)
    b = reference.shape[0] // 2
    params = model.trainable_parameters()
    grads = torch.autograd.grad(loss.sum(), params)
    ref_loss = qadapter_loss(reference[:b], reference[b:], amask[:b], amask[b:], beta=0.25)[0]
    assert_close(loss.double(), ref_loss, atol=2e-4, rtol=1e-4)
    ref_grads = torch.autograd.grad(ref_loss.sum(), params)
    for g, r in zip(grads, ref_grads):
        assert_close(g.double(), r.double(), atol=1e-4, rtol=1e-3)
    after = {k: v for k, v in stack.lm.state_dict().items() if k in frozen}
    assert all(torch.equal(after[k], frozen[k]) for k in frozen)  # the parent stays frozen


def test_train_writes_the_lineage_and_the_result_loads_as_a_stack(tmp_path, toy_pairs):
    (d1,) = make_stack(tmp_path, 1)
    base = load_base("tiny")
    cfg = profile("tiny", max_steps=2, batch_size=2, lora_dropout=0.0)
    parent = Stack.load(d1, base.model, base.content_hash)
    model = QAdapter(base.model, cfg.adapter, parent=parent)
    meta = {"base_model": base.name, "base_hash": base.content_hash}
    train(model, base.tokenizer, toy_pairs[:4], cfg, tmp_path / "top", meta=meta, progress=False)
    rec = read_meta(tmp_path / "top")
    assert rec["parent"] == str(d1.resolve()) and rec["parent_hash"] == adapter_hash(d1)
    again = load_base("tiny")
    loaded, _ = load_adapter(tmp_path / "top", again.model, again.content_hash)
    assert loaded.parent.depth == 1 and loaded.parent.top.directory == d1.resolve()
    assert CustomizedDecoder.from_adapter(tmp_path / "top", load_base("tiny")).mode == "stack"


def _load(d):
    base = load_base("tiny")
    return Stack.load(d, base.model, base.content_hash)


def test_a_missing_or_changed_parent_is_refused(tmp_path):
    d1, d2 = make_stack(tmp_path, 2)
    update_meta(d1, heldout={"note": "metrics may change"})  # not a policy field: still loads
    assert _load(d2).depth == 2
    saved = (d1 / "adapter_model.safetensors").read_bytes()

    update_meta(d1, alpha0=0.71)  # another policy
    with pytest.raises(AdapterError, match="content hash .* trained on"):
        _load(d2)
    update_meta(d1, alpha0=0.7)
    shutil.copy(tmp_path / "level2" / "adapter_model.safetensors", d1)  # other weights
    with pytest.raises(AdapterError, match="content hash"):
        _load(d2)
    (d1 / "adapter_model.safetensors").write_bytes(saved)
    assert _load(d2).depth == 2

    moved = tmp_path / "elsewhere"
    d1.rename(moved)
    base = load_base("tiny")
    for load in (
        lambda: _load(d2),
        lambda: load_adapter(d2, base.model, base.content_hash),
        lambda: CustomizedDecoder.from_adapter(d2, base),
    ):
        with pytest.raises(AdapterError, match="parent adapter .* not found"):
            load()
    moved.rename(d1)

    update_meta(d2, parent_hash=None)
    with pytest.raises(AdapterError, match="no parent_hash"):
        _load(d2)


def test_parent_references_relative_and_registry(tmp_path, monkeypatch):
    from qadapter import meta

    # no resolver yet, whatever an earlier test installed (qadapter.registry.install());
    # monkeypatch restores the process's resolvers afterwards
    monkeypatch.setattr(meta, "_RESOLVERS", {})
    d1, d2 = make_stack(tmp_path, 2)
    update_meta(d2, parent="../level1")  # relative to the child's directory
    assert _load(d2).levels[0].directory.resolve() == d1.resolve()
    update_meta(d2, parent="models:/prefs/1")
    with pytest.raises(AdapterError, match="no resolver is registered"):
        _load(d2)
    asked = []
    register_resolver("models", lambda ref, child: asked.append((ref, child)) or d1)
    assert _load(d2).depth == 2 and asked[0] == ("models:/prefs/1", Path(d2))


def test_inconsistent_parents_are_refused_when_building(tmp_path):
    (d1,) = make_stack(tmp_path, 1)
    base, other = load_base("tiny"), load_base("tiny")
    stack = Stack.load(d1, other.model, other.content_hash)
    with pytest.raises(AdapterError, match="other weights"):
        QAdapter(base.model, AdapterConfig(), parent=stack)
    model = QAdapter(base.model, AdapterConfig())
    meta = {"alpha0": 1.0, "alpha_tilde": 1.0, "gamma": 0.9, "base_model": base.name}
    with pytest.raises(AdapterError, match="not trained on it"):
        save_adapter(model, tmp_path / "x", {**meta, "base_hash": "0", "parent": str(d1)})
    with pytest.raises(AdapterError, match="trained on base"):
        Stack.load(d1, load_base("tiny:1").model, load_base("tiny:1").content_hash)


def test_info_prints_the_chain_and_refuses_a_broken_one(tmp_path, capsys):
    d1, d2 = make_stack(tmp_path, 2)
    assert cli.main(["info", str(d2)]) == 0
    out = capsys.readouterr().out
    assert f"{d2} <- {d1.resolve()} <- base tiny:0" in out and "depth 2, verified" in out
    assert f"level 1  {d1.resolve()}  hash {adapter_hash(d1)[:12]}" in out
    meta = json.loads((d1 / "qadapter.json").read_text())
    (d1 / "qadapter.json").write_text(json.dumps({**meta, "alpha_tilde": 0.55}))
    assert cli.main(["info", str(d2)]) == 2
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert err[-1].startswith("qadapter: error: ") and "content hash" in err[-1]
    assert sum(line.startswith("qadapter: error:") for line in err) == 1


def test_a_depth_one_adapter_keeps_the_two_group_dual_path(tmp_path):
    (d1,) = make_stack(tmp_path, 1)
    dec = CustomizedDecoder.from_adapter(d1, load_base("tiny"))
    assert dec.mode == "dual" and dec.rows.count == 2 and dec.depth == 1
    assert read_meta(d1).get("parent") is None and dec.levels == (dec.method,)


def test_extend_logprobs_continues_a_cache_and_equals_the_recursion(tmp_path):
    from transformers import DynamicCache

    dirs = make_stack(tmp_path, 2)
    base = load_base("tiny")
    dec = CustomizedDecoder.from_adapter(dirs[-1], base)
    p = prompts(base.tokenizer)[0]
    ids = torch.tensor([p, p[::-1]])  # two rows of one length: positions agree with a full pass
    mask = torch.ones_like(ids)
    pos = torch.arange(ids.shape[1]).expand_as(ids)
    split = ids.shape[1] - 3
    cache = DynamicCache()
    first = dec.extend_logprobs(cache, ids[:, :split], mask[:, :split], pos[:, :split])
    rest = dec.extend_logprobs(cache, ids[:, split:], mask, pos[:, split:])
    both = torch.cat([first, rest], dim=1).double()  # (B, L, V)
    assert_close(both, by_hand(dirs, ids, mask)[-1], atol=2e-4, rtol=1e-4)


def test_lm_eval_scoring_of_a_stack_equals_the_recursion(tmp_path):
    """The lm-eval model scores a stacked adapter with pi^(2) (shared contexts included, which
    fall back to whole-row scoring: incremental scoring reads log pi1, not log pi^(1))."""
    from qadapter.evaluate.harness import QAdapterLM

    dirs = make_stack(tmp_path, 2)
    lm = QAdapterLM(base="tiny", adapter=str(dirs[1]))
    assert not lm.policy.incremental
    context = "Question: What is the capital of France?\nAnswer:"
    choices = [" Paris", " Lyon is a city", " No"]

    class Req:  # lm-eval's Instance, as far as the model reads it
        def __init__(self, *args):
            self.args = args

    got = lm.loglikelihood([Req(context, c) for c in choices])
    for choice, (lp, _) in zip(choices, got):
        ctx, cont = lm.encode_pair(context, choice)
        ids = torch.tensor([ctx + cont])
        lp2 = by_hand(dirs, ids, torch.ones_like(ids))[-1][0]  # (L, V) log pi^(2)
        want = sum(float(lp2[len(ctx) - 1 + i, t]) for i, t in enumerate(cont))
        assert lp == pytest.approx(want, abs=2e-3)


@torch.no_grad()
def test_general_kl_of_a_stack_is_to_the_base_and_to_the_parent(tmp_path):
    """kl.general of a depth-2 stack is KL(pi^(2) || pi^(0)), the whole stack's distance from
    pi1 (not the top level's distance from its parent, which is kl.general_parent); both from
    the recursion by hand over every response state."""
    from qadapter.data.tokenize import encode_response
    from qadapter.evaluate.forgetting import general_items, general_kl
    from qadapter.evaluate.harness import QAdapterLM

    dirs = make_stack(tmp_path, 2)
    lm = QAdapterLM(base="tiny", adapter=str(dirs[1]))
    items = general_items(2)[:1] + general_items(2)[2:3]  # one mc item, one arith item
    got = general_kl(lm.policy, items, batch_size=2)
    tok = lm.policy.base.tokenizer
    to_base, to_parent = [], []
    for q, a in items:
        p = encode_prompt(tok, [{"role": "user", "content": q}])
        seq = p + encode_response(tok, a)
        ids = torch.tensor([seq])
        lp0, lp1, lp2 = (x[0] for x in by_hand(dirs, ids, torch.ones_like(ids)))
        for t in range(len(p) - 1, len(seq) - 1):  # the states choosing response tokens
            to_base.append(float((lp2[t].exp() * (lp2[t] - lp0[t])).sum()))
            to_parent.append(float((lp2[t].exp() * (lp2[t] - lp1[t])).sum()))
    assert got["kl.states"] == len(to_base)
    assert got["kl.general"] == pytest.approx(sum(to_base) / len(to_base), rel=1e-4)
    assert got["kl.general_max"] == pytest.approx(max(to_base), rel=1e-4)
    assert got["kl.general_parent"] == pytest.approx(sum(to_parent) / len(to_parent), rel=1e-4)
    assert abs(got["kl.general"] - got["kl.general_parent"]) > 1e-3  # the two differ here
