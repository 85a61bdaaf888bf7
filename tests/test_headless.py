"""Every notebook runs top to bottom in a real kernel, without a browser."""
import nbformat
import pytest

from tests.support import (check_runs_clean, check_stops_only_at_exercises, execute_notebook,
                           per_lesson)


@pytest.mark.slow
@pytest.mark.parametrize("lesson", per_lesson(shares="solution-run"))
def test_solutions_run_without_errors_or_stderr(solution_run, lesson):
    cells, _ = solution_run(lesson)
    check_runs_clean(nbformat.v4.new_notebook(cells=cells))


@pytest.mark.slow
@pytest.mark.parametrize("lesson", per_lesson())
def test_blank_lessons_stop_only_at_their_exercises(lesson, tmp_path):
    check_stops_only_at_exercises(execute_notebook(lesson, "lessons", tmp_path))
