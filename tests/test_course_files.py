"""The committed course is tidy, consistent, and gives no answer away."""
import ast
import re
import warnings

import pytest

from course import lessons as course_lessons
from tests.support import (HIDDEN_MARKERS, LESSONS, ROOT, RUBRIC_MARKERS, SOLUTION_MARKERS,
                           TRIVIAL_LINE, autograded_cells, exercise_cells, exercise_of, grade_id,
                           marked_lines, nbgrader_cells, notebook_of, per_lesson, read,
                           rubric_lines, written_cells)

ALL_NOTEBOOKS = sorted((ROOT / "solutions").glob("*/*.ipynb")) + sorted(
    (ROOT / "lessons").glob("*/*.ipynb"))
# Lines this long are searched for anywhere in what students receive; shorter ones
# (`answer_punish = "D"`, `spike[-1] = n * mae_value`) must match a whole line there.
LEAK_MIN_LENGTH = 20


def test_each_lesson_is_one_notebook_named_after_its_slug():
    for lesson in LESSONS:
        assert [p.name for p in (ROOT / "solutions" / lesson).glob("*.ipynb")] == [
            notebook_of(lesson).name], lesson
    assert sorted(p.name for p in (ROOT / "lessons").iterdir() if p.is_dir()) == LESSONS


@pytest.mark.parametrize("lesson", per_lesson())
def test_lessons_are_what_generate_assignment_makes_of_solutions(lesson, tmp_path):
    course_lessons.copy_course(ROOT, tmp_path)
    course_lessons.generate(tmp_path, lesson)
    due = course_lessons.due_date(ROOT, lesson)  # an instructor's gradebook puts it in lessons/
    if due is not None:
        for path in course_lessons.notebooks(tmp_path, lesson, "lessons"):
            course_lessons.show_due_date(path, due)
    changed = course_lessons.differences(ROOT / "lessons" / lesson, tmp_path / "lessons" / lesson)
    assert not changed, f"lessons/{lesson} is stale ({changed}): run `course lessons {lesson}`"


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebooks_are_committed_without_outputs(path):
    notebook = read(path)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, (
                f"cell {index} has outputs: clear them before committing")
    assert "widgets" not in notebook.metadata, "saved widget state: clear it before committing"


def test_grade_ids_are_unique_across_the_course():
    seen = {}
    for lesson in LESSONS:
        for cell in notebook_of_cells(lesson):
            seen.setdefault(grade_id(cell), []).append(lesson)
    assert not {name: where for name, where in seen.items() if len(where) > 1}


def notebook_of_cells(lesson):
    return [c for c in read(notebook_of(lesson)).cells if "nbgrader" in c.metadata]


@pytest.mark.parametrize("lesson", per_lesson())
def test_every_test_cell_has_points_and_an_exercise(lesson):
    notebook = read(notebook_of(lesson))
    answers = [grade_id(c) for c in exercise_cells(notebook)]
    tests = autograded_cells(notebook)
    assert tests and answers
    for cell in tests:
        assert cell.metadata["nbgrader"].get("points", 0) > 0, grade_id(cell)
        assert exercise_of(grade_id(cell), answers), (
            f"name test cell {grade_id(cell)} test_<answer id> so it maps to an exercise")
    tested = {exercise_of(grade_id(c), answers) for c in tests}
    assert tested == set(answers), f"exercises without tests: {set(answers) - tested}"


@pytest.mark.parametrize("lesson", per_lesson())
def test_solution_cells_and_hidden_tests_are_marked(lesson):
    notebook = read(notebook_of(lesson))
    for cell in nbgrader_cells(notebook, "solution"):
        assert marked_lines(cell.source, SOLUTION_MARKERS), f"{grade_id(cell)} has no solution"
    assert any(marked_lines(c.source, HIDDEN_MARKERS) for c in nbgrader_cells(notebook, "grade"))


@pytest.mark.parametrize("lesson", per_lesson())
def test_every_lesson_has_written_questions_with_a_rubric_above_each_answer(lesson):
    """One or two written answers per lesson; the read-only cell above each holds the
    question and one rubric, with a line per point and a model answer."""
    notebook = read(notebook_of(lesson))
    written = written_cells(notebook)
    assert 1 <= len(written) <= 2, f"{lesson}: {len(written)} written questions"
    for answer in written:
        index = notebook.cells.index(answer)
        question = notebook.cells[index - 1]
        nbgrader = question.metadata.get("nbgrader", {})
        assert question.cell_type == "markdown" and nbgrader.get("locked") and not (
            nbgrader.get("grade") or nbgrader.get("solution")), (
            f"the cell above {grade_id(answer)} should be its read-only question")
        assert question.source.count(RUBRIC_MARKERS[0]) == 1, grade_id(answer)
        rubric = marked_lines(question.source, RUBRIC_MARKERS)
        point_lines = [line for line in rubric if line.startswith("- 1 point:")]
        assert len(point_lines) == answer.metadata["nbgrader"]["points"] > 0, (
            f"{grade_id(answer)}: a rubric line per point")
        assert any("Model answer" in line for line in rubric), grade_id(answer)
        assert marked_lines(answer.source, SOLUTION_MARKERS), grade_id(answer)


def test_the_readme_lesson_table_counts_autograded_and_written_points():
    row = re.compile(r"^\| \[\d\d ·[^\]]*\]\(lessons/([^/]+)/.*\| (\d+) \+ (\d+) written \|$", re.M)
    table = {m.group(1): (float(m.group(2)), float(m.group(3)))
             for m in row.finditer((ROOT / "README.md").read_text())}
    for lesson in LESSONS:
        notebook = read(notebook_of(lesson))
        points = (sum(c.metadata["nbgrader"]["points"] for c in autograded_cells(notebook)),
                  sum(c.metadata["nbgrader"]["points"] for c in written_cells(notebook)))
        assert table.get(lesson) == points, (
            f"README's lesson table says {table.get(lesson)} points for {lesson}, "
            f"the notebook {points} (autograded, written)")


def test_a_rubric_outside_a_read_only_cell_stops_generation():
    """A rubric in the answer cell would be cleared for students and never restored for the
    grader: generate_assignment refuses it, naming the fix."""
    from nbformat.v4 import new_markdown_cell, new_notebook

    from course.grading.written import ClearRubrics
    answer = new_markdown_cell(f"{RUBRIC_MARKERS[0]}\n- 1 point: secret\n{RUBRIC_MARKERS[1]}")
    answer.metadata["nbgrader"] = {"grade": True, "grade_id": "written_x", "locked": False,
                                   "points": 1, "schema_version": 3, "solution": True}
    with pytest.raises(RuntimeError, match="read-only"):
        ClearRubrics().preprocess(new_notebook(cells=[answer]), {})
    question = new_markdown_cell(answer.source)
    question.metadata["nbgrader"] = {"grade": False, "grade_id": "written_x_question",
                                     "locked": True, "schema_version": 3, "solution": False}
    cleared, _ = ClearRubrics().preprocess(new_notebook(cells=[question]), {})
    assert "secret" not in cleared.cells[0].source


def test_feedback_hides_rubrics_and_survives_a_stray_delimiter_in_an_answer():
    from nbformat.v4 import new_markdown_cell, new_notebook

    from course.grading.written import HideRubrics
    question = new_markdown_cell(f"Why?\n{RUBRIC_MARKERS[0]}\n- 1 point: secret\n{RUBRIC_MARKERS[1]}")
    question.metadata["nbgrader"] = {"grade": False, "grade_id": "written_x_question",
                                     "locked": True, "schema_version": 3, "solution": False}
    answer = new_markdown_cell(f"Because.\n{RUBRIC_MARKERS[0]}")
    answer.metadata["nbgrader"] = {"grade": True, "grade_id": "written_x", "locked": False,
                                   "points": 1, "schema_version": 3, "solution": True}
    shown, _ = HideRubrics().preprocess(new_notebook(cells=[question, answer]), {})
    assert [c.source for c in shown.cells] == ["Why?", answer.source]


def student_facing_text():
    """Everything a student receives: the lessons' notebooks and files, and helpers/."""
    texts = {}
    for path in sorted((ROOT / "lessons").rglob("*")) + sorted((ROOT / "helpers").rglob("*.py")):
        if path.suffix == ".ipynb":
            texts[path.relative_to(ROOT)] = "\n".join(c.source for c in read(path).cells)
        elif path.suffix in {".py", ".md", ".txt", ".csv", ".json"}:
            texts[path.relative_to(ROOT)] = path.read_text()
    return texts


def secret_lines(lesson):
    """Solution code, written model answers, hidden tests and rubrics of a lesson, line by
    line, without the trivial ones."""
    lines = set(rubric_lines(read(notebook_of(lesson))))
    for cell in nbgrader_cells(read(notebook_of(lesson)), "solution"):
        lines.update(marked_lines(cell.source, SOLUTION_MARKERS))
    for cell in nbgrader_cells(read(notebook_of(lesson)), "grade"):
        lines.update(marked_lines(cell.source, HIDDEN_MARKERS))
    return {line.strip() for line in lines
            if line.strip() and not line.strip().startswith("#")
            and not TRIVIAL_LINE.fullmatch(line.strip())}


def leaks(secrets, texts):
    """{path: [secret lines found in its text]}: long lines anywhere, short ones as whole lines."""
    found = {}
    for path, text in texts.items():
        whole_lines = {line.strip() for line in text.splitlines()}
        for line in secrets:
            if line in whole_lines or (len(line) >= LEAK_MIN_LENGTH and line in text):
                found.setdefault(str(path), []).append(line)
    return found


@pytest.mark.parametrize("lesson", per_lesson())
def test_no_solution_or_hidden_test_reaches_students(lesson):
    texts = student_facing_text()
    assert texts
    found = leaks(secret_lines(lesson), texts)
    assert not found, f"solution or hidden test lines found in what students receive: {found}"


