"""Response masks follow the chat template's boundary.

Truncation keeps the prompt's end and the response's start.
"""

import torch

from qadapter.data.pairs import PreferencePair
from qadapter.data.tokenize import (
    collate_pairs,
    encode_prompt,
    encode_response,
    left_pad,
    tokenize_pair,
)
from qadapter.models import tiny_tokenizer

TOK = tiny_tokenizer()


def pair(prompt="How do I bake bread?", chosen="Mix flour and water.", rejected="No."):
    return PreferencePair(({"role": "user", "content": prompt},), chosen, rejected)


def test_prompt_ends_with_generation_prompt_and_response_ends_with_eos():
    ids = encode_prompt(TOK, [{"role": "user", "content": "Hi"}])
    assert TOK.decode(ids) == "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
    resp = encode_response(TOK, "Hello there.")
    assert resp[-1] == TOK.eos_token_id and TOK.decode(resp[:-1]) == "Hello there."


def test_mask_scores_exactly_the_response_tokens_including_the_first():
    tp = tokenize_pair(TOK, pair(), max_length=128)
    batch = collate_pairs([tp], TOK.pad_token_id)
    ids, mask, actions = batch["input_ids"], batch["action_mask"], batch["actions"]
    assert ids.shape[0] == 2
    for row, response in ((0, tp.chosen_ids), (1, tp.rejected_ids)):
        scored = actions[row][mask[row]].tolist()
        assert scored == list(response)  # every response token, first one and EOS included
        assert mask[row].sum().item() == len(response)
        # the state ending at the last prompt token takes the first response action
        first = len(tp.prompt_ids) - 1
        assert mask[row, first] and not mask[row, first - 1]
    assert TOK.decode(actions[1][mask[1]].tolist()) == "No.<|im_end|>"
    assert not mask[
        1, len(tp.prompt_ids) + len(tp.rejected_ids) - 1 :
    ].any()  # padding is never scored


def test_long_prompt_never_leaks_into_the_mask():
    """The reference code let prompt tokens past 256 into the loss; here none ever are."""
    long_prompt = " ".join(["bread water salt"] * 100)
    tp = tokenize_pair(TOK, pair(prompt=long_prompt), max_length=1024, max_prompt_length=900)
    assert len(tp.prompt_ids) > 300 and not tp.truncated
    batch = collate_pairs([tp], TOK.pad_token_id)
    assert batch["action_mask"][0].sum().item() == len(tp.chosen_ids)
    assert batch["action_mask"][0, : len(tp.prompt_ids) - 1].sum().item() == 0


def test_truncation_keeps_prompt_end_and_response_start_consistently():
    p = pair(
        prompt="one two three four five six seven eight nine ten " * 4,
        chosen="alpha beta gamma delta " * 10,
        rejected="short",
    )
    full_prompt = encode_prompt(TOK, p.prompt)
    full_chosen = encode_response(TOK, p.chosen)
    tp = tokenize_pair(TOK, p, max_length=60, max_prompt_length=20)
    assert tp.truncated
    assert len(tp.prompt_ids) + len(tp.chosen_ids) <= 60
    assert list(tp.prompt_ids) == full_prompt[-len(tp.prompt_ids) :]  # the end of the prompt
    assert list(tp.chosen_ids) == full_chosen[: len(tp.chosen_ids)]  # the start of the response
    assert len(tp.prompt_ids) == 20
    assert list(tp.rejected_ids) == encode_response(TOK, "short")  # fits: kept whole, same prompt


def test_no_truncation_when_it_fits():
    tp = tokenize_pair(TOK, pair(), max_length=512)
    assert not tp.truncated
    assert list(tp.prompt_ids) == encode_prompt(TOK, pair().prompt)


def test_left_pad():
    ids, mask = left_pad([[5, 6, 7], [8]], pad_id=0)
    assert ids.tolist() == [[5, 6, 7], [0, 0, 8]]
    assert mask.tolist() == [[1, 1, 1], [0, 0, 1]]
    assert ids.dtype == torch.long
