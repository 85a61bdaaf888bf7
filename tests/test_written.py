"""Written answers graded by people, end to end with real nbgrader on lesson 01: a class answers
the written question, `course grade` leaves it for a person, graders score it and comment (as
the formgrader's API does, and once through the formgrader itself in Chromium), and feedback
shows the score and the comment, never the rubric.

One class is graded once (module fixture); every test reads it or grades a student of its own.
"""
import html
import re
import shutil
import sys
from datetime import datetime

import pytest

from course import lessons as course_lessons
from tests.support import (ROOT, RUBRIC_MARKERS, fill_answers, grade_id, gradebook, notebook_of,
                           read, rubric_lines, run, shared, solutions_of, written_cells)

pytestmark = [pytest.mark.slow, *shared("written")]
LESSON = "01-perceptron"
NOTEBOOK = notebook_of(LESSON).name
WRITTEN = grade_id(written_cells(read(notebook_of(LESSON)))[0])
LIMITS = """
c.GuardedExecute.timeout = 10
c.GuardedExecute.notebook_timeout = 60
"""
VAGUE = "It needs more epochs, or a smaller learning rate, and then it would learn XOR."
CLASS = {  # student: their written answer (None: left as released)
    "ada": solutions_of(LESSON)[WRITTEN],
    "grace": VAGUE,
    "alan": "A line cannot put (0,1) and (1,0) on one side and (0,0), (1,1) on the other.",
    "blank": None,
}


