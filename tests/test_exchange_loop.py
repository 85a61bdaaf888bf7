"""The whole class loop on one machine with nbgrader's exchange: release, fetch, submit,
collect, `course grade`, release feedback, fetch feedback."""
import html
import re
import sys
import time
from datetime import datetime, timezone

import pytest

from course import lessons as course_lessons
from tests.support import (COURSE_ID, ROOT, fill_answers, gradebook, long_running, notebook_of,
                           run, solutions_of)

LESSON = "01-perceptron"
NOTEBOOK = notebook_of(LESSON).name
STEP_WRONG = "def step(z):\n    return (np.asarray(z, dtype=float) >= 0).astype(float)"


def nbgrader(*args, cwd, exchange):
    result = run([sys.executable, "-m", "nbgrader", *args, f"--Exchange.root={exchange}"], cwd)
    assert result.returncode == 0, f"nbgrader {' '.join(args)}:\n{result.stdout}{result.stderr}"
    return result.stdout + result.stderr


def as_student(name, *args, home, exchange):
    """Run nbgrader as one student: their own folder and their own submission cache."""
    return nbgrader(*args, f"--course={COURSE_ID}", f"--student={name}",
                    f"--Exchange.cache={home / name / '.nbgrader-cache'}", cwd=home / name,
                    exchange=exchange)


def feedback_score(page):
    text = html.unescape(re.sub(r"<[^>]+>", " ", page.read_text()))
    return float(re.search(r"Score:\s*([\d.]+)\s*/\s*10\b", text).group(1))  # 8 + 2 written


@long_running
@pytest.mark.slow
def test_release_fetch_submit_collect_grade_and_return_feedback(tmp_path):
    course, home, exchange = tmp_path / "course", tmp_path / "home", tmp_path / "exchange"
    course.mkdir()
    exchange.mkdir(mode=0o777)
    exchange.chmod(0o777)
    course_lessons.copy_course(ROOT, course)
    with open(course / "nbgrader_config.py", "a") as config:
        config.write("\nc.PenaltyPerDay.grace_minutes = 0\n")
    course_lessons.generate(course, LESSON)
    nbgrader("release_assignment", LESSON, cwd=course, exchange=exchange)

    answers = solutions_of(LESSON)
    students = {"alice": {}, "bob": {"step": STEP_WRONG}, "carol": None, "dave": {}}
    for name, replace in students.items():
        (home / name).mkdir(parents=True)
        as_student(name, "fetch_assignment", LESSON, home=home, exchange=exchange)
        if replace is not None:
            fill_answers(home / name / LESSON / NOTEBOOK, {**answers, **replace})

    # Fetching again must not touch the work already done.
    mine = (home / "alice" / LESSON / NOTEBOOK).read_text()
    run([sys.executable, "-m", "nbgrader", "fetch_assignment", LESSON, f"--course={COURSE_ID}",
         f"--Exchange.root={exchange}"], home / "alice")
    assert (home / "alice" / LESSON / NOTEBOOK).read_text() == mine

    for name in ["alice", "bob", "carol"]:
        as_student(name, "submit", LESSON, home=home, exchange=exchange)
    with gradebook(course) as book:
        book.update_or_create_assignment(
            LESSON, duedate=datetime.now(timezone.utc).replace(tzinfo=None))
    time.sleep(1.5)
    as_student("dave", "submit", LESSON, home=home, exchange=exchange)

    nbgrader("collect", LESSON, cwd=course, exchange=exchange)
    graded = run([sys.executable, "-m", "course.cli", "grade", LESSON], course)
    assert graded.returncode == 0, graded.stdout + graded.stderr
    nbgrader("release_feedback", LESSON, cwd=course, exchange=exchange)

    expected = {"alice": 8, "bob": 7, "carol": 0, "dave": 7.2}  # dave: 10% off, late
    for name, score in expected.items():
        as_student(name, "fetch_feedback", LESSON, home=home, exchange=exchange)
        pages = list((home / name / LESSON / "feedback").rglob("*.html"))
        assert len(pages) == 1, pages
        assert feedback_score(pages[0]) == score, name
    with gradebook(course) as book:
        dave = book.find_submission(LESSON, "dave")
        assert dave.total_seconds_late > 0
        assert dave.late_submission_penalty == pytest.approx(0.8)  # 10% for a started day
        assert book.find_submission(LESSON, "alice").late_submission_penalty == 0
