"""Every notebook runs top to bottom in a real kernel, without a browser."""
import shutil

import pytest
from nbclient import NotebookClient

from support import ROOT, errors, notebook_of, outputs_named, per_lesson, read


def execute(lesson, folder, tmp_path):
    """Run a copy of the lesson's notebook (its folder copied, so nothing is written to git)."""
    shutil.copytree(ROOT / folder / lesson, tmp_path / lesson)
    notebook = read(tmp_path / lesson / notebook_of(lesson).name)
    NotebookClient(notebook, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path / lesson)}}).execute()
    return notebook


@pytest.mark.slow
@pytest.mark.parametrize("lesson", per_lesson())
def test_solutions_run_without_errors_or_stderr(lesson, tmp_path):
    notebook = execute(lesson, "solutions", tmp_path)
    for index, cell in enumerate(notebook.cells):
        assert not errors(cell), f"cell {index} failed: {errors(cell)[0]['evalue']}"
        assert not outputs_named(cell, "stderr"), f"cell {index} wrote to stderr"


@pytest.mark.slow
@pytest.mark.parametrize("lesson", per_lesson())
def test_blank_lessons_stop_only_at_their_exercises(lesson, tmp_path):
    notebook = execute(lesson, "lessons", tmp_path)
    stopped = 0
    for index, cell in enumerate(notebook.cells):
        nbgrader = cell.metadata.get("nbgrader", {})
        for error in errors(cell):
            assert error["ename"] == "NotImplementedError" and (
                nbgrader.get("solution") or nbgrader.get("grade")), (
                f"cell {index} failed with {error['ename']}: {error['evalue']}")
            stopped += 1
        assert not outputs_named(cell, "stderr"), f"cell {index} wrote to stderr"
    assert stopped, "a blank lesson should stop at its unanswered exercises"
