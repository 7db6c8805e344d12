#!/usr/bin/env python3
"""Build data/probe/facts.jsonl: four-option questions generated from fact tables written here.

The forgetting probe's paired margin measure needs several hundred items with known answers; the
hand-written ``mc.jsonl`` has 168. This script fills question templates from small tables of
common facts (capitals, continents, opposites, plurals, past tenses, sequences, counting, animal
young, colours, simple sums and comparisons), each table written for this project. Wrong options
are other answers of the same table (or, for word forms, regular-but-wrong forms), drawn with a
seeded RNG; the correct option is placed by a balanced seeded shuffle, so every index 0..3 holds
it equally often (to within one). A question whose topic word already appears in ``mc.jsonl``
(e.g. the capital of France) is dropped and counted, so the two files never ask the same thing.
Deterministic: rerunning rewrites the same file.

    python data/probe/make_facts.py
"""

from __future__ import annotations

import json
import random
from pathlib import Path

SEED = 2026
HERE = Path(__file__).resolve().parent
OUT = HERE / "facts.jsonl"

CAPITALS = """Peru:Lima, Chile:Santiago, Colombia:Bogota, Venezuela:Caracas, Ecuador:Quito, Bolivia:La Paz,
Uruguay:Montevideo, Paraguay:Asuncion, Mexico:Mexico City, Cuba:Havana, Jamaica:Kingston,
Portugal:Lisbon, Ireland:Dublin, Belgium:Brussels, the Netherlands:Amsterdam, Austria:Vienna,
Switzerland:Bern, Poland:Warsaw, Czechia:Prague, Hungary:Budapest, Greece:Athens,
Sweden:Stockholm, Finland:Helsinki, Denmark:Copenhagen, Iceland:Reykjavik, Russia:Moscow,
Ukraine:Kyiv, Romania:Bucharest, Bulgaria:Sofia, Serbia:Belgrade, Croatia:Zagreb,
Turkey:Ankara, Iran:Tehran, Iraq:Baghdad, Syria:Damascus, Israel:Jerusalem, Jordan:Amman,
Lebanon:Beirut, Saudi Arabia:Riyadh, India:New Delhi, Pakistan:Islamabad, Bangladesh:Dhaka,
Nepal:Kathmandu, China:Beijing, Mongolia:Ulaanbaatar, Thailand:Bangkok, Vietnam:Hanoi,
Indonesia:Jakarta, the Philippines:Manila, Malaysia:Kuala Lumpur, Nigeria:Abuja, Ghana:Accra,
Ethiopia:Addis Ababa, Morocco:Rabat, Tunisia:Tunis, Algeria:Algiers, Senegal:Dakar,
Uganda:Kampala, Tanzania:Dodoma, New Zealand:Wellington, the United Kingdom:London,
the United States:Washington, Brazil:Brasilia, Afghanistan:Kabul, Libya:Tripoli, Sudan:Khartoum,
Zimbabwe:Harare, Zambia:Lusaka"""

CONTINENTS = """Peru:South America, Chile:South America, Colombia:South America, Brazil:South America,
Uruguay:South America, Bolivia:South America, Mexico:North America, Canada:North America,
Cuba:North America, Guatemala:North America, Honduras:North America, Jamaica:North America,
Portugal:Europe, Ireland:Europe, Austria:Europe, Poland:Europe, Sweden:Europe,
Finland:Europe, Hungary:Europe, Greece:Europe, Belgium:Europe, Denmark:Europe, India:Asia,
China:Asia, Thailand:Asia, Vietnam:Asia, Mongolia:Asia, Nepal:Asia, Pakistan:Asia,
Indonesia:Asia, Japan:Asia, Malaysia:Asia, Nigeria:Africa, Ghana:Africa, Ethiopia:Africa,
Morocco:Africa, Senegal:Africa, Uganda:Africa, Tanzania:Africa, Zambia:Africa,
Botswana:Africa, Namibia:Africa, New Zealand:Oceania, Fiji:Oceania, Samoa:Oceania,
Tonga:Oceania, Papua New Guinea:Oceania, Vanuatu:Oceania"""

OPPOSITES = """hot:cold, big:small, up:down, fast:slow, happy:sad, light:dark, open:closed, full:empty,
wet:dry, young:old, early:late, hard:soft, loud:quiet, rich:poor, strong:weak, thick:thin,
high:low, long:short, heavy:light, clean:dirty, true:false, win:lose, begin:end, buy:sell,
push:pull, inside:outside, above:below, arrive:leave, remember:forget, accept:refuse,
alive:dead, ancient:modern, brave:cowardly, cheap:expensive, deep:shallow, friend:enemy,
give:take, laugh:cry, north:south, east:west, wide:narrow, sharp:blunt, smooth:rough,
sweet:sour, tall:short, safe:dangerous, easy:difficult, first:last, always:never,
asleep:awake"""

