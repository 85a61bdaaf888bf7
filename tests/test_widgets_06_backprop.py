"""Lesson 06's XOR widget driven in a real kernel as a student's code drives it: set a control,
read what the observer drew."""

import pytest

from tests.support import run_cells

STUDENT_CODE = '''
import numpy as np
from helpers.backprop import XorExplorer

def sigmoid(z):
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))

SLOPES = {"sigmoid": (sigmoid, lambda z: sigmoid(z) * (1 - sigmoid(z))),
          "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
          "relu": (lambda z: np.maximum(z, 0), lambda z: (np.asarray(z) > 0) * 1.0)}

def binary_cross_entropy(y, y_hat):
    return -np.mean(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat))

def forward(X, params, activation="tanh"):
    Z1 = X @ params["W1"] + params["b1"]
    H = SLOPES[activation][0](Z1)
    y_hat = sigmoid(H @ params["w2"] + params["b2"])
    return y_hat, {"X": X, "Z1": Z1, "H": H, "y_hat": y_hat}

def backward(params, cache, y, activation="tanh"):
    d2 = (cache["y_hat"] - y) / len(y)
    d1 = np.outer(d2, params["w2"]) * SLOPES[activation][1](cache["Z1"])
    return {"W1": cache["X"].T @ d1, "b1": d1.sum(0), "w2": cache["H"].T @ d2, "b2": d2.sum()}

def train(X, y, hidden_units=4, activation="tanh", lr=1.0, num_epochs=1000, seed=1):
    rng = np.random.default_rng(seed)
    params = {"W1": rng.normal(size=(X.shape[1], hidden_units)), "b1": np.zeros(hidden_units),
              "w2": rng.normal(size=hidden_units), "b2": 0.0}
    losses = []
    for _ in range(num_epochs):
        y_hat, cache = forward(X, params, activation)
        losses.append(binary_cross_entropy(y, y_hat))
        grads = backward(params, cache, y, activation)
        params = {k: v - lr * grads[k] for k, v in params.items()}
    return params, losses

def unfinished(*args, **kwargs):
    raise NotImplementedError()

def train_without_forward(X, y, **settings):
    return unfinished(X, y)
'''


def run_in_kernel(*cells):
    return run_cells(STUDENT_CODE, *cells)


@pytest.mark.slow
def test_xor_explorer_says_plainly_when_the_network_is_missing():
    run_in_kernel('''
        explorer = XorExplorer(train_without_forward, unfinished)
        assert "Not ready yet" in explorer.status.value and "forward" in explorer.status.value
        assert explorer.picture.value == b""
        explorer.hidden_units.value = 2  # moving a control must not raise either
        explorer.activation.value = "relu"
        assert "Not ready yet" in explorer.status.value
    ''')


@pytest.mark.slow
def test_xor_explorer_retrains_the_students_network_on_every_control():
    run_in_kernel('''
        explorer = XorExplorer(train, forward, num_epochs=400)
        assert "4 of 4" in explorer.status.value, explorer.status.value  # 4 tanh units learn XOR
        frames = [bytes(explorer.picture.value)]
        assert frames[0].startswith(b"\\x89PNG")
        explorer.hidden_units.value = 1  # one unit is a linear model: at most 3 of 4
        assert "4 of 4" not in explorer.status.value, explorer.status.value
        frames.append(bytes(explorer.picture.value))
        explorer.activation.value = "relu"
        frames.append(bytes(explorer.picture.value))
        explorer.lr.value = 0.01
        frames.append(bytes(explorer.picture.value))
        explorer.seed.value = 3
        frames.append(bytes(explorer.picture.value))
        assert all(f.startswith(b"\\x89PNG") for f in frames)
        assert len(set(frames)) == len(frames), "some control did not redraw the picture"
    ''')


@pytest.mark.slow
def test_xor_explorer_reports_divergence_instead_of_warning():
    notebook = run_in_kernel('''
        def exploding(X, y, **settings):
            params, losses = train(X, y, **settings)
            return params, losses + [float("nan")]
        explorer = XorExplorer(exploding, forward, num_epochs=50)
        assert "diverged" in explorer.status.value, explorer.status.value
        assert bytes(explorer.picture.value).startswith(b"\\x89PNG")
    ''')
    assert not [o for c in notebook.cells for o in c.outputs if o.get("name") == "stderr"]
