"""A GenerateFeedback step that keeps hidden tests hidden.

Autograded notebooks carry the hidden tests (nbgrader restores them to grade), and stock
feedback shows them, along with tracebacks that quote their lines. This step replaces each
hidden region with a one-line note and reduces errors in test cells to their message, or,
for a failure inside a hidden region, to a note that a hidden test failed.
"""
import re

from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

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
    """Feedback step: no hidden test's code, or a traceback quoting it, reaches the student."""

    note = Unicode("# (hidden tests: the grader ran more checks here)").tag(config=True)
    hidden_failure = Unicode(
        "A hidden test of this exercise failed. Hidden tests try more cases than the visible "
        "ones: test your function on other inputs, and re-read the exercise.").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code" or BEGIN not in cell.source:
            return cell, resources
        hidden = hidden_line_numbers(cell.source)
        for output in cell.get("outputs", []):
            if output.get("output_type") != "error":
                continue
            if failing_line(output.get("traceback", [])) in hidden:
                output.evalue = self.hidden_failure
            output.traceback = [f"{output.ename}: {output.evalue}"]
        cell.source = without_hidden_regions(cell.source, self.note)
        return cell, resources
