"""Lesson 04: test surfaces, optimizer races against torch.optim, their figures and widget,
and a linear neuron fitted on minibatches (a stochastic loss).

A surface's `loss` uses only arithmetic, so the same function evaluates numpy arrays and
torch tensors; the two coordinates are the last axis of `params`, so a batch of starting
points races at once. Nothing here implements an optimizer: the reference is torch.optim.
"""
import html
import inspect
import io
import re
import warnings
from dataclasses import dataclass

import ipywidgets as widgets
import matplotlib.image
import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from helpers.checks import as_float_array, check_true

# Where a path counts as gone: beyond this distance or not a finite number.
BLOWN_UP = 1e6
# How close the student's path must stay to torch.optim's, as in the graded tests.
RTOL, ATOL = 1e-5, 1e-8


@dataclass(frozen=True)
class Surface:
    """A loss over two parameters (x, y), with what the lesson's figures need."""
    name: str
    loss: object        # loss(params) -> value; params[..., 0] is x, params[..., 1] is y
    gradient: object    # gradient(params) -> array of params' shape (numpy)
    start: tuple        # where the races start
    xlim: tuple
    ylim: tuple
    minima: tuple       # the global minima, as (x, y) points
    lowest: float       # the loss at a global minimum
    lr: float           # the race widget's learning rate when this surface is chosen
    others: tuple = ()  # other stationary points worth marking: (label, (x, y))

    def loss_np(self, params):
        return self.loss(np.asarray(params, dtype=float))


def _xy(params):
    return params[..., 0], params[..., 1]


def _stack(dx, dy):
    return np.stack([dx, dy], axis=-1)


def _rosenbrock(p):
    x, y = _xy(p)
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2


def _rosenbrock_gradient(p):
    x, y = _xy(np.asarray(p, dtype=float))
    return _stack(-2 * (1 - x) - 400 * x * (y - x ** 2), 200 * (y - x ** 2))


def _himmelblau(p):
    x, y = _xy(p)
    return (x ** 2 + y - 11) ** 2 + (x + y ** 2 - 7) ** 2


def _himmelblau_gradient(p):
    x, y = _xy(np.asarray(p, dtype=float))
    a, b = x ** 2 + y - 11, x + y ** 2 - 7
    return _stack(4 * x * a + 2 * b, 2 * a + 4 * y * b)


def _saddle(p):
    x, y = _xy(p)
    return x ** 2 + y ** 4 / 4 - y ** 2 / 2


def _saddle_gradient(p):
    x, y = _xy(np.asarray(p, dtype=float))
    return _stack(2 * x, y ** 3 - y)


def _two_valleys(p):
    x, y = _xy(p)
    return (x ** 2 - 1) ** 2 + 0.3 * x + 2 * y ** 2


def _two_valleys_gradient(p):
    x, y = _xy(np.asarray(p, dtype=float))
    return _stack(4 * x * (x ** 2 - 1) + 0.3, 4 * y)


def _narrow_bowl(p):
    x, y = _xy(p)
    return 0.05 * x ** 2 + y ** 2


def _narrow_bowl_gradient(p):
    x, y = _xy(np.asarray(p, dtype=float))
    return _stack(0.1 * x, 2 * y)


# The two valleys' minima solve 4x(x^2 - 1) + 0.3 = 0: x ≈ -1.0363 (global) and 0.9600 (local).
_TWO_VALLEYS_X = np.sort(np.roots([4.0, 0.0, -4.0, 0.3]).real)

