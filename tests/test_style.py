"""Every graded function follows the course's notation in STYLE.md: same idea, same signature."""
import ast
import re

import pytest

from tests.support import (LESSONS, ROOT, exercise_cells, grade_id, notebook_of, per_lesson, read,
                           strip_solution_markers)

PREDICTIONS = ("y_hat", "P")  # what may follow the targets `y` in a loss or metric


def renamed():
    """STYLE.md's table of names: {name not to use: the course's name}."""
    text = (ROOT / "STYLE.md").read_text()
    table = text.split("| instead of | write |", 1)[1].split("\n\n", 1)[0]
    return dict(re.findall(r"^\| `(\w+)` \| `(\w+)` \|$", table, re.M))


def graded_signatures(lesson):
    """(grade_id, function name, parameter names) for each function and method defined at the
    top level of the lesson's answer cells (self left out)."""
    found = []
    for cell in exercise_cells(read(notebook_of(lesson))):
        for node in ast.parse(strip_solution_markers(cell.source)).body:
            functions = [node] if isinstance(node, ast.FunctionDef) else (
                [sub for sub in node.body if isinstance(sub, ast.FunctionDef)]
                if isinstance(node, ast.ClassDef) else [])
            for function in functions:
                arguments = function.args.posonlyargs + function.args.args + function.args.kwonlyargs
                names = [a.arg for a in arguments if a.arg != "self"]
                qualified = function.name if function is node else f"{node.name}.{function.name}"
                found.append((grade_id(cell), qualified, names))
    return found


def style_problems(signature, names_to_avoid):
    _, function, names = signature
    problems = [f"{function}({', '.join(names)}): write {names_to_avoid[name]!r}, not {name!r}"
                for name in names if name in names_to_avoid]
    if names[:2] == ["y", "p"]:  # `p` is dropout's probability; after the targets it means y_hat
        problems.append(f"{function}({', '.join(names)}): write 'y_hat', not 'p'")
    if any(name in PREDICTIONS for name in names) and (
            names[:1] != ["y"] or len(names) < 2 or names[1] not in PREDICTIONS):
        problems.append(f"{function}({', '.join(names)}): a loss or metric takes the targets "
                        f"first, (y, y_hat, ...) or (y, P, ...)")
    return problems


def test_style_md_lists_the_names_to_avoid():
    names = renamed()
    assert names["max_epochs"] == "num_epochs" and names["learning_rate"] == "lr", names
    assert (ROOT / "STYLE.md").name in (ROOT / "README.md").read_text(), "link STYLE.md from README"


@pytest.mark.parametrize("lesson", per_lesson())
def test_graded_functions_follow_style_md(lesson):
    signatures = graded_signatures(lesson)
    assert signatures, f"no graded functions found in {lesson}"
    names_to_avoid = renamed()
    problems = [p for s in signatures for p in style_problems(s, names_to_avoid)]
    assert not problems, f"{lesson} breaks STYLE.md: {problems}"


@pytest.mark.parametrize("signature, complaint", [
    (("bp_loss", "binary_cross_entropy", ["y_hat", "y"]), "targets first"),
    (("bce", "binary_cross_entropy", ["y", "p", "eps"]), "write 'y_hat', not 'p'"),
    (("train", "train", ["X", "y", "w", "max_epochs"]), "write 'num_epochs', not 'max_epochs'"),
    (("fit", "fit", ["X", "y", "learning_rate"]), "write 'lr', not 'learning_rate'"),
])
def test_the_style_check_catches_the_old_signatures(signature, complaint):
    assert any(complaint in p for p in style_problems(signature, renamed())), signature


def test_the_style_check_accepts_the_course_signatures():
    for signature in [("mse", "mse", ["y", "y_hat"]), ("cce", "cce", ["y", "P", "eps"]),
                      ("train", "train", ["X", "y", "w", "num_epochs"]),
                      ("step", "SGD.__init__", ["lr", "momentum"])]:
        assert not style_problems(signature, renamed()), signature

