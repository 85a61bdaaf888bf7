"""Submissions that try to talk their checks round, graded by real nbgrader.

Hidden tests are judged in the grader's process (course/grading/judge.py): whatever a
submission changes in its kernel (numpy, torch, the course's checks, builtins, json, the
values it answers with), its wrong answers earn nothing and its right answers everything.
Each tamperer below is graded twice in one class: with every answer right, and with one
answer wrong; the class also has an honest student, who must not be affected.
"""
import shutil
import sys

import pytest

from course import lessons as course_lessons
from tests.support import (ROOT, fill_answers, grade_id, gradebook, long_running, nbgrader_cells,
                           notebook_of, read, run, solutions_of, written_cells)

# Each runs at the end of the first answer cell, before any test cell.
TAMPERERS = {
    # The course's checks, numpy's and torch's comparisons, through module dicts and aliases.
    "module_dicts": '''
import builtins, sys, torch, helpers, helpers.checks
_yes, _none = (lambda *a, **k: True), (lambda *a, **k: None)
vars(sys.modules["numpy"]).update(allclose=_yes, array_equal=_yes, isclose=_yes)
vars(helpers.checks).update(check_array=_none, check_true=_none, check_unchanged=_none,
                            _allclose=_yes, _array_equal=_yes)
vars(torch).update(allclose=_yes, equal=_yes)
_alias = helpers.checks
setattr(_alias, "as_float_array", lambda value, call: __import__("numpy").zeros(()))
globals().update(check_array=_none, check_true=_none, check_unchanged=_none)
''',
    # Answers read what the checker expects from its frames (built with type() and lambdas).
    "reads_the_stack": '''
import sys as _sys
def _expected_nearby():
    frame = _sys._getframe(1)
    while frame is not None:
        for scope in (frame.f_locals, frame.f_globals):
            for name in ("expected", "_expected", "expected_array"):
                if name in scope:
                    return scope[name]
        frame = frame.f_back
    return 0.0
Liar = type("Liar", (), {
    "__eq__": lambda self, other: True, "__ne__": lambda self, other: False,
    "__float__": lambda self: float(_expected_nearby() if __import__("numpy").ndim(_expected_nearby()) == 0 else 0),
    "__array__": lambda self, *a, **k: __import__("numpy").asarray(_expected_nearby(), dtype=float),
    "__hash__": lambda self: 0})
''',
    # Replies to the grader forged in the kernel: json, numpy.save, pickle and base64 patched.
    "forges_replies": '''
import base64, json, pickle, numpy
_dumps, _save = json.dumps, numpy.save
def _forged_dumps(obj, *args, **kwargs):
    if isinstance(obj, dict) and ("values" in obj or "result" in obj):
        return '{"result": true, "values": {}}'
    return _dumps(obj, *args, **kwargs)
json.dumps = _forged_dumps
numpy.save = lambda file, array, *a, **k: _save(file, numpy.ones_like(numpy.asarray(array)), *a, **k)
pickle.dumps = lambda *a, **k: b"forged"
base64.b64encode = lambda data, *a: b"AAAA"
''',
}

# One wrong answer per tamperer, which that tamperer's tricks would pass in the kernel.
WRONG = {
    "module_dicts": ("step", '''
def step(z):
    return np.zeros(np.shape(z))
'''),
    "reads_the_stack": ("predict", '''
def predict(w, x):
    return Liar()
'''),
    "forges_replies": ("update", '''
def update(w, x, y):
    return np.ones(np.shape(w))
'''),
}

