"""Draw the static figures that lessons show to readers without a running kernel.

Run `python scripts/make_figures.py` after changing a figure, then `course lessons`.
The weights drawn are the worked examples printed in the lessons' text.
"""
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from helpers.data import logic_gate  # noqa: E402
from helpers.perceptron import plot_perceptron  # noqa: E402
from helpers.plots import new_figure  # noqa: E402

SOLUTIONS = Path(__file__).resolve().parent.parent / "solutions"
SAVE = {"dpi": 100, "metadata": {"Software": None}}  # no version stamp: same bytes every run


def perceptron_and_xor():
    fig, (left, right) = new_figure(ncols=2)
    X, y = logic_gate("AND")
    plot_perceptron(left, X, y, [-2, 1, 2], predict=lambda w, points: points @ w > 0,
                    title="AND: $-2 + x_1 + 2x_2 = 0$ separates")
    X, y = logic_gate("XOR")
    plot_perceptron(right, X, y, [0, 0, 0], title="XOR: no straight line separates")
    fig.tight_layout()
    fig.savefig(SOLUTIONS / "01-perceptron" / "perceptron-and-xor.png", **SAVE)
    plt.close(fig)


if __name__ == "__main__":
    perceptron_and_xor()
