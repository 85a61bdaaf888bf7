"""An instructor's term on lesson 01, with real nbgrader and real kernels: a due date and an
extension, a roster, grades into Canvas and Moodle, and re-grading one student or only the
new submissions while everyone else's grades, feedback and report lines stay as they were.

One class is graded once (module fixture); tests that grade again work on a copy of it.
"""
import csv
import shutil
import sys
from datetime import datetime, timedelta

import pytest

from course import lessons as course_lessons
from tests.support import (ROOT, fill_answers, gradebook, notebook_of, run, shared, solutions_of,
                           wrong_answers)

# one worker grades the class once for all of them (`--dist loadgroup`, as scripts/test.sh runs)
pytestmark = [pytest.mark.slow, *shared("term")]
LESSON = "01-perceptron"
NOTEBOOK = notebook_of(LESSON).name
FULL = 8.0
DUE = datetime(2026, 1, 10, 12, 0)  # UTC
LIMITS = """
c.GuardedExecute.timeout = 10
c.GuardedExecute.notebook_timeout = 60
"""
ROSTER = [  # id, first_name, last_name, email, lms_user_id
    ("ada", "Ada", "Lovelace", "ada@example.edu", "1001"),
    ("grace", "Grace", "Hopper", "grace@example.edu", "1002"),
    ("alan", "Alan", "Turing", "alan@example.edu", "1003"),
    ("kat", "Katherine", "Johnson", "kat@example.edu", "1004"),
]
WRONG_STEP = wrong_answers(LESSON)["step"]["sign_instead_of_step"]


def course(args, root):
    return run([sys.executable, "-m", "course.cli", *args], root)


def nbgrader(args, root):
    return run([sys.executable, "-m", "nbgrader", *args], root)


def submit(root, student, submitted_at, answers):
    folder = root / "submitted" / student / LESSON
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(root / "lessons" / LESSON, folder)
    fill_answers(folder / NOTEBOOK, answers)
    (folder / "timestamp.txt").write_text(submitted_at.strftime("%Y-%m-%d %H:%M:%S.%f UTC"))


@pytest.fixture(scope="module")
def term(tmp_path_factory):
    """A course with a due date for lesson 01, a roster, an extension for kat, four
    submissions graded by `course grade`, and one grade overridden by hand."""
    root = tmp_path_factory.mktemp("term")
    course_lessons.copy_course(ROOT, root)
    shutil.copy(ROOT / "README.md", root)  # `course lessons` makes the welcome page from it
    with open(root / "nbgrader_config.py", "a") as config:
        config.write(LIMITS)
    for step in (nbgrader(["db", "assignment", "add", LESSON,
                           f"--duedate={DUE:%Y-%m-%d %H:%M:%S} UTC"], root),
                 course(["lessons", LESSON], root)):
        assert step.returncode == 0, step.stdout + step.stderr
    with open(root / "roster.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "first_name", "last_name", "email", "lms_user_id"])
        writer.writerows(ROSTER)
    imported = nbgrader(["db", "student", "import", "roster.csv"], root)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    extended = course(["extend", "kat", LESSON, "--until",
                       f"{DUE + timedelta(days=3):%Y-%m-%d %H:%M} UTC"], root)
    assert extended.returncode == 0, extended.stdout + extended.stderr
    right = solutions_of(LESSON)
    late = DUE + timedelta(days=1, hours=3)
    submit(root, "ada", DUE - timedelta(hours=1), right)
    submit(root, "grace", DUE - timedelta(hours=2), {**right, "step": WRONG_STEP})
    submit(root, "alan", late, right)
    submit(root, "kat", late, right)
    graded = course(["grade", LESSON, "--workers", "2"], root)
    assert graded.returncode == 0, graded.stdout + graded.stderr
    with gradebook(root) as book:  # a teaching assistant overrides grace's step, as the
        notebook = book.find_submission_notebook(NOTEBOOK[:-6], LESSON, "grace")  # formgrader does
        test_step = next(g for g in notebook.grades if g.name == "test_step")
        assert test_step.score == 0
        test_step.manual_score = test_step.max_score
        book.db.commit()
    return root


def copy_of(root, tmp_path):
    copy = tmp_path / "course"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".grading"))
    return copy


def report_rows(root):
    with open(root / "reports" / LESSON / "grades.csv", newline="") as handle:
        return {row["student"]: row for row in csv.DictReader(handle)}


def sheet(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def snapshot(root, student):
    """Everything grading keeps about one student: gradebook rows, files, report line."""
    with gradebook(root) as book:
        submission = book.find_submission(LESSON, student)
        rows = (submission.timestamp, submission.extension, [
            (n.name, n.late_submission_penalty,
             sorted((g.name, g.auto_score, g.manual_score, g.needs_manual_grade) for g in n.grades),
             sorted((c.name, c.auto_comment, c.manual_comment) for c in n.comments))
            for n in submission.notebooks])
    files = {str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns)  # not rewritten
             for folder in ("autograded", "feedback")
             for p in sorted((root / folder / student).rglob("*")) if p.is_file()}
    line = [text for text in (root / "reports" / LESSON / "grades.csv").read_text().splitlines()
            if text.startswith(f"{student},")]
    assert files and line, f"{student} was never graded"
    return rows, files, line


def test_students_read_the_due_date_in_the_first_cell(term):
    from tests.support import read
    first = read(term / "lessons" / LESSON / NOTEBOOK).cells[0].source
    assert "**Due: Saturday 10 January 2026, 12:00 UTC.**" in first
    assert first.startswith("# Lesson 01")
    assert "Due:" not in read(term / "solutions" / LESSON / NOTEBOOK).cells[0].source
    # without a due date the student copy is what the repository holds
    assert "Due:" not in read(ROOT / "lessons" / LESSON / NOTEBOOK).cells[0].source


