"""Flag submissions whose code tampers with how answers are checked.

Student code runs in the same kernel as the tests, so it could replace numpy's or torch's
comparison functions or the course's own checks, or answer with an object that equals
anything. FlagTampering reads the student's cells (no execution) and records its reasons
in the notebook's metadata, the only thing nbgrader carries from its sanitize pass to its
autograde pass; FlagForReview, after nbgrader saved the grades, marks that notebook's tests
for manual grading and writes the reasons where the formgrader shows them (each test's
comment). `course grade` reads the reasons from the autograded notebook into the student's
Outcome (outcome.py) for its report.
"""
import ast

import nbformat
from nbgrader.api import Gradebook
from nbgrader.preprocessors import NbGraderPreprocessor

# Modules whose functions decide whether an answer is right.
GUARDED_MODULES = {"numpy", "np", "torch", "math", "helpers", "checks", "builtins", "operator"}
SUSPICIOUS_CALLS = {"setattr", "exec", "eval", "__import__", "globals", "compile"}
SUSPICIOUS_NAMES = {"sys.modules", "builtins", "__builtins__", "ctypes", "gc.get_referrers"}
METADATA_KEY = "course_review"


def _dotted(node):
    """'np.testing.assert_allclose' for an attribute chain, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id, *reversed(parts)])
    return None


def _always_true(function):
    """A comparison method whose body is just `return True` (or another constant)."""
    body = [s for s in function.body if not isinstance(s, ast.Expr)]  # skip docstrings
    return (len(body) == 1 and isinstance(body[0], ast.Return)
            and isinstance(body[0].value, ast.Constant))


def tampering_reasons(source, protected_names):
    """Reasons, in plain words, why this code may tamper with the checks."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []  # the kernel will report it; a syntax error earns nothing anyway
    reasons = []
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
        for target in targets:
            name = _dotted(target)
            if name and "." in name and name.split(".")[0] in GUARDED_MODULES:
                reasons.append(f"assigns to {name}")
            if isinstance(target, ast.Name) and target.id in protected_names:
                reasons.append(f"redefines the course's check {target.id}")
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if node.name in protected_names:
                reasons.append(f"redefines the course's check {node.name}")
            if node.name in {"__eq__", "__ne__", "__bool__", "__array_ufunc__"} and _always_true(node):
                reasons.append(f"defines {node.name} returning a constant (an object that "
                               "compares equal to anything)")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in SUSPICIOUS_CALLS:
            reasons.append(f"calls {node.func.id}()")
        if isinstance(node, (ast.Attribute, ast.Name)):
            name = _dotted(node)
            if name in SUSPICIOUS_NAMES:
                reasons.append(f"uses {name}")
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            module = getattr(node, "module", None) or ""
            names = [alias.name for alias in node.names]
            if module in {"ctypes", "gc"} or {"ctypes", "gc"} & set(names):
                reasons.append(f"imports {module or ', '.join(names)}")
    return sorted(set(reasons))


def explanation(reasons):
    """What the formgrader shows beside each test of a flagged notebook, and the report too."""
    return ("Flagged for manual review: this submission's code may change how answers are "
            "checked (" + "; ".join(reasons) + ").")


def recorded_reasons(path):
    """The reasons FlagTampering recorded in a notebook nbgrader graded (none: not flagged)."""
    return nbformat.read(str(path), as_version=4).metadata.get(METADATA_KEY, [])


class FlagTampering(NbGraderPreprocessor):
    """Sanitize step: read the student's cells and record reasons for a manual review."""

    def preprocess(self, nb, resources):
        protected = self._checks_imported(nb)
        found = []
        for index, cell in enumerate(nb.cells):
            nbgrader = cell.metadata.get("nbgrader", {})
            if cell.cell_type != "code" or nbgrader.get("grade") or nbgrader.get("locked"):
                continue  # test cells and locked cells are the instructor's
            for reason in tampering_reasons(cell.source, protected):
                found.append(f"cell {index + 1}: {reason}")
        if found:
            self.log.warning("Flagged for manual review: %s", "; ".join(found))
            nb.metadata[METADATA_KEY] = found
        else:
            nb.metadata.pop(METADATA_KEY, None)
        return nb, resources

    @staticmethod
    def _checks_imported(nb):
        """Names the instructor's locked cells import from helpers (check_array, ...)."""
        names = set()
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("helpers"):
                    names.update(alias.asname or alias.name for alias in node.names)
        return names


class FlagForReview(NbGraderPreprocessor):
    """Autograde step, after SaveAutoGrades: a flagged notebook's tests need a manual grade,
    and each test's comment says why, so the formgrader shows it to the instructor."""

    def preprocess(self, nb, resources):
        reasons = nb.metadata.get(METADATA_KEY)
        if not reasons:
            return nb, resources
        info = resources["nbgrader"]
        comment = explanation(reasons)
        with Gradebook(info["db_url"]) as gradebook:
            notebook = gradebook.find_submission_notebook(
                info["notebook"], info["assignment"], info["student"])
            notebook.flagged = True
            for grade in notebook.grades:
                grade.needs_manual_grade = True
            for cell_comment in notebook.comments:
                cell_comment.auto_comment = comment
            gradebook.db.commit()
        return nb, resources
