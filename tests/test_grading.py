"""Real nbgrader grades each lesson as a teacher expects: full marks, zero, and in between."""
import pytest

from support import (LESSONS, ROOT, all_wrong_answers, exercise_cells, grade_id,
                     hidden_only_answers, nbgrader_cells, notebook_of, outputs_named, per_lesson,
                     points_by_exercise, read, to_json, written_cells, wrong_answers,
                     wrong_student)


@pytest.mark.slow
@pytest.mark.parametrize("lesson", per_lesson(shares="graded-class"))
def test_solutions_earn_full_marks(graded, lesson):
    graded_class = graded(lesson)
    assert graded_class.total("solution") == graded_class.maximum() > 0, (
        to_json(graded_class.scores["solution"]))


@pytest.mark.slow
@pytest.mark.parametrize("lesson", per_lesson(shares="graded-class"))
def test_solutions_write_nothing_to_stderr(graded, lesson):
    notebook = graded(lesson).autograded("solution")
    noisy = [(i, outputs_named(cell, "stderr")) for i, cell in enumerate(notebook.cells)
             if outputs_named(cell, "stderr")]
    assert not noisy, f"cells writing to stderr (nbgrader scores such a test cell 0): {noisy}"


@pytest.mark.slow
@pytest.mark.parametrize("lesson", per_lesson(shares="graded-class"))
def test_blank_lessons_autograde_to_zero(graded, lesson):
    graded_class = graded(lesson)
    assert graded_class.total("blank") == 0, to_json(graded_class.scores["blank"])
    assert (graded_class.root / "autograded" / "blank" / lesson).is_dir(), graded_class.log


@pytest.mark.slow
@pytest.mark.parametrize("lesson", per_lesson(shares="graded-class"))
def test_written_answers_wait_for_a_person_and_unanswered_ones_score_zero(graded, lesson):
    """A written answer is left for manual grading (no score yet, no error); one left as
    released scores 0 with "No response" and needs no one."""
    graded_class = graded(lesson)
    expected = {grade_id(c) for c in written_cells(read(notebook_of(lesson)))}
    assert expected and set(graded_class.written["solution"]) == expected
    for name, grade in graded_class.written["solution"].items():
        assert grade["auto_score"] is None and grade["manual_score"] is None, (name, grade)
        assert grade["needs_manual_grade"] and grade["max_score"] > 0, (name, grade)
    for name, grade in graded_class.written["blank"].items():
        assert grade["auto_score"] == 0 and not grade["needs_manual_grade"], (name, grade)


WRONG_AND_HIDDEN_ONLY = [(lesson, exercise, name, kind)
                         for kind in ("WRONG_ANSWERS", "HIDDEN_ONLY")
                         for lesson, exercise, name in all_wrong_answers(kind)]


@pytest.mark.slow
@pytest.mark.parametrize("lesson, exercise, wrong_answer, kind",
                         per_lesson(WRONG_AND_HIDDEN_ONLY, shares="graded-class"))
def test_wrong_answers_lose_all_their_exercises_points_and_no_others(
        graded, lesson, exercise, wrong_answer, kind):
    by_exercise = points_by_exercise(
        graded(lesson).scores[wrong_student(exercise, wrong_answer, kind)], lesson)
    earned, possible = by_exercise.pop(exercise)
    assert possible > 0 and earned == 0, (
        f"{wrong_answer} kept {earned} of the {possible} points of {exercise}")
    lost_elsewhere = {name: s for name, s in by_exercise.items() if s[0] < s[1]}
    assert not lost_elsewhere, f"{wrong_answer} in {exercise} also cost points in {lost_elsewhere}"


@pytest.mark.slow
@pytest.mark.parametrize("lesson, exercise, wrong_answer",
                         per_lesson(all_wrong_answers("HIDDEN_ONLY"), shares="visible-checks-class"))
def test_hidden_only_answers_pass_every_visible_check(graded, lesson, exercise, wrong_answer):
    """Graded with the hidden blocks cut out (the checks of the student copy, see the test
    below), the answer earns every point: only the hidden block takes its points away, so that
    block is load-bearing."""
    graded_class = graded(lesson, hidden_tests=False)
    scores = graded_class.scores[wrong_student(exercise, wrong_answer, "HIDDEN_ONLY")]
    missing = {e: s for e, s in points_by_exercise(scores, lesson).items() if s[0] < s[1]}
    assert not missing, (f"{wrong_answer} fails a visible check of {exercise}: "
                         f"move it to WRONG_ANSWERS, or make the visible checks gentler: {missing}")


@pytest.mark.slow
@pytest.mark.parametrize("lesson", per_lesson(shares="visible-checks-class"))
def test_without_hidden_blocks_the_grader_runs_the_student_copys_checks(graded, lesson):
    graded_class = graded(lesson, hidden_tests=False)
    assert graded_class.total("solution") == graded_class.maximum() > 0
    generated = read(graded_class.root / "lessons" / lesson / notebook_of(lesson).name)
    released = read(ROOT / "lessons" / lesson / notebook_of(lesson).name)
    assert ({grade_id(c): c.source for c in nbgrader_cells(generated, "grade")}
            == {grade_id(c): c.source for c in nbgrader_cells(released, "grade")})


@pytest.mark.parametrize("lesson", per_lesson())
def test_every_exercise_has_a_wrong_answer_only_hidden_tests_catch(lesson):
    answers = [grade_id(c) for c in exercise_cells(read(notebook_of(lesson)))]
    known = hidden_only_answers(lesson)
    missing = [a for a in answers if not known.get(a)]
    assert not missing, (f"add HIDDEN_ONLY answers to tests/wrong_answers/{lesson}.py for "
                         f"{missing}: plausible mistakes that pass every visible check")


@pytest.mark.slow
@pytest.mark.parametrize("lesson", per_lesson(shares="graded-class"))
def test_explained_questions_print_their_explanations_after_grading(graded, lesson):
    """A question whose hidden tests call explain_choices shows, in the graded notebook, why
    each option is right or wrong, on stdout (stderr would cost the point)."""
    notebook = graded(lesson).autograded("solution")
    explained = [c for c in nbgrader_cells(read(notebook_of(lesson)), "grade")
                 if "explain_choices(" in c.source]
    graded_cells = {grade_id(c): c for c in nbgrader_cells(notebook, "grade")}
    for cell in explained:
        printed = "".join(o["text"] for o in outputs_named(graded_cells[grade_id(cell)], "stdout"))
        assert "Right:" in printed and printed.count("Wrong:") == 3, (grade_id(cell), printed)


@pytest.mark.parametrize("lesson", per_lesson())
def test_every_exercise_has_at_least_two_wrong_answers(lesson):
    answers = [grade_id(c) for c in exercise_cells(read(notebook_of(lesson)))]
    known = wrong_answers(lesson)
    too_few = {a: len(known.get(a, {})) for a in answers if len(known.get(a, {})) < 2}
    assert not too_few, f"add wrong answers to tests/wrong_answers/{lesson}.py for {too_few}"


def test_there_are_lessons():
    assert LESSONS and LESSONS[0] == "01-perceptron"
