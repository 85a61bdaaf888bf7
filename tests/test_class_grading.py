"""`course grade` on a real class of crafted submissions to lesson 01, with real nbgrader.

Each student below does one thing a real class does sooner or later; the tests check that
the grade and the feedback are what a fair instructor would give.
"""
import csv
import sys
from datetime import datetime, timedelta, timezone

import nbformat
import pytest
from nbformat.v4 import new_code_cell

from course import lessons as course_lessons
from tests.support import (HIDDEN_MARKERS, ROOT, answered, class_scores, gradebook, marked_lines,
                           nbgrader_cells, notebook_of, read, run, shared, solutions_of)

# One worker grades the class once for all the tests below (xdist would otherwise split them).
pytestmark = shared("crafted-class")

LESSON = "01-perceptron"
NOTEBOOK = notebook_of(LESSON).name
FULL = 8.0
DUE = datetime(2026, 1, 10, 12, 0, tzinfo=timezone.utc)
LIMITS = """
c.GuardedExecute.timeout = 5
c.GuardedExecute.notebook_timeout = 25
c.GuardedExecute.max_output_bytes = 20_000
c.SandboxedKernelManager.memory_limit_mb = 3072
"""


def with_cell_at_end(notebook, source):
    notebook.cells.append(new_code_cell(source))
    return notebook


def in_every_test_cell(notebook, change):
    for cell in nbgrader_cells(notebook, "grade"):
        change(cell)
    return notebook


