"""Lesson 06 (backpropagation): the XOR data, figures, and a widget that trains the student's
own two-layer network.

Nothing here computes an activation, a loss, a forward pass or a gradient: the figures and
the widget only call the functions they are given.
"""
import contextlib
import warnings

import ipywidgets as widgets
import matplotlib.colors as mcolors
import numpy as np

from helpers.data import logic_gate
from helpers.plots import CLASS_COLORS, LIMITS, finish_gate_axes, new_figure, scatter_classes
from helpers.widgets import StudentWidget, run_student

ACTIVATION_NAMES = ("sigmoid", "tanh", "relu")
# From the colour of y = 0 through white (undecided) to the colour of y = 1.
PROBABILITY_COLORS = mcolors.LinearSegmentedColormap.from_list(
    "y_hat", [CLASS_COLORS[0], "#ffffff", CLASS_COLORS[1]])


def xor_data():
    """XOR as a network sees it: X holds (x1, x2) per row, no bias column; y the targets.

    The rows are in the slides' order: (1, 1), (1, 0), (0, 1), (0, 0).
    """
    X, y = logic_gate("XOR")
    return X[:, 1:], y


def plot_decision_boundary(ax, X, y, probability, title=None, resolution=101):
    """Shade the plane by `probability(points)` (the network's y_hat for each row of points),
    draw the boundary y_hat = 0.5 in black, and the samples of X coloured by y."""
    grid = np.linspace(*LIMITS, resolution)
    x1, x2 = np.meshgrid(grid, grid)
    points = np.column_stack([x1.ravel(), x2.ravel()])
    y_hat = np.asarray(probability(points), dtype=float).reshape(x1.shape)
    ax.contourf(x1, x2, y_hat, levels=np.linspace(0, 1, 11), cmap=PROBABILITY_COLORS,
                vmin=0, vmax=1, alpha=0.55)
    if np.nanmin(y_hat) < 0.5 < np.nanmax(y_hat):  # else there is no boundary to draw
        ax.contour(x1, x2, y_hat, levels=[0.5], colors="black", linewidths=2)
    scatter_classes(ax, X[:, :2], y)
    finish_gate_axes(ax, title)


def plot_losses(ax, losses, title="Training loss"):
    """The loss after every epoch, on a log scale when it is positive throughout."""
    losses = np.asarray(losses, dtype=float)
    ax.plot(np.arange(1, len(losses) + 1), losses, color="black")
    if len(losses) and np.all(np.isfinite(losses)) and losses.min() > 0:
        ax.set_yscale("log")
    ax.set(xlabel="epoch", ylabel="binary cross-entropy $J$", title=title)
    ax.grid(alpha=0.3)


def plot_activation(ax, name, function, derivative, z=None):
    """One activation function and its derivative, as the student wrote them."""
    z = np.linspace(-4, 4, 401) if z is None else z
    ax.plot(z, np.asarray(function(z), dtype=float), color="black", label=f"{name}(z)")
    ax.plot(z, np.asarray(derivative(z), dtype=float), color=CLASS_COLORS[0],
            linestyle="--", label=f"{name}'(z)")
    ax.axhline(0, color="grey", linewidth=0.5)
    ax.axvline(0, color="grey", linewidth=0.5)
    ax.set(xlabel="z", title=name)
    ax.legend(loc="upper left", fontsize="small")


