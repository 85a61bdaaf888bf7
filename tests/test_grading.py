"""Real nbgrader grades each lesson as a teacher expects: full marks, zero, and in between."""
import pytest

from tests import packing
from tests.support import (LESSONS, ROOT, all_wrong_answers, errors, exercise_cells,
                           exercise_dependencies, grade_id, hidden_only_answers, nbgrader_cells,
                           notebook_of, outputs_named, packed_submissions, per_lesson,
                           points_by_exercise, read, solutions_of, to_json, written_cells,
                           wrong_answers)


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
    """The answer is graded in a submission that may carry wrong answers for other exercises,
    none of which depends on `exercise` or it on them (tests/packing.py): `exercise` must earn
    nothing, every exercise carrying no wrong answer everything."""
    graded_class = graded(lesson)
    student = graded_class.carrier(exercise, wrong_answer, kind)
    carried = graded_class.carried[student]
    beside = f"(graded in {student} beside {sorted(set(carried) - {exercise})})"
    check_every_cell_ran(graded_class.autograded(student), f"{wrong_answer} {beside}")
    by_exercise = points_by_exercise(graded_class.scores[student], lesson)
    earned, possible = by_exercise.pop(exercise)
    assert possible > 0 and earned == 0, (
        f"{wrong_answer} kept {earned} of the {possible} points of {exercise} {beside}")
    lost_elsewhere = {name: s for name, s in by_exercise.items()
                      if name not in carried and s[0] < s[1]}
    assert not lost_elsewhere, (
        f"{wrong_answer} in {exercise} also cost points in {lost_elsewhere} {beside}")


@pytest.mark.slow
@pytest.mark.parametrize("lesson, exercise, wrong_answer",
                         per_lesson(all_wrong_answers("HIDDEN_ONLY"), shares="visible-checks-class"))
def test_hidden_only_answers_pass_every_visible_check(graded, lesson, exercise, wrong_answer):
    """Graded with the hidden blocks cut out (the checks of the student copy, see the test
    below), the answer earns every point: only the hidden block takes its points away, so that
    block is load-bearing. Its submission carries other hidden-only answers of exercises
    independent of this one, each of which must earn every point too."""
    graded_class = graded(lesson, hidden_tests=False)
    student = graded_class.carrier(exercise, wrong_answer, "HIDDEN_ONLY")
    beside = sorted(set(graded_class.carried[student]) - {exercise})
    check_every_cell_ran(graded_class.autograded(student), wrong_answer)
    scores = graded_class.scores[student]
    missing = {e: s for e, s in points_by_exercise(scores, lesson).items() if s[0] < s[1]}
    assert not missing, (f"{wrong_answer} (graded in {student} beside {beside}) fails a "
                         f"visible check of {sorted(missing)}: move the answer of that exercise "
                         f"to WRONG_ANSWERS, or make its visible checks gentler: {missing}")


def check_every_cell_ran(notebook, submission):
    """The grader ran every cell of a graded submission (no kernel died, no time limit cut it
    short), so each exercise after a carried wrong answer was graded on its own answer."""
    not_run = [index for index, cell in enumerate(notebook.cells)
               if any(error["ename"] == "NotRun" for error in errors(cell))]
    assert not not_run, f"the grader stopped {submission} early, cells {not_run} were not run"


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
@pytest.mark.parametrize("kinds", [("WRONG_ANSWERS", "HIDDEN_ONLY"), ("HIDDEN_ONLY",)])
def test_packed_submissions_carry_each_wrong_answer_once_and_no_dependent_pair(lesson, kinds):
    packed = packed_submissions(lesson, kinds)
    carried = sorted((exercise, wrong) for submission in packed.values()
                     for exercise, wrong in submission.items())
    assert carried == sorted((exercise, (kind, name)) for kind in kinds
                             for exercise, answers in wrong_answers(lesson, kind).items()
                             for name in answers)
    depends = exercise_dependencies(lesson)
    for student, submission in packed.items():
        together = [(a, b) for a in submission for b in submission if a in depends[b]]
        assert not together, f"{student} packs dependent exercises {together}"