PLURALS = """child:children, mouse:mice, foot:feet, tooth:teeth, goose:geese, man:men, woman:women,
person:people, ox:oxen, cactus:cacti, leaf:leaves, knife:knives, wolf:wolves, half:halves,
life:lives, wife:wives, loaf:loaves, shelf:shelves, thief:thieves, box:boxes, bus:buses,
dish:dishes, church:churches, baby:babies, city:cities, party:parties, lady:ladies,
story:stories, sheep:sheep, deer:deer, fish:fish, potato:potatoes, tomato:tomatoes,
hero:heroes, crisis:crises, analysis:analyses, phenomenon:phenomena, criterion:criteria,
fungus:fungi"""

PAST = """go:went, eat:ate, see:saw, take:took, give:gave, write:wrote, drive:drove, speak:spoke,
break:broke, choose:chose, fly:flew, draw:drew, grow:grew, know:knew, throw:threw, sing:sang,
drink:drank, swim:swam, begin:began, ring:rang, sit:sat, get:got, forget:forgot, buy:bought,
bring:brought, think:thought, catch:caught, teach:taught, fight:fought, sleep:slept,
keep:kept, feel:felt, leave:left, meet:met, lose:lost, find:found, build:built, send:sent,
spend:spent, tell:told, sell:sold, stand:stood, understand:understood, fall:fell, hold:held,
make:made, pay:paid, say:said, hear:heard"""

YOUNG = """cat:kitten, dog:puppy, cow:calf, horse:foal, sheep:lamb, goat:kid, pig:piglet, duck:duckling,
goose:gosling, frog:tadpole, kangaroo:joey, bear:cub, lion:cub, deer:fawn, swan:cygnet,
owl:owlet, hen:chick, butterfly:caterpillar, eagle:eaglet, seal:pup"""

COLOURS = """a ripe banana:yellow, fresh grass:green, a clear daytime sky:blue, coal:black, snow:white,
a ripe tomato:red, a ripe orange:orange, a ripe lemon:yellow, milk:white,
a ripe strawberry:red, an emerald:green, a ruby:red, chocolate:brown, a fire engine:red,
an eggplant:purple, a crow:black, a polar bear:white, a flamingo:pink, a carrot:orange,
tree bark:brown, a lime:green, the sea on a sunny day:blue,
a school bus in the United States:yellow, a lump of charcoal:black, a sapphire:blue,
lavender flowers:purple"""

SIDES = """triangle:3, square:4, rectangle:4, pentagon:5, octagon:8, heptagon:7, nonagon:9, decagon:10"""

DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
MONTHS = (
    "January February March April May June July August September October November December".split()
)
NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
).split()


def table(text: str) -> list[tuple[str, str]]:
    """'key:value, key two:value two, ...' -> [(key, value), ...] (entries split at commas)."""
    return [tuple(e.strip().split(":")) for e in " ".join(text.split()).split(",") if e.strip()]


def _from_table(rng, subject, rows, question, n_wrong=3):
    """One item per (key, answer) row; wrong options: other distinct answers of the table."""
    answers = sorted({a for _, a in rows})
    items = []
    for key, ans in rows:
        pool = [a for a in answers if a != ans]
        if len(pool) < n_wrong:
            continue
        items.append((subject, question.format(key), key, ans, rng.sample(pool, n_wrong)))
    return items


def _word_forms(rng, subject, rows, question, wrong_forms):
    items = []
    for word, ans in rows:
        wrong = [w for w in dict.fromkeys(wrong_forms(word)) if w != ans]
        if len(wrong) >= 3:
            items.append((subject, question.format(word), word, ans, wrong[:3]))
    return items


def _plural_wrong(w: str) -> list[str]:
    return [w + "s", w + "es", w, w + "en", w + "ies"]


def _past_wrong(w: str) -> list[str]:
    stem = w[:-1] if w.endswith("e") else w
    regular = w + "d" if w.endswith("e") else w + "ed"
    third = w + "es" if w.endswith(("s", "sh", "ch", "o")) else w + "s"
    return [regular, stem + "ing", third, w]


def _sequence(subject, names, template, step, *, wrap=True):
    """Next/previous in a cycle (days, months) or a line (letters: no wrap-around)."""
    items, n = [], len(names)
    for i, name in enumerate(names):
        j = i + step
        if not wrap and not 0 <= j < n:
            continue
        near = [j + 1, j - 1, j + 2, j - 2, j + 3, j - 3]
        near = [k % n for k in near if wrap or 0 <= k < n]
        wrong = [names[k] for k in dict.fromkeys(near) if k != j % n][:3]
        items.append((subject, template.format(name), name, names[j % n], wrong))
    return items


