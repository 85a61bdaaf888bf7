"""The course's lessons: find them, and generate the student copies from the solutions."""
import filecmp
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

LESSON_NAME = re.compile(r"^\d\d-[a-z0-9-]+$")


def lesson_names(root):
    """The lessons in `root`/solutions, in course order (NN-slug folders)."""
    solutions = Path(root) / "solutions"
    return sorted(p.name for p in solutions.iterdir() if p.is_dir() and LESSON_NAME.match(p.name))


def notebooks(root, lesson, folder="solutions"):
    """The notebooks of one lesson in `folder` (solutions or lessons)."""
    return sorted((Path(root) / folder / lesson).glob("*.ipynb"))


def generate(root, lesson):
    """Write lessons/`lesson` from solutions/`lesson` with nbgrader's generate_assignment.

    The old student copy is replaced whole, so files removed from solutions/ disappear too.
    nbgrader's gradebook in `root` learns the lesson's graded cells on the way.
    """
    result = subprocess.run(
        [sys.executable, "-m", "nbgrader", "generate_assignment", lesson, "--force"],
        cwd=root, capture_output=True, text=True, env=nbgrader_environment(),
    )
    if result.returncode != 0:
        raise RuntimeError(f"nbgrader could not generate {lesson}:\n{result.stdout}{result.stderr}")
    due = due_date(root, lesson)
    if due is not None:
        for path in notebooks(root, lesson, "lessons"):
            show_due_date(path, due)
    return result


def due_date(root, lesson):
    """The lesson's due date in nbgrader's gradebook (naive UTC), or None."""
    from nbgrader.api import Gradebook, MissingEntry

    from course.grading.runner import load_config
    config = load_config(Path(root))
    database = config.CourseDirectory.db_url
    if database.startswith("sqlite:///") and not Path(database[10:].split("?")[0]).exists():
        return None  # no gradebook yet: none is made just to find no date
    with Gradebook(database, config.CourseDirectory.course_id) as gradebook:
        try:
            return gradebook.find_assignment(lesson).duedate
        except MissingEntry:
            return None


def show_due_date(path, due):
    """Write the due date under the title in the student copy's first cell (a markdown cell
    nbgrader does not grade), so students read it where they start."""
    import nbformat
    notebook = nbformat.read(str(path), as_version=4)
    first = notebook.cells[0]
    lines = first.source.split("\n")
    line = f"**Due: {due:%A} {due.day} {due:%B %Y, %H:%M} UTC.**"
    if first.cell_type != "markdown" or first.metadata.get("nbgrader"):
        raise RuntimeError(f"{path}: the first cell should be the lesson's markdown title.")
    first.source = "\n".join([lines[0], "", line, *lines[1:]])
    nbformat.write(notebook, str(path))


def nbgrader_environment():
    """The environment for an nbgrader subprocess: nbgrader runs `alembic` from PATH, so the
    folder of this Python's scripts goes first even when the virtualenv is not activated."""
    scripts = str(Path(sys.executable).parent)
    return {**os.environ, "PATH": scripts + os.pathsep + os.environ.get("PATH", "")}


def differences(left, right):
    """Paths (relative) that differ between two folder trees, including missing files."""
    found = []

    def walk(comparison, prefix):
        for name in comparison.left_only + comparison.right_only + comparison.diff_files:
            found.append(f"{prefix}{name}")
        for name in comparison.common_files:
            if not filecmp.cmp(Path(comparison.left) / name, Path(comparison.right) / name,
                               shallow=False):
                found.append(f"{prefix}{name}")
        for name, sub in comparison.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(left, right, ignore=[".ipynb_checkpoints", "__pycache__"]), "")
    return sorted(set(found))


def copy_course(root, destination):
    """Copy what generate_assignment needs (config and solutions/) into an empty folder."""
    destination = Path(destination)
    shutil.copy(Path(root) / "nbgrader_config.py", destination)
    shutil.copytree(Path(root) / "solutions", destination / "solutions",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
