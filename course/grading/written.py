"""Written answers, graded by people: rubrics that only graders read, and feedback that says
which points still wait for a person.

A written question is a read-only (locked) markdown cell holding the question and, between
`=== BEGIN MARK SCHEME ===` and `=== END MARK SCHEME ===`, the rubric; below it a manually
graded markdown answer cell with the points. nbgrader's own ClearMarkScheme accepts rubrics
only in task cells; ClearRubrics also accepts them in read-only cells, which nbgrader restores
from the gradebook when it grades, so the formgrader shows the rubric beside each answer.
Feedback is made from those graded notebooks, so HideRubrics removes the rubric again there.
"""
from nbformat.v4 import new_markdown_cell
from nbgrader import utils
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import ClearMarkScheme, NbGraderPreprocessor
from traitlets import Unicode


class ClearRubrics(ClearMarkScheme):
    """generate_assignment step: remove rubrics (mark scheme regions) from the student copy.

    A rubric may sit in a task cell or a read-only cell: nbgrader puts both back, rubric
    included, when it grades. One in any other cell would be lost for the grader, so it stops
    generation with a message saying where to move it."""

    def preprocess_cell(self, cell, resources, cell_index):
        removed = self._remove_mark_scheme_region(cell)
        if removed and not (utils.is_task(cell) or utils.is_locked(cell)):
            raise RuntimeError(
                f"Cell {cell_index + 1} holds a rubric ({self.begin_mark_scheme_delimeter}) but "
                "is not read-only, so graders would never see it. Move the rubric into the "
                "question's read-only cell (nbgrader cell type 'Read-only') or a task cell.")
        return cell, resources


class HideRubrics(ClearMarkScheme):
    """generate_feedback step: graded notebooks carry the rubrics (for the formgrader);
    feedback shows none of them, before or after grading.

    A student's own cell may hold a stray delimiter (copied, or typed): it is their text,
    never a rubric (rubric cells are restored from the gradebook), so it is left as written
    instead of stopping their feedback."""

    def preprocess_cell(self, cell, resources, cell_index):
        source = cell.source
        try:
            self._remove_mark_scheme_region(cell)
        except RuntimeError as error:
            if utils.is_locked(cell) or utils.is_task(cell):
                raise
            cell.source = source
            self.log.warning("Cell %d: an unmatched rubric delimiter in the student's own "
                             "text (%s); left as written", cell_index + 1, error)
        return cell, resources


def ungraded(grade):
    """A grade that counts nothing yet: no autograde (a written answer) and no manual score."""
    return grade.auto_score is None and grade.manual_score is None


class ShowUngradedPoints(NbGraderPreprocessor):
    """generate_feedback step, after GetGrades: the score counts an answer that waits for a
    person as 0, so the page says so, at the top (how many points) and under each answer."""

    summary = Unicode(
        "**Still to be graded by a person: {points:g} of the {maximum:g} points** ({answers}). "
        "The score above counts them as 0 until a teaching assistant has graded them; you "
        "will get new feedback then.",
        help="Note at the top of the page; {points}, {maximum} and {answers} are filled in.",
    ).tag(config=True)
    under_answer = Unicode(
        "*Not graded yet ({points:g} points): a teaching assistant will grade this answer by "
        "hand.*",
        help="Note under each answer that waits for a person; {points} is filled in.",
    ).tag(config=True)

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gradebook:
            notebook = gradebook.find_submission_notebook(
                info["notebook"], info["assignment"], info["student"])
            waiting = {g.name: g.max_score for g in notebook.grades if ungraded(g)}
        if not waiting:
            return nb, resources
        for index in reversed(range(len(nb.cells))):
            grade_id = nb.cells[index].metadata.get("nbgrader", {}).get("grade_id")
            if grade_id in waiting:
                nb.cells.insert(index + 1, new_markdown_cell(
                    self.under_answer.format(points=waiting[grade_id])))
        count = len(waiting)
        nb.cells.insert(0, new_markdown_cell(self.summary.format(
            points=sum(waiting.values()), maximum=info.get("max_score", 0) or 0,
            answers=f"{count} written answer{'s' if count != 1 else ''}")))
        self.log.info("Feedback notes %d answer(s) still to grade by hand", count)
        return nb, resources


def waiting_for_a_person(db_url, course_id, assignment, students):
    """{student: points of their answers that no one has graded yet} for `students`."""
    waiting = {}
    with Gradebook(db_url, course_id) as gradebook:
        for student in students:
            try:
                submission = gradebook.find_submission(assignment, student)
            except MissingEntry:  # never graded: nothing waits
                continue
            points = sum(g.max_score for n in submission.notebooks for g in n.grades
                         if ungraded(g))
            if points:
                waiting[student] = points
    return waiting