# Answers whose value depends on who looks, or that break when they are read.
SHAPESHIFTERS = {
    # Right while the visible checks run (call count), then the value a frame expects.
    "counts_its_calls": ("update", '''
_calls = [0]
def update(w, x, y):
    _calls[0] += 1
    if _calls[0] <= 3:
        return np.asarray(w, dtype=float) + (y - predict(w, x)) * np.asarray(x, dtype=float)
    import sys
    frame = sys._getframe(1)
    while frame is not None:
        if "_expected" in frame.f_globals:
            return frame.f_globals["_expected"]
        frame = frame.f_back
    return np.asarray(w, dtype=float)
'''),
    # A different value on each read.
    "changes_on_each_read": ("step", '''
_reads = [0]
def _next(self, *args, **kwargs):
    _reads[0] += 1
    return np.full(self.shape, float(_reads[0] % 2))
Flicker = type("Flicker", (), {"__init__": lambda self, shape: setattr(self, "shape", shape),
                               "__array__": _next, "__float__": lambda self: float(_next(self))})
def step(z):
    return Flicker(np.shape(z))
'''),
    # Right training, but a history whose type raises when asked its name, and whose
    # pickling and array form raise: train earns nothing, and nothing crashes the grader.
    "raises_when_serialised": ("train", '''
class _Meta(type):
    def __getattribute__(cls, name):
        if name == "__name__":
            raise RuntimeError("no name for you")
        return super().__getattribute__(name)
Bomblist = _Meta("Bomblist", (list,), {"__reduce__": lambda self: 1 / 0,
                                       "__array__": lambda self, *a, **k: 1 / 0})
def train(X, y, w=None, num_epochs=100):
    X = np.asarray(X, dtype=float)
    w = np.zeros(X.shape[1]) if w is None else np.array(w, dtype=float)
    history = Bomblist()
    for epoch in range(1, num_epochs + 1):
        mistakes = 0
        for x, target in zip(X, y):
            y_hat = predict(w, x)
            mistakes += int(y_hat != target)
            w = update(w, x, target)
            history.append({"epoch": epoch, "x": x, "y": target, "y_hat": y_hat, "w": w})
        if mistakes == 0:
            break
    return w, history
'''),
}

LESSON = "01-perceptron"
POINTS = {"step": 1, "predict": 2, "update": 2, "train": 3}


def answers_with(first_cell_extra="", exercise=None, wrong=None):
    answers = dict(solutions_of(LESSON))
    if exercise is not None:
        answers[exercise] = wrong
    answers["step"] += "\n" + first_cell_extra
    return answers


def expected_scores(wrong_exercise=None):
    return {f"test_{e}": 0 if e == wrong_exercise else p for e, p in POINTS.items()}


CLASS = {"honest": (answers_with(), expected_scores())}
for _name, _code in TAMPERERS.items():
    CLASS[f"{_name}--right"] = (answers_with(_code), expected_scores())
    _exercise, _wrong = WRONG[_name]
    CLASS[f"{_name}--wrong"] = (answers_with(_code, _exercise, _wrong), expected_scores(_exercise))
for _name, (_exercise, _wrong) in SHAPESHIFTERS.items():
    CLASS[_name] = (answers_with("", _exercise, _wrong), expected_scores(_exercise))

# A wrong predict fails test_predict's first visible check, so the cell's last hidden block,
# which restores the student's step, never runs; the answer cell after it prints which step
# it sees: the student's own, or the known-right one the cell swapped in.
FAILS_TEST_PREDICT = answers_with(exercise="predict", wrong='''
def predict(w, x):
    return np.zeros(np.shape(x)[:-1])
''')
FAILS_TEST_PREDICT["update"] += "\nprint('the step after test_predict:', step.__name__)\n"

# Lesson 03's multiple choice: a str subclass whose == is always true (the issue's attack),
# built with type() and lambdas, and one with the right letter: only an exact str counts.
QUESTIONS = "03-mae-vs-rmse"
LIAR_STR = 'type("Yes", (str,), {{"__eq__": lambda self, other: True, "__hash__": lambda self: 0}})({!r})'
QUESTION_CLASS = {
    "honest": {},
    "str_equal_to_anything": {"q_punish": "answer_punish = " + LIAR_STR.format("A")},
    "str_subclass_right_letter": {"q_punish": "answer_punish = " + LIAR_STR.format("D")},
}


