"""The base every lesson's widget builds on (helpers/widgets.py): one way to run the
student's code and say plainly what is missing or failing. Each lesson's widget is driven in
a real kernel in tests/test_widgets_NN_slug.py; the meta-test here makes sure that a failing
check in each of those kernels fails its test."""
import importlib

import pytest
from nbclient.exceptions import CellExecutionError

from helpers.widgets import StudentWidget, not_ready, run_student

# A cell per lesson's widget test module whose last check is false: the test must fail.
FAILING_CHECKS = {
    "test_widgets_01_perceptron":
        "trainer = PerceptronTrainer(train, predict)\nassert trainer.step.max == 0",
    "test_widgets_03_mae_vs_rmse":
        "explorer = OutlierExplorer(mae, rmse)\nassert explorer.count.value == 5",
    "test_widgets_05_bias_variance": "assert explorer().degree.value == 15",
    "test_widgets_06_backprop": ("explorer = XorExplorer(train, forward, num_epochs=10)\n"
                                 "assert explorer.hidden_units.value == 99"),
    "test_widgets_07_training_in_practice": (
        "explorer = ThresholdExplorer(p, y, confusion_matrix, precision, recall, f1_score)\n"
        "assert 'predicted positive' not in explorer.status.value"),
}


@pytest.mark.parametrize("module, cell", FAILING_CHECKS.items(), ids=list(FAILING_CHECKS))
def test_a_failing_widget_check_fails_the_test(module, cell):
    with pytest.raises(CellExecutionError):
        importlib.import_module(f"tests.{module}").run_in_kernel(cell)


def unfinished():
    raise NotImplementedError()


def broken():
    raise ZeroDivisionError("division by zero")


class Squares(StudentWidget):
    """The smallest widget: its picture is the student's `square` of 3, as text."""

    def __init__(self, square):
        self.square = square
        super().__init__([], width="100px")
        self.redraw()

    def draw(self):
        return "drawn", str(run_student("square", lambda: self.square(3))).encode()


def test_a_missing_function_is_named_with_what_to_do():
    widget = Squares(lambda x: unfinished())
    assert widget.status.value == not_ready("square") and widget.picture.value == b""
    assert "<code>square</code>" in widget.status.value


def test_a_failing_function_is_named_with_its_error_and_does_not_raise():
    widget = Squares(lambda x: broken())
    status = widget.status.value
    assert "<b>Your <code>square</code> failed: it raised ZeroDivisionError:</b>" in status
    assert "division by zero" in status and widget.picture.value == b""


def test_the_picture_is_what_the_students_code_drew():
    widget = Squares(lambda x: x * x)
    assert widget.status.value == "drawn" and widget.picture.value == b"9"


def test_a_missing_function_without_a_name_is_the_one_that_raised():
    def polynomial_features():
        raise NotImplementedError()

    with pytest.raises(Exception, match="<code>polynomial_features</code>"):
        run_student(None, lambda: polynomial_features())
