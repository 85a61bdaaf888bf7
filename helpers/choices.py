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


def explain_choices(answer, explanations):
    """Print, on stdout, why each option of a question is right or wrong, marking `answer`.

    Graders call it in a question's hidden tests, so the explanations reach a student only in
    the feedback on a graded submission, never in the lesson they answer. Only the
    instructor's words and a letter of `explanations` are printed: an answer that is not one
    of them (it comes from the student's kernel) is not echoed into the feedback."""
    chosen = answer if type(answer) is str and answer in explanations else None
    if chosen is None:
        print("Your answer is not one of the options. Why each option is right or wrong:")
    else:
        print(f"You answered {chosen}. Why each option is right or wrong:")
    for letter, explanation in explanations.items():
        marker = "→" if letter == chosen else " "
        print(f" {marker} {letter}. {explanation}")
