"""Widgets driven in a real kernel as a student's code drives them: set a control, read what
the observers drew (the browser suite checks the same through a real page)."""

import pytest

from tests.support import run_cells

STUDENT_CODE = '''
import numpy as np
from helpers.perceptron import PerceptronTrainer

def train(X, y, w=None, num_epochs=100):
    w = np.zeros(X.shape[1]) if w is None else np.array(w, dtype=float)
    history = []
    for epoch in range(1, num_epochs + 1):
        mistakes = 0
        for x, target in zip(X, y):
            y_hat = float(x @ w > 0)
            mistakes += y_hat != target
            w = w + (target - y_hat) * x
            history.append({"epoch": epoch, "x": x, "y": target, "y_hat": y_hat, "w": w})
        if not mistakes:
            break
    return w, history

def predict(w, X):
    return (np.asarray(X) @ np.asarray(w) > 0).astype(float)

def unfinished(*args, **kwargs):
    raise NotImplementedError()
'''


def run_in_kernel(*cells):
    return run_cells(STUDENT_CODE, *cells)


@pytest.mark.slow
def test_trainer_says_plainly_when_train_is_missing():
    run_in_kernel('''
        trainer = PerceptronTrainer(unfinished, unfinished)
        assert "Not ready yet" in trainer.status.value and "train" in trainer.status.value
        trainer.gate.value = "XOR"  # changing the gate must not raise either
        assert "Not ready yet" in trainer.status.value
    ''')


@pytest.mark.slow
def test_moving_the_slider_redraws_the_students_step():
    run_in_kernel('''
        trainer = PerceptronTrainer(train, predict, num_epochs=8)
        assert trainer.step.max == 24, trainer.step.max  # AND: 6 epochs of 4 steps
        first_frame = bytes(trainer.picture.value)
        assert first_frame.startswith(b"\\x89PNG")
        trainer.step.value = 2
        assert "(0, 0, 1)" in trainer.status.value, trainer.status.value  # the slides' step 2
        assert bytes(trainer.picture.value).startswith(b"\\x89PNG") and bytes(trainer.picture.value) != first_frame
        trainer.gate.value = "XOR"
        assert trainer.step.max == 32 and trainer.step.value == 0
    ''')


@pytest.mark.slow
def test_trainer_draws_even_when_predict_is_missing():
    run_in_kernel('''
        trainer = PerceptronTrainer(train, unfinished)
        trainer.step.value = 1
        assert "Not ready yet" in trainer.status.value and "predict" in trainer.status.value
        assert bytes(trainer.picture.value).startswith(b"\\x89PNG")
    ''')