def page_text(source):
    """What a reader sees of an HTML page (or of a markdown line): the words, no markup."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", source))
    return " ".join(re.sub(r"[*`]", "", text).split())


def rubric_in(page, student=None):
    """The rubric lines (plain text, short ones too) that a page shows, except the lines of
    the model answer that `student` wrote as their own answer (ada's is the model answer)."""
    shown, own = page_text(page), page_text(CLASS.get(student) or "")
    lines = [page_text(line.lstrip("- ")) for line in rubric_lines(read(notebook_of(LESSON)))]
    return [line for line in lines if line and line in shown and line not in own]


@pytest.fixture(scope="module")
def written_class(tmp_path_factory):
    """Lesson 01 graded by `course grade` for CLASS; the feedback pages as they were before
    anyone graded by hand are kept in `before/`."""
    root = tmp_path_factory.mktemp("written")
    course_lessons.copy_course(ROOT, root)
    with open(root / "nbgrader_config.py", "a") as config:
        config.write(LIMITS)
    course_lessons.generate(root, LESSON)
    right = solutions_of(LESSON)
    for student, written in CLASS.items():
        folder = root / "submitted" / student / LESSON
        shutil.copytree(root / "lessons" / LESSON, folder)
        answers = {**right, WRITTEN: written} if written is not None else None
        if answers is not None:
            fill_answers(folder / NOTEBOOK, answers)
        (folder / "timestamp.txt").write_text(f"{datetime(2026, 1, 9):%Y-%m-%d %H:%M:%S.%f} UTC")
    graded = run([sys.executable, "-m", "course.cli", "grade", LESSON], root)
    assert graded.returncode == 0, graded.stdout + graded.stderr
    shutil.copytree(root / "feedback", root / "before")
    return root, graded.stdout + graded.stderr


def feedback(root, student, folder="feedback"):
    return (root / folder / student / LESSON / f"{notebook_of(LESSON).stem}.html").read_text()


def score_on(page):
    return re.search(r"Score:\s*([\d.]+)\s*/\s*([\d.]+)", page_text(page)).groups()


def grade_by_hand(root, student, score, comment):
    """What the formgrader's API does when a grader types a score and a comment
    (nbgrader/server_extensions/formgrader/apihandlers.py: GradeHandler.put, CommentHandler.put)."""
    with gradebook(root) as book:
        notebook = book.find_submission_notebook(notebook_of(LESSON).stem, LESSON, student)
        grade = book.find_grade_by_id(next(g.id for g in notebook.grades if g.name == WRITTEN))
        grade.manual_score = score
        grade.extra_credit = None
        grade.needs_manual_grade = grade.manual_score is None and grade.auto_score is None
        comment_row = book.find_comment_by_id(
            next(c.id for c in notebook.comments if c.name == WRITTEN))
        comment_row.manual_comment = comment
        book.db.commit()


def written_grade(root, student):
    with gradebook(root) as book:
        notebook = book.find_submission_notebook(notebook_of(LESSON).stem, LESSON, student)
        return next(g.to_dict() for g in notebook.grades if g.name == WRITTEN)


def test_course_grade_leaves_written_answers_for_a_person(written_class):
    root, log = written_class
    assert "Still to grade by hand: 6 points of written answers from 3 student(s)" in log, log
    assert "Traceback" not in log and "FAILED" not in log, log
    rows = (root / "reports" / LESSON / "grades.csv").read_text().splitlines()
    assert all(line.endswith(",graded") for line in rows[1:]), rows
    for student in ("ada", "grace", "alan"):
        grade = written_grade(root, student)
        assert grade["needs_manual_grade"] and grade["auto_score"] is None, (student, grade)
        assert grade["manual_score"] is None, (student, grade)
    blank = written_grade(root, "blank")
    assert blank["auto_score"] == 0 and not blank["needs_manual_grade"], blank


def test_the_formgrader_shows_the_rubric_and_feedback_before_grading_does_not(written_class):
    root, _ = written_class
    from nbconvert import HTMLExporter
    graded = read(root / "autograded" / "ada" / LESSON / NOTEBOOK)
    shown_to_graders, _ = HTMLExporter().from_notebook_node(graded)
    every_line = rubric_lines(read(notebook_of(LESSON)))
    assert len(rubric_in(shown_to_graders)) == len([l for l in every_line if l.strip()]) > 0
    for student in CLASS:
        page = feedback(root, student, "before")
        assert not rubric_in(page, student), (student, rubric_in(page, student))
        assert RUBRIC_MARKERS[0] not in page and "Model answer" not in page, student
    ada = feedback(root, "ada", "before")
    assert score_on(ada) == ("8.0", "10.0")
    assert "Still to be graded by a person: 2 of the 10 points (1 written answer)" in page_text(ada)
    assert "Not graded yet (2 points)" in page_text(ada)
    blank = page_text(feedback(root, "blank", "before"))
    assert "Still to be graded" not in blank and "No response" in blank


def test_feedback_after_grading_shows_the_score_and_the_graders_comment(written_class):
    root, _ = written_class
    grade_by_hand(root, "ada", 2, "Both points: the line, and why XOR's diagonals defeat it.")
    grade_by_hand(root, "grace", 0, "More epochs cannot help: no line separates XOR's classes.")
    assert not written_grade(root, "ada")["needs_manual_grade"]
    made = run([sys.executable, "-m", "nbgrader", "generate_feedback", LESSON, "--force"], root)
    assert made.returncode == 0, made.stdout + made.stderr
    ada, grace = feedback(root, "ada"), feedback(root, "grace")
    assert score_on(ada) == ("10.0", "10.0") and score_on(grace) == ("8.0", "10.0")
    assert "Both points: the line, and why XOR" in page_text(ada)
    assert "More epochs cannot help" in page_text(grace) and VAGUE in page_text(grace)
    for student, page in (("ada", ada), ("grace", grace)):
        assert "Still to be graded" not in page_text(page), student
        assert not rubric_in(page, student), (student, rubric_in(page, student))
    regraded = run([sys.executable, "-m", "course.cli", "grade", LESSON, "--student", "ada"], root)
    assert regraded.returncode == 0, regraded.stdout + regraded.stderr
    assert written_grade(root, "ada")["manual_score"] == 2  # a re-grade keeps the grader's score
    assert score_on(feedback(root, "ada")) == ("10.0", "10.0")
    assert "Both points: the line, and why XOR" in page_text(feedback(root, "ada"))


def test_a_grader_scores_a_written_answer_in_the_formgrader(written_class, chromium, tmp_path):
    """A real `jupyter server` with nbgrader's formgrader on the course: the grader reads the
    rubric beside alan's answer, types a score and a comment, and the gradebook has them."""
    import os
    import time

    from tests.browser import SCREENSHOTS, Lab
    root, _ = written_class
    launcher = [sys.executable, "-m", "jupyter", "server", f"--ServerApp.root_dir={root}"]
    if os.geteuid() == 0:
        launcher.append("--allow-root")
    with gradebook(root) as book:
        submission = book.find_submission_notebook(notebook_of(LESSON).stem, LESSON, "alan").id
    server = Lab(root, tmp_path / "settings", launcher=launcher, lab_settings={})
    # the formgrader's own requests carry the token too (a token in the page's address
    # authenticates that page only)
    context = chromium.new_context(extra_http_headers={"Authorization": f"token {server.token}"})
    page = context.new_page()
    try:
        page.goto(f"{server.url}/formgrader/submissions/{submission}/?token={server.token}")
        page.get_by_text("Rubric, for the grader").wait_for(timeout=30_000)
        page.get_by_text(CLASS["alan"][:40]).wait_for(timeout=10_000)
        score = page.locator(f"input.score.needs_manual_grade#{WRITTEN}")
        try:
            score.wait_for(timeout=30_000)  # the formgrader has loaded the grades
        except Exception:
            page.screenshot(path=str(tmp_path / "formgrader.png"), full_page=True)
            raise AssertionError(page.locator("input.score").evaluate_all(
                "els => els.map(e => [e.id, e.className, e.offsetParent !== null])")
                + [server.read_log()[-3000:]])
        # once saved the input loses its needs_manual_grade class: find it by its id from here on
        score = page.locator(f"input.score#{WRITTEN}")
        comment = page.locator(f"textarea#{WRITTEN}-comment")
        score.fill("1")
        comment.fill("One point: the geometry is right; say why a perceptron draws a line.")
        comment.blur()  # the formgrader saves a field when the grader leaves it
        score.focus()
        score.blur()
        deadline = time.monotonic() + 20
        while written_grade(root, "alan")["manual_score"] != 1 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert written_grade(root, "alan")["manual_score"] == 1
        assert not written_grade(root, "alan")["needs_manual_grade"]
        with gradebook(root) as book:
            notebook = book.find_submission_notebook(notebook_of(LESSON).stem, LESSON, "alan")
            assert "geometry is right" in next(
                c.manual_comment for c in notebook.comments if c.name == WRITTEN)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "formgrader-written-answer.png"), full_page=True)
        page.goto(f"{server.url}/formgrader/manage_students/alan?token={server.token}")
        row = page.locator("tr", has_text=LESSON)
        row.wait_for(timeout=30_000)
        # nbgrader's gradebook counts written answers in their own column
        assert row.locator(".written-score").inner_text() == "1 / 2", row.inner_text()
        assert row.locator(".score").first.inner_text() == "9 / 10", row.inner_text()
        page.screenshot(path=str(SCREENSHOTS / "formgrader-gradebook-written.png"))
        assert "Traceback" not in server.read_log()
    finally:
        context.close()
        server.stop()
