"""What the tests and benchmarks share: the course's lessons, their cells, answering them, a
real nbgrader class and its gradebook, xdist groups and time limits, loopback ports."""
import json
import re
import runpy
import shutil
import socket
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

from course import lessons as course_lessons
from tests import packing

ROOT = Path(__file__).resolve().parent.parent
# The course's id, as nbgrader_config.py sets it (gradebooks and the exchange are keyed by it)
COURSE_ID = re.search(r'^c\.CourseDirectory\.course_id = "([^"]+)"$',
                      (ROOT / "nbgrader_config.py").read_text(), re.MULTILINE).group(1)
LESSONS = course_lessons.lesson_names(ROOT)
WRONG_ANSWERS = ROOT / "tests" / "wrong_answers"
# What Jupyter, JupyterLab and IPython would otherwise read and write in the home folder of
# whoever runs the tests (a `python3` kernelspec among it): conftest.py points each variable
# at that folder inside one of the test run's own.
JUPYTER_FOLDERS = {"JUPYTER_CONFIG_DIR": "config", "JUPYTER_DATA_DIR": "data",
                   "JUPYTER_RUNTIME_DIR": "runtime", "JUPYTERLAB_SETTINGS_DIR": "lab-settings",
                   "JUPYTERLAB_WORKSPACES_DIR": "lab-workspaces", "IPYTHONDIR": "ipython"}
# Lines too generic to give an answer away wherever they appear (a loop over epochs, say).
TRIVIAL_LINE = re.compile(r"(pass|break|continue|else:|try:|finally:|return( \w+)?|\w+ = \w+"
                          r"|[\])}]+[,:]?|for \w+ in range\([^()]*\):)")
SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")
HIDDEN_MARKERS = ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
RUBRIC_MARKERS = ("=== BEGIN MARK SCHEME ===", "=== END MARK SCHEME ===")

# pytest-timeout: pyproject.toml's `timeout` holds for every test but the long ones, marked
# `long_running` (alone or through `shared`): they grade a class, start a hub or make a
# virtualenv, in their setup or their body, which takes minutes on a loaded 2-core machine.
LONG_TIMEOUT_S = 1800
long_running = pytest.mark.timeout(LONG_TIMEOUT_S)


def shared(group):
    """Marks for tests that share something costly one of them builds: one xdist group (one
    worker builds it once; scripts/test.sh runs `--dist loadgroup`), and `long_running`, as
    the first of them to run pays for the build in its setup."""
    return [pytest.mark.xdist_group(group), long_running]


def per_lesson(values=None, shares=None):
    """pytest params for every lesson (or the given tuples, lesson first).

    `shares` names what a lesson's tests build once per worker and share ("graded-class",
    "solution-run"): those tests form one `shared` group per lesson. Tests that share
    nothing stay ungrouped, free to run on either worker."""
    values = values if values is not None else [(lesson,) for lesson in LESSONS]
    return [pytest.param(*value, id="-".join(map(str, value)),
                         marks=shared(shared_by(value[0], shares)) if shares else [])
            for value in values]


def shared_by(lesson, shares):
    """The xdist group of the tests that share `shares` of `lesson`."""
    return f"{lesson}-{shares}"


def notebook_of(lesson, folder="solutions"):
    """The one notebook of a lesson: solutions/NN-slug/slug.ipynb."""
    return ROOT / folder / lesson / f"{lesson.split('-', 1)[1]}.ipynb"


def read(path):
    return nbformat.read(str(path), as_version=4)


def nbgrader_cells(notebook, kind):
    """Cells of a notebook that nbgrader treats as `kind`: "solution" or "grade"."""
    return [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get(kind)]


def is_written(cell):
    """A written answer: a manually graded markdown answer cell (a person grades it)."""
    nbgrader = cell.metadata.get("nbgrader", {})
    return cell.cell_type == "markdown" and nbgrader.get("solution") and nbgrader.get("grade")


def exercise_cells(notebook):
    """The code answer cells, each an exercise its test cells grade automatically."""
    return [c for c in nbgrader_cells(notebook, "solution") if not is_written(c)]