SURFACES = {
    surface.name: surface for surface in [
        Surface("Narrow bowl", _narrow_bowl, _narrow_bowl_gradient, start=(-4.5, 1.5),
                xlim=(-5, 5), ylim=(-2, 2), minima=((0.0, 0.0),), lowest=0.0, lr=0.4),
        Surface("Rosenbrock", _rosenbrock, _rosenbrock_gradient, start=(-1.5, 2.0),
                xlim=(-2, 2), ylim=(-1, 3), minima=((1.0, 1.0),), lowest=0.0, lr=1e-3),
        Surface("Himmelblau", _himmelblau, _himmelblau_gradient, start=(-0.5, -0.5),
                xlim=(-5, 5), ylim=(-5, 5),
                minima=((3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186),
                        (3.584428, -1.848126)),
                lowest=0.0, lr=1e-2,
                others=(("maximum", (-0.270845, -0.923039)),)),
        Surface("Saddle", _saddle, _saddle_gradient, start=(-1.5, 1e-3),
                xlim=(-2, 2), ylim=(-1.6, 1.6), minima=((0.0, 1.0), (0.0, -1.0)),
                lowest=-0.25, lr=0.1,
                others=(("saddle point", (0.0, 0.0)),)),
        Surface("Two valleys", _two_valleys, _two_valleys_gradient, start=(2.0, 1.0),
                xlim=(-2, 2.2), ylim=(-1.5, 1.5),
                minima=((float(_TWO_VALLEYS_X[0]), 0.0),),
                lowest=float(_two_valleys(np.array([_TWO_VALLEYS_X[0], 0.0]))), lr=0.02,
                others=(("local minimum", (float(_TWO_VALLEYS_X[2]), 0.0)),)),
    ]
}


def surface_named(surface):
    """A Surface from its name (or the Surface itself)."""
    if isinstance(surface, Surface):
        return surface
    try:
        return SURFACES[surface]
    except KeyError:
        raise ValueError(f"Unknown surface {surface!r}; choose one of "
                         f"{', '.join(SURFACES)}.") from None


def describe(cls, hyperparameters):
    """How a test or a figure names an optimizer: `Adam(lr=0.1, betas=(0.8, 0.9))`."""
    def shown(value):  # 0.001122018454301963 (from a log slider) reads as 0.00112
        return f"{value:.3g}" if isinstance(value, float) else repr(value)
    arguments = ", ".join(f"{name}={shown(value)}" for name, value in hyperparameters.items())
    return f"{getattr(cls, '__name__', cls)}({arguments})"


# ---------------------------------------------------------------------------------------
# Checks: the student's optimizer against torch.optim, step by step


def check_follows_torch(cls, torch_cls, surface, num_steps, start=None, steps_by=None,
                        **hyperparameters):
    """Run `cls(**hyperparameters)` and `torch_cls([p], **hyperparameters)` side by side.

    Both start at `start` (default: the surface's start; an array of several points races
    them all at once), in float64, for `num_steps` steps. At every step the student's
    `.step` gets torch's params and the surface's exact gradient there (the one torch.optim
    got; a third of autograd's cost), so its answers are known in advance and can be
    checked in one go. Fails at the first step where
    the result differs from torch's by more than a relative 1e-5, or where `step` changes
    its arguments or returns something of the wrong shape. `steps_by` runs the steps (the
    grader passes one that runs them next to the student's code); default `run_steps`.
    """
    __tracebackhide__ = True  # tracebacks end in the student's cell, not here
    surface = surface_named(surface)
    start = np.array(surface.start if start is None else start, dtype=float)
    where = f"{describe(cls, hyperparameters)} on {surface.name} from {_point(start)}"
    theirs = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    reference = torch_cls([theirs], **hyperparameters)
    before, gradients, after = [], [], []
    with torch.no_grad():
        for _ in range(num_steps):
            before.append(theirs.numpy().copy())
            gradients.append(surface.gradient(before[-1]))
            theirs.grad = torch.from_numpy(gradients[-1].copy())
            reference.step()
            after.append(theirs.numpy().copy())
    results, changed = (steps_by or run_steps)(cls, np.array(before), np.array(gradients),
                                                **hyperparameters)
    for step, (params, grads, expected) in enumerate(zip(before, gradients, after), start=1):
        call = f"step {step} of {where}: .step(params, grads)"
        check_true(step <= len(results), f"{call} was not answered.")
        check_true(not changed[step - 1][0], f"{call} changed its argument params. Build and "
                                             "return a new array instead of modifying params.")
        check_true(not changed[step - 1][1], f"{call} changed its argument grads. Build and "
                                             "return a new array instead of modifying grads.")
        new_params = as_float_array(results[step - 1], call)
        check_true(new_params.shape == expected.shape,
                   f"{call} returned shape {new_params.shape}; params have shape "
                   f"{expected.shape}, and the new params should too.")
        if not np.allclose(new_params, expected, rtol=RTOL, atol=ATOL):
            hint = (" The first step already differs: check the update rule and the "
                    "state you start from." if step == 1 else
                    f" Steps 1 to {step - 1} agreed: check how the state carries over "
                    "from one step to the next.")
            raise AssertionError(
                f"{where} leaves torch.optim.{torch_cls.__name__}'s path at step {step}.\n"
                f"  params before the step: {_point(params)}\n"
                f"  grads:                  {_point(grads)}\n"
                f"  expected params after:  {_point(expected)}\n"
                f"  your params after:      {_point(new_params)}\n{hint}")


