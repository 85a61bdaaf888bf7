"""One student's Outcome in `course grade` (course/grading/outcome.py) says in one line what
happened, and which notebooks need a page saying why they were not graded. The whole path,
with real nbgrader, is in tests/test_class_grading.py."""
from course.grading.outcome import CRASHED, Outcome

NAMES = ["perceptron"]
UNREADABLE = {"perceptron": "perceptron.ipynb could not be read as a notebook (...)."}


def test_a_graded_submission_is_graded():
    outcome = Outcome("ada", graded=True)
    assert outcome.status(NAMES) == "graded"
    assert outcome.without_feedback(NAMES) == {}


def test_an_unreadable_submission_says_why_and_is_never_given_to_autograde():
    outcome = Outcome("ada", unreadable=UNREADABLE)
    assert not outcome.gradable(NAMES) and not outcome.crashed(NAMES)
    assert outcome.status(NAMES) == "not graded: " + UNREADABLE["perceptron"]
    assert outcome.without_feedback(NAMES) == UNREADABLE


def test_a_crash_gives_autograde_s_last_line_and_a_page_that_says_a_person_will_look():
    outcome = Outcome("ada", error="Traceback (most recent call last):\n  ...\nValueError: boom\n")
    assert outcome.crashed(NAMES)
    assert outcome.status(NAMES) == "grading failed: ValueError: boom"
    assert outcome.without_feedback(NAMES) == {"perceptron": CRASHED}


def test_a_flagged_submission_shows_the_formgrader_s_comment():
    reasons = ["cell 3: assigns to np.allclose", "cell 3: calls exec()"]
    outcome = Outcome("ada", graded=True, review={"perceptron": reasons})
    assert outcome.status(NAMES) == (
        "Flagged for manual review: this submission's code may change how answers are checked "
        "(cell 3: assigns to np.allclose; cell 3: calls exec()).")
    assert outcome.row(NAMES)["status"] == outcome.status(NAMES)