def autograded_cells(notebook):
    """The cells with points that nbgrader grades automatically."""
    return [c for c in nbgrader_cells(notebook, "grade") if not is_written(c)]


def written_cells(notebook):
    return [c for c in nbgrader_cells(notebook, "solution") if is_written(c)]


def grade_id(cell):
    return cell.metadata["nbgrader"]["grade_id"]


def exercise_of(test_id, answer_ids):
    """The answer cell a test cell belongs to: test_<answer id> or test_<answer id>_<more>."""
    for answer in answer_ids:
        if test_id == f"test_{answer}" or test_id.startswith(f"test_{answer}_"):
            return answer
    return None


def strip_solution_markers(source):
    return "\n".join(line for line in source.splitlines()
                     if line.strip() not in SOLUTION_MARKERS)


def marked_lines(source, markers):
    """The lines between a pair of markers (solution code or hidden tests)."""
    lines, inside = [], False
    for line in source.splitlines():
        if line.strip() == markers[0]:
            inside = True
        elif line.strip() == markers[1]:
            inside = False
        elif inside:
            lines.append(line)
    return lines


def solutions_of(lesson):
    """{answer grade_id: the instructor's answer without its markers}."""
    return {grade_id(c): strip_solution_markers(c.source)
            for c in nbgrader_cells(read(notebook_of(lesson)), "solution")}


def answered(notebook, answers):
    """A copy of `notebook` answered as a student would: each answer cell named in `answers`
    ({grade_id: source}) holds that source, the others stay as released."""
    notebook = nbformat.from_dict(notebook)
    for cell in nbgrader_cells(notebook, "solution"):
        cell.source = answers.get(grade_id(cell), cell.source)
    return notebook


def fill_answers(path, answers):
    """Answer the student notebook at `path` in place (`answered`)."""
    nbformat.write(answered(read(path), answers), str(path))


def gradebook(root):
    """nbgrader's gradebook of the course folder `root` (use it as a context manager)."""
    from nbgrader.api import Gradebook
    return Gradebook(f"sqlite:///{root / 'gradebook.db'}", COURSE_ID)


def class_scores(root, lesson):
    """{student: total score} of `lesson` in the gradebook of the course folder `root`."""
    with gradebook(root) as book:
        return {s.student.id: s.score for s in book.find_assignment(lesson).submissions}


def wrong_answers(lesson, kind="WRONG_ANSWERS"):
    """{answer grade_id: {name: wrong source}} from tests/wrong_answers/<lesson>.py.

    kind "WRONG_ANSWERS": plausible mistakes; "HIDDEN_ONLY": mistakes that pass every visible
    check of the student copy and lose their points only to the hidden tests."""
    path = WRONG_ANSWERS / f"{lesson}.py"
    return runpy.run_path(str(path)).get(kind, {}) if path.exists() else {}


def hidden_only_answers(lesson):
    return wrong_answers(lesson, "HIDDEN_ONLY")


def all_wrong_answers(kind="WRONG_ANSWERS"):
    return [(lesson, exercise, name)
            for lesson in LESSONS
            for exercise, answers in wrong_answers(lesson, kind).items()
            for name in answers]


def rubric_lines(notebook):
    """The lines of every rubric (mark scheme region) in a notebook."""
    return [line for cell in notebook.cells for line in marked_lines(cell.source, RUBRIC_MARKERS)]


def strip_hidden_tests(source):
    """A test cell's source without its hidden blocks, markers included."""
    return "\n".join(line for line, hidden in _hidden_flags(source) if not hidden)


def _hidden_flags(source):
    inside = False
    for line in source.splitlines():
        if line.strip() == HIDDEN_MARKERS[0]:
            inside = True
        yield line, inside
        if line.strip() == HIDDEN_MARKERS[1]:
            inside = False


def run(command, cwd):
    """Run a command in a subprocess that finds nbgrader's helpers on PATH."""
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True,
                          env=course_lessons.nbgrader_environment())