def draw_network(ax, layers, edges=None, title=None):
    """A small fully connected network: `layers` is a list of layers, each a list of node
    labels (strings); `edges` maps (layer, i, j) -> label for the edge from node i of that
    layer to node j of the next."""
    edges = edges or {}
    positions = []
    for column, nodes in enumerate(layers):
        top = (len(nodes) - 1) / 2
        positions.append([(column * 3.0, top - row * 1.6) for row in range(len(nodes))])
    for column in range(len(layers) - 1):
        for i, (x0, y0) in enumerate(positions[column]):
            for j, (x1, y1) in enumerate(positions[column + 1]):
                ax.plot([x0, x1], [y0, y1], color="grey", linewidth=1, zorder=1)
                label = edges.get((column, i, j))
                if label:
                    # Labels of crossing edges sit near their start, so they do not meet.
                    t = 0.5 if i == j or len(layers[column + 1]) == 1 else 0.22
                    ax.text(x0 + t * (x1 - x0), y0 + t * (y1 - y0), label, fontsize=8,
                            ha="center", va="center", zorder=3,
                            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"})
    for nodes, column in zip(layers, positions):
        for label, (x, y) in zip(nodes, column):
            ax.text(x, y, label, fontsize=8.5, ha="center", va="center", zorder=4,
                    bbox={"boxstyle": "round,pad=0.4", "fc": "#f4f4f4", "ec": "black"})
    ax.set_xlim(-1.4, 3.0 * (len(layers) - 1) + 1.4)
    ax.set_ylim(-1.6, 1.6)
    ax.axis("off")
    if title:
        ax.set_title(title)


class XorExplorer(StudentWidget):
    """Train the student's network on XOR and show the decision boundary it learned.

    `train(X, y, hidden_units=, activation=, lr=, num_epochs=, seed=)` must return
    `(params, losses)`; `forward(X, params, activation)` must return `(y_hat, cache)`.
    Every change of a control trains a new network from scratch.
    """

    def __init__(self, train, forward, num_epochs=1000):
        self.train, self.forward, self.num_epochs = train, forward, num_epochs
        self.X, self.y = xor_data()
        style = {"description_width": "initial"}
        self.hidden_units = widgets.IntSlider(value=4, min=1, max=8,
                                              description="Hidden units", style=style)
        self.lr = widgets.FloatLogSlider(value=1.0, base=10, min=-2, max=1, step=0.25,
                                         description="Learning rate lr", style=style)
        self.activation = widgets.ToggleButtons(options=list(ACTIVATION_NAMES), value="tanh",
                                                description="Activation", style=style)
        self.seed = widgets.IntSlider(value=1, min=1, max=10, description="Seed (start)",
                                      style=style)
        controls = [self.hidden_units, self.lr, self.activation, self.seed]
        super().__init__(controls, width="720px")
        self.on_change(self.redraw, *controls)
        self.redraw()

    def train_network(self, activation):
        """The student's network trained with the chosen settings: params, losses and y_hat."""
        with quietly():
            params, losses = self.train(
                self.X, self.y, hidden_units=self.hidden_units.value, activation=activation,
                lr=self.lr.value, num_epochs=self.num_epochs, seed=self.seed.value)
            losses = np.asarray(losses, dtype=float)
            y_hat = np.asarray(self.forward(self.X, params, activation)[0], dtype=float)
        return params, losses, y_hat

    def draw(self):
        """Train from scratch with the chosen settings, then draw boundary and loss curve."""
        activation = self.activation.value
        params, losses, y_hat = run_student(
            ("forward", "backward", "gradient_step"), lambda: self.train_network(activation),
            note=" (and the activation functions they use)")
        fig, (left, right) = new_figure(ncols=2)
        with quietly():
            if np.all(np.isfinite(losses)) and np.all(np.isfinite(y_hat)):
                units = self.hidden_units.value
                title = (f"{units} {activation} unit{'s' if units > 1 else ''}, "
                         f"lr = {self.lr.value:g}")
                plot_decision_boundary(
                    left, self.X, self.y,
                    lambda points: self.forward(points, params, activation)[0], title=title)
                right_rows = int(np.sum((y_hat > 0.5) == (self.y == 1)))
                status = (f"After {len(losses)} epochs: loss J = {losses[-1]:.4f}, "
                          f"{right_rows} of 4 XOR rows right.")
            else:
                left.axis("off")
                status = ("<b>Training diverged</b>: the loss became infinite or "
                          "not a number. Lower the learning rate.")
            plot_losses(right, losses)
            fig.tight_layout()
        return status, fig


@contextlib.contextmanager
def quietly():
    """Silence numpy's overflow warnings: a large learning rate may overflow, and the
    widget's status says so in words instead."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield
