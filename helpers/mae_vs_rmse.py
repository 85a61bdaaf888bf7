"""Lesson 03 (MAE or RMSE): the lecture's error vectors, tables, figures and a widget.

Nothing here computes MAE or RMSE itself: the figures draw the numbers they are given, and
the widget calls the student's own `mae` and `rmse`.
"""
import html

import ipywidgets as widgets
import numpy as np

from helpers.plots import new_figure
from helpers.widgets import StudentWidget, run_student

# The errors e_i = y_i - y_hat_i of the lecture's three cases, IDs 1 to 10.
SLIDE_CASES = {
    "Case 1: evenly distributed errors": np.full(10, 2.0),
    "Case 2: small variance in errors": np.array([1.0] * 5 + [3.0] * 5),
    "Case 3: large error outlier": np.array([0.0] * 9 + [20.0]),
}
# The MAE and RMSE the slides print under each case.
SLIDE_NUMBERS = {name: numbers for name, numbers in
                 zip(SLIDE_CASES, [(2.000, 2.000), (2.000, 2.236), (2.000, 6.325)])}

MAE_COLOR, RMSE_COLOR, BOUND_COLOR = "#1b9e77", "#d95f02", "#7570b3"


def table_html(rows, mae_value, rmse_value, title=""):
    """The slides' table as HTML: one row (ID, e, |e|, e^2) per error, then MAE and RMSE."""
    rows = np.asarray(rows, dtype=float)
    if rows.ndim != 2 or rows.shape[1] != 4:
        return (f"<p>{html.escape(title)}: expected rows of (ID, e, |e|, e²), one per error, "
                f"got an array of shape {rows.shape}.</p>")
    head = "".join(f"<th>{h}</th>" for h in ("ID", "e", "|e|", "e²"))
    body = "".join("<tr>" + "".join(f"<td>{value:g}</td>" for value in row) + "</tr>"
                   for row in rows)
    foot = (f"<tr><th colspan='2'>MAE</th><td colspan='2'>{float(mae_value):.3f}</td></tr>"
            f"<tr><th colspan='2'>RMSE</th><td colspan='2'>{float(rmse_value):.3f}</td></tr>")
    return (f"<table style='margin-right:1.5em'><caption>{html.escape(title)}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{body}{foot}</tbody></table>")


def side_by_side(tables):
    """Several HTML tables next to each other."""
    return ("<div style='display:flex;flex-wrap:wrap;align-items:flex-start'>"
            + "".join(tables) + "</div>")


# Kinds of random error vectors for testing the bounds, from evenly spread to one spike.
ERROR_KINDS = ("all the same size", "uniform", "normal", "heavy-tailed", "one spike")


def random_errors(rng, n, kind):
    """A random error vector of length n of the given kind (one of ERROR_KINDS)."""
    if kind == "all the same size":
        return rng.uniform(0.5, 5.0) * rng.choice([-1.0, 1.0], size=n)
    if kind == "uniform":
        return rng.uniform(-5.0, 5.0, size=n)
    if kind == "normal":
        return rng.normal(0.0, 2.0, size=n)
    if kind == "heavy-tailed":
        return rng.standard_t(1.5, size=n)
    if kind == "one spike":
        errors = np.zeros(n)
        errors[rng.integers(n)] = rng.uniform(1.0, 50.0) * rng.choice([-1.0, 1.0])
        return errors
    raise ValueError(f"Unknown kind {kind!r}; choose one of {', '.join(ERROR_KINDS)}.")


def plot_bound_ratios(ax, n_values, ratios, kinds):
    """RMSE/MAE of many error vectors against their length n, with the bounds 1 and sqrt(n)."""
    n_values, ratios, kinds = np.asarray(n_values), np.asarray(ratios), np.asarray(kinds)
    grid = np.linspace(1, max(n_values.max(), 2), 200)
    ax.plot(grid, np.sqrt(grid), color="black", linewidth=1.5, zorder=1,
            label=r"upper bound $\sqrt{n}$")
    ax.axhline(1.0, color="black", linestyle="--", linewidth=1.5, zorder=1, label="lower bound 1")
    for kind in ERROR_KINDS:
        chosen = kinds == kind
        if chosen.any():
            ax.scatter(n_values[chosen], ratios[chosen], s=8, alpha=0.6, zorder=2, label=kind)
    ax.set(xlabel="number of errors $n$", ylabel="RMSE / MAE",
           title="RMSE / MAE for random error vectors")
    ax.legend(fontsize="small", loc="upper left", markerscale=2)


