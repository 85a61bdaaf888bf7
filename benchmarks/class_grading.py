"""Grade one class four times: with stock sequential nbgrader, with `course grade` (each
kernel in the sandbox, hidden tests judged in the grader), with `course grade` unsandboxed
and with `course grade` judging hidden tests in the kernel; print submissions per minute for
each, the speed-up, the sandbox's cost, the cost of judging outside the kernel, and whether
the grades agree.

The class: 42 submissions of lesson 01 (right, blank, and each known wrong answer, repeated).
Both runs produce graded notebooks and feedback for every student, so the work compared is
the same: `nbgrader autograde` + `nbgrader generate_feedback`, against `course grade`.
Run it with the course's environment: `.venv/bin/python -m benchmarks.class_grading [SIZE]`.
"""
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from course import lessons as course_lessons
from tests.support import (ROOT, answered, class_scores, notebook_of, read, run, solutions_of,
                           wrong_answers)

LESSON = "01-perceptron"


def make_class(root, size):
    course_lessons.copy_course(ROOT, root)
    course_lessons.generate(root, LESSON)
    released = read(root / "lessons" / LESSON / notebook_of(LESSON).name)
    right = solutions_of(LESSON)
    variants = [right, {}] + [{**right, exercise: source}
                                for exercise, answers in wrong_answers(LESSON).items()
                                for source in answers.values()]
    for number in range(size):
        notebook = answered(released, variants[number % len(variants)])
        folder = root / "submitted" / f"student{number:03d}" / LESSON
        folder.mkdir(parents=True)
        nbformat.write(notebook, str(folder / notebook_of(LESSON).name))


def timed(commands, cwd):
    started = time.perf_counter()
    for command in commands:
        result = run(command, cwd)
        if result.returncode != 0:
            sys.exit(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return time.perf_counter() - started


def main():
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 42
    with tempfile.TemporaryDirectory() as folder:
        stock, course = Path(folder) / "stock", Path(folder) / "course"
        unsandboxed = Path(folder) / "unsandboxed"
        in_kernel = Path(folder) / "judged-in-kernel"
        stock.mkdir()
        make_class(stock, size)
        shutil.copytree(stock, course)
        shutil.copytree(stock, unsandboxed)
        shutil.copytree(stock, in_kernel)
        with open(unsandboxed / "nbgrader_config.py", "a") as config:
            config.write("\nc.SandboxedKernelManager.run_unsandboxed = True\n")
        with open(in_kernel / "nbgrader_config.py", "a") as config:
            config.write("\nc.JudgedExecute.judge_hidden_tests = False\n")
        nbgrader = [sys.executable, "-m", "nbgrader"]
        grade = [[sys.executable, "-m", "course.cli", "grade", LESSON]]
        stock_seconds = timed([nbgrader + ["autograde", LESSON],
                               nbgrader + ["generate_feedback", LESSON]], stock)
        course_seconds = timed(grade, course)
        unsandboxed_seconds = timed(grade, unsandboxed)
        in_kernel_seconds = timed(grade, in_kernel)
        graded = [class_scores(root, LESSON) for root in (stock, course, unsandboxed, in_kernel)]
        agree = all(scores == graded[0] for scores in graded)
        judging = [read(path).metadata.get("course_grading", {}).get("judged_seconds", 0)
                   for path in (course / "autograded").rglob("*.ipynb")]
        pages = len(list((course / "feedback").rglob("*.html")))
    print(f"class of {size} submissions of {LESSON}")
    print(f"{'stock nbgrader (sequential)':32s} {stock_seconds:7.1f} s "
          f"{60 * size / stock_seconds:7.1f} submissions/min")
    print(f"{'course grade (parallel)':32s} {course_seconds:7.1f} s "
          f"{60 * size / course_seconds:7.1f} submissions/min")
    print(f"{'course grade, unsandboxed':32s} {unsandboxed_seconds:7.1f} s "
          f"{60 * size / unsandboxed_seconds:7.1f} submissions/min")
    print(f"{'course grade, judged in kernel':32s} {in_kernel_seconds:7.1f} s "
          f"{60 * size / in_kernel_seconds:7.1f} submissions/min")
    print(f"sandbox cost: {100 * (course_seconds / unsandboxed_seconds - 1):+.1f}%")
    print(f"judging outside the kernel: {100 * (course_seconds / in_kernel_seconds - 1):+.1f}% "
          f"of the class's time; {sum(judging) / max(len(judging), 1):.2f} s per notebook "
          f"in judged calls")
    print(f"speed-up: {stock_seconds / course_seconds:.2f}x; grades identical: {agree}; "
          f"feedback pages: {pages}")
    if not agree:
        sys.exit("the two runs disagree on grades")


if __name__ == "__main__":
    main()
