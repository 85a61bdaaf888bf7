"""Lesson 04's races: whole optimizer paths on a surface, computed first and drawn afterwards.

The student's optimizers and torch.optim's get the surface's exact gradients, in float64.
"""
import warnings
from dataclasses import dataclass

import numpy as np
import torch

from helpers.optimizers.surfaces import surface_named

# Where a path counts as gone: beyond this distance or not a finite number.
BLOWN_UP = 1e6
# How close the student's path must stay to torch.optim's, here and in the graded checks.
RTOL, ATOL = 1e-5, 1e-8


def describe(cls, hyperparameters):
    """How a test or a figure names an optimizer: `Adam(lr=0.1, betas=(0.8, 0.9))`."""
    def shown(value):  # 0.001122018454301963 (from a log slider) reads as 0.00112
        return f"{value:.3g}" if isinstance(value, float) else repr(value)
    arguments = ", ".join(f"{name}={shown(value)}" for name, value in hyperparameters.items())
    return f"{getattr(cls, '__name__', cls)}({arguments})"


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
