"""Real nbgrader grades each lesson as a teacher expects: full marks, zero, and in between."""
import pytest

from support import (LESSONS, all_wrong_answers, exercise_of, grade_id, nbgrader_cells,
                     notebook_of, outputs_named, per_lesson, read, to_json, wrong_answers)


@pytest.mark.slow
@pytest.mark.parametrize("lesson", per_lesson())
def test_solutions_earn_full_marks(graded, lesson):
    graded_class = graded(lesson)
    assert graded_class.total("solution") == graded_class.maximum() > 0, (
        to_json(graded_class.scores["solution"]))


@pytest.mark.slow
@pytest.mark.parametrize("lesson", per_lesson())
def test_solutions_write_nothing_to_stderr(graded, lesson):
    notebook = graded(lesson).autograded("solution")
    noisy = [(i, outputs_named(cell, "stderr")) for i, cell in enumerate(notebook.cells)
             if outputs_named(cell, "stderr")]
    assert not noisy, f"cells writing to stderr (nbgrader scores such a test cell 0): {noisy}"


@pytest.mark.slow
@pytest.mark.parametrize("lesson", per_lesson())
def test_blank_lessons_autograde_to_zero(graded, lesson):
    graded_class = graded(lesson)
    assert graded_class.total("blank") == 0, to_json(graded_class.scores["blank"])
    assert (graded_class.root / "autograded" / "blank" / lesson).is_dir(), graded_class.log


@pytest.mark.slow
@pytest.mark.parametrize("lesson, exercise, wrong_answer", per_lesson(all_wrong_answers()))
def test_wrong_answers_lose_their_exercises_points_only(graded, lesson, exercise, wrong_answer):
    graded_class = graded(lesson)
    student = f"{exercise}--{wrong_answer}"
    answers = [grade_id(c) for c in nbgrader_cells(read(notebook_of(lesson)), "solution")]
    by_exercise = {}
    for test_id, (score, maximum) in graded_class.scores[student].items():
        earned, possible = by_exercise.get(exercise_of(test_id, answers), (0, 0))
        by_exercise[exercise_of(test_id, answers)] = (earned + score, possible + maximum)
    earned, possible = by_exercise.pop(exercise)
    assert earned < possible, f"{wrong_answer} kept all {possible} points of {exercise}"
    lost_elsewhere = {name: s for name, s in by_exercise.items() if s[0] < s[1]}
    assert not lost_elsewhere, f"{wrong_answer} in {exercise} also cost points in {lost_elsewhere}"


@pytest.mark.parametrize("lesson", per_lesson())
def test_every_exercise_has_at_least_two_wrong_answers(lesson):
    answers = [grade_id(c) for c in nbgrader_cells(read(notebook_of(lesson)), "solution")]
    known = wrong_answers(lesson)
    too_few = {a: len(known.get(a, {})) for a in answers if len(known.get(a, {})) < 2}
    assert not too_few, f"add wrong answers to tests/wrong_answers/{lesson}.py for {too_few}"


def test_there_are_lessons():
    assert LESSONS and LESSONS[0] == "01-perceptron"
