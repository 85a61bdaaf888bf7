"""nbgrader sanitize steps that put a submission's graded cells back as the instructor wrote them.

Stock nbgrader scores 0 when a student pastes a cell twice (the copy keeps the metadata and
fails schema checks), or deletes a test cell, or edits a cell's nbgrader flags. These steps
work with nbgrader's own OverwriteCells, which restores test code and points; where each
runs, and why, is in steps.py.
"""
from nbformat.v4 import new_code_cell, new_markdown_cell
from nbgrader.api import Gradebook
from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import compute_checksum

SCHEMA_VERSION = 3


def _grade_id(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id")


class _GradebookStep(NbGraderPreprocessor):
    def source_cells(self, resources):
        """The instructor's cells of this notebook, in order, from the gradebook."""
        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gradebook:
            notebook = gradebook.find_notebook(info["notebook"], info["assignment"])
            graded = {c.name: c.max_score for c in notebook.grade_cells}
            solutions = {c.name for c in notebook.solution_cells}
            return [{"name": c.name, "cell_type": c.cell_type, "source": c.source,
                     "locked": c.locked, "checksum": c.checksum,
                     "points": graded.get(c.name), "solution": c.name in solutions}
                    for c in notebook.source_cells]


class DropDuplicateCells(NbGraderPreprocessor):
    """Keep nbgrader metadata on the last copy of each grade_id; earlier copies become
    ordinary cells (stock DeduplicateIds leaves them with empty, invalid metadata)."""

    def preprocess(self, nb, resources):
        seen = set()
        for cell in reversed(nb.cells):
            grade_id = _grade_id(cell)
            if grade_id is None:
                continue
            if grade_id in seen:
                self.log.warning("Cell %s appears more than once; keeping the last copy", grade_id)
                del cell.metadata["nbgrader"]
            seen.add(grade_id)
        return nb, resources


class RestoreCellMetadata(_GradebookStep):
    """Reset each known cell's nbgrader flags from the gradebook; drop unknown grade_ids."""

    def preprocess(self, nb, resources):
        known = {c["name"]: c for c in self.source_cells(resources)}
        for cell in nb.cells:
            grade_id = _grade_id(cell)
            if grade_id is None:
                if "nbgrader" in cell.metadata:
                    del cell.metadata["nbgrader"]
                continue
            source = known.get(grade_id)
            if source is None:
                self.log.warning("Cell %s is not in the gradebook; grading it as ordinary", grade_id)
                del cell.metadata["nbgrader"]
                continue
            metadata = {"grade": source["points"] is not None, "grade_id": grade_id,
                        "locked": source["locked"], "schema_version": SCHEMA_VERSION,
                        "solution": source["solution"], "task": False}
            if source["points"] is not None:
                metadata["points"] = source["points"]
            if metadata != {k: cell.metadata["nbgrader"].get(k) for k in metadata}:
                self.log.warning("Restoring the nbgrader metadata of cell %s", grade_id)
            cell.metadata["nbgrader"].update(metadata)
        return nb, resources


class RestoreMissingTestCells(_GradebookStep):
    """Put back every test cell the student deleted, after the cell that preceded it in the
    instructor's notebook, with a note saying so.

    nbgrader's own `OverwriteCells.add_missing_cells` (nbgrader 0.9.6) does not do this job:
    - it puts a missing cell after the instructor's cell just before it, looked up among the
      submission's graded and answer cells only; when that cell is gone too (a student who
      deleted an exercise's answer and its test) or is a read-only cell, it raises KeyError
      and the whole notebook goes ungraded. This step walks back to the nearest cell present.
    - it also puts back deleted written answers and task cells, which the course leaves to
      the person grading them;
    - its note is a comment prepended to the test's code; ours is a markdown cell before
      it, which is what students' feedback has always shown.
    """

    def preprocess(self, nb, resources):
        sources = self.source_cells(resources)
        present = {_grade_id(cell) for cell in nb.cells}
        for position, source in enumerate(sources):
            if source["points"] is None or source["solution"] or source["name"] in present:
                continue
            self.log.warning("Test cell %s was missing; restoring it", source["name"])
            cell = new_code_cell(source["source"])
            cell.metadata["nbgrader"] = {
                "grade": True, "grade_id": source["name"], "locked": True,
                "points": source["points"], "schema_version": SCHEMA_VERSION,
                "solution": False, "task": False}
            cell.metadata["nbgrader"]["checksum"] = compute_checksum(cell)
            note = new_markdown_cell(
                "*The grader put back the test cell below: it was missing from your submission.*")
            index = self._insert_index(nb, sources[:position])
            nb.cells[index:index] = [note, cell]
            present.add(source["name"])
        return nb, resources

    @staticmethod
    def _insert_index(nb, earlier_sources):
        """Just after the last cell that came before the missing one in the instructor's copy."""
        positions = {_grade_id(cell): i for i, cell in enumerate(nb.cells) if _grade_id(cell)}
        for source in reversed(earlier_sources):
            if source["name"] in positions:
                return positions[source["name"]] + 1
        return 0


