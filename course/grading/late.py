"""A late-submission penalty nbgrader lacks: a share of the score per day late."""
import math

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Float


class PenaltyPerDay(LateSubmissionPlugin):
    """Take `percent_per_day` of the score for each started day past the due date and the
    grace period, up to `max_percent`."""

    percent_per_day = Float(10.0, help="Share of the score taken per started day late.").tag(config=True)
    grace_minutes = Float(0.0, help="Minutes after the due date that cost nothing.").tag(config=True)
    max_percent = Float(100.0, help="The largest share of the score a penalty takes.").tag(config=True)

    def late_submission_penalty(self, student_id, score, total_seconds_late):
        late = total_seconds_late - 60 * self.grace_minutes
        if late <= 0:
            return 0.0
        days = math.ceil(late / 86400)
        percent = min(self.max_percent, self.percent_per_day * days)
        self.log.info("%s is %d day(s) late: penalty %g%% of %g", student_id, days, percent, score)
        return score * percent / 100
