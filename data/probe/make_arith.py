#!/usr/bin/env python3
"""Generate data/probe/arith.jsonl: arithmetic word problems with verified integer answers.

Written for this project. Each template draws numbers from a seeded RNG, computes the answer in
code, and writes a short worked solution that ends with "The answer is N." Numbers are chosen so
every intermediate step and the answer are whole numbers. Deterministic: rerunning rewrites the
same file.

    python data/probe/make_arith.py
"""

from __future__ import annotations

import json
import random
from pathlib import Path

SEED = 7
N_PROBLEMS = 240
OUT = Path(__file__).resolve().parent / "arith.jsonl"

NAMES = [
    "Maya",
    "Omar",
    "Lena",
    "Jonas",
    "Priya",
    "Diego",
    "Aiko",
    "Sam",
    "Fatima",
    "Liam",
    "Nora",
    "Kofi",
    "Elena",
    "Ravi",
    "Chloe",
    "Mateo",
    "Hana",
    "Ben",
    "Zara",
    "Tom",
    "Ines",
    "Yusuf",
    "Grace",
    "Leo",
]
# (singular, plural, low price, high price) in whole dollars
ITEMS = [
    ("notebook", "notebooks", 2, 6),
    ("pen", "pens", 1, 3),
    ("apple", "apples", 1, 2),
    ("sandwich", "sandwiches", 4, 9),
    ("T-shirt", "T-shirts", 8, 20),
    ("book", "books", 6, 18),
    ("candle", "candles", 3, 8),
    ("mug", "mugs", 5, 12),
    ("plant pot", "plant pots", 4, 10),
    ("bag of rice", "bags of rice", 3, 7),
]
SNACKS = ["stickers", "marbles", "crayons", "cookies", "trading cards", "beads", "stamps"]


def t_shopping(r):
    n = r.choice(NAMES)
    (s1, p1, lo1, hi1), (s2, p2, lo2, hi2) = r.sample(ITEMS, 2)
    a, b = r.randint(2, 6), r.randint(2, 5)
    x, y = r.randint(lo1, hi1), r.randint(lo2, hi2)
    ans = a * x + b * y
    q = (
        f"{n} buys {a} {p1} at ${x} each and {b} {p2} at ${y} each. "
        f"How many dollars does {n} spend in total?"
    )
    sol = (
        f"The {p1} cost {a} × {x} = {a * x} dollars and the {p2} cost {b} × {y} = {b * y} "
        f"dollars. Together that is {a * x} + {b * y} = {ans} dollars."
    )
    return q, ans, sol


def t_change(r):
    n = r.choice(NAMES)
    s, p, lo, hi = r.choice(ITEMS)
    k, price = r.randint(2, 5), r.randint(lo, hi)
    cost = k * price
    bill = next(b for b in (10, 20, 50, 100) if b > cost)
    ans = bill - cost
    q = f"{n} buys {k} {p} that cost ${price} each and pays with a ${bill} bill. How much change, in dollars, does {n} get?"
    sol = f"The {p} cost {k} × {price} = {cost} dollars. The change is {bill} - {cost} = {ans} dollars."
    return q, ans, sol


def t_travel_time(r):
    speed = r.choice([40, 50, 60, 80, 90, 100])
    minutes = r.choice([30, 45, 90, 120, 150, 180, 210])
    if (speed * minutes) % 60:
        minutes = 120
    dist = speed * minutes // 60
    mode = r.choice(["a train", "a bus", "a car", "a ferry"])
    q = f"{mode[0].upper() + mode[1:]} travels {dist} kilometers at a steady {speed} kilometers per hour. How many minutes does the trip take?"
    sol = (
        f"Time = distance ÷ speed = {dist} ÷ {speed} hours. In minutes that is "
        f"{dist} × 60 ÷ {speed} = {minutes}."
    )
    return q, minutes, sol


def t_distance(r):
    n = r.choice(NAMES)
    how = r.choice(["cycles", "rows", "walks", "skates"])
    lo, hi = {"cycles": (10, 20), "rows": (4, 8), "walks": (3, 6), "skates": (8, 14)}[how]
    speed, hours = r.randint(lo, hi), r.randint(2, 6)
    ans = speed * hours
    q = f"{n} {how} at {speed} kilometers per hour for {hours} hours. How many kilometers does {n} cover?"
    sol = f"Distance = speed × time = {speed} × {hours} = {ans} kilometers."
    return q, ans, sol


def t_sharing(r):
    n = r.choice(NAMES)
    thing = r.choice(SNACKS)
    k, each = r.randint(3, 9), r.randint(4, 15)
    total = k * each
    q = f"{n} has {total} {thing} and shares them equally among {k} friends. How many {thing} does each friend get?"
    sol = f"Each friend gets {total} ÷ {k} = {each} {thing}."
    return q, each, sol


