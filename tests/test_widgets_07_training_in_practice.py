"""Lesson 07's threshold widget, driven in a real kernel as the student's code drives it: move
the threshold, read what the student's metrics made of it."""

import pytest

from tests.support import run_cells

STUDENT_CODE = '''
import numpy as np
from helpers.training_in_practice import ThresholdExplorer

def confusion_matrix(y, y_hat, num_classes=2):
    counts = np.zeros((num_classes, num_classes), dtype=int)
    for true, predicted in zip(np.asarray(y).astype(int), np.asarray(y_hat).astype(int)):
        counts[true, predicted] += 1
    return counts

def precision(y, y_hat):
    (tn, fp), (fn, tp) = confusion_matrix(y, y_hat)
    return tp / (tp + fp) if tp + fp else 0.0

def recall(y, y_hat):
    (tn, fp), (fn, tp) = confusion_matrix(y, y_hat)
    return tp / (tp + fn) if tp + fn else 0.0

def f1_score(y, y_hat):
    p, r = precision(y, y_hat), recall(y, y_hat)
    return 2 * p * r / (p + r) if p + r else 0.0

def unfinished(*args, **kwargs):
    raise NotImplementedError()

def broken(*args, **kwargs):
    raise ZeroDivisionError("division by zero")

# Four samples: probabilities 0.2, 0.4, 0.6, 0.8 of class 1; the last two are positive.
p = np.array([0.2, 0.4, 0.6, 0.8])
y = np.array([0.0, 0.0, 1.0, 1.0])
'''


def run_in_kernel(*cells):
    return run_cells(STUDENT_CODE, *cells)


@pytest.mark.slow
def test_moving_the_threshold_recomputes_the_students_metrics():
    run_in_kernel('''
        explorer = ThresholdExplorer(p, y, confusion_matrix, precision, recall, f1_score)
        assert "2 of 4 samples predicted positive" in explorer.status.value, explorer.status.value
        assert "precision = 1.000" in explorer.status.value
        first_frame = bytes(explorer.picture.value)
        assert first_frame.startswith(b"\\x89PNG")
        explorer.threshold.value = 0.3  # now 0.4 is called positive too: a false positive
        assert "3 of 4 samples predicted positive" in explorer.status.value, explorer.status.value
        assert "precision = 0.667" in explorer.status.value and "recall = 1.000" in explorer.status.value
        assert bytes(explorer.picture.value).startswith(b"\\x89PNG")
        assert bytes(explorer.picture.value) != first_frame
        explorer.threshold.value = 0.9  # nothing positive: precision is 0 by convention
        assert "0 of 4" in explorer.status.value and "precision = 0.000" in explorer.status.value
    ''')


@pytest.mark.slow
def test_precision_recall_curve_comes_from_the_students_functions():
    run_in_kernel('''
        calls = []
        def counting_recall(y, y_hat):
            calls.append(1)
            return recall(y, y_hat)
        explorer = ThresholdExplorer(p, y, confusion_matrix, precision, counting_recall, f1_score)
        curve = explorer.precision_recall_curve()
        assert curve.shape == (101, 2), curve.shape
        # threshold 0: everything positive (recall 1, precision 1/2); 0.5: exactly right; 1: nothing
        assert tuple(curve[0]) == (1.0, 0.5) and tuple(curve[50]) == (1.0, 1.0), curve[[0, 50]]
        assert tuple(curve[100]) == (0.0, 0.0), curve[100]
        assert len(calls) == 102, len(calls)  # once for the status line, 101 times for the curve
        explorer.threshold.value = 0.3
        assert len(calls) == 103, "the curve is computed once, not on every move"
    ''')


@pytest.mark.slow
def test_an_error_at_another_threshold_is_reported_not_raised():
    run_in_kernel('''
        def fragile_precision(y, y_hat):
            (tn, fp), (fn, tp) = confusion_matrix(y, y_hat)
            return tp / (tp + fp) if tp + fp else 1 / 0
        explorer = ThresholdExplorer(p, y, confusion_matrix, fragile_precision, recall, f1_score)
        assert "precision-recall curve" in explorer.status.value, explorer.status.value
        assert "ZeroDivisionError" in explorer.status.value
    ''')


@pytest.mark.slow
def test_explorer_says_plainly_which_function_is_missing():
    run_in_kernel('''
        explorer = ThresholdExplorer(p, y, confusion_matrix, unfinished, recall, f1_score)
        assert "Not ready yet" in explorer.status.value and "precision" in explorer.status.value
        assert bytes(explorer.picture.value) == b""
        explorer.threshold.value = 0.1  # moving the slider must not raise either
        assert "Not ready yet" in explorer.status.value
    ''')


@pytest.mark.slow
def test_explorer_reports_an_error_in_the_students_code_instead_of_raising():
    run_in_kernel('''
        explorer = ThresholdExplorer(p, y, confusion_matrix, precision, broken, f1_score)
        assert "recall" in explorer.status.value and "ZeroDivisionError" in explorer.status.value
    ''')
