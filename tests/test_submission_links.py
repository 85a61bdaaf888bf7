"""Symbolic links a student plants in a submission must carry nothing of the grader's in.

nbgrader copies a submission with the instructor's rights (collect into submitted/, autograde
into autograded/, generate_feedback into feedback/), and a copy follows links: a link to
solutions/, the gradebook or /etc/shadow would land, as a plain file, where the student's
kernel reads it and where the student's feedback is returned. A link in place of the notebook
would be graded as the student's work. The same class goes through `course grade`, plain
`nbgrader autograde` + `generate_feedback`, and `nbgrader collect` from an exchange.
"""
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell

from course import lessons as course_lessons
from tests.support import (COURSE_ID, ROOT, answered, class_scores, gradebook, long_running,
                           notebook_of, read, solutions_of)

LESSON = "01-perceptron"
NOTEBOOK = notebook_of(LESSON).name
FULL = 8.0
PLANTED = ["solution.txt", "gradebook.txt", "shadow", "data/config.py", "solutions_folder/x"]
READ_PLANTED = f"""
for name in {PLANTED!r}:
    try:
        print("LINKREAD", name, repr(open(name, "rb").read()[:200]))
    except OSError as error:
        print("LINKREAD", name, "blocked", type(error).__name__)
"""


def plant_links(folder, root):
    """Links to the grader's secrets, absolute and relative, in the folder and below it."""
    (folder / "data").mkdir()
    (folder / "solution.txt").symlink_to(root / "solutions" / LESSON / NOTEBOOK)
    (folder / "gradebook.txt").symlink_to(os.path.relpath(root / "gradebook.db", folder))
    (folder / "shadow").symlink_to("/etc/shadow")
    (folder / "data" / "config.py").symlink_to(root / "nbgrader_config.py")
    (folder / "solutions_folder").symlink_to(root / "solutions", target_is_directory=True)


def secrets(root):
    """Byte strings that only the grader's files contain."""
    return {"solution": b"### BEGIN SOLUTION", "gradebook": b"SQLite format 3",
            "shadow": Path("/etc/shadow").read_bytes().split(b"\n")[0],
            "config": b"c.CourseDirectory.course_id"}


def make_class(root):
    course_lessons.copy_course(ROOT, root)
    course_lessons.generate(root, LESSON)
    released = read(root / "lessons" / LESSON / NOTEBOOK)
    solved = answered(released, solutions_of(LESSON))
    solved.cells.append(new_code_cell(READ_PLANTED))
    for student in ["correct", "links_files", "links_notebook"]:
        folder = root / "submitted" / student / LESSON
        folder.mkdir(parents=True)
        (folder / "timestamp.txt").write_text("2026-01-01 12:00:00.000000 UTC")
        if student == "links_notebook":  # the instructor's solved notebook, as the student's
            (folder / NOTEBOOK).symlink_to(root / "solutions" / LESSON / NOTEBOOK)
            continue
        nbformat.write(solved, str(folder / NOTEBOOK))
        if student == "links_files":
            plant_links(folder, root)


GRADE_COMMANDS = {
    "course-grade": [[sys.executable, "-m", "course.cli", "grade", LESSON, "--workers", "2"]],
    "nbgrader": [[sys.executable, "-m", "nbgrader", "autograde", LESSON, "--force"],
                 [sys.executable, "-m", "nbgrader", "generate_feedback", LESSON, "--force"]],
}


@pytest.fixture(scope="module", params=list(GRADE_COMMANDS))
def graded(request, tmp_path_factory):
    root = tmp_path_factory.mktemp(f"links-{request.param}")
    make_class(root)
    logs = ""
    for command in GRADE_COMMANDS[request.param]:
        result = subprocess.run(command, cwd=root, capture_output=True, text=True,
                                env=course_lessons.nbgrader_environment(), timeout=900)
        logs += result.stdout + result.stderr
    return request.param, root, logs


@long_running
@pytest.mark.slow
def test_a_linked_notebook_is_not_graded_as_the_students_work(graded):
    mode, root, logs = graded
    assert class_scores(root, LESSON) == {"correct": FULL, "links_files": FULL,
                                          "links_notebook": 0}, logs[-3000:]
    if mode == "nbgrader":
        assert "perceptron.ipynb is a symbolic link" in logs, logs[-3000:]
    else:  # course grade tells the student and the instructor
        page = root / "feedback" / "links_notebook" / LESSON / NOTEBOOK.replace(".ipynb", ".html")
        assert "is a symbolic link, not a notebook you wrote" in page.read_text()
        assert "symbolic link" in (root / "reports" / LESSON / "grades.csv").read_text()


@long_running
@pytest.mark.slow
def test_nothing_a_link_points_to_reaches_the_kernel_autograded_or_feedback(graded):
    mode, root, logs = graded
    output = "\n".join(str(cell.get("outputs", [])) for cell in
                       read(root / "autograded" / "links_files" / LESSON / NOTEBOOK).cells)
    assert output.count("LINKREAD") == len(PLANTED), output[-2000:]
    assert output.count("blocked FileNotFoundError") == len(PLANTED), output[-2000:]
    for folder in ["autograded", "feedback"]:
        for path in sorted((root / folder).rglob("*")):
            assert not path.is_symlink(), path
            if not path.is_file() or path.suffix == ".ipynb":  # autograded notebooks hold tests
                continue
            content = path.read_bytes()
            found = [name for name, secret in secrets(root).items() if secret in content]
            assert not found, (path, found)
    assert not (root / "autograded" / "links_files" / LESSON / "solutions_folder").exists()


def test_collect_copies_no_link_and_no_special_file_from_the_exchange(tmp_path, monkeypatch):
    """A student writes straight into the exchange's inbound folder (it is theirs to write):
    links to the grader's files, a named pipe, and a submission folder that is itself a link."""
    root, exchange = tmp_path / "course", tmp_path / "exchange"
    root.mkdir()
    course_lessons.copy_course(ROOT, root)
    monkeypatch.setenv("PATH", course_lessons.nbgrader_environment()["PATH"])  # its alembic
    gradebook(root).close()  # a real one to link to
    inbound = exchange / COURSE_ID / "inbound"
    inbound.mkdir(parents=True)
    planted = inbound / f"mallory+{LESSON}+2026-01-01 12:00:00.000000 UTC"
    planted.mkdir()
    nbformat.write(nbformat.from_dict(read(notebook_of(LESSON))), str(planted / NOTEBOOK))
    (planted / "timestamp.txt").write_text("2026-01-01 12:00:00.000000 UTC")
    plant_links(planted, root)
    os.mkfifo(planted / "pipe")
    (inbound / f"trudy+{LESSON}+2026-01-01 12:00:00.000000 UTC").symlink_to(
        root / "solutions" / LESSON, target_is_directory=True)
    result = subprocess.run(
        [sys.executable, "-m", "nbgrader", "collect", LESSON, f"--Exchange.root={exchange}",
         "--ExchangeCollect.check_owner=False"],
        cwd=root, capture_output=True, text=True, env=course_lessons.nbgrader_environment(),
        timeout=120)
    logs = result.stdout + result.stderr
    collected = root / "submitted" / "mallory" / LESSON
    assert (collected / NOTEBOOK).is_file() and (collected / "timestamp.txt").is_file(), logs
    left = sorted(str(p.relative_to(collected)) for p in collected.rglob("*"))
    assert left == ["data", NOTEBOOK, "timestamp.txt"], (left, logs)
    assert "symbolic link" in logs and "pipe" in logs, logs
    assert not (root / "submitted" / "trudy" / LESSON).exists(), logs