def run_steps(cls, params, grads, **hyperparameters):
    """`cls(**hyperparameters).step(params[k], grads[k])` for every k, in order: the results
    (plain arrays) and, per step, whether it changed its params and grads."""
    optimizer = cls(**hyperparameters)
    results, changed = [], []
    for params_k, grads_k in zip(params, grads):
        params_k, grads_k = params_k.copy(), grads_k.copy()
        params_before, grads_before = params_k.copy(), grads_k.copy()
        result = optimizer.step(params_k, grads_k)
        try:
            result = np.array(result, dtype=float)
        except (TypeError, ValueError):
            result = np.array(np.nan)
        results.append(result)
        changed.append((not np.array_equal(params_before, params_k),
                        not np.array_equal(grads_before, grads_k)))
    return results, changed


def check_defaults(cls, torch_cls, names):
    """Assert that `cls.__init__` has torch_cls's default for each hyperparameter in `names`."""
    __tracebackhide__ = True  # tracebacks end in the student's cell, not here
    ours = inspect.signature(cls).parameters
    theirs = inspect.signature(torch_cls).parameters
    for name in names:
        check_true(name in ours, f"{cls.__name__}(...) should take the hyperparameter "
                                 f"`{name}`, as torch.optim.{torch_cls.__name__} does.")
        check_true(ours[name].default == theirs[name].default,
                   f"{cls.__name__}'s default {name}={ours[name].default!r} should be "
                   f"torch.optim.{torch_cls.__name__}'s {name}={theirs[name].default!r}.")


def _point(values):
    return np.array2string(np.asarray(values, dtype=float), precision=8, separator=", ")


# ---------------------------------------------------------------------------------------
# Races: whole paths, computed first and drawn afterwards


def follow(optimizer, surface, num_steps, start=None):
    """The path of `optimizer` (an object with .step(params, grads)) on `surface`.

    Returns an array of num_steps + 1 positions, the start first. If the path blows up,
    the positions after that are NaN. Gradients are the surface's exact ones, in numpy.
    """
    surface = surface_named(surface)
    params = np.array(surface.start if start is None else start, dtype=float)
    path = np.full((num_steps + 1,) + params.shape, np.nan)
    path[0] = params
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for step in range(1, num_steps + 1):
            params = np.asarray(optimizer.step(params, surface.gradient(params)), dtype=float)
            if params.shape != path.shape[1:]:
                raise ValueError(f".step returned shape {params.shape}, expected "
                                 f"{path.shape[1:]}")
            if not np.all(np.abs(params) < BLOWN_UP):
                break
            path[step] = params
    return path


