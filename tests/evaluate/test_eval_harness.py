"""The lm-eval model ``qadapter`` against brute-force references with explicit loops.

The reference recomputes every prefix from scratch (no batching, no cache, unmerged LoRA on a
fresh copy of the base), forms eq. 6 with a loop over the vocabulary in float64, and sums over
continuation tokens in a Python loop.
"""

import copy
import math
from types import SimpleNamespace

import pytest
import torch
from peft import PeftModel

from qadapter.decode import CustomizedDecoder, SamplingConfig
from qadapter.evaluate.harness import QAdapterLM
from qadapter.evaluate.scoring import continuation_scores, score_rows

ALPHA0, ALPHA_TILDE = 0.7, 0.6  # the random adapter's own values (conftest)
PAIRS = [
    ("Question: What is the capital of France?\nAnswer:", " Paris"),
    (
        "Question: How do I bake bread?\nAnswer: ",
        "Mix flour, water and salt.",
    ),  # trailing space moves
    ("The quick brown fox", " jumps over the lazy dog."),
    ("", "Hello! Thanks, that helps a lot."),  # empty context: the prefix token conditions
    ("Yes", "."),
]


def req(*args):
    return SimpleNamespace(args=args)


class Reference:
    """log pi~ (or log pi1) of the next token after a prefix, from scratch, in float64."""

    def __init__(self, base, adapter_dir=None, alpha0=ALPHA0, alpha_tilde=ALPHA_TILDE):
        self.base, self.alpha0, self.alpha_tilde = base, alpha0, alpha_tilde
        self.peft = (
            None
            if adapter_dir is None
            else PeftModel.from_pretrained(copy.deepcopy(base.model), str(adapter_dir)).eval()
        )

    @torch.no_grad()
    def next_logprobs(self, prefix: list[int]) -> list[float]:
        ids = torch.tensor([prefix])
        f_b = self.base.model(input_ids=ids).logits[0, -1].double().tolist()
        lse_b = math.log(sum(math.exp(x) for x in f_b))
        log_pi1 = [x - lse_b for x in f_b]
        if self.peft is None:
            return log_pi1
        f_q = self.peft(input_ids=ids).logits[0, -1].double().tolist()
        z = [
            ((fq - fb) + self.alpha0 * lp) / self.alpha_tilde
            for fq, fb, lp in zip(f_q, f_b, log_pi1)
        ]  # eq. 6, residual head
        lse = math.log(sum(math.exp(v) for v in z))
        return [v - lse for v in z]

    def score(self, ctx: list[int], cont: list[int], max_length: int = 10**9) -> tuple[float, bool]:
        total, greedy = 0.0, True
        whole = ctx + cont
        start = max(
            0, len(whole) - (max_length + 1)
        )  # lm-eval keeps one window: the last max_length + 1 tokens
        for j in range(len(cont)):
            end = len(ctx) + j  # predict whole[end] from whole[start:end]
            lp = self.next_logprobs(whole[start:end])
            total += lp[whole[end]]
            best = max(range(len(lp)), key=lambda a: lp[a])
            greedy = greedy and best == whole[end]
        return total, greedy


def expected_tokens(tok, context, continuation, prefix_id):
    """lm-eval's token boundary, written out for the test cases."""
    if context == "":
        return [prefix_id], tok.encode(continuation, add_special_tokens=False)
    n_sp = len(context) - len(context.rstrip())
    if n_sp:
        context, continuation = context[:-n_sp], context[-n_sp:] + continuation
    whole = tok.encode(context + continuation, add_special_tokens=False)
    n = len(tok.encode(context, add_special_tokens=False))
    return whole[:n], whole[n:]


def test_customized_loglikelihood_equals_eq6_summed_by_hand(tiny_base, random_adapter):
    lm = QAdapterLM(base=tiny_base, adapter=str(random_adapter), batch_size=3)
    got = lm.loglikelihood([req(c, x) for c, x in PAIRS])
    ref = Reference(tiny_base, random_adapter)
    for (c, x), (lp, greedy) in zip(PAIRS, got):
        ctx, cont = expected_tokens(tiny_base.tokenizer, c, x, lm.prefix_token_id)
        assert lm.encode_pair(c, x) == (ctx, cont)
        want_lp, want_greedy = ref.score(ctx, cont)
        assert lp == pytest.approx(want_lp, abs=1e-4), (c, x)
        assert greedy == want_greedy


def test_trailing_space_moves_to_the_continuation(tiny_base):
    lm = QAdapterLM(base=tiny_base)
    ctx, cont = lm.encode_pair("Answer: ", "Paris")
    assert tiny_base.tokenizer.decode(ctx) == "Answer:"
    assert tiny_base.tokenizer.decode(cont) == " Paris"