def test_the_leak_check_sees_short_answers_and_ignores_trivial_lines():
    secrets = {'answer_punish = "D"', "w = w + error * x",
               'check_true(answer_punish == "D", "not the best answer")'}
    student = {"lesson": 'answer_punish = None\n    answer_punish = "D"\nnew_w = w + error * x_0',
               "helper": 'print(check_true(answer_punish == "D", "not the best answer"))'}
    assert leaks(secrets, student) == {
        "lesson": ['answer_punish = "D"'],
        "helper": ['check_true(answer_punish == "D", "not the best answer")']}
    assert all(TRIVIAL_LINE.fullmatch(line) for line in ["return x", "pass", "return", "w = w0", "])",
                                                         "for epoch in range(1, num_epochs + 1):"])
    assert not any(TRIVIAL_LINE.fullmatch(line) for line in ['answer_punish = "D"', "return w, history"])


def test_gitignore_keeps_course_data_out():
    ignored = set((ROOT / ".gitignore").read_text().split())
    assert {"gradebook.db", "submitted/", "autograded/", "feedback/", ".venv/"} <= ignored
    assert {"roster.csv", "canvas.csv", "moodle.csv", "grades.csv"} <= ignored  # names, emails


# Modules any lesson's exercises may use to check answers, however many use them today.
CHECK_MODULES = {"checks", "choices"}


def helper_imports(source):
    """The helpers modules (first name below `helpers.`) that Python `source` imports."""
    found = set()
    with warnings.catch_warnings():  # a notebook's "\d" in a plain string is not ours to fix
        warnings.simplefilter("ignore")
        tree = ast.parse(source)
    for node in ast.walk(tree):
        names = ([node.module or ""] if isinstance(node, ast.ImportFrom) else
                 [alias.name for alias in node.names] if isinstance(node, ast.Import) else [])
        found |= {name.split(".")[1] for name in names
                  if name.startswith("helpers.") and name.count(".") >= 1}
    return found


def own_helpers(lesson):
    """A lesson's own helpers: helpers/<slug>.py or helpers/<slug>/, and checks_<slug>.py."""
    module = lesson.split("-", 1)[1].replace("-", "_")
    return {module, f"checks_{module}"}


def test_each_lesson_has_one_name_everywhere():
    """solutions/NN-slug/slug.ipynb, lessons/NN-slug/, tests/wrong_answers/NN-slug.py,
    tests/test_<what>_NN_slug.py, helpers/<slug>.py (or helpers/<slug>/) and
    helpers/checks_<slug>.py, with `_` for `-` where Python needs it (STYLE.md, "Names")."""
    python_names = {lesson.replace("-", "_"): lesson for lesson in LESSONS}
    assert sorted(p.stem for p in (ROOT / "tests" / "wrong_answers").glob("*.py")) == LESSONS
    for path in (ROOT / "tests").glob("test_*.py"):
        numbered = re.search(r"_(\d\d)(_|$)", path.stem)
        if numbered:
            assert any(path.stem.endswith("_" + name) for name in python_names), (
                f"{path.name} names a lesson by its number only: call it "
                f"test_<what>_NN_slug.py after one of {sorted(python_names)}")
    for lesson in LESSONS:
        assert (ROOT / "tests" / f"test_widgets_{lesson.replace('-', '_')}.py").exists(), lesson
    modules = {p.stem for p in (ROOT / "helpers").iterdir()
               if p.suffix == ".py" or (p / "__init__.py").exists()} - {"__init__"}
    owned = set().union(*(own_helpers(lesson) for lesson in LESSONS))
    users = {module: set() for module in modules}
    for lesson in LESSONS:
        code = "\n".join(cell.source for cell in read(notebook_of(lesson)).cells
                         if cell.cell_type == "code" and not cell.source.startswith("%"))
        used = helper_imports(code)
        for own in own_helpers(lesson) & modules:
            path = ROOT / "helpers" / own
            for source in ([path.with_suffix(".py")] if path.with_suffix(".py").exists()
                           else sorted(path.glob("*.py"))):
                text = source.read_text()
                assert ast.get_docstring(ast.parse(text)).startswith(f"Lesson {lesson[:2]}"), (
                    f"{source.relative_to(ROOT)}: say first which lesson it serves")
                used |= helper_imports(text)
        for module in used & modules:
            users[module].add(lesson)
    for module, lessons in sorted(users.items()):
        if module in owned:
            lesson = next(name for name in LESSONS if module in own_helpers(name))
            assert lessons <= {lesson}, (
                f"helpers/{module} is lesson {lesson}'s, yet {sorted(lessons)} use it")
        elif module not in CHECK_MODULES:
            assert len(lessons) >= 2, (
                f"helpers/{module} is shared but only {sorted(lessons) or 'no lesson'} uses it: "
                "move what one lesson uses into helpers/<slug>.py")
