"""Every grading step nbgrader runs for the course, in order, in one place.

nbgrader_config.py installs these lists, so `nbgrader autograde`, `nbgrader generate_feedback`
and `course grade` all run them. RULES says which step must run before which, and why;
tests/test_grading_steps.py checks the lists against them.
"""
from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.converters import GenerateAssignment
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, ClearMarkScheme,
                                    ClearOutput, GetGrades, IgnorePattern, LimitOutput,
                                    OverwriteCells, OverwriteKernelspec, SaveAutoGrades)

from course.grading.cells import DropDuplicateCells, RestoreCellMetadata, RestoreMissingTestCells
from course.grading.feedback import HideHiddenTests
from course.grading.judge import JudgedExecute
from course.grading.links import FindLinkedFiles, RemoveLinkedCopies
from course.grading.review import FlagForReview, FlagTampering
from course.grading.written import ClearRubrics, HideRubrics, ShowUngradedPoints

# The student copy: nbgrader's own steps, with the rubric of a written answer cleared.
GENERATE_ASSIGNMENT = [ClearRubrics if step is ClearMarkScheme else step
                       for step in GenerateAssignment.class_traits()["preprocessors"].default()]

# Autograde, first pass: put graded cells back as the instructor wrote them.
SANITIZE = [
    FindLinkedFiles, ClearOutput, DropDuplicateCells, OverwriteKernelspec, RestoreCellMetadata,
    OverwriteCells, RestoreMissingTestCells, FlagTampering, CheckCellMetadata,
]
# Autograde, second pass: run the submission under limits, judge hidden tests, save grades.
AUTOGRADE = [
    RemoveLinkedCopies, JudgedExecute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
    SaveAutoGrades, FlagForReview, AssignLatePenalties, CheckCellMetadata,
]
# Feedback never shows hidden tests or rubrics, and says which points wait for a person.
FEEDBACK = [GetGrades, HideHiddenTests, HideRubrics, ShowUngradedPoints,
            CSSHTMLHeaderPreprocessor]

STAGES = {"sanitize": SANITIZE, "autograde": AUTOGRADE, "feedback": FEEDBACK}

ANY_OTHER = None  # in RULES: every other step of the stage

# (stage, earlier step, later step, why the earlier one must come first)
RULES = [
    ("sanitize", FindLinkedFiles, ANY_OTHER,
     "a notebook that is a link is not the student's work: it stops before any step reads it"),
    ("sanitize", DropDuplicateCells, RestoreCellMetadata,
     "later steps find cells by grade_id, so only one copy of each may keep it"),
    ("sanitize", RestoreCellMetadata, OverwriteCells,
     "OverwriteCells restores only cells whose flags say they are graded or locked: a "
     "student who cleared a test's flags would keep an edited test"),
    ("sanitize", RestoreCellMetadata, RestoreMissingTestCells,
     "a test counts as present by its grade_id once unknown grade_ids are dropped"),
    ("sanitize", RestoreCellMetadata, FlagTampering,
     "FlagTampering skips test and locked cells as the instructor's: a student who marked "
     "an answer cell locked would hide its code from the review"),
    ("sanitize", ANY_OTHER, CheckCellMetadata, "it checks the notebook every step has made"),
    ("autograde", RemoveLinkedCopies, ANY_OTHER,
     "the copies nbgrader made of linked files are deleted before any kernel starts"),
    ("autograde", JudgedExecute, SaveAutoGrades, "grades are read from the cells' outputs"),
    ("autograde", SaveAutoGrades, FlagForReview,
     "FlagForReview marks for a manual grade the grades SaveAutoGrades wrote"),
    ("autograde", SaveAutoGrades, AssignLatePenalties,
     "the late penalty is a share of the saved score"),
    ("autograde", ANY_OTHER, CheckCellMetadata, "it checks the notebook every step has made"),
    ("feedback", GetGrades, HideHiddenTests,
     "HideHiddenTests says passed or failed from the scores GetGrades puts in the cells"),
]


def broken_rules(stages=None):
    """(stage, earlier, later, why) for each rule `stages` ({stage: [steps]}, the lists above
    by default) breaks; a rule about a step missing from its stage is broken too."""
    stages = STAGES if stages is None else stages
    broken = []
    for stage, earlier, later, why in RULES:
        steps = list(stages[stage])
        if (earlier or later) not in steps:
            broken.append((stage, earlier, later, why))
            continue
        if earlier is ANY_OTHER:
            kept = steps[-1] is later
        elif later is ANY_OTHER:
            kept = steps[0] is earlier
        else:
            kept = later in steps and steps.index(earlier) < steps.index(later)
        if not kept:
            broken.append((stage, earlier, later, why))
    return broken