def test_no_adapter_is_log_pi1(tiny_base):
    lm = QAdapterLM(base=tiny_base, batch_size=2)
    got = lm.loglikelihood([req(c, x) for c, x in PAIRS])
    ref = Reference(tiny_base)
    for (c, x), (lp, greedy) in zip(PAIRS, got):
        want_lp, want_greedy = ref.score(*lm.encode_pair(c, x))
        assert lp == pytest.approx(want_lp, abs=1e-4)
        assert greedy == want_greedy


def test_is_greedy_true_exactly_on_the_brute_force_argmax_path(tiny_base, random_adapter):
    lm = QAdapterLM(base=tiny_base, adapter=str(random_adapter))
    ref = Reference(tiny_base, random_adapter)
    ctx = lm.tok_encode("Please explain gravity simply.")
    path = []
    for _ in range(4):  # the greedy continuation of pi~, by brute force
        lp = ref.next_logprobs(ctx + path)
        path.append(max(range(len(lp)), key=lambda a: lp[a]))
    second = sorted(range(len(lp)), key=lambda a: -lp[a])[1]
    rows = [(ctx, path), (ctx, path[:-1] + [second]), (ctx, path[:2])]
    got = score_rows(lm.policy, rows, batch_size=3, max_length=lm.max_length)
    assert [g for _, g in got] == [True, False, True]
    for (c, x), (lp_sum, _) in zip(rows, got):
        assert lp_sum == pytest.approx(ref.score(c, x)[0], abs=1e-4)


def test_batched_equals_one_by_one_and_truncation_keeps_the_end(tiny_base, random_adapter):
    lm = QAdapterLM(base=tiny_base, adapter=str(random_adapter))
    tok = lm.tok_encode
    rows = [(tok(c) or [lm.prefix_token_id], tok(x)) for c, x in PAIRS] + [
        (tok("a b c d e f g h i j k l m n o p"), tok(" q r s"))
    ]
    m = max(len(x) for _, x in rows) + 2
    assert any(len(c) + len(x) > m + 1 for c, x in rows)  # at least one row is truncated
    one = [score_rows(lm.policy, [r], batch_size=1, max_length=m)[0] for r in rows]
    many = score_rows(lm.policy, rows, batch_size=4, max_length=m)
    for (a, ga), (b, gb) in zip(one, many):
        assert a == pytest.approx(b, abs=1e-5) and ga == gb
    ref = Reference(tiny_base, random_adapter)
    for r, (lp, greedy) in zip(rows, many):  # inputs cut to the last m tokens, as lm-eval does
        assert lp == pytest.approx(ref.score(*r, max_length=m)[0], abs=1e-4)


def test_continuation_scores_by_hand():
    # one row, T = 3, V = 2: positions 1 and 2 scored, targets 0 and 1
    lp = torch.log(torch.tensor([[[0.5, 0.5], [0.9, 0.1], [0.3, 0.7]]]))
    sums, greedy = continuation_scores(
        lp, torch.tensor([[1, 0, 1]]), torch.tensor([[False, True, True]])
    )
    assert sums.item() == pytest.approx(math.log(0.9) + math.log(0.7))
    assert greedy.tolist() == [True]
    sums, greedy = continuation_scores(
        lp, torch.tensor([[1, 1, 1]]), torch.tensor([[False, True, True]])
    )
    assert sums.item() == pytest.approx(math.log(0.1) + math.log(0.7)) and greedy.tolist() == [
        False
    ]


def test_rolling_equals_the_full_sequence_sum_for_a_short_text(tiny_base, random_adapter):
    lm = QAdapterLM(base=tiny_base, adapter=str(random_adapter))
    text = "Paris is the capital of France. The quick brown fox jumps."
    (got,) = lm.loglikelihood_rolling([req(text)])
    toks = lm.tok_encode(text)
    ref = Reference(tiny_base, random_adapter)
    want = sum(
        ref.next_logprobs([lm.prefix_token_id] + toks[:i])[toks[i]] for i in range(len(toks))
    )
    assert got == pytest.approx(want, abs=1e-4)


def test_rolling_windows_score_each_token_once_with_lm_eval_contexts(tiny_base):
    """max_length 4, 10 tokens (lm-eval's documented example): contexts per predicted token are
    [P], [P t0], [P t0 t1], [P t0 t1 t2]; [t3], [t3 t4], [t3 t4 t5], [t3 .. t6]; [t5 t6 t7],
    [t5 .. t8]."""
    lm = QAdapterLM(base=tiny_base, max_length=4)
    text = "Hello! Thanks, that helps a lot. No. Yes."
    toks = lm.tok_encode(text)[:10]
    text = tiny_base.tokenizer.decode(toks)
    assert lm.tok_encode(text) == toks
    (got,) = lm.loglikelihood_rolling([req(text)])
    p = lm.prefix_token_id
    contexts = [
        [p],
        [p] + toks[:1],
        [p] + toks[:2],
        [p] + toks[:3],
        toks[3:4],
        toks[3:5],
        toks[3:6],
        toks[3:7],
        toks[5:8],
        toks[5:9],
    ]
    ref = Reference(tiny_base)
    want = sum(ref.next_logprobs(c)[toks[i]] for i, c in enumerate(contexts))
    assert got == pytest.approx(want, abs=1e-4)


