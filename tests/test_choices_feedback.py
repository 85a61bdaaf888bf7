"""Lesson 03's questions teach once graded: a student who picked a wrong letter reads, on the
feedback page, why each option is right or wrong, with their letter marked, whether the class
is graded with `course grade` or with plain `nbgrader autograde` and `generate_feedback`. The
explanations live only in the hidden tests, so they reach neither the lesson nor helpers/."""
import ast
import contextlib
import html
import io
import shutil
import subprocess
import sys

import pytest

from course import lessons as course_lessons
from helpers.choices import explain_choices
from tests.support import (ROOT, autograded_cells, exercise_of, fill_answers, grade_id,
                           nbgrader_cells, notebook_of, read, shared, solutions_of)
from tests.test_course_files import student_facing_text

LESSON = "03-mae-vs-rmse"
PAGE = notebook_of(LESSON).with_suffix(".html").name
STUDENT = "picks_wrong_letters"
GRADE_COMMANDS = {
    "course-grade": [[sys.executable, "-m", "course.cli", "grade", LESSON, "--workers", "1"]],
    "nbgrader": [[sys.executable, "-m", "nbgrader", "autograde", LESSON, "--force"],
                 [sys.executable, "-m", "nbgrader", "generate_feedback", LESSON, "--force"]],
}


def explained_questions():
    """{answer grade_id: (the answer's variable, {letter: explanation})}, read from the
    explain_choices calls in the solution's hidden tests."""
    notebook = read(notebook_of(LESSON))
    answer_ids = [grade_id(c) for c in nbgrader_cells(notebook, "solution")]
    questions = {}
    for cell in autograded_cells(notebook):
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "explain_choices":
                questions[exercise_of(grade_id(cell), answer_ids)] = (
                    node.args[0].id, ast.literal_eval(node.args[1]))
    return questions


def wrong_letter(explanations):
    return next(letter for letter, text in explanations.items() if text.startswith("Wrong"))


@pytest.fixture(scope="module", params=[pytest.param(m, marks=shared(f"choices-{m}"))
                                        for m in GRADE_COMMANDS])
def feedback_page(request, tmp_path_factory):
    """The feedback page of a student who answers every question with a wrong letter (and
    everything else right), graded by one of the two commands."""
    root = tmp_path_factory.mktemp(f"choices-{request.param}")
    course_lessons.copy_course(ROOT, root)
    course_lessons.generate(root, LESSON)
    answers = solutions_of(LESSON)
    for answer_id, (variable, explanations) in explained_questions().items():
        answers[answer_id] = f'{variable} = "{wrong_letter(explanations)}"\n'
    folder = root / "submitted" / STUDENT / LESSON
    shutil.copytree(root / "lessons" / LESSON, folder)
    fill_answers(folder / notebook_of(LESSON).name, answers)
    (folder / "timestamp.txt").write_text("2026-01-01 12:00:00.000000 UTC")
    for command in GRADE_COMMANDS[request.param]:
        result = subprocess.run(command, cwd=root, capture_output=True, text=True,
                                env=course_lessons.nbgrader_environment(), timeout=600)
        assert result.returncode == 0, result.stdout + result.stderr
    return html.unescape((root / "feedback" / STUDENT / LESSON / PAGE).read_text())


@pytest.mark.slow
def test_a_wrong_letter_gets_every_option_explained_with_it_marked(feedback_page):
    questions = explained_questions()
    assert len(questions) >= 4
    for answer_id, (variable, explanations) in questions.items():
        picked = wrong_letter(explanations)
        assert f"You answered {picked}. Why each option is right or wrong:" in feedback_page, answer_id
        for letter, explanation in explanations.items():
            marker = "→" if letter == picked else " "
            assert f" {marker} {letter}. {explanation}" in feedback_page, (answer_id, letter)
    assert feedback_page.count("Failed. A hidden test of this exercise failed") == len(questions)


def test_explanations_reach_neither_the_lessons_nor_helpers():
    explanations = [text for _, choices in explained_questions().values() for text in choices.values()]
    assert explanations
    texts = student_facing_text()
    found = {str(path): [e for e in explanations if e in text or e.partition(": ")[2] in text]
             for path, text in texts.items()}
    assert not any(found.values()), found


def test_an_answer_that_is_no_letter_is_not_echoed_into_feedback():
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        explain_choices("D) the hidden tests say", {"C": "Wrong: no.", "D": "Right: yes."})
    assert "hidden tests say" not in printed.getvalue()
    assert printed.getvalue().splitlines() == [
        "Your answer is not one of the options. Why each option is right or wrong:",
        "   C. Wrong: no.", "   D. Right: yes."]
