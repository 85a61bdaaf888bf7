"""Lesson 04's figures: surfaces, paths on them, losses against step, and a race drawn once
whose frames then only move the paths (for the race widget's Play button)."""
import io

import matplotlib.image
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from helpers.optimizers.minibatches import loss_per_epoch
from helpers.optimizers.races import Runner, losses, race
from helpers.optimizers.surfaces import SURFACES, surface_named

COLORS = {"SGD": "#1b9e77", "Momentum": "#d95f02", "Adagrad": "#7570b3",
          "RMSprop": "#e7298a", "Adadelta": "#66a61e", "Adam": "#e6ab02"}
_EXTRA_COLORS = tuple(COLORS.values())
REFERENCE_STYLE = {"color": "black", "linestyle": (0, (2, 2)), "linewidth": 2.8, "alpha": 0.45}


def color_of(label, index=0):
    """A label's color: the optimizer's own if the label names one, else by position."""
    return COLORS.get(label, _EXTRA_COLORS[index % len(_EXTRA_COLORS)])


def plot_surface(ax, surface, resolution=160, show_start=True):
    """Filled contours of a surface (log-spaced, so valleys and walls both show)."""
    surface = surface_named(surface)
    x = np.linspace(*surface.xlim, resolution)
    y = np.linspace(*surface.ylim, resolution)
    grid_x, grid_y = np.meshgrid(x, y)
    height = surface.loss_np(np.stack([grid_x, grid_y], axis=-1)) - surface.lowest
    shown = np.log10(height - min(height.min(), 0.0) + 1e-3)
    ax.contourf(grid_x, grid_y, shown, levels=24, cmap="Blues_r", alpha=0.75)
    ax.contour(grid_x, grid_y, shown, levels=24, colors="white", linewidths=0.4, alpha=0.7)
    minima = np.array(surface.minima)
    ax.scatter(minima[:, 0], minima[:, 1], marker="*", s=160, color="gold",
               edgecolor="black", zorder=5, label="global minimum")
    for label, point in surface.others:
        ax.scatter(*point, marker="X", s=90, color="white", edgecolor="black", zorder=5,
                   label=label)
    if show_start:
        ax.scatter(*surface.start, marker="o", s=50, color="black", zorder=5, label="start")
    ax.set(xlim=surface.xlim, ylim=surface.ylim, xlabel="$x$", ylabel="$y$",
           title=surface.name)


def plot_paths(ax, paths):
    """Draw each path as a line with a dot where it ends (or where it blew up)."""
    for index, (label, path) in enumerate(paths.items()):
        color = color_of(label, index)
        ax.plot(path[:, 0], path[:, 1], color=color, linewidth=1.6, zorder=4, label=label)
        head = path[~np.isnan(path).any(axis=1)]
        if len(head):
            ax.scatter(*head[-1], s=40, color=color, edgecolor="black", zorder=6)


def plot_losses(ax, surface, paths, reference=None):
    """Loss above the lowest value against step, on a log scale; `reference` paths
    (torch.optim's, by the same labels) are drawn as grey dashes beneath."""
    for label in (reference or {}):
        if label not in paths:  # torch's loss alone when the student's racer is missing
            ax.plot(np.clip(losses(surface, reference[label]), 1e-16, None),
                    **REFERENCE_STYLE)
    for index, (label, path) in enumerate(paths.items()):
        color = color_of(label, index)
        if reference is not None and label in reference:
            ax.plot(np.clip(losses(surface, reference[label]), 1e-16, None),
                    **REFERENCE_STYLE)
        ax.plot(np.clip(losses(surface, path), 1e-16, None), color=color, linewidth=1.6,
                label=label)
    ax.set(yscale="log", xlabel="step", ylabel="loss $-$ lowest loss",
           title=f"{surface_named(surface).name}: loss against step")
    ax.grid(alpha=0.3)


