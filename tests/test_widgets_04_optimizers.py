"""Lesson 04's race widget driven in a real kernel: set a control, read what it drew."""

import pytest

from tests.support import run_cells

STUDENT_CODE = '''
import numpy as np
from helpers.optimizers import OptimizerRace

class SGD:
    def __init__(self, lr=1e-3, momentum=0, dampening=0, nesterov=False):
        self.lr, self.momentum, self.dampening = lr, momentum, dampening
        self.buffer = None

    def step(self, params, grads):
        if self.momentum:
            self.buffer = (grads.copy() if self.buffer is None else
                           self.momentum * self.buffer + (1 - self.dampening) * grads)
            grads = self.buffer
        return params - self.lr * grads

class Adam:
    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, bias_correction=True):
        self.lr, self.betas, self.eps, self.correct = lr, betas, eps, bias_correction
        self.m = self.v = 0.0
        self.t = 0

    def step(self, params, grads):
        (beta1, beta2), self.t = self.betas, self.t + 1
        self.m = beta1 * self.m + (1 - beta1) * grads
        self.v = beta2 * self.v + (1 - beta2) * grads ** 2
        m, v = self.m, self.v
        if self.correct:
            m, v = m / (1 - beta1 ** self.t), v / (1 - beta2 ** self.t)
        return params - self.lr * m / (np.sqrt(v) + self.eps)

class AdamWithoutCorrection(Adam):
    def __init__(self, **hyperparameters):
        super().__init__(**hyperparameters, bias_correction=False)

class Unfinished:
    def __init__(self, **hyperparameters):
        raise NotImplementedError()

class Broken:
    def __init__(self, **hyperparameters):
        pass

    def step(self, params, grads):
        return params[:1]

def png(race):
    frame = bytes(race.picture.value)
    assert frame.startswith(b"\\x89PNG"), frame[:8]
    return frame
'''


def run_in_kernel(*cells):
    return run_cells(STUDENT_CODE, *cells)


@pytest.mark.slow
def test_race_follows_torch_and_the_step_slider_redraws():
    run_in_kernel('''
        race = OptimizerRace({"SGD": SGD, "Adam": Adam}, num_steps=60)
        assert race.status.value.count("follows torch.optim step for step") == 3, race.status.value
        first = png(race)
        race.step.value = 30
        assert png(race) != first
        race.surface.value = "Saddle"  # sets the surface's own learning rate and reruns
        assert race.lr.value == 0.1, race.lr.value
        assert race.status.value.count("follows torch.optim step for step") == 3
        race.choices["Adam"].value = False
        assert "Adam" not in race.status.value and "Momentum" in race.status.value
    ''')


@pytest.mark.slow
def test_race_says_plainly_what_is_missing_or_wrong():
    run_in_kernel('''
        race = OptimizerRace({"SGD": Unfinished, "Adam": AdamWithoutCorrection,
                              "Adagrad": Broken},
                             num_steps=40, chosen=("SGD", "Adagrad", "Adam", "RMSprop"))
        status = race.status.value
        assert "Not ready yet" in status and "<code>Unfinished</code> is not implemented" in status, status
        assert "leaves torch.optim's path at step 1" in status, status
        assert "<code>Broken</code> raised ValueError" in status, status
        assert "there is no class <code>RMSprop</code>" in status, status
        first = png(race)  # torch.optim's paths are still drawn
        race.lr.value = 0.01
        race.step.value = 40
        assert png(race) != first
    ''')


@pytest.mark.slow
def test_race_reports_a_blow_up():
    run_in_kernel('''
        race = OptimizerRace({"SGD": SGD}, num_steps=50, chosen=("SGD",))
        race.lr.value = 0.1  # far too large for plain SGD on Rosenbrock
        assert "blows up at step" in race.status.value, race.status.value
        assert "follows torch.optim step for step" in race.status.value, race.status.value
        race.step.value = 50
        png(race)
    ''')