def follow_torch(torch_cls, surface, num_steps, start=None, **hyperparameters):
    """The path of torch.optim's `torch_cls` from the same start, fed the same gradients."""
    surface = surface_named(surface)
    start = np.array(surface.start if start is None else start, dtype=float)
    params = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    optimizer = torch_cls([params], **hyperparameters)
    path = np.full((num_steps + 1,) + start.shape, np.nan)
    path[0] = start
    with np.errstate(all="ignore"), warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        for step in range(1, num_steps + 1):
            params.grad = torch.from_numpy(surface.gradient(params.numpy()))
            optimizer.step()
            position = params.numpy()
            if not np.all(np.abs(position) < BLOWN_UP):
                break
            path[step] = position
    return path


@dataclass
class Runner:
    """One racer: an optimizer class (the student's or torch's) and its hyperparameters."""
    label: str
    cls: object
    hyperparameters: dict


def race(runners, surface, num_steps, start=None):
    """Each runner's path on `surface`: {label: path}, and {label: problem} in plain words
    for those that could not run (an unfinished exercise, or an error in it)."""
    paths, problems = {}, {}
    for runner in runners:
        name = getattr(runner.cls, "__name__", str(runner.cls))
        try:
            optimizer = runner.cls(**runner.hyperparameters)
            paths[runner.label] = follow(optimizer, surface, num_steps, start)
        except NotImplementedError:
            problems[runner.label] = f"your `{name}` is not implemented yet"
        except Exception as error:  # a student's bug: say what it was, do not stop the lesson
            problems[runner.label] = f"your `{name}` raised {type(error).__name__}: {error}"
    return paths, problems


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


def first_disagreement(path, reference):
    """The first step at which two paths differ by more than the graded tolerance, or None."""
    both_gone = np.isnan(path) & np.isnan(reference)
    close = np.isclose(path, reference, rtol=RTOL, atol=ATOL) | both_gone
    close = close.reshape(len(path), -1).all(axis=1)
    return None if close.all() else int(np.argmin(close))


def losses(surface, path):
    """The loss above the surface's lowest value at each position of a path (NaN once gone)."""
    surface = surface_named(surface)
    with np.errstate(all="ignore"):
        return surface.loss_np(path) - surface.lowest


# ---------------------------------------------------------------------------------------
# Figures

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


# ---------------------------------------------------------------------------------------
# The race widget


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


# label -> (class name in the student's dict, torch.optim class, fixed hyperparameters)
ENTRIES = {
    "SGD": ("SGD", torch.optim.SGD, {}),
    "Momentum": ("SGD", torch.optim.SGD, {"momentum": 0.9}),
    "Adagrad": ("Adagrad", torch.optim.Adagrad, {}),
    "RMSprop": ("RMSprop", torch.optim.RMSprop, {}),
    "Adadelta": ("Adadelta", torch.optim.Adadelta, {}),
    "Adam": ("Adam", torch.optim.Adam, {}),
}

NOT_READY = ("<b>Not ready yet:</b> {what}. Implement it in its exercise above and run that "
             "cell, then run this cell again. Meanwhile torch.optim's path is drawn alone.")