def t_leftover(r):
    n = r.choice(NAMES)
    thing = r.choice(SNACKS)
    k, each = r.randint(3, 8), r.randint(3, 9)
    rem = r.randint(1, k - 1)
    total = k * each + rem
    q = (
        f"{n} has {total} {thing} and puts them into bags of {k}. After filling as many full bags "
        f"as possible, how many {thing} are left over?"
    )
    sol = (
        f"{each} full bags use {each} × {k} = {k * each} {thing}, and one more full bag would need "
        f"{k * (each + 1)}, which is more than {total}. So {total} - {k * each} = {rem} are left over."
    )
    return q, rem, sol


def t_ages(r):
    a, b = r.sample(NAMES, 2)
    young, diff, later = r.randint(5, 30), r.randint(2, 12), r.randint(2, 10)
    ans = young + diff + later
    q = f"{a} is {diff} years older than {b}. {b} is {young} years old. How old will {a} be in {later} years?"
    sol = f"{a} is {young} + {diff} = {young + diff} now. In {later} years {a} will be {young + diff} + {later} = {ans}."
    return q, ans, sol


def t_ages_sum(r):
    child = r.choice(NAMES)
    age, mult = r.randint(4, 14), r.randint(3, 5)
    parent = r.choice(["mother", "father", "aunt", "uncle"])
    ans = age + age * mult
    q = f"{child} is {age} years old. {child}'s {parent} is {mult} times as old. What is the sum of their ages?"
    sol = f"The {parent} is {mult} × {age} = {age * mult}. Together: {age} + {age * mult} = {ans}."
    return q, ans, sol


def t_area(r):
    length, w = r.randint(3, 15), r.randint(2, 12)
    room = r.choice(["garden", "room", "patio", "classroom floor", "vegetable bed"])
    q = f"A rectangular {room} is {length} meters long and {w} meters wide. What is its area in square meters?"
    ans = length * w
    sol = f"Area = length × width = {length} × {w} = {ans} square meters."
    return q, ans, sol


def t_carpet(r):
    length, w, c = r.randint(3, 8), r.randint(2, 6), r.randint(5, 25)
    area = length * w
    ans = area * c
    q = f"Carpet costs ${c} per square meter. How many dollars does it cost to carpet a room that is {length} meters by {w} meters?"
    sol = f"The area is {length} × {w} = {area} square meters, so the cost is {area} × {c} = {ans} dollars."
    return q, ans, sol


def t_fence(r):
    length, w = r.randint(5, 40), r.randint(4, 30)
    ans = 2 * (length + w)
    q = f"A farmer wants to fence a rectangular field {length} meters long and {w} meters wide. How many meters of fence are needed to go all the way around?"
    sol = f"Perimeter = 2 × ({length} + {w}) = 2 × {length + w} = {ans} meters."
    return q, ans, sol


def t_rate(r):
    n = r.choice(NAMES)
    what = r.choice(["boxes", "cupcakes", "bracelets", "paper cranes", "greeting cards"])
    per_h, hours, days = r.randint(3, 12), r.randint(2, 8), r.randint(2, 5)
    ans = per_h * hours * days
    q = f"{n} makes {per_h} {what} per hour and works {hours} hours a day for {days} days. How many {what} does {n} make in total?"
    sol = f"Per day: {per_h} × {hours} = {per_h * hours}. Over {days} days: {per_h * hours} × {days} = {ans}."
    return q, ans, sol


def t_saving(r):
    n = r.choice(NAMES)
    weekly, weeks = r.randint(5, 30), r.randint(4, 20)
    goal = weekly * weeks
    thing = r.choice(["a bike", "a guitar", "a tablet", "concert tickets", "a tent", "new shoes"])
    q = f"{n} wants to buy {thing} for ${goal} and saves ${weekly} every week. How many weeks will it take to save enough?"
    sol = f"{goal} ÷ {weekly} = {weeks} weeks."
    return q, weeks, sol


def t_discount(r):
    pct = r.choice([10, 20, 25, 50])
    base = {10: 10, 20: 5, 25: 4, 50: 2}[pct]
    price = base * r.randint(3, 30)
    off = price * pct // 100
    ans = price - off
    thing = r.choice(["jacket", "lamp", "pair of boots", "backpack", "desk chair", "board game"])
    q = f"A {thing} costs ${price}. It is on sale for {pct}% off. What is the sale price in dollars?"
    sol = f"{pct}% of {price} is {off}. The sale price is {price} - {off} = {ans} dollars."
    return q, ans, sol


def t_recipe(r):
    people, grams = r.choice([2, 4, 5, 6]), r.choice([100, 150, 200, 250, 300])
    factor = r.randint(2, 4)
    target = people * factor
    ingredient = r.choice(["flour", "pasta", "rice", "sugar", "oats"])
    ans = grams * factor
    q = f"A recipe for {people} people uses {grams} grams of {ingredient}. How many grams are needed to make it for {target} people?"
    sol = f"{target} people is {target} ÷ {people} = {factor} times the recipe, so {grams} × {factor} = {ans} grams."
    return q, ans, sol


