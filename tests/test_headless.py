"""Every notebook runs top to bottom in a real kernel, without a browser."""
import shutil

import pytest
from nbclient import NotebookClient

from support import (ROOT, check_runs_clean, check_stops_only_at_exercises, notebook_of,
                     per_lesson, read)


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
    check_runs_clean(execute(lesson, "solutions", tmp_path))


@pytest.mark.slow
@pytest.mark.parametrize("lesson", per_lesson())
def test_blank_lessons_stop_only_at_their_exercises(lesson, tmp_path):
    check_stops_only_at_exercises(execute(lesson, "lessons", tmp_path))
