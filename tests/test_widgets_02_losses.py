"""Lesson 02's LossExplorer driven in a real kernel: move a control, read what it drew."""

import pytest

from tests.support import run_cells

STUDENT_CODE = '''
import numpy as np
from helpers.losses import LossExplorer

def bce(y, p, eps=1e-12):
    p = np.clip(p, eps, 1 - eps)
    return float(np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p))))

def cce(y, P, eps=1e-12):
    return float(-np.mean(np.log(np.clip(P[np.arange(len(y)), y], eps, 1.0))))

def mse(y, y_hat):
    return float(np.mean((y - y_hat) ** 2))

def mae(y, y_hat):
    return float(np.mean(np.abs(y - y_hat)))

def rmse(y, y_hat):
    return float(np.sqrt(mse(y, y_hat)))

def unfinished(*args, **kwargs):
    raise NotImplementedError()

def rows(explorer):
    """{loss name: (J, gradient)} as the explorer's table shows them."""
    import re
    found = re.findall(r"<tr><td>(\\w+)</td><td>([-+\\d.]+)</td><td>([-+\\d.]+)</td></tr>",
                       explorer.status.value)
    return {name: (float(value), float(slope)) for name, value, slope in found}
'''


def run_in_kernel(*cells):
    return run_cells(STUDENT_CODE, *cells)


@pytest.mark.slow
def test_moving_the_prediction_redraws_every_loss_and_gradient():
    run_in_kernel('''
        explorer = LossExplorer(bce, cce, mse, mae, rmse)
        first_frame = bytes(explorer.picture.value)
        assert first_frame.startswith(b"\\x89PNG")
        before = rows(explorer)
        assert set(before) == {"BCE", "CCE", "MSE", "MAE", "RMSE"}, before
        explorer.probability.value = 0.1
        after = rows(explorer)
        # y1 = 1, p1 = 0.1 among four samples: BCE's slope is -1 / (4 * 0.1)
        assert abs(after["BCE"][1] + 2.5) < 1e-3, after
        assert after["BCE"] == after["CCE"], after
        assert abs(after["MAE"][1] + 0.25) < 1e-3 and abs(after["MSE"][1] + 0.45) < 1e-3, after
        assert after["BCE"][0] > before["BCE"][0], (before, after)
        frame = bytes(explorer.picture.value)
        assert frame.startswith(b"\\x89PNG") and frame != first_frame
        explorer.target.value = 0  # flipping the label flips the slopes' signs
        flipped = rows(explorer)
        assert flipped["BCE"][1] > 0 and flipped["MSE"][1] > 0, flipped
        assert bytes(explorer.picture.value) != frame
    ''')


@pytest.mark.slow
def test_explorer_runs_the_students_functions():
    run_in_kernel('''
        calls = []
        def counting_mse(y, y_hat):
            calls.append(len(y))
            return mse(y, y_hat)
        explorer = LossExplorer(bce, cce, counting_mse, mae, rmse)
        seen = len(calls)
        assert seen and set(calls) == {4}, calls  # a batch of four samples
        explorer.probability.value = 0.8
        assert len(calls) > seen
        doubled = LossExplorer(bce, cce, lambda y, y_hat: 2 * mse(y, y_hat), mae, rmse)
        doubled.probability.value = 0.8
        assert abs(rows(doubled)["MSE"][0] - 2 * rows(explorer)["MSE"][0]) < 1e-3
    ''')


@pytest.mark.slow
def test_explorer_says_plainly_what_is_missing_or_broken():
    run_in_kernel('''
        explorer = LossExplorer(unfinished, cce, mse, lambda y, y_hat: np.abs(y - y_hat), unfinished)
        status = explorer.status.value
        assert "Not ready yet" in status and "binary_cross_entropy" in status and "rmse" in status
        assert "mae" in status and "failed" in status, status
        assert set(rows(explorer)) == {"CCE", "MSE"}, rows(explorer)
        assert bytes(explorer.picture.value).startswith(b"\\x89PNG")
        explorer.target.value = 0  # changing the controls must not raise either
        explorer.probability.value = 0.5
        nothing = LossExplorer(unfinished, unfinished, unfinished, unfinished, unfinished)
        assert "Not ready yet" in nothing.status.value and nothing.picture.value == b""
        nothing.probability.value = 0.6
    ''')
