"""Lesson 04's test surfaces: losses over two parameters (x, y) with known minima.

A surface's `loss` uses only arithmetic, so the same function evaluates numpy arrays and
torch tensors; the two coordinates are the last axis of `params`, so a batch of starting
points is evaluated at once.
"""
from dataclasses import dataclass

import numpy as np


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


def coordinates(params):
    return params[..., 0], params[..., 1]


def _stack(dx, dy):
    return np.stack([dx, dy], axis=-1)


def _rosenbrock(p):
    x, y = coordinates(p)
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2


def _rosenbrock_gradient(p):
    x, y = coordinates(np.asarray(p, dtype=float))
    return _stack(-2 * (1 - x) - 400 * x * (y - x ** 2), 200 * (y - x ** 2))


def _himmelblau(p):
    x, y = coordinates(p)
    return (x ** 2 + y - 11) ** 2 + (x + y ** 2 - 7) ** 2


def _himmelblau_gradient(p):
    x, y = coordinates(np.asarray(p, dtype=float))
    a, b = x ** 2 + y - 11, x + y ** 2 - 7
    return _stack(4 * x * a + 2 * b, 2 * a + 4 * y * b)


def _saddle(p):
    x, y = coordinates(p)
    return x ** 2 + y ** 4 / 4 - y ** 2 / 2


def _saddle_gradient(p):
    x, y = coordinates(np.asarray(p, dtype=float))
    return _stack(2 * x, y ** 3 - y)


def _two_valleys(p):
    x, y = coordinates(p)
    return (x ** 2 - 1) ** 2 + 0.3 * x + 2 * y ** 2


def _two_valleys_gradient(p):
    x, y = coordinates(np.asarray(p, dtype=float))
    return _stack(4 * x * (x ** 2 - 1) + 0.3, 4 * y)


def _narrow_bowl(p):
    x, y = coordinates(p)
    return 0.05 * x ** 2 + y ** 2


def _narrow_bowl_gradient(p):
    x, y = coordinates(np.asarray(p, dtype=float))
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
