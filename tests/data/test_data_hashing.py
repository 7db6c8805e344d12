"""The dataset hash: order-independent, format-independent, content-sensitive."""

from __future__ import annotations

import json
import random

import pyarrow as pa
import pyarrow.parquet as pq

from qadapter.data import PreferencePair, dataset_hash, load_preferences

PAIRS = [
    PreferencePair(({"role": "user", "content": f"q{i}"},), f"good {i}", f"bad {i}")
    for i in range(20)
]


def test_hash_is_sha256_hex_and_order_independent():
    h = dataset_hash(PAIRS)
    assert len(h) == 64 and int(h, 16) >= 0
    shuffled = PAIRS[:]
    random.Random(3).shuffle(shuffled)
    assert dataset_hash(shuffled) == h


def test_hash_ignores_origin_but_sees_content():
    h = dataset_hash(PAIRS)
    moved = [PreferencePair(p.prompt, p.chosen, p.rejected, origin="elsewhere:9") for p in PAIRS]
    assert dataset_hash(moved) == h
    swapped = [PreferencePair(PAIRS[0].prompt, PAIRS[0].rejected, PAIRS[0].chosen)] + PAIRS[1:]
    assert dataset_hash(swapped) != h
    assert dataset_hash(PAIRS[:-1]) != h
    role = [PreferencePair(({"role": "system", "content": "q0"},), "good 0", "bad 0")] + PAIRS[1:]
    assert dataset_hash(role) != h


def test_hash_is_the_same_across_file_formats_and_record_formats(tmp_path, hh, write_jsonl):
    turns = [("Hi", "Hello!", "Joke?", "A pun.", "No."), ("Sky color?", None, None, "Blue", "Red")]
    hh_rows, trl_rows, msg_rows = [], [], []
    for q1, a1, q2, good, bad in turns:
        prefix = (q1, a1, q2) if a1 else (q1,)
        hh_rows.append({"chosen": hh(*prefix, good), "rejected": hh(*prefix, bad)})
        msgs = [
            {"role": "user" if i % 2 == 0 else "assistant", "content": t}
            for i, t in enumerate(prefix)
        ]
        msg_rows.append(
            {
                "chosen": msgs + [{"role": "assistant", "content": good}],
                "rejected": msgs + [{"role": "assistant", "content": bad}],
            }
        )
        trl_rows.append(
            {"prompt": msgs, "chosen": good, "rejected": [{"role": "assistant", "content": bad}]}
        )
    write_jsonl(tmp_path / "hh.jsonl", hh_rows)
    write_jsonl(tmp_path / "msgs.jsonl", msg_rows[::-1])
    (tmp_path / "trl.json").write_text(json.dumps({"data": trl_rows}))
    pq.write_table(pa.Table.from_pylist(hh_rows), tmp_path / "hh.parquet")
    hashes = {
        name: dataset_hash(load_preferences(tmp_path / name).pairs)
        for name in ("hh.jsonl", "msgs.jsonl", "trl.json", "hh.parquet")
    }
    assert len(set(hashes.values())) == 1, hashes
    assert len(load_preferences(tmp_path / "hh.jsonl").pairs) == 2
