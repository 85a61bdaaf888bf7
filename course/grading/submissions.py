"""Check submissions before grading, so a broken one gets a clear reason instead of a crash."""
import os
import shutil
from pathlib import Path

import nbformat

from course.grading import links

NOT_A_NOTEBOOK = (
    "{name} could not be read as a notebook ({error}). This happens when a notebook is "
    "saved by a tool that is not Jupyter, or cut short while it was saved. Your file is "
    "kept as you submitted it; open a fresh copy of the lesson, paste your answers in, "
    "and submit again."
)
LINKED = (
    "Your {name} is {kind}, not a notebook you wrote, so it was graded 0. Submit the notebook "
    "itself: open it in JupyterLab, save it, and submit again."
)
MISSING = (
    "Your submission has no {name}, so it was graded 0. It contains: {found}. "
    "The grader only reads the notebook under its original name: rename your notebook "
    "to {name} (or work in the original file) and submit again."
)


def problems(folder, notebook_names):
    """{notebook name: reason} for each expected notebook that is missing or unreadable."""
    folder = Path(folder)
    found = sorted(p.name for p in folder.glob("*.ipynb"))
    reasons = {}
    for name in notebook_names:
        path = folder / f"{name}.ipynb"
        if os.path.lexists(path) and not links.is_plain(path):  # not the student's work
            reasons[name] = LINKED.format(name=f"{name}.ipynb", kind=links.kind(path))
            continue
        if not path.exists():
            reasons[name] = MISSING.format(
                name=f"{name}.ipynb", found=", ".join(found) or "no notebook at all")
            continue
        try:
            nbformat.read(str(path), as_version=4)
        except Exception as error:  # nbformat raises several kinds for unreadable files
            summary = str(error).splitlines()[0][:200] if str(error) else type(error).__name__
            reasons[name] = NOT_A_NOTEBOOK.format(name=f"{name}.ipynb", error=summary)
    return reasons


def stage(source, destination, broken):
    """Copy a submission for grading, leaving out the notebooks that cannot be read.

    The original in submitted/ is never changed; nbgrader grades the copy and, for each
    notebook left out, records zero. Links and special files are left out too
    (course/grading/links.py): a copy follows a link with the grader's rights.
    """
    if destination.exists():
        shutil.rmtree(destination)

    def left_out(folder, names):
        return links.left_out(folder, names) + [
            n for n in names if n.endswith(".ipynb") and n[:-6] in broken]

    shutil.copytree(source, destination, ignore=left_out)