def _greedy_text(decoder, tok, prompt, n):
    ids = torch.tensor([tok.encode(prompt, add_special_tokens=False)])
    new = decoder.generate(
        ids, torch.ones_like(ids), SamplingConfig(max_new_tokens=n, greedy=True)
    )[0].tolist()
    return new


def test_generate_until_equals_customized_greedy_and_stops_at_the_stop_string(
    tiny_base, random_adapter, monkeypatch
):
    lm = QAdapterLM(base=tiny_base, adapter=str(random_adapter), batch_size=2)
    reference_decoder = CustomizedDecoder.from_adapter(
        random_adapter, tiny_base, alpha0=ALPHA0, alpha_tilde=ALPHA_TILDE
    )
    tok = tiny_base.tokenizer
    prompts = [
        "Question: How do I bake bread?\nAnswer:",
        "Hello!",
        "What is the capital of France?",
    ]
    full = [
        tok.decode(_greedy_text(reference_decoder, tok, p, 24), skip_special_tokens=True)
        for p in prompts
    ]
    assert all(len(t) > 12 for t in full), "the random policy should not end this early"
    stop = full[0][8:11]  # a stop string from the middle of the first generation
    steps = []
    original = type(lm.policy.decoder).generate

    def counting_generate(self, *a, **kw):
        inner = kw["on_step"]
        kw["on_step"] = lambda nxt: (steps.append(1), inner(nxt))
        return original(self, *a, **kw)

    monkeypatch.setattr(type(lm.policy.decoder), "generate", counting_generate)
    got = lm.generate_until(
        [req(prompts[0], {"until": [stop], "max_gen_toks": 24, "do_sample": False})]
    )
    assert got == [full[0][: full[0].index(stop)]]
    assert len(steps) < 24  # decoding ended when the stop string appeared
    # a batch of different lengths and no stop string in reach: the full greedy texts, in order
    got = lm.generate_until([req(p, {"until": ["\u2603"], "max_gen_toks": 24}) for p in prompts])
    assert got == full


def test_generate_until_without_adapter_is_pi1_greedy(tiny_base):
    lm = QAdapterLM(base=tiny_base, batch_size=2)
    tok = tiny_base.tokenizer
    prompts = ["Hello!", "Question: What is the capital of France?\nAnswer:"]
    got = lm.generate_until([req(p, {"until": ["\u2603"], "max_gen_toks": 16}) for p in prompts])
    for p, text in zip(prompts, got):
        ids = torch.tensor([tok.encode(p, add_special_tokens=False)])
        out = tiny_base.model.generate(
            ids,
            attention_mask=torch.ones_like(ids),
            do_sample=False,
            max_new_tokens=16,
            pad_token_id=tok.pad_token_id,
        )
        new = out[0, ids.shape[1] :].tolist()
        cut = next((i for i, t in enumerate(new) if t == tok.eos_token_id), len(new))
        assert text == tok.decode(new[:cut], skip_special_tokens=True)


def test_the_base_model_is_left_untouched_by_an_adapter(tiny_base, random_adapter):
    ids = torch.tensor([tiny_base.tokenizer.encode("Hello!", add_special_tokens=False)])
    before = tiny_base.model(input_ids=ids).logits
    QAdapterLM(base=tiny_base, adapter=str(random_adapter))
    assert torch.equal(tiny_base.model(input_ids=ids).logits, before)


def test_registered_under_qadapter_and_built_from_an_arg_string(random_adapter):
    from lm_eval.api.registry import get_model

    cls = get_model("qadapter")
    assert cls is QAdapterLM
    lm = cls.create_from_arg_string(
        f"base=tiny,adapter={random_adapter},alpha0=0.5,batch_size=2,max_length=64"
    )
    assert (lm.policy.alpha0, lm.policy.alpha_tilde, lm.batch_size, lm.max_length) == (
        0.5,
        ALPHA_TILDE,
        2,
        64,
    )
    assert get_model("hf").__name__ == "HFLM"  # lm-eval's own models are still registered


