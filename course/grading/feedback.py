"""A GenerateFeedback step that keeps hidden tests hidden.

Autograded notebooks carry the hidden tests (nbgrader restores them to grade), and stock
feedback shows them, along with tracebacks that quote their lines and whatever the kernel
printed after it had seen them. This step replaces each hidden region with a one-line note
and withholds every output produced once hidden tests were in the kernel (see below).
"""
import re

from nbformat.v4 import new_output
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from course.grading.execute import METADATA_KEY

BEGIN, END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
CELL_FRAME = re.compile(r"Cell In\s*\[\d*\],\s*line (\d+)")


def hidden_line_numbers(source):
    """1-based line numbers inside hidden regions, markers included."""
    hidden, inside = set(), False
    for number, line in enumerate(source.splitlines(), start=1):
        if line.strip() == BEGIN:
            inside = True
        if inside:
            hidden.add(number)
        if line.strip() == END:
            inside = False
    return hidden


def without_hidden_regions(source, note):
    lines, inside = [], False
    for line in source.splitlines():
        if line.strip() == BEGIN:
            inside = True
            lines.append(line[: len(line) - len(line.lstrip())] + note)
        elif line.strip() == END:
            inside = False
        elif not inside:
            lines.append(line)
    return "\n".join(lines)


def failing_line(traceback):
    """The line of the cell where the error surfaced, from IPython's traceback."""
    numbers = [int(m.group(1)) for frame in traceback
               for m in CELL_FRAME.finditer(ANSI.sub("", frame))]
    return numbers[0] if numbers else None


class HideHiddenTests(NbGraderPreprocessor):
    """Feedback step: no hidden test's code, or anything the kernel said once it had seen it,
    reaches the student.

    A kernel remembers every cell it ran (IPython's history, linecache, frames), and code an
    answer registered earlier (event hooks, tracing, display hooks) runs inside every later
    cell. So once a cell with hidden tests has been sent to the kernel, any later output, in
    any cell, may be that source, plainly or encoded. The page therefore shows the kernel's
    outputs only for cells that finished before that moment (GuardedExecute freezes them).
    From the first cell with hidden tests on, a cell shows its source (hidden regions
    replaced by a note) and, instead of outputs, only text the grader writes: for a test,
    passed or failed with one of a few fixed reasons; for any other cell, that its output is
    withheld, plus the grader's own notices (time limit, kernel died, cell not run).
    """

    note = Unicode("# (hidden tests: the grader ran more checks here)").tag(config=True)
    hidden_failure = Unicode(
        "A hidden test of this exercise failed. Hidden tests try more cases than the visible "
        "ones: test your function on other inputs, and re-read the exercise.").tag(config=True)
    visible_failure = Unicode(
        "A visible check of this exercise failed: run this cell in your notebook to see its "
        "message.").tag(config=True)
    withheld = Unicode(
        "[Output not shown in feedback: this cell ran after hidden tests had entered the "
        "kernel.]").tag(config=True)

    def preprocess(self, nb, resources):
        trusted = nb.metadata.get(METADATA_KEY, {}).get("outputs_before_hidden_frozen", False)
        nb.metadata = {k: v for k, v in nb.metadata.items() if k in {"kernelspec", "language_info"}}
        after_hidden = not trusted  # outputs not frozen by GuardedExecute: show none
        for cell in nb.cells:
            marks = cell.metadata.get(METADATA_KEY, {})
            cell.metadata = {k: v for k, v in cell.metadata.items() if k == "nbgrader"}
            if cell.cell_type != "code":
                continue
            hidden = hidden_line_numbers(cell.source)
            after_hidden = after_hidden or bool(hidden) or marks.get("after_hidden", False)
            if after_hidden:
                cell.outputs = [new_output("stream", name="stdout",
                                           text=self.grader_text(cell, marks, hidden) + "\n")]
                cell.execution_count = None
            if hidden:
                cell.source = without_hidden_regions(cell.source, self.note)
        return nb, resources

    def grader_text(self, cell, marks, hidden):
        """What the grader itself says about a cell whose outputs are withheld, followed by
        what its hidden blocks printed while the grader judged them in its own process (the
        instructor's words, such as a question's explanations: never the kernel's output)."""
        verdict = self.verdict(cell, marks, hidden)
        judged = marks.get("judged_stdout", "").rstrip("\n")
        return f"{verdict}\n{judged}" if judged else verdict

    def verdict(self, cell, marks, hidden):
        notices = marks.get("notices", [])
        nbgrader = cell.metadata.get("nbgrader", {})
        if not (nbgrader.get("grade") and not nbgrader.get("solution")):
            return "\n".join([self.withheld, *notices])
        score, points = nbgrader.get("score"), nbgrader.get("points")
        if score is not None and points is not None and score >= points:
            return "Passed."
        if notices:
            return "Failed. " + " ".join(notices)
        if marks.get("hidden_failed"):
            return "Failed. " + self.hidden_failure
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        lines = [failing_line(o.get("traceback", [])) for o in errors]
        if any(line in hidden for line in lines):
            return "Failed. " + self.hidden_failure
        return "Failed. " + self.visible_failure
