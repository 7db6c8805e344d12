import os

import pytest

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture
def toy_pairs():
    """A separable toy preference: the polite, complete answer always wins over a curt refusal."""
    from qadapter.data.pairs import PreferencePair

    topics = ["bread", "gravity", "France", "the fox", "yeast", "salt", "water", "flour", "the dog", "Paris", "a safer idea", "thanks"]
    pairs = []
    for i, t in enumerate(topics):
        prompt = ({"role": "user", "content": f"Please explain {t} simply."},)
        pairs.append(PreferencePair(prompt, f"Sure, here you go. {t} is simple.", "No.", origin=f"toy:{i}"))
    return pairs