def test_without_adapter_it_matches_lm_evals_own_hf_model(tiny_base, tmp_path):
    """The same requests through lm-eval's HFLM on the same weights: identical conventions."""
    from lm_eval.models.huggingface import HFLM

    from qadapter.models import tiny_tokenizer

    tiny_base.model.save_pretrained(tmp_path)
    tiny_tokenizer().save_pretrained(tmp_path)
    hf = HFLM(pretrained=str(tmp_path), dtype="float32", device="cpu", batch_size=1, max_length=16)
    ours = QAdapterLM(base=tiny_base, batch_size=3, max_length=16)
    ll_requests = [req(c, x) for c, x in PAIRS] + [req("a b c d e f g h i j k l", " m n o")]
    for (a, ga), (b, gb) in zip(ours.loglikelihood(ll_requests), hf.loglikelihood(ll_requests)):
        assert a == pytest.approx(b, abs=1e-4) and ga == gb
    texts = [req("Hello! Thanks, that helps a lot. No. Yes. Maybe later. 0123456789 " * 2)]
    assert ours.loglikelihood_rolling(texts) == pytest.approx(
        hf.loglikelihood_rolling(texts), abs=1e-3
    )
    prompts = [
        "Hello!",
        "The quick brown fox",
        "Mix flour, water,",
        "Paris",
        "What is the capital?",
    ]
    gen = [req(p, {"until": ["isar"], "max_gen_toks": 8, "do_sample": False}) for p in prompts]
    got = ours.generate_until(gen)
    assert got == hf.generate_until(gen)
    assert got[3] == "ar" and len(set(got)) == len(got)  # "arisaris..." cut before "isar"


@pytest.mark.parametrize("with_adapter", [True, False])
def test_shared_contexts_run_once_and_equal_separate_rows(tiny_base, random_adapter, with_adapter):
    lm = QAdapterLM(base=tiny_base, adapter=str(random_adapter) if with_adapter else None)
    groups = {
        "Question: What is the capital of France?\nAnswer:": [
            " Paris",
            " Lyon is a city",
            " No",
            " The fox.",
        ],
        "Please explain gravity simply.": [" Yes", " No, I can't help with that."],
        "Hello!": [" Sure", " Thanks"],  # one-token continuations only
    }
    requests = [req(c, x) for c, xs in groups.items() for x in xs] + [req("Maybe later.", " Yes.")]
    calls = []
    original = lm.policy.extend
    lm.policy.extend = lambda *a, **kw: (calls.append(tuple(a[0].shape)), original(*a, **kw))[1]
    got = lm.loglikelihood(requests)
    longest_ctx = max(len(lm.encode_pair(c, xs[0])[0]) for c, xs in groups.items())
    assert calls[0] == (3, longest_ctx)  # every context once, in one left-padded batch
    assert calls[1][0] == 8 and len(calls) == 2  # all choices in one batch over the caches
    ref = Reference(tiny_base, random_adapter if with_adapter else None)
    for r, (lp, greedy) in zip(requests, got):
        want_lp, want_greedy = ref.score(*lm.encode_pair(*r.args))
        assert lp == pytest.approx(want_lp, abs=1e-4) and greedy == want_greedy
    rows = [lm.encode_pair(*r.args) for r in requests]
    separate = score_rows(lm.policy, rows, batch_size=8, max_length=lm.max_length)
    assert [g for _, g in got] == [g for _, g in separate]
    assert [lp for lp, _ in got] == pytest.approx([lp for lp, _ in separate], abs=1e-5)


def test_sampling_config_from_lm_eval_kwargs(caplog):
    from qadapter.evaluate.harness import sampling_config

    assert sampling_config({"do_sample": False, "temperature": 0.7}, 5).greedy
    assert sampling_config({"do_sample": True, "temperature": 0.0}, 5).greedy  # lm-eval: greedy
    cfg = sampling_config({"do_sample": True, "temperature": 0.7, "top_p": 0.9, "top_k": 5}, 9)
    assert (cfg.greedy, cfg.temperature, cfg.top_p, cfg.top_k, cfg.max_new_tokens) == (
        False,
        0.7,
        0.9,
        5,
        9,
    )
    sampling_config({"do_sample": False, "repetition_penalty": 1.1}, 5)
    assert "repetition_penalty" in caplog.text


def test_blank_contexts_condition_on_the_prefix_token(tiny_base):
    lm = QAdapterLM(base=tiny_base, max_length=32)
    p = lm.prefix_token_id
    assert lm.encode_pair("  ", "Hello") == ([p], lm.tok_encode("  Hello"))
    (got,) = lm.generate_until([req("", {"until": ["\u2603"], "max_gen_toks": 5})])
    ids = torch.tensor([[p]])
    new = lm.policy.decoder.generate(ids, torch.ones_like(ids), SamplingConfig(5, greedy=True))
    toks = new[0].tolist()
    toks = toks[: next((j for j, x in enumerate(toks) if x in lm.eos), len(toks))]
    assert got == tiny_base.tokenizer.decode(toks, skip_special_tokens=True)
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        QAdapterLM(base=tiny_base, batch_size=-1)