class OptimizerRace(widgets.VBox):
    """Race the student's optimizers against torch.optim's on a surface, step by step.

    `optimizers` maps class names ("SGD", "Adagrad", "RMSprop", "Adadelta", "Adam") to the
    student's classes. The whole race is computed when a control changes; the step slider
    (or the Play button) only redraws.
    """

    def __init__(self, optimizers, num_steps=200, surface="Rosenbrock",
                 chosen=("SGD", "Momentum", "Adam")):
        self.optimizers, self.num_steps = dict(optimizers), num_steps
        self.surface = widgets.Dropdown(options=list(SURFACES), value=surface,
                                        description="Surface")
        self.choices = {label: widgets.Checkbox(value=label in chosen, description=label,
                                                indent=False, layout={"width": "95px"})
                        for label in ENTRIES}
        self.lr = widgets.FloatLogSlider(value=SURFACES[surface].lr, base=10, min=-4,
                                         max=0.5, step=0.05, description="lr",
                                         readout_format=".2g", continuous_update=False)
        self.play = widgets.Play(value=0, min=0, max=num_steps, step=2, interval=100,
                                 description="Play")
        self.step = widgets.IntSlider(value=0, min=0, max=num_steps, description="Step")
        widgets.jslink((self.play, "value"), (self.step, "value"))
        self.status = widgets.HTML()
        self.picture = widgets.Image(format="png", layout={"width": "800px"})
        super().__init__([
            widgets.HBox([self.surface, self.lr]),
            widgets.HBox(list(self.choices.values())),
            widgets.HBox([self.play, self.step]),
            self.picture, self.status])
        self.surface.observe(self._new_surface, names="value")
        self.lr.observe(lambda change: self.rerun(), names="value")
        for box in self.choices.values():
            box.observe(lambda change: self.rerun(), names="value")
        self.step.observe(lambda change: self.redraw(), names="value")
        self.rerun()

    def _new_surface(self, change):
        if self.lr.value != SURFACES[change["new"]].lr:
            self.lr.value = SURFACES[change["new"]].lr  # its observer reruns the race
        else:
            self.rerun()

    def runners(self):
        """The chosen racers: the student's and torch.optim's, with the chosen lr."""
        students, torches, missing = [], {}, {}
        for label, box in self.choices.items():
            if not box.value:
                continue
            name, torch_cls, fixed = ENTRIES[label]
            hyperparameters = {"lr": self.lr.value, **fixed}
            torches[label] = (torch_cls, hyperparameters)
            if self.optimizers.get(name) is None:
                missing[label] = f"there is no class `{name}`"
            else:
                students.append(Runner(label, self.optimizers[name], hyperparameters))
        return students, torches, missing

    def rerun(self):
        """Compute the whole race for the current controls, then draw the current step."""
        surface = SURFACES[self.surface.value]
        students, torches, missing = self.runners()
        self.paths, self.problems = race(students, surface, self.num_steps)
        self.problems.update(missing)
        self.reference = {label: follow_torch(torch_cls, surface, self.num_steps,
                                              **hyperparameters)
                          for label, (torch_cls, hyperparameters) in torches.items()}
        self.status.value = self._report(surface, torches)
        self.drawing = RaceFigure(surface, self.paths, self.reference,
                                  title=f", lr = {self.lr.value:.2g}")
        self.redraw()

    def _report(self, surface, torches):
        rows = []
        for label, (torch_cls, hyperparameters) in torches.items():
            settings = html.escape(describe("", hyperparameters))
            if label in self.problems:
                what = re.sub(r"`([^`]*)`", r"<code>\1</code>",
                              html.escape(self.problems[label]))
                verdict = NOT_READY.format(what=what)
            else:
                disagreement = first_disagreement(self.paths[label], self.reference[label])
                verdict = ("follows torch.optim step for step" if disagreement is None else
                           f"<b>leaves torch.optim's path at step {disagreement}</b>")
            gone = np.isnan(self.reference[label]).any(axis=-1)
            end = (f"blows up at step {int(np.argmax(gone))}" if gone.any() else
                   f"loss {surface.loss_np(self.reference[label][-1]):.4g} after "
                   f"{self.num_steps} steps")
            rows.append(f"<tr><td><b>{html.escape(label)}</b> {settings}</td>"
                        f"<td>{verdict}</td><td>{end}</td></tr>")
        if not rows:
            return "Tick at least one optimizer."
        return ("<table><tr><th>optimizer</th><th>yours</th><th>torch.optim</th></tr>"
                + "".join(rows) + "</table>"
                "Your paths are the colored lines; torch.optim's are the grey dashes beneath.")

    def redraw(self):
        """Draw the race up to the chosen step."""
        self.picture.value = self.drawing.png(self.step.value)


