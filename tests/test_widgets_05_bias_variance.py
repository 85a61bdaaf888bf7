"""Lesson 05's widget driven in a real kernel: move a slider, read what the observer drew."""

import pytest

from tests.support import run_cells

STUDENT_CODE = '''
import numpy as np
from helpers.bias_variance import BiasVarianceExplorer, draw_test_set, draw_training_sets, true_function

def polynomial_features(x, degree):
    return np.vander(np.asarray(x, dtype=float), degree + 1, increasing=True)

def fit(x, y, degree, l2=0.0):
    X = polynomial_features(x, degree)
    D = np.diag([0.0] + [1.0] * degree)
    return np.linalg.solve(X.T @ X + len(X) * l2 * D, X.T @ y)

def predict(w, x):
    return polynomial_features(x, len(w) - 1) @ w

def bias_variance(training_sets, x_test, f_test, sigma, degree, l2=0.0):
    y_hats = np.array([predict(fit(x, y, degree, l2=l2), x_test) for x, y in training_sets])
    mean = y_hats.mean(axis=0)
    return np.mean((mean - f_test) ** 2), np.mean((y_hats - mean) ** 2), sigma ** 2

def unfinished_features(x, degree):
    raise NotImplementedError()

def fit_on_unfinished_features(x, y, degree, l2=0.0):
    return unfinished_features(x, degree)

def unfinished_bias_variance(*args, **kwargs):
    raise NotImplementedError()

x_test, _ = draw_test_set(np.random.default_rng(0))
sets = draw_training_sets(20, seed=1)

def explorer(fit=fit, predict=predict, bias_variance=bias_variance):
    return BiasVarianceExplorer(fit, predict, bias_variance, sets, x_test, true_function(x_test))
'''


def run_in_kernel(*cells):
    return run_cells(STUDENT_CODE, *cells)


@pytest.mark.slow
def test_moving_the_sliders_refits_and_redraws_the_terms():
    run_in_kernel('''
        widget = explorer()
        first_frame, first_status = bytes(widget.picture.value), widget.status.value
        assert first_frame.startswith(b"\\x89PNG"), first_status
        assert "degree 3" in first_status and "measured test error" in first_status, first_status
        widget.degree.value = 12
        assert "degree 12" in widget.status.value, widget.status.value
        assert bytes(widget.picture.value).startswith(b"\\x89PNG")
        assert bytes(widget.picture.value) != first_frame
        high_degree = widget.status.value
        widget.l2.value = 0.1
        assert "λ = 0.1" in widget.status.value and widget.status.value != high_degree
    ''')


@pytest.mark.slow
def test_the_bars_are_the_students_bias_variance():
    run_in_kernel('''
        doubled = lambda *args, **kwargs: tuple(2 * t for t in bias_variance(*args, **kwargs))
        right, wrong = explorer(), explorer(bias_variance=doubled)
        assert right.status.value != wrong.status.value
        assert "noise 0.1800" in wrong.status.value, wrong.status.value
    ''')


@pytest.mark.slow
def test_says_plainly_which_function_is_missing():
    run_in_kernel('''
        widget = explorer(fit=fit_on_unfinished_features)
        assert "Not ready yet" in widget.status.value and "unfinished_features" in widget.status.value
        assert widget.picture.value == b""
        widget.degree.value = 5  # moving a slider must not raise either
        assert "Not ready yet" in widget.status.value

        widget = explorer(bias_variance=unfinished_bias_variance)
        assert "Not ready yet" in widget.status.value and "unfinished_bias_variance" in widget.status.value
        assert bytes(widget.picture.value).startswith(b"\\x89PNG")  # the fits are still drawn
    ''')


@pytest.mark.slow
def test_a_wrong_answer_is_reported_not_raised():
    run_in_kernel('''
        widget = explorer(predict=lambda w, x: np.ones((2, 2)) @ np.ones(3))
        assert "raised ValueError" in widget.status.value, widget.status.value
    ''')
