"""What the lessons' figures share: class colors, logic-gate axes, a figure sized for a
notebook and its PNG bytes. A figure only one lesson draws lives in that lesson's module."""
import io

import matplotlib.pyplot as plt
import numpy as np

CLASS_COLORS = ("#d95f02", "#1b9e77")  # y = 0, y = 1
LIMITS = (-0.5, 1.5)


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
