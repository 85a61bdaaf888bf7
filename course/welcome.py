"""The course's welcome page, lessons/WELCOME.md: what a student's JupyterLab opens on.
Its lesson table is README.md's, so `course lessons` rewrites it whenever it runs."""
import re
from pathlib import Path

LESSON_ROW = re.compile(r"^\| \[\d\d ·.*\]\(lessons/")
PAGE = """\
# Introduction to Deep Learning

Welcome! Each lesson is one notebook and teaches one idea. Work through them in order:

| lesson | what you build | points |
|---|---|---|
{rows}

## How to work

1. Open a lesson (click its name above, or use the file browser on the left).
2. Run its first cell: it checks your environment and tells you in plain words what is missing.
3. Work from top to bottom with <kbd>Shift</kbd>+<kbd>Enter</kbd>. Exercises are marked ✏️:
   replace `raise NotImplementedError()` with your code and run the test cell below it. A
   failed check names the call it made, the value it expected and the value it got.
4. A **written question** near the end asks you to explain something in your own words: write
   your answer in the cell below it (double-click the cell to edit it). A teaching assistant
   grades it by hand, so your feedback shows its score once they have.

## How to submit

When a lesson is done, restart the kernel and run all cells (**Kernel › Restart Kernel and
Run All Cells**), then press **Validate** in the notebook's toolbar. Submit it as your
instructor tells you: on the class's JupyterHub, in the **Assignment List** (Nbgrader menu).
"""


def lesson_rows(root):
    """README.md's lesson table rows, with links relative to lessons/."""
    readme = (Path(root) / "README.md").read_text()
    return [line.replace("](lessons/", "](")
            for line in readme.splitlines() if LESSON_ROW.match(line)]


def welcome_page(root):
    return PAGE.format(rows="\n".join(lesson_rows(root)))


def write(root):
    path = Path(root) / "lessons" / "WELCOME.md"
    path.write_text(welcome_page(root))
    return path
