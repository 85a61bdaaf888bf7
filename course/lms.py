"""Grades into the LMS: nbgrader export plugins that write the CSV files Canvas and Moodle import.

    nbgrader export --exporter course.lms.CanvasExport --to canvas.csv
    nbgrader export --exporter course.lms.MoodleExport --to moodle.csv

One row per student in the gradebook, one column per lesson: the score after the late
penalty, manual grades included (a manual score wins over the automatic one in nbgrader's
gradebook). A lesson a student never submitted counts 0, as in nbgrader's own CSV export.
Students are matched by the LMS ids and emails of the roster (`nbgrader db student import`).
"""
import csv

from nbgrader.api import MissingEntry
from nbgrader.plugins import ExportPlugin
from traitlets import Bool, Dict, Unicode


class LmsExport(ExportPlugin):
    """What both sheets share: which students and lessons, and each score."""

    default_file = "grades.csv"

    def lessons(self, gradebook):
        wanted = [str(name) for name in self.assignment]
        lessons = sorted((a for a in gradebook.assignments if not wanted or a.name in wanted),
                         key=lambda a: a.name)
        unknown = sorted(set(wanted) - {a.name for a in lessons})
        if unknown:
            raise SystemExit(f"The gradebook has no lesson {', '.join(unknown)}. Lessons: "
                             f"{', '.join(a.name for a in gradebook.assignments) or 'none'}.")
        return lessons

    def students(self, gradebook):
        wanted = [str(name) for name in self.student]
        return [s for s in gradebook.students if not wanted or s.id in wanted]

    def score(self, gradebook, lesson, student):
        """The student's score in the lesson after the late penalty (0 if not submitted)."""
        try:
            submission = gradebook.find_submission(lesson.name, student.id)
        except MissingEntry:
            return 0.0
        if submission.needs_manual_grade:
            self.log.warning("%s's %s still needs manual grading: the sheet counts only what "
                             "is graded so far.", student.id, lesson.name)
        return max(0.0, submission.score - (submission.late_submission_penalty or 0))

    def export(self, gradebook):
        path = self.to or self.default_file
        lessons, students = self.lessons(gradebook), self.students(gradebook)
        for student in students:
            identifiers = self.identifiers(student)
            if not any(value for _, value in identifiers):
                self.log.warning("%s has no %s in the gradebook: the LMS cannot match them. "
                                 "Add it with `nbgrader db student import roster.csv`.",
                                 student.id, " or ".join(label for label, _ in identifiers))
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            for row in self.rows(gradebook, lessons, students):
                writer.writerow(row)
        self.log.info("Wrote %s: %d students, %d lessons", path, len(students), len(lessons))

    @staticmethod
    def number(value):
        return f"{value:g}"


class CanvasExport(LmsExport):
    """Canvas's gradebook import CSV: Student ("Last, First"), ID (the Canvas user id, from the
    gradebook's lms_user_id), SIS User ID, SIS Login ID, Section, then one column per lesson,
    and a Points Possible row under the header, as Canvas's own gradebook export writes them."""

    default_file = "canvas.csv"
    assignment_ids = Dict(
        {}, help="Canvas assignment id of each lesson, e.g. {'01-perceptron': 12345}: its column "
                 "is then named '01-perceptron (12345)' and updates that Canvas assignment. A "
                 "lesson without an id makes a new assignment in Canvas.").tag(config=True)
    section = Unicode("", help="The Section column's value for every student (Canvas needs the "
                               "column; it may be empty).").tag(config=True)
    login_is_student_id = Bool(
        False, help="Fill SIS Login ID with the student's id in nbgrader, for a course whose hub "
                    "logins are the university logins Canvas knows.").tag(config=True)

    def identifiers(self, student):
        return [("LMS user id", student.lms_user_id),
                ("login", student.id if self.login_is_student_id else "")]

    def column(self, lesson):
        canvas_id = self.assignment_ids.get(lesson.name)
        return f"{lesson.name} ({canvas_id})" if canvas_id else lesson.name

    def rows(self, gradebook, lessons, students):
        yield ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
               *[self.column(lesson) for lesson in lessons]]
        yield ["Points Possible", "", "", "", "",
               *[self.number(lesson.max_score) for lesson in lessons]]
        for student in students:
            name = ", ".join(part for part in (student.last_name, student.first_name) if part)
            login = student.id if self.login_is_student_id else ""
            yield [name or student.id, student.lms_user_id or "", "", login, self.section,
                   *[self.number(self.score(gradebook, lesson, student)) for lesson in lessons]]


class MoodleExport(LmsExport):
    """A CSV for Moodle's grade import: First name, Last name, ID number (the gradebook's
    lms_user_id), Email address, then one column per lesson. On import, map "ID number" to
    useridnumber (or "Email address" to useremail) and each lesson's column to a grade item."""

    default_file = "moodle.csv"

    def identifiers(self, student):
        return [("LMS user id", student.lms_user_id), ("email", student.email)]

    def rows(self, gradebook, lessons, students):
        yield ["First name", "Last name", "ID number", "Email address",
               *[lesson.name for lesson in lessons]]
        for student in students:
            yield [student.first_name or "", student.last_name or "", student.lms_user_id or "",
                   student.email or "",
                   *[self.number(self.score(gradebook, lesson, student)) for lesson in lessons]]
