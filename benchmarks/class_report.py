"""How long the class report takes after grading, on a class of synthetic submissions.

The report reads the gradebook, the autograded notebooks and the instructor's notebooks,
ranks every pair of submissions by similarity, analyses each exercise and draws its
figures; it runs no kernel. This benchmark fills a gradebook and autograded/ directly (no
grading: seeded scores, and the answers of tests/class_answers.py: honest students in the
common ways and two planted near-copies), then times writing grades.csv and report.html,
and the similarity ranking alone. Prints the figures and where the planted pairs ranked.
Run it with the course's environment: `.venv/bin/python -m benchmarks.class_report [SIZE]`.
"""
import random
import sys
import tempfile
import time
import warnings
from pathlib import Path

import nbformat
from sqlalchemy.exc import SAWarning

from course import lessons as course_lessons
from course.grading import class_report, similarity
from course.grading.runner import load_config
from tests import class_answers
from tests.support import ROOT, answered, gradebook, notebook_of, read

LESSON = "01-perceptron"


def make_graded_class(root, size):
    course_lessons.copy_course(ROOT, root)
    course_lessons.generate(root, LESSON)
    name = notebook_of(LESSON).name
    released = read(root / "lessons" / LESSON / name)
    answers = class_answers.planted_class(size - 4 - len(class_answers.OWN_TRAINS))
    rng = random.Random(0)
    # nbgrader's update_or_create_submission warns about its own session's autoflush
    warnings.filterwarnings("ignore", category=SAWarning)
    with gradebook(root) as book:
        for student, cells in answers.items():
            notebook = answered(released, cells)
            folder = root / "autograded" / student / LESSON
            folder.mkdir(parents=True)
            nbformat.write(notebook, str(folder / name))
            book.update_or_create_student(student)
            submission = book.update_or_create_submission(LESSON, student)
            for grade in submission.notebooks[0].grades:
                grade.auto_score = rng.choice([0, grade.max_score, grade.max_score])
                grade.needs_manual_grade = False
        book.db.commit()
    return list(answers)


def main():
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        students = make_graded_class(root, size)
        config = load_config(root)
        from nbgrader.coursedir import CourseDirectory
        inputs = class_report.ReportInputs(root, CourseDirectory(config=config),
                                           config.CourseDirectory.db_url, LESSON)
        started = time.perf_counter()
        with gradebook(root) as book:
            rows = [{**class_report.scores(book, LESSON, s), "status": "graded"}
                    for s in sorted(students)]
        reading = time.perf_counter() - started
        html_seconds = inputs.write(rows, None)
        total = time.perf_counter() - started
        answers, reference = inputs.answers(students), inputs.reference()
        started = time.perf_counter()
        pairs = similarity.rank_pairs(answers, reference)
        ranking = time.perf_counter() - started
        planted = {frozenset(pair) for pair in class_answers.PLANTED}
        ranks = [i + 1 for i, p in enumerate(pairs) if frozenset((p.first, p.second)) in planted]
        listed = sum(p.score >= similarity.THRESHOLD for p in pairs)
        size_kb = (inputs.folder / "report.html").stat().st_size / 1024
    print(f"class of {len(students)} synthetic submissions of {LESSON} "
          f"({len(pairs)} pairs)")
    print(f"scores from the gradebook      {reading:6.2f} s")
    print(f"grades.csv + report.html       {html_seconds:6.2f} s  ({size_kb:.0f} kB page)")
    print(f"  of which similarity ranking  {ranking:6.2f} s")
    print(f"report after grading, in all   {total:6.2f} s")
    print(f"planted pairs ranked {ranks}; pairs at or above {similarity.THRESHOLD}: {listed}")


if __name__ == "__main__":
    main()