# ---------------------------------------------------------------------------------------
# A stochastic loss: a linear neuron fitted on minibatches of noisy data


def regression_data(num_samples=200, seed=4):
    """Noisy samples of y = 2 x1 - x2: `X` (num_samples x 2, the second feature spread
    three times wider than the first) and `y`. The model y_hat = X w has two weights, so its
    loss is a surface over (w1, w2) like the lesson's others."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(num_samples, 2)) * np.array([1.0, 0.35])
    y = X @ np.array([2.0, -1.0]) + rng.normal(scale=0.5, size=num_samples)
    return X, y


def mse_gradient(w, X, y):
    """The gradient of J(w) = mean((X w - y)^2) with respect to w: 2/N X^T (X w - y)."""
    return 2 / len(y) * X.T @ (X @ w - y)


def regression_surface(X, y):
    """J(w) = mean((X w - y)^2) over all of (X, y), as a Surface (its minimum: least squares)."""
    A, b, c = X.T @ X / len(y), X.T @ y / len(y), float(y @ y) / len(y)
    best = np.linalg.solve(A, b)

    def loss(p):  # w A w - 2 b.w + c, in arithmetic only (numpy or torch, batches of points)
        w1, w2 = _xy(p)
        return (A[0, 0] * w1 ** 2 + 2 * A[0, 1] * w1 * w2 + A[1, 1] * w2 ** 2
                - 2 * (b[0] * w1 + b[1] * w2) + c)

    return Surface("Linear neuron", loss, lambda p: mse_gradient(np.asarray(p, dtype=float), X, y),
                   start=(-1.0, 2.0), xlim=(-1.5, 3.5), ylim=(-3.0, 2.5), minima=(tuple(best),),
                   lowest=float(loss(best)), lr=0.1)


def train_on_minibatches(optimizer, minibatches, X, y, batch_size, num_epochs, seed=0,
                         schedule=None, start=(-1.0, 2.0)):
    """Fit w (y_hat = X w) with `optimizer` on `minibatches(X, y, batch_size, rng)`, a new
    shuffle each epoch from one `np.random.default_rng(seed)`.

    `schedule(epoch)`, if given, is the learning rate for epoch 0, 1, ...: it is set as
    `optimizer.lr` before the epoch, as torch.optim.lr_scheduler sets a param group's "lr".
    Returns the weights after each step (the start first) and the batches, per step."""
    if schedule is not None and not hasattr(optimizer, "lr"):
        raise AttributeError(f"{type(optimizer).__name__} keeps its learning rate under another "
                             "name; a schedule sets `optimizer.lr`, so store it as `self.lr`.")
    rng = np.random.default_rng(seed)
    w = np.array(start, dtype=float)
    path, batches = [w], []
    for epoch in range(num_epochs):
        if schedule is not None:
            optimizer.lr = schedule(epoch)
        for X_batch, y_batch in minibatches(X, y, batch_size, rng):
            X_batch, y_batch = np.asarray(X_batch, dtype=float), np.asarray(y_batch, dtype=float)
            w = np.asarray(optimizer.step(w, mse_gradient(w, X_batch, y_batch)), dtype=float)
            path.append(w)
            batches.append((X_batch, y_batch))
    return np.array(path), batches


def follow_torch_on_batches(torch_cls, batches, steps_per_epoch, start=(-1.0, 2.0),
                            scheduler=None, **hyperparameters):
    """torch.optim's path on the same batches: y_hat = X w, torch's own MSE and autograd, and
    `scheduler` = (a torch.optim.lr_scheduler class, its arguments) stepped once per epoch."""
    w = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    optimizer = torch_cls([w], **hyperparameters)
    schedule = scheduler[0](optimizer, **scheduler[1]) if scheduler else None
    path = [w.detach().numpy().copy()]
    for step, (X_batch, y_batch) in enumerate(batches, start=1):
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(torch.from_numpy(X_batch) @ w,
                                     torch.from_numpy(y_batch)).backward()
        optimizer.step()
        path.append(w.detach().numpy().copy())
        if schedule is not None and step % steps_per_epoch == 0:
            schedule.step()
    return np.array(path)


def loss_per_epoch(surface, path, num_epochs):
    """J(w) - J(w*) on all the data at the start and after each epoch of a path."""
    return losses(surface, path[::(len(path) - 1) // num_epochs])


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


def batches_of(minibatches, X, y, batch_size, seed, num_epochs):
    """`minibatches(X, y, batch_size, rng)` for `num_epochs` epochs with one
    `np.random.default_rng(seed)`, as plain data: per epoch, a list of (X_batch, y_batch)
    float arrays (NaN for anything that is not an array of numbers). The grader runs it next
    to the student's code (`in_kernel`), one call per case."""
    rng = np.random.default_rng(seed)
    epochs = []
    for _ in range(num_epochs):
        epoch = []
        for pair in minibatches(X.copy(), y.copy(), batch_size, rng):
            try:
                X_batch, y_batch = pair
                epoch.append((np.array(X_batch, dtype=float), np.array(y_batch, dtype=float)))
            except (TypeError, ValueError):
                epoch.append((np.array(np.nan), np.array(np.nan)))
        epochs.append(epoch)
    return epochs


