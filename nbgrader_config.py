"""nbgrader configuration for the course; nbgrader reads it from the course folder.

`nbgrader autograde` and `course grade` both use the grading steps below, which fix what
stock nbgrader gets wrong (see course/grading/). Limits and the late penalty are set here.
"""
from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.converters import GenerateAssignment
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, ClearMarkScheme,
                                    ClearOutput, GetGrades, IgnorePattern, LimitOutput,
                                    OverwriteCells, OverwriteKernelspec, SaveAutoGrades)
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor

from course.grading.cells import DropDuplicateCells, RestoreCellMetadata, RestoreMissingTestCells
from course.grading.judge import JudgedExecute
from course.grading.feedback import HideHiddenTests
from course.grading.links import FindLinkedFiles, RemoveLinkedCopies
from course.grading.review import FlagForReview, FlagTampering
from course.grading.written import ClearRubrics, HideRubrics, ShowUngradedPoints

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "intro-deep-learning"
# Instructors write lessons in solutions/; students receive the generated copies in lessons/.
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "lessons"

# Written answers: the rubric lives in the question's read-only cell in solutions/; the
# student copy loses it, the formgrader shows it (course/grading/written.py).
c.GenerateAssignment.preprocessors = [
    ClearRubrics if step is ClearMarkScheme else step
    for step in GenerateAssignment.class_traits()["preprocessors"].default()]

# Grading: put graded cells back as written, then run each submission under limits, with
# hidden tests judged in the grader's process (course/grading/judge.py).
# Links a student planted in a submission carry nothing in (course/grading/links.py).
c.ExchangeFactory.collect = "course.grading.links.CollectWithoutLinks"
c.Autograde.sanitize_preprocessors = [
    FindLinkedFiles, ClearOutput, DropDuplicateCells, OverwriteKernelspec, RestoreCellMetadata,
    OverwriteCells, RestoreMissingTestCells, FlagTampering, CheckCellMetadata,
]
c.Autograde.autograde_preprocessors = [
    RemoveLinkedCopies, JudgedExecute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
    SaveAutoGrades,
    FlagForReview, AssignLatePenalties, CheckCellMetadata,
]
c.GuardedExecute.timeout = 30              # seconds per cell
c.GuardedExecute.notebook_timeout = 600    # seconds per notebook
c.GuardedExecute.max_output_bytes = 1_000_000
c.SandboxedKernelManager.memory_limit_mb = 4096

# Late work loses 10% of its score per started day, after 15 minutes of grace.
c.AssignLatePenalties.plugin_class = "course.grading.late.PenaltyPerDay"
c.PenaltyPerDay.percent_per_day = 10
c.PenaltyPerDay.grace_minutes = 15

# Feedback never shows hidden tests or rubrics, and says which points wait for a person.
c.GenerateFeedback.preprocessors = [GetGrades, HideHiddenTests, HideRubrics, ShowUngradedPoints,
                                    CSSHTMLHeaderPreprocessor]
