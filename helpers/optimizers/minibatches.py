"""Lesson 04's stochastic loss: a linear neuron fitted on minibatches of noisy data, and
torch.optim's path on the same batches."""
import numpy as np
import torch

from helpers.optimizers.races import losses
from helpers.optimizers.surfaces import Surface, coordinates


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
        w1, w2 = coordinates(p)
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