@pytest.mark.parametrize("lesson", per_lesson())
def test_answers_keep_to_their_own_names(lesson):
    """Packing wrong answers (tests/packing.py) relies on each answer binding only its own
    names: no changes to numpy, to a lesson's data or to global random state."""
    modules = set().union(*(packing.names_of(cell.source).imports
                            for cell in read(notebook_of(lesson)).cells if cell.cell_type == "code"))
    answers = {("solution", exercise): source for exercise, source in solutions_of(lesson).items()}
    for kind in ("WRONG_ANSWERS", "HIDDEN_ONLY"):
        answers.update({(name, exercise): source
                        for exercise, versions in wrong_answers(lesson, kind).items()
                        for name, source in versions.items()})
    reaching = {key: found for key, source in answers.items()
                if (found := packing.reaches_outside(source, modules))}
    assert not reaching, f"answers must change nothing but their own names: {reaching}"


def test_an_exercise_depends_on_what_its_grading_can_reach():
    """Hostile cases for the analysis behind packing: data a demonstration computes with an
    earlier answer (b), a function body reading such data (c), data a call to an answer
    that sorts in place was given (d), a name read before the cell rebinds it (r, u), a helper
    that only a wrong version of an answer defines (e); and z, whose data only went to an
    answer that changes nothing in place. (u also depends on r, whose test rebinds w.)"""
    versions = {"a": ["def f(x):\n    return x",
                      "def _g(x):\n    return x\ndef f(x):\n    x.sort()\n    return _g(x)"],
                "b": ["def g(x):\n    return 2 * x"], "c": ["def h():\n    return w"],
                "d": ["def k(x):\n    return x"], "r": ["def r(x):\n    return x"],
                "u": ["def u(x):\n    return x"], "e": ["def m(x):\n    return x"],
                "z": ["def z(s):\n    return 0"]}
    cells = [("solution", "a", None), (None, None, "w = f(1)"),
             (None, None, "data = [1, 2]\nsizes = [3]"), (None, None, "f(data)"),
             ("solution", "b", None), (None, None, "g(sizes)"), ("grade", "test_b", "assert g(w) == 2"),
             ("solution", "c", None), ("grade", "test_c", "assert h() == 1"),
             ("solution", "d", None), ("grade", "test_d", "n = len(data)\nassert k(n) == 2"),
             ("solution", "r", None), ("grade", "test_r", "w = r(w)\nassert w == 1"),
             ("solution", "u", None), ("grade", "test_u", "w += u(1)\nassert w == 2"),
             ("solution", "e", None), ("grade", "test_e", "assert m(_g(1)) == 1"),
             ("solution", "z", None), ("grade", "test_z", "w = 0\nassert z(sizes) == w")]
    depends = packing.dependencies(cells, versions, lambda test: test.removeprefix("test_"))
    assert depends == {"a": set(), "b": {"a"}, "c": {"a"}, "d": {"a"}, "r": {"a"}, "u": {"a", "r"},
                       "e": {"a"}, "z": set()}, depends
    assert packing.pack([("b", 1), ("a", 2), ("e", 3), ("a", 4), ("z", 5)], depends) == [
        {"a": 2, "z": 5}, {"a": 4}, {"b": 1, "e": 3}]


@pytest.mark.parametrize("lesson", per_lesson())
def test_every_exercise_has_at_least_two_wrong_answers(lesson):
    answers = [grade_id(c) for c in exercise_cells(read(notebook_of(lesson)))]
    known = wrong_answers(lesson)
    too_few = {a: len(known.get(a, {})) for a in answers if len(known.get(a, {})) < 2}
    assert not too_few, f"add wrong answers to tests/wrong_answers/{lesson}.py for {too_few}"


def test_there_are_lessons():
    assert LESSONS and LESSONS[0] == "01-perceptron"
