"""nbgrader configuration for the course; nbgrader reads it from the course folder.

`nbgrader autograde` and `course grade` both use the grading steps below, which fix what
stock nbgrader gets wrong (see course/grading/). Limits and the late penalty are set here.
"""
from course.grading import steps

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "intro-deep-learning"
# Instructors write lessons in solutions/; students receive the generated copies in lessons/.
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "lessons"

# The grading steps, in order (course/grading/steps.py). Written answers: the rubric lives in
# the question's read-only cell in solutions/; the student copy loses it, the formgrader shows
# it (course/grading/written.py). Grading puts graded cells back as written, then runs each
# submission under limits, with hidden tests judged in the grader's process
# (course/grading/judge.py).
c.GenerateAssignment.preprocessors = list(steps.GENERATE_ASSIGNMENT)
c.Autograde.sanitize_preprocessors = list(steps.SANITIZE)
c.Autograde.autograde_preprocessors = list(steps.AUTOGRADE)
c.GenerateFeedback.preprocessors = list(steps.FEEDBACK)
# Links a student planted in a submission carry nothing in (course/grading/links.py).
c.ExchangeFactory.collect = "course.grading.links.CollectWithoutLinks"
c.GuardedExecute.timeout = 30              # seconds per cell
c.GuardedExecute.notebook_timeout = 600    # seconds per notebook
c.GuardedExecute.max_output_bytes = 1_000_000
c.SandboxedKernelManager.memory_limit_mb = 4096

# Late work loses 10% of its score per started day, after 15 minutes of grace.
c.AssignLatePenalties.plugin_class = "course.grading.late.PenaltyPerDay"
c.PenaltyPerDay.percent_per_day = 10
c.PenaltyPerDay.grace_minutes = 15