def test_the_late_penalty_counts_from_each_students_due_date(term):
    rows = report_rows(term)
    assert float(rows["alan"]["late_penalty"]) == pytest.approx(FULL * 0.2)  # 2 started days
    assert float(rows["kat"]["late_penalty"]) == 0  # as late, but within her extension
    assert float(rows["kat"]["score"]) == FULL
    assert float(rows["ada"]["late_penalty"]) == 0
    with gradebook(term) as book:
        assert book.find_submission(LESSON, "kat").duedate == DUE + timedelta(days=3)
        assert book.find_submission(LESSON, "alan").duedate == DUE


@pytest.mark.parametrize("args, message", [
    (["nobody", LESSON, "--until", "2026-01-20 12:00 UTC"], "No student nobody in the gradebook"),
    (["ada", LESSON, "--until", "2026-01-09 12:00 UTC"], "can only give more time"),
    (["ada", LESSON, "--until", "next tuesdayish"], "Cannot read the date"),
    (["ada", "99-nothing", "--until", "2026-01-20 12:00 UTC"], "does not know 99-nothing"),
    (["ada", LESSON], "Give either --until"),
])
def test_extend_explains_bad_input(term, args, message):
    result = course(["extend", *args], term)
    assert result.returncode != 0 and message in result.stderr, result.stderr


def test_canvas_sheet_has_canvas_columns_and_final_scores(term):
    exported = nbgrader(["export", "--exporter", "course.lms.CanvasExport", "--to", "canvas.csv"],
                        term)
    assert exported.returncode == 0, exported.stdout + exported.stderr
    header, points, *students = sheet(term / "canvas.csv")
    assert header == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", LESSON]
    assert points == ["Points Possible", "", "", "", "", "10"]  # 8 autograded + 2 written
    by_name = {row[0]: row for row in students}
    assert by_name["Lovelace, Ada"] == ["Lovelace, Ada", "1001", "", "", "", "8"]
    assert by_name["Hopper, Grace"][-1] == "8"  # the manual grade wins over the autograde
    assert by_name["Turing, Alan"][-1] == "6.4"  # after the late penalty
    assert by_name["Johnson, Katherine"][-1] == "8"  # within the extension
    assert len(students) == len(ROSTER)


def test_canvas_columns_can_name_existing_canvas_assignments(term):
    exported = nbgrader(["export", "--exporter", "course.lms.CanvasExport", "--to", "ids.csv",
                         f"--CanvasExport.assignment_ids={LESSON}=4711",
                         "--CanvasExport.section=Group A",
                         "--CanvasExport.login_is_student_id=True"], term)
    assert exported.returncode == 0, exported.stdout + exported.stderr
    header, _, *students = sheet(term / "ids.csv")
    assert header[-1] == f"{LESSON} (4711)"
    assert ["Lovelace, Ada", "1001", "", "ada", "Group A", "8"] in students


def test_moodle_sheet_identifies_students_by_id_number_and_email(term):
    exported = nbgrader(["export", "--exporter", "course.lms.MoodleExport", "--to", "moodle.csv",
                         "--student", "['alan','grace']"], term)
    assert exported.returncode == 0, exported.stdout + exported.stderr
    header, *students = sheet(term / "moodle.csv")
    assert header == ["First name", "Last name", "ID number", "Email address", LESSON]
    assert sorted(students) == [["Alan", "Turing", "1003", "alan@example.edu", "6.4"],
                                ["Grace", "Hopper", "1002", "grace@example.edu", "8"]]


def test_regrading_one_student_leaves_everyone_else_untouched(term, tmp_path):
    root = copy_of(term, tmp_path)
    others = {s: snapshot(root, s) for s in ("ada", "alan", "kat")}
    before = snapshot(root, "grace")
    submit(root, "grace", DUE - timedelta(hours=1), {**solutions_of(LESSON),
                                                     "update": "def update(w, x, y):\n    return w"})
    result = course(["grade", LESSON, "--student", "grace"], root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Grading 1 submissions" in result.stdout
    assert {s: snapshot(root, s) for s in others} == others
    after = snapshot(root, "grace")
    assert after != before
    assert float(report_rows(root)["grace"]["test_update"]) == 0
    assert float(report_rows(root)["grace"]["test_step"]) == 1
    assert sorted(report_rows(root)) == ["ada", "alan", "grace", "kat"]
    unknown = course(["grade", LESSON, "--student", "gracie"], root)
    assert unknown.returncode != 0 and "No submission of 01-perceptron from gracie" in unknown.stderr


def test_new_only_grades_new_and_resubmitted_work_only(term, tmp_path):
    root = copy_of(term, tmp_path)
    others = {s: snapshot(root, s) for s in ("ada", "grace", "kat")}
    submit(root, "alan", DUE - timedelta(minutes=5), solutions_of(LESSON))  # resubmitted in time
    submit(root, "ned", DUE - timedelta(hours=3), solutions_of(LESSON))  # collected late
    result = course(["grade", LESSON, "--new-only"], root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Grading 2 submissions of 01-perceptron (alan, ned;" in result.stdout
    assert {s: snapshot(root, s) for s in others} == others
    rows = report_rows(root)
    assert float(rows["alan"]["late_penalty"]) == 0 and float(rows["alan"]["score"]) == FULL
    assert float(rows["ned"]["score"]) == FULL
    again = course(["grade", LESSON, "--new-only"], root)
    assert again.returncode == 0 and "Nothing new to grade" in again.stdout, again.stdout
    removed = course(["extend", "kat", LESSON, "--remove"], root)
    assert removed.returncode == 0, removed.stderr
    with gradebook(root) as book:
        assert book.find_submission(LESSON, "kat").duedate == DUE
