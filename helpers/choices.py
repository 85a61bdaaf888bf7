"""Checks for multiple-choice questions.

The visible check only makes sure the answer is one of the allowed letters; which letter is
right stays in the grader's hidden tests.
"""


def check_choice(answer, choices, name):
    """Assert that `answer` (the variable `name`) is one of the letters in `choices`.

    An answer still at None means the question is open: that raises NotImplementedError,
    like an exercise whose function is not written yet.
    """
    __tracebackhide__ = True  # tracebacks end in the student's cell, not here
    letters = ", ".join(f'"{c}"' for c in choices)
    if answer is None:
        raise NotImplementedError(f"Answer the question: set {name} to one of {letters}.")
    if not (isinstance(answer, str) and answer in tuple(choices)):
        raise AssertionError(
            f"{name} is {answer!r}; set it to one of {letters} (a capital letter in quotes)."
        )
