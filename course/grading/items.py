"""Item analysis: for each exercise, who earned it and how well it separates students.

The item-rest correlation of an exercise is Pearson's r between its score and the sum of
every other exercise's score, over the students (scores before the late penalty). A good
exercise is earned more often by students who do well on the rest: r well above 0. An r
near 0 or negative says the exercise measures something else, often a misleading text or
a test that rejects right answers; full marks for nearly everyone says it is too easy, for
few that it is too hard.
"""
import math
from dataclasses import dataclass

TOO_EASY = 0.9  # share of students with full marks at or above which an exercise is easy
TOO_HARD = 0.2  # share with full marks at or below which it is hard
WEAK = 0.2  # item-rest r below which an exercise separates students poorly


@dataclass
class Item:
    exercise: str
    maximum: float
    full: float  # share of students with full marks
    partial: float
    zero: float
    mean: float
    item_rest: float | None  # None when the item or the rest is the same for everyone

    @property
    def verdict(self):
        notes = []
        if self.full >= TOO_EASY:
            notes.append("too easy?")
        elif self.full <= TOO_HARD:
            notes.append("too hard?")
        if self.item_rest is not None and self.item_rest < WEAK:
            notes.append("separates poorly: misleading?")
        return "; ".join(notes)


def pearson(xs, ys):
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def analyse(rows, maximums):
    """One Item per exercise of `maximums`, from the report's rows (their "tests")."""
    scores = {e: [row["tests"].get(e, 0) for row in rows] for e in maximums}
    totals = [sum(scores[e][i] for e in maximums) for i in range(len(rows))]
    items, n = [], max(1, len(rows))
    for exercise, maximum in maximums.items():
        own = scores[exercise]
        full = sum(s >= maximum for s in own) / n
        zero = sum(s <= 0 for s in own) / n
        partial = sum(0 < s < maximum for s in own) / n
        rest = [total - s for total, s in zip(totals, own)]
        items.append(Item(exercise, maximum, full, partial, zero, sum(own) / n, pearson(own, rest)))
    return items
