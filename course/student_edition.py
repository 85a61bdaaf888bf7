"""`course student-edition DIR`: the course a class clones or downloads, without the answers.

It holds the lessons, the helpers they import, what installs and starts them (lab.sh, the lock,
environment.yml, Binder's files) and a student README; never solutions/, hidden tests,
tests/wrong_answers, the grading code, nbgrader's configuration or git history."""
import re
import shutil
from pathlib import Path

from course import welcome

# What a student's copy holds, relative to the course folder.
FOLDERS = ["lessons", "helpers", "jupyter", "binder"]
FILES = ["scripts/lab.sh", "scripts/environment.sh", "scripts/torch_source.py",
         "requirements/lock.txt", "environment.yml"]
SKIP = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.pyc")
# pyproject.toml tables that only the instructor's repository uses
INSTRUCTOR_TABLES = {"project.scripts", "tool.pytest.ini_options"}
TEMPLATES = Path(__file__).resolve().parent / "templates"
GITIGNORE = """\
# The course's own environment, made by scripts/lab.sh
.venv/
*.egg-info/
__pycache__/
.ipynb_checkpoints/
"""


def student_pyproject(text):
    """pyproject.toml without the tables of the instructor's tools."""
    kept, skipping = [], False
    for line in text.splitlines(keepends=True):
        table = re.match(r"^\[([^\]]+)\]\s*$", line)
        if table:
            skipping = table.group(1) in INSTRUCTOR_TABLES
        if not skipping:
            kept.append(line)
    return "".join(kept)


def write(root, target):
    """Write the student edition of the course in `root` into the new folder `target`."""
    root, target = Path(root), Path(target)
    if target.exists() and any(target.iterdir()):
        raise FileExistsError(f"{target} is not empty: choose a new folder for the student edition "
                              "(nothing in it was changed).")
    target.mkdir(parents=True, exist_ok=True)
    for folder in FOLDERS:
        shutil.copytree(root / folder, target / folder, ignore=SKIP)
    for name in FILES:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, target / name)
    (target / "pyproject.toml").write_text(student_pyproject((root / "pyproject.toml").read_text()))
    rows = "\n".join(row.replace("](", "](lessons/") for row in welcome.lesson_rows(root))
    readme = (TEMPLATES / "student-README.md").read_text().replace("{lessons}", rows)
    (target / "README.md").write_text(readme)
    (target / ".gitignore").write_text(GITIGNORE)
    return target
