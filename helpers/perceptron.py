"""Lesson 01 (the perceptron): its figure, its training-history table and a widget that
steps through the student's own `train`.

Nothing here trains a perceptron: the figure and the widget draw what the student's
`train` and `predict` return.
"""
import html

import ipywidgets as widgets
import numpy as np

from helpers.data import LOGIC_GATES, logic_gate
from helpers.plots import CLASS_COLORS, LIMITS, finish_gate_axes, new_figure, scatter_classes
from helpers.widgets import StudentCodeProblem, StudentWidget, run_student


def plot_perceptron(ax, X, y, w, predict=None, highlight=None, title=None):
    """Draw a two-input dataset, the line w0 + w1*x1 + w2*x2 = 0, and the region predicted 1.

    X has the bias column x0 = 1 first. `predict(w, X)` shades the plane when it is given,
    so the shading shows what the student's own predict does. `highlight` circles one row.
    """
    w = np.asarray(w, dtype=float)
    if predict is not None:
        grid = np.linspace(*LIMITS, 121)
        x1, x2 = np.meshgrid(grid, grid)
        points = np.column_stack([np.ones(x1.size), x1.ravel(), x2.ravel()])
        region = np.asarray(predict(w, points), dtype=float).reshape(x1.shape)
        ax.contourf(x1, x2, region, levels=[-0.5, 0.5, 1.5], colors=CLASS_COLORS, alpha=0.15)
    _draw_line(ax, w)
    scatter_classes(ax, X[:, 1:3], y)
    if highlight is not None:
        ax.scatter(X[highlight, 1], X[highlight, 2], s=420, facecolor="none",
                   edgecolor="black", linewidth=2, zorder=4, label="this step's sample")
    finish_gate_axes(ax, title)


def _draw_line(ax, w):
    """The decision line w0 + w1*x1 + w2*x2 = 0 within the plot's limits, if it crosses them."""
    w0, w1, w2 = w
    ends = np.array(LIMITS)
    if abs(w2) > 1e-12:
        ax.plot(ends, -(w0 + w1 * ends) / w2, color="black", linewidth=2)
    elif abs(w1) > 1e-12:
        ax.plot(np.full(2, -w0 / w1), ends, color="black", linewidth=2)
    # With w1 = w2 = 0 there is no line: every point gets the same prediction.


def history_table(history, first=0, last=None):
    """An HTML table of a perceptron training history, one row per step.

    Each entry of `history` is a dict with the keys "epoch", "x", "y", "y_hat" and "w"
    (the weights after that step).
    """
    rows = []
    for number, entry in enumerate(history[first:last], start=first + 1):
        missing = {"epoch", "x", "y", "y_hat", "w"} - set(entry)
        if missing:
            raise ValueError(
                f"history entry {number} has no {', '.join(sorted(missing))}; each entry "
                'needs the keys "epoch", "x", "y", "y_hat" and "w".'
            )
        cells = [number, entry["epoch"], _vector(entry["x"]), _number(entry["y"]),
                 _number(entry["y_hat"]), _vector(entry["w"])]
        rows.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>")
    head = "".join(f"<th>{h}</th>" for h in
                   ("step", "epoch", "x", "y", "f(z)", "w after the step"))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _number(value):
    return f"{float(value):g}"


def _vector(values):
    return "(" + ", ".join(_number(v) for v in np.ravel(values)) + ")"


class PerceptronTrainer(StudentWidget):
    """Step through the student's `train` on a logic gate and watch the line move.

    The slider picks a step of the training history: step 0 shows the initial weights,
    step k the weights after the k-th update. The shaded region is the student's `predict`.
    """

    def __init__(self, train, predict, num_epochs=10):
        self.train, self.predict, self.num_epochs = train, predict, num_epochs
        self.gate = widgets.ToggleButtons(options=list(LOGIC_GATES), description="Gate")
        self.step = widgets.IntSlider(value=0, min=0, max=0, description="Step")
        super().__init__([self.gate, self.step], width="380px")
        self.on_change(self.retrain, self.gate)
        self.on_change(self.redraw, self.step)
        self.retrain()

    def retrain(self):
        """Run the student's train on the chosen gate and show step 0."""
        self.X, self.y = logic_gate(self.gate.value)
        self.history = self.problem = None
        try:
            _, self.history = run_student("train", lambda: self.train(
                self.X, self.y, num_epochs=self.num_epochs))
        except StudentCodeProblem as problem:
            self.problem = problem
            return self.redraw()
        self.step.max = len(self.history)
        if self.step.value == 0:
            self.redraw()
        else:
            self.step.value = 0  # the slider's observer redraws

    def draw(self):
        """The weights after the chosen step."""
        if self.problem is not None:
            raise self.problem
        k = self.step.value
        if k == 0:
            w, highlight = np.zeros(self.X.shape[1]), None
            status = f"Step 0 of {len(self.history)}: the weights start at zero."
        else:
            entry = self.history[k - 1]
            w = entry["w"]
            matches = (self.X == np.asarray(entry["x"], dtype=float)).all(axis=1)
            highlight = int(np.argmax(matches)) if matches.any() else None
            status = (f"Step {k} of {len(self.history)}"
                      + history_table(self.history, first=k - 1, last=k))
        fig, (ax,) = new_figure()
        title = f"{self.gate.value}, step {k}"
        try:
            plot_perceptron(ax, self.X, self.y, w, highlight=highlight, title=title,
                            predict=lambda w, X: run_student("predict", lambda: self.predict(w, X)))
        except StudentCodeProblem as problem:  # draw the line without the student's shading
            ax.clear()
            plot_perceptron(ax, self.X, self.y, w, highlight=highlight, title=title)
            status += "<br>" + str(problem)
        return status, fig