def plot_race(surface, paths):
    """A figure with the paths on the surface (left) and the losses (right)."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.2))
    plot_surface(left, surface)
    plot_paths(left, paths)
    plot_losses(right, surface, paths)
    right.legend(fontsize="small", loc="lower left", framealpha=0.9)
    left.legend(fontsize="x-small", loc="upper right", framealpha=0.9)
    fig.tight_layout()
    return fig


def show_surfaces(surfaces=None):
    """All test surfaces side by side."""
    names = list(SURFACES) if surfaces is None else list(surfaces)
    fig, axes = plt.subplots(1, len(names), figsize=(3.4 * len(names), 3.4))
    for ax, name in zip(np.atleast_1d(axes), names):
        plot_surface(ax, name)
    np.atleast_1d(axes)[0].legend(fontsize="x-small", loc="lower left", framealpha=0.9)
    fig.tight_layout()
    return fig


def show_race(surface, contenders, num_steps=200, start=None):
    """Race the student's optimizers, {label: (class, hyperparameters)}, and draw the race.

    Contenders that are not implemented yet are left out, with a note. Returns the paths.
    """
    runners = [Runner(label, cls, dict(hyperparameters))
               for label, (cls, hyperparameters) in contenders.items()]
    paths, problems = race(runners, surface, num_steps, start)
    for label, problem in problems.items():
        print(f"{label} is left out: {problem}.")
    if paths:
        plot_race(surface, paths)
        plt.show()
    return paths



def plot_stochastic_race(surface, runs, num_epochs):
    """The paths on the full-data loss (left) and the loss above its minimum, per epoch (right)."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.2))
    plot_surface(left, surface, resolution=50)
    plot_paths(left, runs)
    left.set(xlabel="$w_1$", ylabel="$w_2$", title=f"{surface.name}: $J(w)$ on all the data")
    for index, (label, path) in enumerate(runs.items()):
        right.plot(np.clip(loss_per_epoch(surface, path, num_epochs), 1e-16, None),
                   color=color_of(label, index), linewidth=1.6, label=label)
    right.set(yscale="log", xlabel="epoch", ylabel="$J(w) - J(w^*)$",
              title="the loss on all the data after each epoch")
    right.grid(alpha=0.3)
    right.legend(fontsize="small", loc="lower left", framealpha=0.9)
    left.legend(fontsize="x-small", loc="upper right", framealpha=0.9)
    fig.tight_layout()
    return fig


class RaceFigure:
    """A race drawn once, whose frames then only move the paths (fast enough for Play).

    The surface, the loss curves and the legends are drawn into a cached background; a
    frame restores it and draws the paths up to step k on top.
    """

    def __init__(self, surface, paths, reference, title=""):
        self.surface = surface_named(surface)
        self.figure = Figure(figsize=(10, 4.2), dpi=80)
        self.canvas = FigureCanvasAgg(self.figure)
        left, right = self.figure.subplots(1, 2)
        plot_surface(left, self.surface)
        plot_losses(right, self.surface, paths, reference=reference)
        self.moving = []  # (artist, path, kind)
        for label, path in reference.items():
            line, = left.plot([], [], animated=True, **REFERENCE_STYLE)
            self.moving.append((line, path, "line"))
        for index, (label, path) in enumerate(paths.items()):
            color = color_of(label, index)
            line, = left.plot([], [], color=color, linewidth=1.6, animated=True, label=label)
            head, = left.plot([], [], "o", color=color, markeredgecolor="black",
                              markersize=7, animated=True)
            self.moving += [(line, path, "line"), (head, path, "head")]
        self.marker = right.axvline(0, color="black", linewidth=0.8, animated=True)
        self.caption = left.text(0.02, 0.03, "", transform=left.transAxes, animated=True,
                                 bbox={"facecolor": "white", "alpha": 0.85, "pad": 2})
        left.legend(fontsize="x-small", loc="upper right", framealpha=0.9)
        if paths:
            right.legend(fontsize="small", loc="lower left", framealpha=0.9)
        left.set_title(f"{self.surface.name}{title}")
        self.figure.tight_layout()
        self.canvas.draw()
        self.background = self.canvas.copy_from_bbox(self.figure.bbox)

    def png(self, k):
        """PNG bytes of the race after step k."""
        self.canvas.restore_region(self.background)
        for artist, path, kind in self.moving:
            shown = path[: k + 1]
            if kind == "head":
                shown = shown[~np.isnan(shown).any(axis=1)][-1:]
            artist.set_data(shown[:, 0], shown[:, 1])
            artist.axes.draw_artist(artist)
        self.marker.set_xdata([k, k])
        self.marker.axes.draw_artist(self.marker)
        self.caption.set_text(f"step {k}")
        self.caption.axes.draw_artist(self.caption)
        buffer = io.BytesIO()
        matplotlib.image.imsave(buffer, np.asarray(self.canvas.buffer_rgba()), format="png")
        return buffer.getvalue()
