"""`course student-edition DIR`: a course a class can have, with no answer in it."""
import os
import subprocess
import sys
import tomllib

import nbformat
import pytest
import yaml
from nbclient import NotebookClient

from tests.browser import Lab
from tests.support import (HIDDEN_MARKERS, LESSONS, ROOT, RUBRIC_MARKERS, SOLUTION_MARKERS,
                           TRIVIAL_LINE, marked_lines, nbgrader_cells, notebook_of, read,
                           rubric_lines, shared)
from tests.test_lab import get

# One worker builds the edition once for all the tests below.
pytestmark = shared("student-edition")

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
TEXT_SUFFIXES = {".py", ".md", ".txt", ".json", ".ipynb", ".sh", ".toml", ".yml", ".csv", ""}


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    folder = tmp_path_factory.mktemp("edition") / "intro-deep-learning"
    result = subprocess.run([sys.executable, "-m", "course.cli", "student-edition", str(folder)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return folder


def files_of(folder):
    return sorted(p for p in folder.rglob("*") if p.is_file())


def secret_lines():
    """Every line of a solution, hidden test or rubric, however short, that students are not shown
    anyway (a line that also stands outside the markers, like `return w`, gives nothing away)."""
    secret, shown = set(), set()
    for lesson in LESSONS:
        notebook = read(notebook_of(lesson))
        for cell in nbgrader_cells(notebook, "solution"):
            secret.update(marked_lines(cell.source, SOLUTION_MARKERS))
        for cell in nbgrader_cells(notebook, "grade"):
            secret.update(marked_lines(cell.source, HIDDEN_MARKERS))
        secret.update(rubric_lines(notebook))
        for cell in notebook.cells:
            hidden = set(marked_lines(cell.source, SOLUTION_MARKERS)) | set(
                marked_lines(cell.source, HIDDEN_MARKERS)) | set(
                marked_lines(cell.source, RUBRIC_MARKERS))
            shown.update(line.strip() for line in cell.source.splitlines() if line not in hidden)
    secret = {line.strip() for line in secret}
    return {line for line in secret - shown
            if line and not line.startswith("#") and not TRIVIAL_LINE.fullmatch(line)}


def leaks_in(folder):
    """{path: [secret lines]} for every text file of `folder` that holds a secret line."""
    secrets, found = secret_lines(), {}
    for path in files_of(folder):
        if path.suffix not in TEXT_SUFFIXES:
            continue
        if path.suffix == ".ipynb":
            lines = [line for cell in read(path).cells for line in cell.source.splitlines()]
        else:
            lines = path.read_text(errors="replace").splitlines()
        hits = sorted({line.strip() for line in lines} & secrets)
        if hits:
            found[str(path.relative_to(folder))] = hits
    return found


def test_edition_holds_the_lessons_and_what_runs_them(edition):
    names = {str(p.relative_to(edition)) for p in files_of(edition)}
    for lesson in LESSONS:
        assert f"lessons/{lesson}/{notebook_of(lesson).name}" in names
    assert {"README.md", "pyproject.toml", "environment.yml", "requirements/lock.txt",
            "scripts/lab.sh", "scripts/environment.sh", "scripts/torch_source.py",
            "helpers/checks.py", "lessons/WELCOME.md", "jupyter/student/labconfig/page_config.json",
            "binder/requirements.txt", "binder/postBuild"} <= names
    project = tomllib.loads((edition / "pyproject.toml").read_text())
    assert project["project"]["dependencies"] == PROJECT["dependencies"]
    assert "scripts" not in project["project"]  # no `course` command without course/
    # what the first `bash scripts/lab.sh` writes there (pip install -e .) stays out of git
    assert {".venv/", "*.egg-info/"} <= set((edition / ".gitignore").read_text().split())


def test_edition_has_no_answers_hidden_tests_or_history(edition):
    tops = {p.name for p in edition.iterdir()}
    assert not tops & {"solutions", "tests", "course", ".git", "nbgrader_config.py", "hub",
                       "gradebook.db", "benchmarks"}
    assert not list(edition.rglob("wrong_answers*")) and not list(edition.rglob("*.db"))
    for path in edition.rglob("*.ipynb"):
        text = path.read_text()
        for marker in SOLUTION_MARKERS + HIDDEN_MARKERS:
            assert marker not in text, path
    assert leaks_in(edition) == {}


def test_leak_scan_finds_even_a_short_answer(edition, tmp_path):
    """The scan is not blind: one short solution line planted in a copy is found."""
    assert 'answer_punish = "D"' in secret_lines()
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "helpers").mkdir()
    (copy / "helpers" / "notes.py").write_text('x = 1\n    answer_punish = "D"\n')
    assert leaks_in(copy) == {"helpers/notes.py": ['answer_punish = "D"']}


def test_edition_refuses_a_folder_in_use(edition):
    before = sorted(files_of(edition))
    result = subprocess.run([sys.executable, "-m", "course.cli", "student-edition", str(edition)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode != 0 and "not empty" in result.stderr
    assert sorted(files_of(edition)) == before


def test_binder_installs_the_students_stack_with_cpu_torch(edition):
    """repo2docker reads binder/: requirements.txt (pip), runtime.txt, postBuild and start."""
    binder = edition / "binder"
    lines = (binder / "requirements.txt").read_text().splitlines()
    assert [line for line in lines if "==" in line] == PROJECT["dependencies"]
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in lines
    constraint = next(line.split()[1] for line in lines if line.startswith("-c "))
    assert (binder / constraint).resolve() == (edition / "requirements" / "lock.txt").resolve()
    python = (binder / "runtime.txt").read_text().strip()
    assert python.removeprefix("python-") in {"3.11", "3.12", "3.13"}
    for script in ("postBuild", "start"):
        assert os.access(binder / script, os.X_OK)
        assert subprocess.run(["bash", "-n", str(binder / script)]).returncode == 0
    assert "jupyter/student" in (binder / "start").read_text()
    assert (edition / (binder / "postBuild").read_text().split("cp ")[1].split()[0]).exists()
    readme = (edition / "README.md").read_text()
    assert "mybinder.org/badge_logo.svg" in readme and "lab/tree/lessons/WELCOME.md" in readme
    conda = yaml.safe_load((edition / "environment.yml").read_text())
    assert conda["name"] == "intro-deep-learning"


@pytest.mark.slow
def test_edition_lab_serves_the_lessons_and_their_environment_checks_pass(edition, tmp_path):
    """The edition's own lab.sh (on this course's virtualenv, so nothing is installed again)
    serves its lessons, and each lesson's first cell, run as lab.sh runs kernels, says ready."""
    env = {"COURSE_VENV": str(ROOT / ".venv")}
    os.environ.update(env)
    try:
        lab = Lab(edition / "lessons", tmp_path / "settings",
                  launcher=["bash", str(edition / "scripts" / "lab.sh")])
    finally:
        os.environ.pop("COURSE_VENV")
    try:
        listing = get(lab.api("contents"))
        assert sorted(item["name"] for item in listing["content"]) == LESSONS + ["WELCOME.md"]
        assert "python3" in get(lab.api("kernelspecs"))["kernelspecs"]
        kernels = [line for line in lab.read_log().splitlines() if "Traceback" in line]
        assert not kernels
    finally:
        lab.stop()
    for lesson in LESSONS:
        path = edition / "lessons" / lesson / notebook_of(lesson).name
        notebook = nbformat.read(str(path), as_version=4)
        check = next(cell for cell in notebook.cells if cell.cell_type == "code")
        probe = nbformat.v4.new_code_cell("import helpers; print(helpers.__file__)")
        notebook.cells = [check, probe]
        os.environ["PYTHONPATH"] = str(edition)  # what lab.sh gives its kernels
        try:
            NotebookClient(notebook, timeout=120, kernel_name="python3",
                           resources={"metadata": {"path": str(path.parent)}}).execute()
        finally:
            os.environ.pop("PYTHONPATH")
        printed = "".join(o.get("text", "") for c in notebook.cells for o in c.outputs)
        assert "You are ready to go" in printed, (lesson, printed)
        assert str(edition / "helpers") in printed, (lesson, printed)
