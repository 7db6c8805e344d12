"""The training loop optimizes exactly the tested math: its per-token rewards (chunked, on response
positions only, recomputed in backward) equal ``loss.implied_rewards`` on the full outputs."""

import pytest
import torch
from torch.testing import assert_close

from qadapter.adapter import AdapterConfig, QAdapter
from qadapter.config import profile
from qadapter.data.tokenize import collate_pairs
from qadapter.loss import implied_rewards, qadapter_loss
from qadapter.models import load_base, tiny_model
from qadapter.objective import pair_rewards, pair_terms, tokenize_all


def random_lora(model: QAdapter, seed: int, scale: float = 0.2) -> None:
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.trainable_parameters():
            p.copy_(torch.randn(p.shape, generator=g) * scale)


def padded_batch(tokenizer, pairs, cfg):
    batch = collate_pairs(tokenize_all(tokenizer, pairs, cfg), tokenizer.pad_token_id)
    lengths = batch["attention_mask"].sum(-1)
    assert len(set(lengths.tolist())) > 1  # rows of different lengths: right padding happens
    return batch


@pytest.mark.parametrize(
    "head,separate,chunk", [("residual", False, 3), ("logits", False, 256), ("logits", True, 3)]
)
def test_training_rewards_equal_implied_rewards_of_full_outputs(toy_pairs, head, separate, chunk):
    base = load_base("tiny")
    cfg = profile(
        "tiny",
        head=head,
        alpha0=0.7,
        alpha_tilde=0.3,
        gamma=0.9,
        beta=0.25,
        chunk=chunk,
        lora_dropout=0.0,
    )
    q_model = tiny_model(seed=7, hidden=32, layers=1) if separate else None
    model = QAdapter(
        base.model, AdapterConfig(head=head, lora_dropout=0.0), q_model=q_model, seed=1
    )
    random_lora(model, seed=2)
    batch = padded_batch(base.tokenizer, toy_pairs[:3] + toy_pairs[10:11], cfg)

    trained = pair_rewards(model, batch, cfg.method, chunk=cfg.chunk)  # (2B, L)
    q, base_lp = model.full_outputs(batch["input_ids"], batch["attention_mask"])
    reference = implied_rewards(
        q, base_lp, batch["actions"], batch["action_mask"], alpha0=0.7, alpha_tilde=0.3, gamma=0.9
    )
    assert reference.abs().max() > 0.1  # Q is far from 0: the test can see a wrong term
    assert_close(trained, reference, atol=1e-5, rtol=1e-5)

    # the per-example loss and its gradient through the chunked, checkpointed path agree too
    loss, metrics = pair_terms(model, batch, cfg)
    b = reference.shape[0] // 2
    mask = batch["action_mask"]
    ref_loss, ref_metrics = qadapter_loss(
        reference[:b], reference[b:], mask[:b], mask[b:], beta=0.25
    )
    assert_close(loss, ref_loss, atol=1e-5, rtol=1e-5)
    assert_close(metrics["margin"], ref_metrics["margin"], atol=1e-5, rtol=1e-5)
    params = model.trainable_parameters()
    grads = torch.autograd.grad(loss.sum(), params)
    q, base_lp = model.full_outputs(batch["input_ids"], batch["attention_mask"])
    again = implied_rewards(
        q, base_lp, batch["actions"], mask, alpha0=0.7, alpha_tilde=0.3, gamma=0.9
    )
    ref_grads = torch.autograd.grad(
        qadapter_loss(again[:b], again[b:], mask[:b], mask[b:], beta=0.25)[0].sum(), params
    )
    for g, r in zip(grads, ref_grads):
        assert_close(g, r, atol=1e-5, rtol=1e-4)


def test_chosen_nll_term_equals_full_softmax_reference(toy_pairs):
    """``chosen_nll = w``: loss = eq. 9 + w * mean NLL of the chosen tokens under pi~, where the
    reference takes log pi~ from a full log_softmax of eq. 6 over the vocabulary (not from the
    Q - V shortcut the training path uses); gradients agree as well."""
    base = load_base("tiny")
    w = 0.7
    cfg = profile(
        "tiny",
        alpha0=0.4,
        alpha_tilde=0.25,
        gamma=0.95,
        beta=0.1,
        chunk=3,
        lora_dropout=0.0,
        chosen_nll=w,
    )
    model = QAdapter(base.model, AdapterConfig(lora_dropout=0.0), seed=1)
    random_lora(model, seed=3)
    batch = padded_batch(base.tokenizer, toy_pairs[:3] + toy_pairs[10:11], cfg)
    mask = batch["action_mask"]
    b = mask.shape[0] // 2

    def reference():
        q, base_lp = model.full_outputs(batch["input_ids"], batch["attention_mask"])
        r = implied_rewards(
            q, base_lp, batch["actions"], mask, alpha0=0.4, alpha_tilde=0.25, gamma=0.95
        )
        eq9, _ = qadapter_loss(r[:b], r[b:], mask[:b], mask[b:], beta=0.1)
        logp = torch.log_softmax((q + 0.4 * base_lp) / 0.25, dim=-1)  # (2B, L, V)
        taken_lp = logp.gather(-1, batch["actions"].unsqueeze(-1)).squeeze(-1)[:b]  # (B, L)
        nll = torch.stack(
            [-taken_lp[i][mask[i]].mean() for i in range(b)]
        )  # loop over rows: no masked-sum shortcut
        return eq9, nll

    loss, metrics = pair_terms(model, batch, cfg)
    eq9, nll = reference()
    assert nll.min() > 0.5  # a real, non-trivial NLL
    assert_close(metrics["chosen_nll"], nll.detach(), atol=1e-5, rtol=1e-5)
    assert_close(loss, eq9 + w * nll, atol=1e-5, rtol=1e-5)
    params = model.trainable_parameters()
    grads = torch.autograd.grad(loss.sum(), params)
    eq9, nll = reference()
    ref_grads = torch.autograd.grad((eq9 + w * nll).sum(), params)
    for g, r in zip(grads, ref_grads):
        assert_close(g, r, atol=1e-5, rtol=1e-4)

    # w = 0 is eq. 9 alone, with no extra metric
    plain = profile(
        "tiny", alpha0=0.4, alpha_tilde=0.25, gamma=0.95, beta=0.1, chunk=3, lora_dropout=0.0
    )
    loss0, metrics0 = pair_terms(model, batch, plain)
    assert "chosen_nll" not in metrics0
    assert_close(loss0, eq9.detach(), atol=1e-5, rtol=1e-5)
