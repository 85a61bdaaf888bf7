"""Lesson 04's losses and their gradients, which the races and the graded checks feed to the
student's optimizers and to torch.optim alike, are what torch's autograd makes of them."""
import numpy as np
import pytest
import torch

from helpers.optimizers import SURFACES, regression_data, regression_surface


@pytest.mark.parametrize("name", list(SURFACES))
def test_each_surfaces_gradient_is_autograds(name):
    surface = SURFACES[name]
    points = torch.tensor(np.random.default_rng(5).uniform(-3, 3, size=(20, 2)), requires_grad=True)
    surface.loss(points).sum().backward()
    assert np.allclose(surface.gradient(points.detach().numpy()), points.grad.numpy(), rtol=1e-12, atol=1e-9)


def test_the_linear_neurons_loss_and_gradient_are_torchs_mse():
    X, y = regression_data()
    neuron = regression_surface(X, y)
    for w in np.random.default_rng(6).normal(size=(5, 2)):
        weights = torch.tensor(w, requires_grad=True)
        loss = torch.nn.functional.mse_loss(torch.from_numpy(X) @ weights, torch.from_numpy(y))
        loss.backward()
        assert np.isclose(neuron.loss_np(w), loss.item(), rtol=1e-12)
        assert np.allclose(neuron.gradient(w), weights.grad.numpy(), rtol=1e-10)
    best = np.array(neuron.minima[0])
    assert np.allclose(neuron.gradient(best), 0, atol=1e-12)
    assert np.isclose(neuron.lowest, np.mean((X @ best - y) ** 2))


def test_lesson_04s_checks_keep_numpys_real_comparisons(monkeypatch):
    """A student who replaces np.allclose and np.array_equal after importing the checks
    cannot make a wrong optimizer or wrong minibatches pass (helpers/checks.py's rule)."""
    from helpers.checks_optimizers import check_follows_torch, check_minibatches

    class TwiceTooFast:
        def __init__(self, lr=1e-3):
            self.lr = lr

        def step(self, params, grads):
            return params - 2 * self.lr * grads

    def unshuffled(X, y, batch_size, rng):  # the right sizes, in the wrong order
        for start in range(0, len(y), batch_size):
            yield X[start:start + batch_size], y[start:start + batch_size]

    monkeypatch.setattr(np, "allclose", lambda *args, **kwargs: True)
    monkeypatch.setattr(np, "array_equal", lambda *args, **kwargs: True)
    with pytest.raises(AssertionError, match="leaves torch.optim.SGD's path at step 1"):
        check_follows_torch(TwiceTooFast, torch.optim.SGD, "Narrow bowl", 3, lr=0.1)
    X, y = regression_data(num_samples=8)
    with pytest.raises(AssertionError, match="epoch 1, batch 1"):
        check_minibatches(unshuffled, X, y, batch_size=4, seed=0)