def dataloader_batches(X, y, batch_size, seed, num_epochs):
    """The reference: torch's DataLoader over (X, y), each epoch in the order
    `rng.permutation(len(X))` of one `np.random.default_rng(seed)`."""
    rng = np.random.default_rng(seed)
    dataset = torch.utils.data.TensorDataset(torch.from_numpy(X), torch.from_numpy(y))
    return [[(X_batch.numpy(), y_batch.numpy()) for X_batch, y_batch in torch.utils.data.DataLoader(
                dataset, batch_size=batch_size, sampler=rng.permutation(len(X)).tolist())]
            for _ in range(num_epochs)]


def check_minibatches(minibatches, X, y, batch_size, seed, num_epochs=2, batches_by=None):
    """Assert that `minibatches` gives, epoch after epoch, the batches torch's DataLoader
    makes in the same shuffled order. `batches_by` runs the epochs (the grader passes one that
    runs them next to the student's code); default `batches_of`."""
    __tracebackhide__ = True  # tracebacks end in the student's cell, not here
    call = (f"minibatches(X of shape {X.shape}, y of shape {y.shape}, batch_size={batch_size}, "
            f"rng=np.random.default_rng({seed}))")
    expected = dataloader_batches(X, y, batch_size, seed, num_epochs)
    actual = (batches_by or batches_of)(minibatches, X, y, batch_size, seed, num_epochs)
    for epoch, (ours, theirs) in enumerate(zip(expected, actual), start=1):
        sizes = [len(b[1]) for b in ours]
        check_true(len(theirs) == len(ours),
                   f"{call}, epoch {epoch}: {len(theirs)} batches, expected {len(ours)} (sizes "
                   f"{sizes}: every sample once, the last batch smaller if {len(y)} samples do "
                   f"not divide into batches of {batch_size}).")
        for number, ((X_ours, y_ours), (X_theirs, y_theirs)) in enumerate(zip(ours, theirs), start=1):
            for name, expected_part, actual_part in [("X", X_ours, X_theirs), ("y", y_ours, y_theirs)]:
                check_true(actual_part.shape == expected_part.shape and
                           np.array_equal(actual_part, expected_part),
                           f"{call}, epoch {epoch}, batch {number}: {name}_batch is "
                           f"{_show_batch(actual_part)}, expected {_show_batch(expected_part)} "
                           "(the rows of rng.permutation(len(X)), in order; a new shuffle "
                           "each epoch from the same rng).")


def _show_batch(values):
    return np.array2string(np.asarray(values), precision=4, separator=", ", threshold=20)
