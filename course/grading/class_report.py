"""What the class report reads after grading: the gradebook, the autograded notebooks and the
instructor's own notebooks. Nothing here runs a kernel, so grading costs what it did.

`course report LESSON` rewrites grades.csv and report.html from these, e.g. after the
teaching assistants graded written answers in the formgrader.
"""
import os
import time
from pathlib import Path
from urllib.parse import quote

import nbformat
from nbgrader.api import Gradebook, MissingEntry

from course.grading import report


def scores(gradebook, assignment, student):
    """The report's numbers for one submission: score after the late penalty (manual grades
    included), the penalty, and each graded cell's score before it."""
    submission = gradebook.find_submission(assignment, student)
    tests = {grade.name: grade.score for notebook in submission.notebooks
             for grade in notebook.grades if grade.max_score}
    penalty = submission.late_submission_penalty or 0
    return {"student": student, "score": submission.score - penalty,
            "max_score": submission.max_score, "late_penalty": penalty, "tests": tests}


def answer_cells(path):
    """{grade_id: source} of the code answer cells of a notebook (none if it is unreadable)."""
    try:
        notebook = nbformat.read(str(path), as_version=4)
    except Exception:  # noqa: BLE001 - a broken notebook simply has no answers to compare
        return {}
    return {cell.metadata.nbgrader["grade_id"]: cell.source for cell in notebook.cells
            if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution")}


class ReportInputs:
    """Everything report.write_html takes besides the rows, for one lesson of one course."""

    def __init__(self, root, coursedir, db_url, assignment):
        self.root, self.coursedir, self.db_url = Path(root), coursedir, db_url
        self.assignment, self.course_id = assignment, coursedir.course_id
        self.folder = self.root / "reports" / assignment
        with Gradebook(db_url, self.course_id) as gradebook:
            lesson = gradebook.find_assignment(assignment)
            self.notebooks = [notebook.name for notebook in lesson.notebooks]
            self.maximums = {cell.name: cell.max_score
                             for notebook in lesson.notebooks for cell in notebook.grade_cells}

    def _href(self, *parts):
        target = self.root.joinpath(*parts)
        return quote(os.path.relpath(target, self.folder).replace(os.sep, "/"))

    def links(self, students):
        """Each student's feedback pages and autograded notebooks, relative to the report."""
        found = {}
        for student in students:
            entry = found.setdefault(student, {"feedback": [], "autograded": []})
            for name in self.notebooks:
                parts = (student, self.assignment)
                if (self.root / self.coursedir.feedback_directory / Path(*parts) / f"{name}.html").exists():
                    entry["feedback"].append(
                        ("feedback", self._href(self.coursedir.feedback_directory, *parts, f"{name}.html")))
                if (self.root / self.coursedir.autograded_directory / Path(*parts) / f"{name}.ipynb").exists():
                    entry["autograded"].append(
                        (f"{name}.ipynb", self._href(self.coursedir.autograded_directory, *parts, f"{name}.ipynb")))
        return found

    def to_grade(self, students):
        """{student: cells nbgrader marks as needing a manual grade}."""
        waiting = {}
        with Gradebook(self.db_url, self.course_id) as gradebook:
            for student in students:
                try:
                    submission = gradebook.find_submission(self.assignment, student)
                except MissingEntry:
                    continue
                waiting[student] = [grade.name for notebook in submission.notebooks
                                    for grade in notebook.grades if grade.needs_manual_grade]
        return waiting

    def answers(self, students):
        """{student: {exercise: source}}: answer cells of the autograded notebooks."""
        found = {}
        for student in students:
            cells = {}
            for name in self.notebooks:
                path = (self.root / self.coursedir.autograded_directory / student
                        / self.assignment / f"{name}.ipynb")
                cells.update({f"{name}/{k}" if len(self.notebooks) > 1 else k: v
                              for k, v in answer_cells(path).items()})
            if cells:
                found[student] = cells
        return found

    def reference(self):
        """{exercise: [instructor's answer, released stub]}: code nobody's similarity counts."""
        found = {}
        for folder in (self.coursedir.source_directory, self.coursedir.release_directory):
            for name in self.notebooks:
                path = self.root / folder / self.assignment / f"{name}.ipynb"
                for key, source in answer_cells(path).items():
                    exercise = f"{name}/{key}" if len(self.notebooks) > 1 else key
                    found.setdefault(exercise, []).append(source)
        return found

    def write(self, rows, seconds):
        """grades.csv and report.html for `rows` (every student's, sorted)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        exercises = list(self.maximums)
        students = [row["student"] for row in rows]
        report.write_csv(self.folder / "grades.csv", rows, exercises)
        started = time.monotonic()
        report.write_html(self.folder / "report.html", self.assignment, rows, exercises,
                          self.maximums, seconds, links=self.links(students),
                          to_grade=self.to_grade(students), answers=self.answers(students),
                          reference=self.reference())
        return time.monotonic() - started

    def refresh(self):
        """Rewrite both from the gradebook as it is now, keeping each student's status."""
        earlier = report.read_csv(self.folder / "grades.csv", list(self.maximums))
        if not earlier:
            raise SystemExit(f"No {self.folder / 'grades.csv'} yet: run "
                             f"`course grade {self.assignment}` first.")
        with Gradebook(self.db_url, self.course_id) as gradebook:
            rows = [{**scores(gradebook, self.assignment, row["student"]),
                     "status": row["status"]} for row in earlier]
        self.write(rows, None)
        return rows