def class_of(released, answers):
    """student -> notebook (or raw text for a file that is not a notebook)."""
    right = lambda **replace: answered(released, {**answers, **replace})  # noqa: E731
    step_wrong = "def step(z):\n    return (np.asarray(z, dtype=float) >= 0).astype(float)"
    edited = in_every_test_cell(right(), lambda c: (c.update(source="pass"),
                                           c.metadata.nbgrader.update(points=100)))
    deleted = right()
    deleted.cells = [c for c in deleted.cells if not c.metadata.get("nbgrader", {}).get("grade")]
    pasted = right()
    for index, cell in reversed(list(enumerate(pasted.cells))):
        if cell.metadata.get("nbgrader", {}).get("grade_id") in {"update", "test_update"}:
            pasted.cells.insert(index, nbformat.from_dict(cell))
    slow = right()
    train_test = [i for i, c in enumerate(slow.cells)
                  if c.metadata.get("nbgrader", {}).get("grade_id") == "test_train"][0]
    # 8 × 4.5 s against a 25 s budget: the budget runs out during the sleeps, whatever the
    # machine's speed, so test_train (3 points) is never started.
    slow.cells[train_test:train_test] = [new_code_cell("import time\ntime.sleep(4.5)")
                                         for _ in range(8)]
    return {
        "correct": right(),
        "loops_after": with_cell_at_end(right(), "while True:\n    pass"),
        "prints_forever_after": with_cell_at_end(right(), "while True:\n    print('spam ' * 50)"),
        "exits_after": with_cell_at_end(right(), "import os\nos._exit(1)"),
        "memory_hog_after": with_cell_at_end(right(), "hog = bytearray(8 * 1024 ** 3)"),
        "exits_in_first_answer": right(step="import os\nos._exit(1)"),
        "slow_before_last_test": slow,
        "not_json": "{ this is not a notebook",
        "renamed": right(),
        "edited_tests": edited,
        "deleted_tests": deleted,
        "pasted_twice": pasted,
        "always_equal": right(step="class Anything:\n    def __eq__(self, other):\n"
                                   "        return True\n\ndef step(z):\n    return Anything()"),
        "patches_numpy": right(step=step_wrong + "\n\nnp.allclose = lambda *args, **kwargs: True"),
        "patches_checks": right(step=step_wrong + "\n\ncheck_array = lambda *args, **kwargs: None"),
        "late": right(),
    }


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    course_lessons.copy_course(ROOT, root)
    with open(root / "nbgrader_config.py", "a") as config:
        config.write(LIMITS)
    course_lessons.generate(root, LESSON)
    with gradebook(root) as book:
        book.update_or_create_assignment(LESSON, duedate=DUE.replace(tzinfo=None))
    released = read(root / "lessons" / LESSON / NOTEBOOK)
    answers = solutions_of(LESSON)
    for student, notebook in class_of(released, answers).items():
        folder = root / "submitted" / student / LESSON
        folder.mkdir(parents=True)
        name = "perceptron-Copy1.ipynb" if student == "renamed" else NOTEBOOK
        if isinstance(notebook, str):
            (folder / name).write_text(notebook)
        else:
            nbformat.write(notebook, str(folder / name))
        submitted_at = DUE + (timedelta(days=1, hours=3) if student == "late" else -timedelta(hours=1))
        (folder / "timestamp.txt").write_text(submitted_at.strftime("%Y-%m-%d %H:%M:%S.%f UTC"))
    result = run([sys.executable, "-m", "course.cli", "grade", LESSON, "--workers", "2"], root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root, result.stdout


def feedback(root, student):
    return (root / "feedback" / student / LESSON / NOTEBOOK.replace(".ipynb", ".html")).read_text()


@pytest.mark.slow
@pytest.mark.parametrize("student", ["correct", "loops_after", "prints_forever_after",
                                     "exits_after", "memory_hog_after", "edited_tests",
                                     "deleted_tests", "pasted_twice"])
def test_right_answers_keep_full_marks_whatever_follows(graded_course, student):
    root, _ = graded_course
    assert class_scores(root, LESSON)[student] == FULL


@pytest.mark.slow
def test_feedback_says_what_went_wrong(graded_course):
    root, _ = graded_course
    assert "kernel died" in feedback(root, "exits_after")
    # the kernel's own error is in the autograded notebook; feedback withholds kernel output
    # after hidden tests ran (course/grading/feedback.py)
    assert "MemoryError" in (root / "autograded" / "memory_hog_after" / LESSON / NOTEBOOK).read_text()
    assert "stopped this cell" in feedback(root, "prints_forever_after")
    assert "put back the test cell" in feedback(root, "deleted_tests")
    assert "kernel died" in feedback(root, "exits_in_first_answer")
    assert "time limit" in feedback(root, "slow_before_last_test")


@pytest.mark.slow
def test_broken_submissions_score_zero_with_a_reason(graded_course):
    root, _ = graded_course
    graded = class_scores(root, LESSON)
    assert graded["exits_in_first_answer"] == 0
    assert graded["not_json"] == 0 and "could not be read as a notebook" in feedback(root, "not_json")
    assert graded["renamed"] == 0
    assert "perceptron-Copy1.ipynb" in feedback(root, "renamed")
    assert (root / "submitted" / "not_json" / LESSON / NOTEBOOK).read_text() == \
        "{ this is not a notebook", "the student's file must be kept as it was"


@pytest.mark.slow
def test_a_notebook_over_its_time_budget_loses_only_the_tests_not_run(graded_course):
    root, _ = graded_course
    assert class_scores(root, LESSON)["slow_before_last_test"] == FULL - 3


@pytest.mark.slow
def test_cheating_earns_nothing_or_is_flagged(graded_course):
    root, _ = graded_course
    graded = class_scores(root, LESSON)
    assert graded["always_equal"] == FULL - 1
    assert graded["patches_numpy"] == FULL - 1  # the checks kept numpy's real allclose
    rows = {row["student"]: row for row in csv.DictReader(
        open(root / "reports" / LESSON / "grades.csv"))}
    for student in ["patches_numpy", "patches_checks", "always_equal"]:
        assert "manual review" in rows[student]["status"], rows[student]
    assert "np.allclose" in rows["patches_numpy"]["status"]
    assert "check_array" in rows["patches_checks"]["status"]
    assert rows["correct"]["status"] == "graded"


@pytest.mark.slow
def test_late_work_is_penalized_as_configured(graded_course):
    root, _ = graded_course
    rows = {row["student"]: row for row in csv.DictReader(
        open(root / "reports" / LESSON / "grades.csv"))}
    assert float(rows["late"]["late_penalty"]) == pytest.approx(FULL * 0.2)  # 2 started days
    assert float(rows["late"]["score"]) == pytest.approx(FULL * 0.8)
    assert float(rows["correct"]["late_penalty"]) == 0


@pytest.mark.slow
def test_hidden_tests_never_reach_feedback(graded_course):
    root, _ = graded_course
    hidden = {line.strip() for c in nbgrader_cells(read(notebook_of(LESSON)), "grade")
              for line in marked_lines(c.source, HIDDEN_MARKERS) if len(line.strip()) >= 20}
    pages = sorted((root / "feedback").rglob("*.html"))
    assert len(pages) == len(list((root / "submitted").iterdir()))
    import html
    for page in pages:
        text = html.unescape(page.read_text())
        leaked = [line for line in hidden if line in text]
        assert not leaked, f"{page}: {leaked}"


@pytest.mark.slow
def test_report_and_progress(graded_course):
    root, output = graded_course
    assert "[16/16]" in output or "[15/16]" in output
    report = (root / "reports" / LESSON / "report.html").read_text()
    assert report.count("<svg") == 2  # item analysis and score distribution, inline
    rows = list(csv.DictReader(open(root / "reports" / LESSON / "grades.csv")))
    assert len(rows) == 16
