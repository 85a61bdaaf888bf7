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
