#!/usr/bin/env python3
"""Writes the cascade benchmark's labelled task: short arithmetic questions with gold answers, easy and hard.

Easy items ask one operation directly; hard items are multi-step word problems. The split is fixed by the seed, so
running this again writes the same files. Usage: python3 make_items.py (in this directory).
"""
import json
import random

rng = random.Random(20261206)

def easy(i):
    kind = rng.choice(["sum", "difference", "larger"])
    a, b = rng.randint(2, 20), rng.randint(2, 20)
    if kind == "sum":
        return f"What is {a} + {b}?", a + b
    if kind == "difference":
        a, b = max(a, b) + 5, min(a, b)
        return f"What is {a} minus {b}?", a - b
    if a == b:
        b += 1
    return f"Which number is larger, {a} or {b}?", max(a, b)

def hard(i):
    kind = rng.choice(["crates", "trip", "savings", "expression"])
    if kind == "crates":
        x, y, z = rng.randint(12, 48), rng.randint(12, 36), rng.randint(20, 150)
        return (f"A warehouse receives {x} crates holding {y} bottles each, and {z} bottles arrive broken. "
                f"How many unbroken bottles did it receive?", x * y - z)
    if kind == "trip":
        s, h, b = rng.randint(45, 95), rng.randint(3, 9), rng.randint(20, 120)
        return (f"A train runs at {s} km per hour for {h} hours, then a bus carries the passengers a further {b} km. "
                f"How many kilometres did they travel in total?", s * h + b)
    if kind == "savings":
        w, n, c = rng.randint(15, 60), rng.randint(6, 26), rng.randint(30, 200)
        return (f"Maria saves {w} euros every week for {n} weeks and then spends {c} euros on a jacket. "
                f"How many euros does she have left?", w * n - c)
    a, b, c, d = rng.randint(13, 59), rng.randint(13, 59), rng.randint(100, 900), rng.randint(10, 99)
    return f"Compute ({a} * {b}) - {c} + {d}.", a * b - c + d

def write(path, prefix, n_easy, n_hard):
    items = [("easy", easy) for _ in range(n_easy)] + [("hard", hard) for _ in range(n_hard)]
    rng.shuffle(items)
    with open(path, "w", encoding="utf-8") as f:
        for i, (difficulty, make) in enumerate(items, 1):
            question, answer = make(i)
            f.write(json.dumps({"id": f"{prefix}{i:03d}", "question": question, "answer": str(answer), "difficulty": difficulty}) + "\n")

write("items.test.jsonl", "t", 110, 90)
write("items.train.jsonl", "r", 30, 30)
