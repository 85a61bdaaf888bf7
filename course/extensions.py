"""Extensions per student, kept where nbgrader keeps them: the gradebook's submission row.

nbgrader has the field (`SubmittedAssignment.extension`, which its late-penalty step already
counts) and an API (`Gradebook.grant_extension`) but no command; `course extend` is that
command. A due date per lesson needs none: `nbgrader db assignment add LESSON --duedate=...`.
"""
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.utils import parse_utc


class ExtensionError(Exception):
    """Input the instructor must correct; the message says how."""


def extend(db_url, course_id, student, lesson, until=None):
    """Let `student` submit `lesson` without penalty until `until` (a date with a time zone,
    e.g. "2026-12-08 17:00 UTC"); until=None removes the extension. Returns the new due date
    of that student (None without a due date)."""
    with Gradebook(db_url, course_id) as gradebook:
        try:
            due = gradebook.find_assignment(lesson).duedate
        except MissingEntry:
            raise ExtensionError(f"The gradebook does not know {lesson}: run `course lessons "
                                 f"{lesson}` first.") from None
        try:
            gradebook.find_student(student)
        except MissingEntry:
            raise ExtensionError(
                f"No student {student} in the gradebook. Check the name, or add the student "
                f"(`nbgrader db student add {student}` or `nbgrader db student import "
                f"roster.csv`).") from None
        if until is None:
            try:
                gradebook.grant_extension(lesson, student)
            except MissingEntry:
                pass  # never extended, nothing to remove
            return due
        if due is None:
            raise ExtensionError(
                f"{lesson} has no due date to extend. Set it first: nbgrader db assignment add "
                f"{lesson} --duedate=\"2026-12-01 17:00 UTC\"")
        try:
            new_due = parse_utc(until)
        except (ValueError, OverflowError):
            raise ExtensionError(f"Cannot read the date {until!r}: write it as "
                                 "\"2026-12-08 17:00 UTC\".") from None
        if new_due <= due:
            raise ExtensionError(f"{until} is not after {lesson}'s due date ({due:%Y-%m-%d %H:%M} "
                                 "UTC): an extension can only give more time.")
        gradebook.update_or_create_submission(lesson, student)  # the row holds the extension
        gradebook.grant_extension(lesson, student,
                                  minutes=(new_due - due).total_seconds() / 60)
        return new_due