def plot_constant_fits(ax, constants, mae_values, rmse_values, y):
    """MAE and RMSE of predicting one constant c for all targets y, as c varies."""
    ax.plot(constants, mae_values, color=MAE_COLOR, linewidth=2, label="MAE")
    ax.plot(constants, rmse_values, color=RMSE_COLOR, linewidth=2, label="RMSE")
    ax.axvline(np.median(y), color=MAE_COLOR, linestyle=":", label=f"median of y = {np.median(y):.2f}")
    ax.axvline(np.mean(y), color=RMSE_COLOR, linestyle=":", label=f"mean of y = {np.mean(y):.2f}")
    for values, color in ((mae_values, MAE_COLOR), (rmse_values, RMSE_COLOR)):
        best = int(np.argmin(values))
        ax.scatter([constants[best]], [values[best]], color=color, s=60, zorder=3)
    ax.set(xlabel=r"the constant prediction $c$ ($\hat y_i = c$ for all $i$)",
           ylabel="metric", title="Predicting one number for all targets")
    ax.legend(fontsize="small")


class OutlierExplorer(StudentWidget):
    """n errors: most of one size, a few outliers of another. Grow the outliers and watch the
    student's RMSE part from their MAE.

    The targets are the errors themselves and the predictions are zero, so e = y - y_hat.
    """

    def __init__(self, mae, rmse, n=10):
        self.mae, self.rmse, self.n = mae, rmse, n
        style = {"description_width": "9em"}
        self.base = widgets.FloatSlider(value=2.0, min=0.0, max=5.0, step=0.5, style=style,
                                        description="the other errors")
        self.size = widgets.FloatSlider(value=2.0, min=0.0, max=40.0, step=0.5, style=style,
                                        description="outlier size")
        self.count = widgets.IntSlider(value=1, min=0, max=n, style=style,
                                       description="number of outliers")
        self.cases = [widgets.Button(description=f"slides' case {k}") for k in (1, 2, 3)]
        for button, preset in zip(self.cases, [(2.0, 2.0, 1), (1.0, 3.0, 5), (0.0, 20.0, 1)]):
            button.on_click(lambda _, preset=preset: self.show(*preset))
        super().__init__([self.base, self.size, self.count, widgets.HBox(self.cases)],
                         width="760px")
        self._holding = False
        self.on_change(self.redraw, self.base, self.size, self.count)
        self.redraw()

    def errors(self, size=None):
        """The current errors; the last `count` of them are outliers."""
        errors = np.full(self.n, float(self.base.value))
        errors[self.n - self.count.value:] = self.size.value if size is None else size
        return errors

    def show(self, base, size, count):
        """Set all three sliders, then draw once."""
        self._holding = True
        try:
            self.base.value, self.size.value, self.count.value = base, size, count
        finally:
            self._holding = False
        self.redraw()

    def measure(self, errors):
        """The student's MAE and RMSE of these errors (targets y = errors, predictions 0)."""
        y, y_hat = errors, np.zeros_like(errors)
        return [run_student("mae", lambda: float(self.mae(y, y_hat))),
                run_student("rmse", lambda: float(self.rmse(y, y_hat)))]

    def redraw(self):
        if not self._holding:
            super().redraw()

    def draw(self):
        errors = self.errors()
        sizes = np.linspace(0.0, self.size.max, 81)
        mae_value, rmse_value = self.measure(errors)
        sweep = np.array([self.measure(self.errors(size)) for size in sizes])
        fig, (bars, curves) = new_figure(ncols=2, width=4.8, height=3.6)
        ids = np.arange(1, self.n + 1)
        bars.bar(ids, np.abs(errors), color="#bbbbbb", edgecolor="black")
        bars.axhline(mae_value, color=MAE_COLOR, linewidth=2, label=f"MAE = {mae_value:.3f}")
        bars.axhline(rmse_value, color=RMSE_COLOR, linewidth=2, label=f"RMSE = {rmse_value:.3f}")
        bars.set(xlabel="ID", ylabel="$|e_i|$", xticks=ids, title="your errors",
                 ylim=(0, 1.15 * max(np.abs(errors).max(), rmse_value, 1.0)))
        bars.legend(fontsize="small", loc="upper left")
        curves.plot(sizes, sweep[:, 0], color=MAE_COLOR, linewidth=2, label="MAE")
        curves.plot(sizes, sweep[:, 1], color=RMSE_COLOR, linewidth=2, label="RMSE")
        curves.plot(sizes, np.sqrt(self.n) * sweep[:, 0], color=BOUND_COLOR, linestyle="--",
                    label=r"MAE$\cdot\sqrt{n}$")
        curves.axvline(self.size.value, color="black", linestyle=":")
        curves.set(xlabel="outlier size", ylabel="metric", ylim=(0, None),
                   title=f"{self.count.value} outlier(s) among {self.n} errors")
        curves.legend(fontsize="small", loc="upper left")
        return self._summary(mae_value, rmse_value), fig

    def _summary(self, mae_value, rmse_value):
        text = f"MAE = <b>{mae_value:.3f}</b>, RMSE = <b>{rmse_value:.3f}</b>"
        if mae_value > 0:
            text += (f"; RMSE / MAE = <b>{rmse_value / mae_value:.3f}</b> (the bounds allow "
                     f"1 to √{self.n} = {np.sqrt(self.n):.3f})")
        return text
