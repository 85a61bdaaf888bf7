"""What happened to one student's submission in `course grade`, in one record.

The runner fills it in as grading goes (the check before grading, nbgrader's autograde in a
worker, the reasons for a manual review, then the scores the gradebook holds); the feedback
pages of notebooks nbgrader could not grade, the gradebook's zeros and the report's line are
all written from it.
"""
from dataclasses import dataclass, field

CRASHED = ("The grader could not run this notebook, so it was graded 0 for now. Your "
           "instructor will look at it.")


@dataclass
class Outcome:
    student: str
    unreadable: dict = field(default_factory=dict)  # {notebook: why it was not graded}
    graded: bool = False  # nbgrader's autograde ran to the end
    error: str = ""  # what autograde said when it did not
    seconds: float = 0.0  # autograde's time
    review: dict = field(default_factory=dict)  # {notebook: reasons for a manual review}
    scores: dict = field(default_factory=dict)  # the report's numbers (class_report.scores)
    written_pending: float = 0  # points of written answers no one has graded yet

    def gradable(self, notebooks):
        """Whether autograde gets the submission at all: some notebook could be read."""
        return len(self.unreadable) < len(notebooks)

    def crashed(self, notebooks):
        """Autograde was given the submission and did not finish."""
        return self.gradable(notebooks) and not self.graded

    def without_feedback(self, notebooks):
        """{notebook: reason} for each notebook nbgrader wrote no feedback page for."""
        reasons = dict(self.unreadable)
        if self.crashed(notebooks):
            for name in notebooks:
                reasons.setdefault(name, CRASHED)
        return reasons

    def status(self, notebooks):
        """The report's word on the submission: graded, or why not, or why to look."""
        if self.unreadable:
            return "not graded: " + " ".join(self.unreadable.values())
        if not self.graded:
            lines = self.error.strip().splitlines()
            return "grading failed: " + (lines[-1] if lines else "")
        from course.grading.review import explanation  # imports nbgrader: only when used
        flagged = [self.review[name] for name in notebooks if self.review.get(name)]
        return explanation(flagged[0]) if flagged else "graded"

    def row(self, notebooks):
        """This submission's line of grades.csv and the report."""
        return {**self.scores, "status": self.status(notebooks)}