def _arithmetic(rng, n):
    items, seen = [], set()
    while len(items) < n:
        op = rng.choice("+-x")
        a, b = rng.randint(2, 20), rng.randint(2, 12)
        if op == "-" and b > a:
            a, b = b, a
        if (a, op, b) in seen:
            continue
        seen.add((a, op, b))
        ans = a + b if op == "+" else a - b if op == "-" else a * b
        word = {"+": "plus", "-": "minus", "x": "times"}[op]
        wrong = sorted({ans + d for d in (-2, -1, 1, 2, 10) if ans + d >= 0} - {ans})
        wrong = [str(x) for x in rng.sample(wrong, 3)]
        items.append(("numbers", f"What is {a} {word} {b}?", f"{a}{op}{b}", str(ans), wrong))
    return items


def _comparisons(rng, n):
    items, seen = [], set()
    while len(items) < n:
        nums = rng.sample(range(3, 999), 4)
        if tuple(sorted(nums)) in seen:
            continue
        seen.add(tuple(sorted(nums)))
        largest = rng.random() < 0.5
        ans = max(nums) if largest else min(nums)
        word = "largest" if largest else "smallest"
        items.append(
            (
                "numbers",
                f"Which of these numbers is the {word}: {', '.join(map(str, nums))}?",
                f"{word}-{nums}",
                str(ans),
                [str(x) for x in nums if x != ans],
            )
        )
    return items


def _counting():
    items = []
    for n in range(1, 20):
        ans = NUMBER_WORDS[n + 1]
        wrong = [
            NUMBER_WORDS[n],
            NUMBER_WORDS[n + 2] if n + 2 <= 20 else "zero",
            NUMBER_WORDS[n - 1],
        ]
        items.append(
            ("numbers", f"Counting up, which number word comes right after '{NUMBER_WORDS[n]}'?",
             NUMBER_WORDS[n], ans, wrong)
        )  # fmt: skip
    return items


def generate(rng: random.Random) -> list[tuple[str, str, str, str, list[str]]]:
    """(subject, question, topic, correct, [3 wrong]) for every template, in a fixed order."""
    letters = [chr(c) for c in range(ord("A"), ord("Z") + 1)]
    return (
        _from_table(rng, "geography", table(CAPITALS), "Which city is the capital of {}?")
        + _from_table(rng, "geography", table(CONTINENTS), "{} is a country on which continent?")
        + _from_table(rng, "language", table(OPPOSITES), "Which word means the opposite of '{}'?")
        + _word_forms(
            rng, "language", table(PLURALS), "Which is the correct plural of '{}'?", _plural_wrong
        )
        + _word_forms(
            rng, "language", table(PAST), "Which is the simple past tense of '{}'?", _past_wrong
        )
        + _from_table(rng, "nature", table(YOUNG), "What is a young {} called?")
        + _from_table(rng, "everyday", table(COLOURS), "What colour is {}, usually?")
        + _from_table(rng, "numbers", table(SIDES), "How many sides does a {} have?")
        + _sequence("sequences", DAYS, "Which day of the week comes right after {}?", 1)
        + _sequence("sequences", DAYS, "Which day of the week comes right before {}?", -1)
        + _sequence("sequences", MONTHS, "Which month comes right after {}?", 1)
        + _sequence("sequences", MONTHS, "Which month comes right before {}?", -1)
        + _sequence(
            "sequences",
            letters,
            "Which letter comes right after {} in the alphabet?",
            1,
            wrap=False,
        )
        + _counting()
        + _arithmetic(rng, 90)
        + _comparisons(rng, 40)
    )


def build() -> tuple[list[dict], list[str]]:
    """The rows of facts.jsonl, and the generated questions dropped as already in mc.jsonl."""
    rng = random.Random(SEED)
    mc = [json.loads(line)["question"] for line in open(HERE / "mc.jsonl", encoding="utf-8")]
    mc_text = " ".join(q.lower() for q in mc)
    items, dropped, seen = [], [], set()
    for subject, question, topic, correct, wrong in generate(rng):
        if question in seen:
            raise SystemExit(f"duplicate generated question {question!r}: fix the tables")
        seen.add(question)
        assert len(wrong) == 3 and correct not in wrong and len(set(wrong)) == 3, question
        if len(topic) > 2 and f" {topic.lower()}" in f" {mc_text}" and subject != "numbers":
            dropped.append(question)  # mc.jsonl already asks about this topic
            continue
        items.append((subject, question, correct, wrong))
    positions = [i % 4 for i in range(len(items))]
    rng.shuffle(positions)
    rows = []
    for n, ((subject, question, correct, wrong), pos) in enumerate(zip(items, positions), 1):
        wrong = list(wrong)
        rng.shuffle(wrong)
        rows.append(
            {
                "id": f"facts-{n:04d}",
                "question": question,
                "choices": wrong[:pos] + [correct] + wrong[pos:],
                "answer": pos,
                "subject": subject,
            }
        )
    return rows, dropped


def main():
    rows, dropped = build()
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts = [sum(r["answer"] == i for r in rows) for i in range(4)]
    print(f"{OUT.name}: {len(rows)} questions; answer positions {counts}; ", end="")
    print(f"{len(dropped)} dropped (topic already in mc.jsonl)")


if __name__ == "__main__":
    main()