def t_multistep(r):
    n = r.choice(NAMES)
    thing = r.choice(SNACKS)
    start, give = r.randint(20, 60), r.randint(3, 15)
    packs, per = r.randint(2, 5), r.randint(4, 10)
    ans = start - give + packs * per
    q = (
        f"{n} has {start} {thing}, gives {give} to a friend, and then buys {packs} packs with "
        f"{per} {thing} in each. How many {thing} does {n} have now?"
    )
    sol = (
        f"After giving some away: {start} - {give} = {start - give}. The packs add {packs} × {per} = "
        f"{packs * per}. Total: {start - give} + {packs * per} = {ans}."
    )
    return q, ans, sol


def t_pages(r):
    n = r.choice(NAMES)
    per, days = r.randint(8, 40), r.randint(3, 9)
    total = per * days + r.randint(10, 150)
    ans = total - per * days
    q = f"A book has {total} pages. {n} reads {per} pages a day for {days} days. How many pages are left to read?"
    sol = f"{n} reads {per} × {days} = {per * days} pages. Pages left: {total} - {per * days} = {ans}."
    return q, ans, sol


def t_fuel(r):
    per100, hundreds = r.randint(5, 9), r.randint(2, 8)
    dist = hundreds * 100
    ans = per100 * hundreds
    q = f"A car uses {per100} liters of fuel for every 100 kilometers. How many liters does it use on a {dist}-kilometer trip?"
    sol = f"{dist} kilometers is {hundreds} lots of 100 kilometers, so it uses {per100} × {hundreds} = {ans} liters."
    return q, ans, sol


def t_temperature(r):
    start, up, down = r.randint(-5, 15), r.randint(3, 12), r.randint(2, 15)
    ans = start + up - down
    q = f"The temperature was {start}°C in the morning. It rose by {up} degrees by noon and then fell by {down} degrees by night. What was the temperature at night, in °C?"
    sol = f"At noon it was {start} + {up} = {start + up}. At night: {start + up} - {down} = {ans}."
    return q, ans, sol


def t_buses(r):
    seats = r.choice([30, 40, 45, 50])
    full = r.randint(2, 6)
    students = seats * full + r.randint(1, seats - 1)
    ans = full + 1
    q = f"A school trip has {students} students. Each bus holds {seats} students. How many buses are needed so everyone has a seat?"
    sol = (
        f"{full} buses hold {seats * full} students, leaving {students - seats * full} without a seat, "
        f"so one more bus is needed: {full} + 1 = {ans}."
    )
    return q, ans, sol


def t_wage(r):
    n = r.choice(NAMES)
    wage, hours, bonus = r.randint(12, 30), r.randint(5, 40), r.choice([20, 25, 50, 75, 100])
    ans = wage * hours + bonus
    q = f"{n} earns ${wage} an hour and works {hours} hours this week, plus a ${bonus} bonus. How many dollars does {n} earn this week?"
    sol = f"Hourly pay: {wage} × {hours} = {wage * hours}. With the bonus: {wage * hours} + {bonus} = {ans} dollars."
    return q, ans, sol


def t_tickets(r):
    adults, kids = r.randint(2, 4), r.randint(2, 5)
    pa, pk = r.randint(10, 25), r.randint(4, 12)
    place = r.choice(["museum", "zoo", "aquarium", "cinema", "science center"])
    ans = adults * pa + kids * pk
    q = f"At the {place}, adult tickets cost ${pa} and child tickets cost ${pk}. How much do {adults} adult and {kids} child tickets cost altogether, in dollars?"
    sol = f"Adults: {adults} × {pa} = {adults * pa}. Children: {kids} × {pk} = {kids * pk}. Total: {adults * pa} + {kids * pk} = {ans} dollars."
    return q, ans, sol


def t_time_sum(r):
    n = r.choice(NAMES)
    a, b, c = r.randint(10, 50), r.randint(10, 50), r.randint(5, 40)
    ans = a + b + c
    q = f"{n} spends {a} minutes on homework, {b} minutes practicing piano and {c} minutes reading. How many minutes is that in total?"
    sol = f"{a} + {b} + {c} = {ans} minutes."
    return q, ans, sol


TEMPLATES = [
    t_shopping,
    t_change,
    t_travel_time,
    t_distance,
    t_sharing,
    t_leftover,
    t_ages,
    t_ages_sum,
    t_area,
    t_carpet,
    t_fence,
    t_rate,
    t_saving,
    t_discount,
    t_recipe,
    t_multistep,
    t_pages,
    t_fuel,
    t_temperature,
    t_buses,
    t_wage,
    t_tickets,
    t_time_sum,
]


def main():
    rng = random.Random(SEED)
    rows, seen = [], set()
    i = 0
    while len(rows) < N_PROBLEMS:
        template = TEMPLATES[i % len(TEMPLATES)]
        i += 1
        q, ans, sol = template(rng)
        if q in seen:
            continue
        assert isinstance(ans, int)
        seen.add(q)
        rows.append(
            {
                "id": f"arith-{len(rows) + 1:04d}",
                "question": q,
                "answer": ans,
                "solution": f"{sol} The answer is {ans}.",
            }
        )
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{OUT.name}: {len(rows)} problems from {len(TEMPLATES)} templates")


if __name__ == "__main__":
    main()
