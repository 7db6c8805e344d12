import os

import pytest

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture
def toy_pairs():
    """A separable toy preference: a short friendly yes beats a longer refusal.

    The chosen answer is the *shorter* one on purpose: at initialisation the implied return of a
    residual-head adapter grows with length (V <= 0 when alpha0 >= alpha_tilde), so the untrained
    model ranks these pairs wrongly and learning has to flip them.
    """
    return toy_pair_list()


def toy_pair_list():
    from qadapter.data.pairs import PreferencePair

    topics = [
        "bread",
        "gravity",
        "France",
        "the fox",
        "yeast",
        "salt",
        "water",
        "flour",
        "the dog",
        "Paris",
        "a safer idea",
        "thanks",
    ]
    return [
        PreferencePair(
            ({"role": "user", "content": f"Please explain {t} simply."},),
            "Yes, gladly.",
            f"No. I will not explain {t} to you today.",
            origin=f"toy:{i}",
        )
        for i, t in enumerate(topics)
    ]


@pytest.fixture
def toy_jsonl(tmp_path):
    """The toy pairs as TRL-style JSONL files: (train with 9 pairs, test with 3)."""
    import json

    pairs = toy_pair_list()
    paths = []
    for name, part in (("train.jsonl", pairs[:9]), ("test.jsonl", pairs[9:])):
        path = tmp_path / "toy" / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(
            "".join(
                json.dumps(
                    {"prompt": p.prompt[0]["content"], "chosen": p.chosen, "rejected": p.rejected}
                )
                + "\n"
                for p in part
            )
        )
        paths.append(path)
    return tuple(paths)
