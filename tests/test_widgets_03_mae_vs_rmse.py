"""Lesson 03's OutlierExplorer driven in a real kernel by a student's mae and rmse: set a
control, read what the observers drew."""

import pytest

from tests.support import run_cells

STUDENT_CODE = '''
import numpy as np
from helpers.mae_vs_rmse import OutlierExplorer

def mae(y, y_hat):
    return float(np.mean(np.abs(np.asarray(y, dtype=float) - np.asarray(y_hat, dtype=float))))

def rmse(y, y_hat):
    return float(np.sqrt(np.mean((np.asarray(y, dtype=float) - np.asarray(y_hat, dtype=float)) ** 2)))

def unfinished(*args, **kwargs):
    raise NotImplementedError()

def broken(y, y_hat):
    return np.mean(y - y_hat.nonexistent)
'''


def run_in_kernel(*cells):
    return run_cells(STUDENT_CODE, *cells)


@pytest.mark.slow
def test_explorer_says_plainly_which_function_is_missing():
    run_in_kernel('''
        explorer = OutlierExplorer(unfinished, unfinished)
        assert "Not ready yet" in explorer.status.value and "mae" in explorer.status.value
        assert bytes(explorer.picture.value) == b""
        explorer.size.value = 30.0  # moving a slider must not raise either
        explorer.cases[2].click()
        assert "Not ready yet" in explorer.status.value
        explorer = OutlierExplorer(mae, unfinished)
        assert "Not ready yet" in explorer.status.value and "rmse" in explorer.status.value
        explorer = OutlierExplorer(mae, broken)
        assert "rmse" in explorer.status.value and "AttributeError" in explorer.status.value
    ''')


@pytest.mark.slow
def test_growing_the_outlier_redraws_with_the_students_numbers():
    run_in_kernel('''
        explorer = OutlierExplorer(mae, rmse)
        assert "MAE = <b>2.000</b>, RMSE = <b>2.000</b>" in explorer.status.value, explorer.status.value
        first_frame = bytes(explorer.picture.value)
        assert first_frame.startswith(b"\\x89PNG")
        explorer.size.value = 20.0  # one error of 20 among nine errors of 2
        assert "MAE = <b>3.800</b>" in explorer.status.value, explorer.status.value
        assert "RMSE = <b>6.603</b>" in explorer.status.value, explorer.status.value
        assert bytes(explorer.picture.value).startswith(b"\\x89PNG")
        assert bytes(explorer.picture.value) != first_frame
        explorer.count.value = 10  # all errors of size 20 again: MAE and RMSE meet
        assert "MAE = <b>20.000</b>, RMSE = <b>20.000</b>" in explorer.status.value
    ''')


@pytest.mark.slow
def test_the_case_buttons_show_the_slides_numbers():
    run_in_kernel('''
        explorer = OutlierExplorer(mae, rmse)
        for button, rmse_text in zip(explorer.cases, ["2.000", "2.236", "6.325"]):
            button.click()
            assert f"MAE = <b>2.000</b>, RMSE = <b>{rmse_text}</b>" in explorer.status.value, (
                explorer.status.value)
        assert (explorer.base.value, explorer.size.value, explorer.count.value) == (0.0, 20.0, 1)
    ''')


@pytest.mark.slow
def test_the_explorer_uses_the_functions_it_is_given():
    run_in_kernel('''
        explorer = OutlierExplorer(lambda y, y_hat: 7.0, rmse)
        assert "MAE = <b>7.000</b>" in explorer.status.value, explorer.status.value
    ''')