@dataclass
class GradedClass:
    """A real nbgrader course folder in which one lesson was generated and autograded."""
    root: Path
    lesson: str
    log: str
    # student -> {grade_id: (score, max_score)}, for the automatically graded cells
    scores: dict = field(default_factory=dict)
    # student -> {grade_id of a written answer: its gradebook row as a dict}
    written: dict = field(default_factory=dict)
    carried: dict = field(default_factory=dict)  # student -> {exercise: (kind, wrong answer)}

    def carrier(self, exercise, name, kind="WRONG_ANSWERS"):
        """The student whose submission carries wrong answer `name` for `exercise`."""
        return next(student for student, wrong in self.carried.items()
                    if wrong.get(exercise) == (kind, name))

    def autograded(self, student):
        return read(self.root / "autograded" / student / self.lesson /
                    notebook_of(self.lesson).name)

    def total(self, student):
        return sum(score for score, _ in self.scores[student].values())

    def maximum(self):
        return sum(maximum for _, maximum in next(iter(self.scores.values())).values())


def points_by_exercise(scores, lesson):
    """{exercise: (earned, possible)} from one student's {test grade_id: (score, max_score)}."""
    answers = [grade_id(c) for c in exercise_cells(read(notebook_of(lesson)))]
    by_exercise = {}
    for test_id, (score, maximum) in scores.items():
        earned, possible = by_exercise.get(exercise_of(test_id, answers), (0, 0))
        by_exercise[exercise_of(test_id, answers)] = (earned + score, possible + maximum)
    return by_exercise


def exercise_dependencies(lesson):
    """{exercise: the exercises whose answers can reach its grading} (tests/packing.py), read
    from the solution notebook with every version of each answer in its answer cell."""
    notebook = read(notebook_of(lesson))
    versions = {exercise: [source] for exercise, source in solutions_of(lesson).items()}
    for kind in ("WRONG_ANSWERS", "HIDDEN_ONLY"):
        for exercise, answers in wrong_answers(lesson, kind).items():
            versions[exercise] += list(answers.values())
    cells = []
    for cell in notebook.cells:
        if cell.cell_type == "code":
            marks = cell.metadata.get("nbgrader", {})
            kind = "solution" if marks.get("solution") else "grade" if marks.get("grade") else None
            cells.append((kind, marks.get("grade_id"), cell.source))
    return packing.dependencies(cells, versions, lambda test: exercise_of(test, list(versions)))


def packed_submissions(lesson, kinds):
    """{student: {exercise: (kind, wrong answer)}}: every wrong answer of `kinds` in
    tests/wrong_answers/<lesson>.py, packed into as few submissions as their dependencies allow."""
    wrong = [(exercise, (kind, name)) for kind in kinds
             for exercise, answers in wrong_answers(lesson, kind).items() for name in answers]
    packed = packing.pack(wrong, exercise_dependencies(lesson))
    return {f"wrong-{number:02d}": submission for number, submission in enumerate(packed, 1)}


def grade_class(lesson, folder, hidden_tests=True):
    """Generate `lesson` in a fresh course folder and autograde a class of submissions.

    The class: "solution" (every answer filled in from solutions/), "blank" (the lesson as
    released), and the wrong answers of tests/wrong_answers (WRONG_ANSWERS and HIDDEN_ONLY)
    packed into few submissions (`packed_submissions`): each answers everything right except
    the exercises it carries a wrong answer for, which never depend on each other.

    With hidden_tests=False the course's source has every hidden block cut out of its test
    cells, so the grader runs only the checks a student sees; the class is then "solution"
    and the HIDDEN_ONLY answers, packed, which must earn every point there.
    """
    course_lessons.copy_course(ROOT, folder)
    if not hidden_tests:
        source = notebook_of(lesson).relative_to(ROOT)
        notebook = read(folder / source)
        for cell in nbgrader_cells(notebook, "grade"):
            cell.source = strip_hidden_tests(cell.source)
        nbformat.write(notebook, str(folder / source))
    course_lessons.generate(folder, lesson)
    solutions = solutions_of(lesson)
    submissions = {"solution": solutions}
    kinds = ("WRONG_ANSWERS", "HIDDEN_ONLY") if hidden_tests else ("HIDDEN_ONLY",)
    if hidden_tests:
        submissions["blank"] = None
    sources = {kind: wrong_answers(lesson, kind) for kind in kinds}
    carried = packed_submissions(lesson, kinds)
    for student, wrong in carried.items():
        submissions[student] = {**solutions, **{exercise: sources[kind][exercise][name]
                                                for exercise, (kind, name) in wrong.items()}}
    for student, answers in submissions.items():
        target = folder / "submitted" / student / lesson
        shutil.copytree(folder / "lessons" / lesson, target)
        if answers is not None:
            fill_answers(target / notebook_of(lesson).name, answers)
    result = run([sys.executable, "-m", "nbgrader", "autograde", lesson], folder)
    graded = GradedClass(folder, lesson, result.stdout + result.stderr, carried=carried)
    if result.returncode != 0:
        raise AssertionError(f"nbgrader autograde failed for {lesson}:\n{graded.log}")
    written = {grade_id(c) for c in written_cells(read(notebook_of(lesson)))}
    with gradebook(folder) as book:
        for student in submissions:
            notebook = book.find_submission_notebook(
                notebook_of(lesson).stem, lesson, student)
            graded.scores[student] = {g.name: (g.score, g.max_score) for g in notebook.grades
                                      if g.max_score and g.name not in written}
            graded.written[student] = {g.name: g.to_dict() for g in notebook.grades
                                       if g.name in written}
    return graded