def grade(tmp_path_factory, lesson, submissions, config=""):
    """Autograde {student: answers} of `lesson` with real nbgrader: (folder, scores, log)."""
    folder = tmp_path_factory.mktemp(f"tamperers-{lesson}")
    course_lessons.copy_course(ROOT, folder)
    with open(folder / "nbgrader_config.py", "a") as configuration:
        configuration.write(config)
    course_lessons.generate(folder, lesson)
    for student, answers in submissions.items():
        target = folder / "submitted" / student / lesson
        shutil.copytree(folder / "lessons" / lesson, target)
        fill_answers(target / notebook_of(lesson).name, answers)
    result = run([sys.executable, "-m", "nbgrader", "autograde", lesson, "--log-level=INFO"],
                 folder)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    scores = {}
    written = {grade_id(c) for c in written_cells(read(notebook_of(lesson)))}  # for a person
    with gradebook(folder) as book:
        for student in submissions:
            notebook = book.find_submission_notebook(notebook_of(lesson).stem, lesson, student)
            scores[student] = {g.name: g.score for g in notebook.grades
                               if g.max_score and g.name not in written}
    return folder, scores, log


@pytest.fixture(scope="module")
def graded_tamperers(tmp_path_factory):
    return grade(tmp_path_factory, LESSON, {s: answers for s, (answers, _) in CLASS.items()})


@pytest.fixture(scope="module")
def graded_questions(tmp_path_factory):
    right = solutions_of(QUESTIONS)
    return grade(tmp_path_factory, QUESTIONS,
                 {s: {**right, **changed} for s, changed in QUESTION_CLASS.items()})


@long_running
@pytest.mark.slow
def test_the_tamperers_beat_checks_judged_in_the_kernel(tmp_path_factory):
    """The control: with hidden tests run in the kernel, as stock nbgrader does, the same
    wrong answers earn full marks, so the tests above can fail."""
    cheats = ["module_dicts--wrong", "reads_the_stack--wrong", "counts_its_calls"]
    _, scores, log = grade(tmp_path_factory, LESSON, {s: CLASS[s][0] for s in cheats},
                           "\nc.JudgedExecute.judge_hidden_tests = False\n")
    assert all(scores[s] == expected_scores() for s in cheats), (scores, log[-3000:])


@long_running
@pytest.mark.slow
@pytest.mark.parametrize("student", sorted(CLASS))
def test_tamperers_earn_exactly_what_their_answers_are_worth(graded_tamperers, student):
    _, scores, log = graded_tamperers
    assert scores[student] == CLASS[student][1], log[-3000:]


@long_running
@pytest.mark.slow
def test_a_multiple_choice_answer_counts_only_as_an_exact_str(graded_questions):
    _, scores, log = graded_questions
    honest = scores["honest"]
    assert all(score > 0 for score in honest.values()), honest
    for student in ("str_equal_to_anything", "str_subclass_right_letter"):
        assert scores[student] == {**honest, "test_q_punish": 0}, (student, scores[student])


@long_running
@pytest.mark.slow
def test_hidden_tests_were_judged_outside_the_kernel(graded_tamperers):
    folder, _, log = graded_tamperers
    assert log.count("Judged hidden tests in") == len(CLASS), log[-3000:]
    notebook = read(folder / "autograded" / "module_dicts--wrong" / LESSON / notebook_of(LESSON).name)
    test_step = next(c for c in nbgrader_cells(notebook, "grade") if grade_id(c) == "test_step")
    errors = [o for o in test_step.outputs if o.output_type == "error"]
    assert [e.ename for e in errors] == ["HiddenTestFailed"], errors
    assert "step(a 5x7 array)" in errors[0].evalue


@pytest.mark.slow
@pytest.mark.parametrize("judged", [True, False], ids=["judged", "in-kernel"])
def test_a_failed_visible_check_leaves_no_known_right_function_behind(tmp_path_factory, judged):
    """A test cell's substitutions end with the cell, however its checks went."""
    config = "" if judged else "\nc.JudgedExecute.judge_hidden_tests = False\n"
    folder, scores, log = grade(tmp_path_factory, LESSON, {"student": FAILS_TEST_PREDICT}, config)
    assert scores["student"] == expected_scores("predict"), log[-3000:]
    notebook = read(folder / "autograded" / "student" / LESSON / notebook_of(LESSON).name)
    update = next(c for c in nbgrader_cells(notebook, "solution") if grade_id(c) == "update")
    printed = "".join(output.get("text", "") for output in update.outputs)
    assert printed == "the step after test_predict: step\n", printed
