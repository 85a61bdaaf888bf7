"""Lesson 04's grading checks: the student's optimizer against torch.optim step by step, its
default hyperparameters, and its minibatches against torch's DataLoader.

Like helpers/checks.py, every comparison function is bound once, when the lesson imports
this module, so replacing np.allclose (or another) later in a notebook does not change what
these checks accept. `run_steps` and `batches_of` run next to the student's code
(`in_kernel`); the checks compare what they bring back.
"""
import inspect

import numpy as np
import torch

from helpers.checks import as_float_array, check_true
from helpers.optimizers.races import ATOL, RTOL, describe
from helpers.optimizers.surfaces import surface_named

_allclose, _array_equal, _array = np.allclose, np.array_equal, np.array


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
    start = _array(surface.start if start is None else start, dtype=float)
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
    results, changed = (steps_by or run_steps)(cls, _array(before), _array(gradients),
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
        if not _allclose(new_params, expected, rtol=RTOL, atol=ATOL):
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
            result = _array(result, dtype=float)
        except (TypeError, ValueError):
            result = _array(np.nan)
        results.append(result)
        changed.append((not _array_equal(params_before, params_k),
                        not _array_equal(grads_before, grads_k)))
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
                epoch.append((_array(X_batch, dtype=float), _array(y_batch, dtype=float)))
            except (TypeError, ValueError):
                epoch.append((_array(np.nan), _array(np.nan)))
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
                           _array_equal(actual_part, expected_part),
                           f"{call}, epoch {epoch}, batch {number}: {name}_batch is "
                           f"{_show_batch(actual_part)}, expected {_show_batch(expected_part)} "
                           "(the rows of rng.permutation(len(X)), in order; a new shuffle "
                           "each epoch from the same rng).")


def _show_batch(values):
    return np.array2string(np.asarray(values), precision=4, separator=", ", threshold=20)
