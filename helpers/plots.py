"""Figures for the lessons; each function draws on a matplotlib Axes it is given."""
import html
import io

import matplotlib.pyplot as plt
import numpy as np

CLASS_COLORS = ("#d95f02", "#1b9e77")  # y = 0, y = 1
LIMITS = (-0.5, 1.5)


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


def scatter_classes(ax, points, y):
    """The points (x1, x2) of a logic gate, colored by their class y."""
    for label in (0, 1):
        rows = points[np.asarray(y) == label]
        ax.scatter(rows[:, 0], rows[:, 1], s=120, color=CLASS_COLORS[label],
                   edgecolor="black", zorder=3, label=f"y = {label}")


def finish_gate_axes(ax, title=None):
    """Axes, ticks, title and legend shared by every picture of a logic gate."""
    ax.set(xlim=LIMITS, ylim=LIMITS, xlabel="$x_1$", ylabel="$x_2$", aspect="equal")
    ax.set_xticks([0, 1])
    ax.set_yticks([0, 1])
    if title:
        ax.set_title(title)
    ax.legend(loc="upper left", fontsize="small", framealpha=0.9)


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


def new_figure(ncols=1, width=4.2, height=4.2):
    """A figure with `ncols` axes side by side, sized for a notebook."""
    fig, axes = plt.subplots(1, ncols, figsize=(width * ncols, height), squeeze=False)
    return fig, axes[0]


def figure_png(fig):
    """The figure as PNG bytes (for an ipywidgets Image), closing it so it is not shown twice."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()