def execute_notebook(lesson, folder, destination, extra_cells=()):
    """Run a copy of a lesson's notebook (its folder copied to `destination`, so nothing is
    written to git), with `extra_cells` appended; errors are kept in the outputs."""
    from nbclient import NotebookClient
    shutil.copytree(ROOT / folder / lesson, destination / lesson)
    notebook = read(destination / lesson / notebook_of(lesson).name)
    notebook.cells += [nbformat.v4.new_code_cell(source) for source in extra_cells]
    NotebookClient(notebook, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(destination / lesson)}}).execute()
    return notebook


def run_cells(*sources, timeout=120):
    """Run code cells in a fresh real kernel (widgets driven as a student's code drives them);
    a failing cell raises CellExecutionError with its traceback."""
    from nbclient import NotebookClient
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell(textwrap.dedent(source)) for source in sources])
    NotebookClient(notebook, timeout=timeout, kernel_name="python3").execute()
    return notebook


def reserved_port(port=0):
    """A TCP port on 127.0.0.1 held for a server the test starts next (`port`: renew the hold).

    The servers (Jupyter Server, JupyterHub, its proxy) are told their port up front, so it is
    held, not merely found free: one connection to it is closed from the listening side, whose
    end then waits in TIME_WAIT for 60 s. While it waits, no bind to port 0 on the machine (the
    other worker's servers, a kernel's five ports) is handed this port; a server that binds
    with SO_REUSEADDR, as tornado and node do, takes it at once."""
    with socket.socket() as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(1)
        port = listener.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port)):
            accepted, _ = listener.accept()
            accepted.close()  # closed first: this end holds the port in TIME_WAIT
    return port


def check_runs_clean(notebook):
    """A run notebook (a solution, or a lesson answered right): no error, nothing on stderr."""
    for index, cell in enumerate(notebook.cells):
        assert not errors(cell), f"cell {index} failed: {to_json(errors(cell))}"
        assert not outputs_named(cell, "stderr"), f"cell {index} wrote to stderr"


def check_stops_only_at_exercises(notebook):
    """A run blank lesson: its only errors are NotImplementedError in graded cells (at least one),
    and nothing is written to stderr."""
    stopped = 0
    for index, cell in enumerate(notebook.cells):
        graded = cell.metadata.get("nbgrader", {})
        for error in errors(cell):
            assert error["ename"] == "NotImplementedError" and (
                graded.get("solution") or graded.get("grade")), (
                f"cell {index} failed with {error['ename']}: {error['evalue']}")
            stopped += 1
        assert not outputs_named(cell, "stderr"), f"cell {index} wrote to stderr"
    assert stopped, "a blank lesson should stop at its unanswered exercises"


def outputs_named(cell, stream):
    return [o for o in cell.get("outputs", []) if o.get("name") == stream]


def errors(cell):
    return [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]


def to_json(value):
    return json.dumps(value, indent=1, default=str)
