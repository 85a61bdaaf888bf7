"""`course`: the instructor commands nbgrader lacks. Run it in the course folder."""
import argparse
import sys
from pathlib import Path

from course import hub, lessons, student_edition, welcome


def generate_lessons(args):
    root = Path.cwd()
    if not (root / "nbgrader_config.py").exists() or not (root / "solutions").is_dir():
        sys.exit("Run `course` in the course folder: the one with nbgrader_config.py and solutions/.")
    names = args.lessons or lessons.lesson_names(root)
    unknown = sorted(set(names) - set(lessons.lesson_names(root)))
    if unknown:
        sys.exit(f"No such lesson in solutions/: {', '.join(unknown)}. "
                 f"Lessons: {', '.join(lessons.lesson_names(root))}.")
    for name in names:
        lessons.generate(root, name)
        print(f"lessons/{name} regenerated from solutions/{name}")
    welcome.write(root)
    print("lessons/WELCOME.md rewritten from README.md's lesson table")


def write_student_edition(args):
    root = Path.cwd()
    if not (root / "solutions").is_dir() or not (root / "lessons").is_dir():
        sys.exit("Run `course student-edition` in the course folder: the one with solutions/.")
    stale = [name for name in lessons.lesson_names(root) if not (root / "lessons" / name).is_dir()]
    if stale:
        sys.exit(f"lessons/ lacks {', '.join(stale)}: run `course lessons` first.")
    try:
        target = student_edition.write(root, args.folder)
    except FileExistsError as error:
        sys.exit(str(error))
    print(f"Student edition written to {target}: lessons, helpers, lab.sh and the environment "
          "files, with no solutions or hidden tests. Publish that folder (for example `git init` "
          "there and push it to the class's repository).")


def grade(args):
    from course.grading.runner import ClassGrader  # imports nbgrader: only when grading

    root = Path.cwd()
    if not (root / "nbgrader_config.py").exists():
        sys.exit("Run `course grade` in the course folder: the one with nbgrader_config.py.")
    grader = ClassGrader(root, args.assignment, workers=args.workers, only=args.student or (),
                         new_only=args.new_only)
    if not grader.sandboxed:
        print("WARNING: grading WITHOUT the sandbox (c.SandboxedKernelManager.run_unsandboxed "
              "= True in nbgrader_config.py): students' code runs with your rights.",
              file=sys.stderr)
    else:
        from course.grading import sandbox
        try:
            sandbox.check_bwrap()
        except sandbox.SandboxUnavailable as problem:
            sys.exit(f"Cannot grade: {problem}")
        print("Sandbox for every kernel: " + sandbox.describe(*grader.kernel_limits))
    grader.run()


def refresh_report(args):
    root = Path.cwd()
    if not (root / "nbgrader_config.py").exists():
        sys.exit("Run `course report` in the course folder: the one with nbgrader_config.py.")
    from course.grading.class_report import ReportInputs  # imports nbgrader: only when needed
    from course.grading.runner import load_config
    from nbgrader.api import MissingEntry
    from nbgrader.coursedir import CourseDirectory
    config = load_config(root)
    try:
        inputs = ReportInputs(root, CourseDirectory(config=config),
                              config.CourseDirectory.db_url, args.assignment)
    except MissingEntry:
        sys.exit(f"The gradebook does not know {args.assignment}: check the name, or run "
                 f"`course grade {args.assignment}` first.")
    inputs.refresh()
    print(f"Grades: {inputs.folder / 'grades.csv'}\nClass report: {inputs.folder / 'report.html'}")


def extend(args):
    root = Path.cwd()
    if not (root / "nbgrader_config.py").exists():
        sys.exit("Run `course extend` in the course folder: the one with nbgrader_config.py.")
    if (args.until is None) == (not args.remove):
        sys.exit("Give either --until DATE (e.g. --until \"2026-12-08 17:00 UTC\") or --remove.")
    from course import extensions  # imports nbgrader: only once the arguments make sense
    from course.grading.runner import load_config
    config = load_config(root)
    try:
        due = extensions.extend(config.CourseDirectory.db_url, config.CourseDirectory.course_id,
                                args.student, args.lesson, args.until)
    except extensions.ExtensionError as problem:
        sys.exit(str(problem))
    when = f"{due:%Y-%m-%d %H:%M} UTC" if due else "no due date"
    print(f"{args.student} is due for {args.lesson} at {when}"
          f"{'' if args.remove else ' (extension)'}. The late penalty counts from then; if "
          f"{args.lesson} was graded already, apply it with: "
          f"course grade {args.lesson} --student {args.student}")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="course", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    command = commands.add_parser(
        "lessons", help="regenerate the student copies in lessons/ from solutions/")
    command.add_argument("lessons", nargs="*", metavar="NN-slug",
                         help="lessons to regenerate (default: all)")
    command.set_defaults(run=generate_lessons)
    command = commands.add_parser(
        "grade", help="grade every submission of an assignment: gradebook, feedback, report")
    command.add_argument("assignment", metavar="NN-slug")
    command.add_argument("--workers", type=int, default=None,
                         help="submissions graded at once (default: one per core)")
    command.add_argument("--student", action="append", metavar="NAME",
                         help="grade only this student (repeat for more); everyone else's "
                              "grades, feedback and report lines stay as they are")
    command.add_argument("--new-only", action="store_true",
                         help="grade only submissions collected since they were last graded")
    command.set_defaults(run=grade)
    command = commands.add_parser(
        "report", help="rewrite an assignment's grades.csv and report.html from the gradebook "
                       "as it is now (after manual grading, say); grades nothing")
    command.add_argument("assignment", metavar="NN-slug")
    command.set_defaults(run=refresh_report)
    command = commands.add_parser(
        "extend", help="give a student more time for a lesson (the late penalty counts from it)")
    command.add_argument("student", metavar="STUDENT")
    command.add_argument("lesson", metavar="NN-slug")
    command.add_argument("--until", metavar="DATE",
                         help='the student\'s own due date, e.g. "2026-12-08 17:00 UTC"')
    command.add_argument("--remove", action="store_true", help="take the extension back")
    command.set_defaults(run=extend)
    command = commands.add_parser(
        "student-edition", help="write the course for students, without solutions or hidden tests")
    command.add_argument("folder", metavar="DIR", help="a new (or empty) folder")
    command.set_defaults(run=write_student_edition)
    hub.add_parser(commands)
    args = parser.parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()
