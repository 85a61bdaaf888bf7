"""`course grade ASSIGNMENT`: grade every submission of a class, in parallel, safely.

Each submission is checked, copied to a staging folder, and graded by nbgrader's own
autograde (with the course's configured steps) in a pool of worker processes, one kernel
per worker at a time. Students are independent, so the grades equal a sequential run's.
What happened to each student is kept in one `Outcome` (outcome.py), from which every
student who submitted anything gets a feedback page, and the instructor grades.csv and a
class report.

`--student NAME` and `--new-only` grade part of the class: everyone else's gradebook rows,
autograded notebooks, feedback pages and lines of grades.csv are left exactly as they were.
"""
import html
import os
import shutil
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from nbgrader.utils import temp_attrs
from traitlets.config.loader import PyFileConfigLoader

from course.grading import class_report, report, review, submissions, written
from course.grading.outcome import Outcome

STAGING = ".grading"
SQLITE_BUSY_SECONDS = 60  # workers share the gradebook; each waits its turn to write


def load_config(root):
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    if "db_url" not in config.CourseDirectory:  # a gradebook on PostgreSQL, say, is kept
        config.CourseDirectory.db_url = (
            f"sqlite:///{root / 'gradebook.db'}?timeout={SQLITE_BUSY_SECONDS}")
    return config


def _api(root, submitted_directory):
    config = load_config(root)
    config.CourseDirectory.submitted_directory = submitted_directory
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


_worker_api = None


def _start_worker(root, submitted_directory):
    global _worker_api
    os.chdir(root)
    _worker_api = _api(Path(root), submitted_directory)


def _grade_student(assignment, student, notebooks):
    """Autograde one student; runs in a worker process. Returns what the student's Outcome
    takes from it, with the review reasons FlagTampering recorded in each graded notebook."""
    started = time.monotonic()
    graded = _worker_api.autograde(assignment, student, force=True, create=True)
    folder = Path(_worker_api.coursedir.format_path(
        _worker_api.coursedir.autograded_directory, student, assignment))
    flagged = {name: review.recorded_reasons(folder / f"{name}.ipynb") for name in notebooks
               if graded["success"] and (folder / f"{name}.ipynb").exists()}
    return {"student": student, "graded": graded["success"],
            "seconds": time.monotonic() - started,
            "error": "" if graded["success"] else (graded.get("error") or graded.get("log", "")),
            "review": {name: reasons for name, reasons in flagged.items() if reasons}}


def _write_feedback(assignment, students, everyone):
    """Feedback pages for a batch of students in one nbgrader run, so its HTML templates are
    compiled once per batch rather than once per student; runs in a worker process.
    `everyone`: every student with an autograded copy, whose pages must stay as they are."""
    others = sorted(set(everyone) - set(students))
    with temp_attrs(_worker_api.coursedir, student_id_exclude=",".join(others)):
        return _worker_api.generate_feedback(assignment, None, force=True)["success"]


class ClassGrader:
    """Grades the class, or only `only` (student names), or with `new_only` only the
    submissions not graded since they were collected."""

    def __init__(self, root, assignment, workers=None, say=print, only=(), new_only=False):
        self.root, self.assignment = Path(root).resolve(), assignment
        self.only, self.new_only = list(only), new_only
        self.workers = workers or os.cpu_count() or 1
        self.say = say
        self.staged = self.root / STAGING / assignment / "submitted"
        config = load_config(self.root)
        self.coursedir = CourseDirectory(config=config)
        self.db_url = config.CourseDirectory.db_url
        self.course_id = self.coursedir.course_id
        from course.grading.execute import SandboxedKernelManager
        kernels = SandboxedKernelManager(config=config)
        self.sandboxed = not kernels.run_unsandboxed
        self.kernel_limits = (kernels.memory_limit_mb, kernels.max_processes)

    def students(self):
        submitted = self.root / self.coursedir.submitted_directory
        return sorted(p.name for p in submitted.iterdir()
                      if (p / self.assignment).is_dir()) if submitted.is_dir() else []

    def selected(self, everyone):
        """The students this run grades, of `everyone` who submitted."""
        unknown = sorted(set(self.only) - set(everyone))
        if unknown:
            raise SystemExit(
                f"No submission of {self.assignment} from {', '.join(unknown)} under "
                f"{self.coursedir.submitted_directory}/. Students who submitted: "
                f"{', '.join(everyone) or 'none'}. Check the name, or run nbgrader collect.")
        chosen = [s for s in everyone if s in self.only] if self.only else everyone
        return [s for s in chosen if self.is_new(s)] if self.new_only else chosen

    def is_new(self, student):
        """Whether a submission was collected after it was last graded (or never graded):
        the gradebook keeps the timestamp of the submission it graded."""
        source = self.root / self.coursedir.submitted_directory / student / self.assignment
        collected = self.coursedir.get_existing_timestamp(str(source))
        with Gradebook(self.db_url, self.course_id) as gradebook:
            try:
                graded = gradebook.find_submission(self.assignment, student).timestamp
            except MissingEntry:
                return True
        if collected is None:  # no timestamp.txt: graded once means graded
            return not (self.root / self.coursedir.autograded_directory / student
                        / self.assignment).is_dir()
        return graded is None or graded != collected.replace(tzinfo=None)

    def notebook_names(self):
        with Gradebook(self.db_url, self.course_id) as gradebook:
            try:
                assignment = gradebook.find_assignment(self.assignment)
            except MissingEntry:
                raise SystemExit(
                    f"The gradebook does not know {self.assignment}. Run "
                    f"`course lessons {self.assignment}` (or nbgrader generate_assignment) first.")
            return [notebook.name for notebook in assignment.notebooks]

    def run(self):
        started = time.monotonic()
        everyone, names = self.students(), self.notebook_names()
        if not everyone:
            raise SystemExit(f"No submissions of {self.assignment} under "
                             f"{self.coursedir.submitted_directory}/ (expected "
                             f"submitted/<student>/{self.assignment}/). Run nbgrader collect first.")
        students = self.selected(everyone)
        if not students:
            self.say(f"Nothing new to grade: every submission of {self.assignment} was graded "
                     "after it was collected.")
            return []
        outcomes = {}
        for student in students:
            source = self.root / self.coursedir.submitted_directory / student / self.assignment
            outcomes[student] = Outcome(student, unreadable=submissions.problems(source, names))
            submissions.stage(source, self.staged / student / self.assignment,
                              outcomes[student].unreadable)
        part = "" if len(students) == len(everyone) else (
            f" ({', '.join(students)}; the other {len(everyone) - len(students)} are left as they were)")
        self.say(f"Grading {len(students)} submissions of {self.assignment}{part} with "
                 f"{self.workers} worker(s).")
        self._grade_in_parallel(outcomes, names)
        for outcome in outcomes.values():
            if not outcome.graded:
                self._record_zero(outcome, names)
            self._explain_ungraded(outcome, names)
        self._read_gradebook(outcomes)
        rows = [outcome.row(names) for outcome in outcomes.values()]
        self._write_reports(rows, time.monotonic() - started)
        self._say_what_waits_for_a_person(outcomes.values())
        shutil.rmtree(self.root / STAGING / self.assignment, ignore_errors=True)
        return rows

    def _say_what_waits_for_a_person(self, outcomes):
        """Written answers are not a failure: they wait for a grader in the formgrader."""
        waiting = [o.written_pending for o in outcomes if o.written_pending]
        if waiting:
            self.say(f"Still to grade by hand: {sum(waiting):g} points of written "
                     f"answers from {len(waiting)} student(s). Grade them in the formgrader "
                     f"(Manual Grading; the rubric is above each answer), then run "
                     f"`course report {self.assignment}` (the report and grades.csv) and "
                     f"`nbgrader generate_feedback {self.assignment} --force`.")

    def _grade_in_parallel(self, outcomes, names):
        """Autograde every gradable submission, then write the feedback of those graded."""
        gradable = [s for s, o in outcomes.items() if o.gradable(names)]
        done, total = len(outcomes) - len(gradable), len(outcomes)
        relative = os.path.relpath(self.staged, self.root)
        with ProcessPoolExecutor(self.workers, initializer=_start_worker,
                                 initargs=(str(self.root), relative)) as pool:
            futures = [pool.submit(_grade_student, self.assignment, s, names) for s in gradable]
            for future in as_completed(futures):
                result = future.result()
                outcome = outcomes[result["student"]]
                outcome.graded, outcome.error = result["graded"], result["error"]
                outcome.seconds, outcome.review = result["seconds"], result["review"]
                done += 1
                state = "graded" if outcome.graded else "FAILED (see the report)"
                self.say(f"[{done}/{total}] {outcome.student}: {state} "
                         f"in {outcome.seconds:.1f} s")
            graded = sorted(s for s, o in outcomes.items() if o.graded)
            if graded:
                self.say(f"Writing feedback for {len(graded)} students ...")
                autograded = self.root / self.coursedir.autograded_directory
                everyone = sorted({p.parent.name for p in autograded.glob(f"*/{self.assignment}")})
                batches = [b for b in (graded[i::self.workers] for i in range(self.workers)) if b]
                list(pool.map(_write_feedback, [self.assignment] * len(batches), batches,
                              [everyone] * len(batches)))

    def _record_zero(self, outcome, names):
        """A submission nbgrader could not grade still gets a row of zeros in the gradebook,
        with the time it was submitted (so --new-only knows it was seen).

        nbgrader has no way to record this itself: autograde never opens a submission whose
        notebooks were all left out as unreadable (it finds no notebook to grade), and when
        it fails it deletes the autograded copy and leaves the submission's grades without
        an autograde score. So the runner writes the zeros, through nbgrader's gradebook."""
        source = self.root / self.coursedir.submitted_directory / outcome.student / self.assignment
        timestamp = self.coursedir.get_existing_timestamp(str(source))
        with Gradebook(self.db_url, self.course_id) as gradebook:
            gradebook.update_or_create_student(outcome.student)
            submission = gradebook.update_or_create_submission(
                self.assignment, outcome.student, **({"timestamp": timestamp} if timestamp else {}))
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    grade.auto_score = 0
                    grade.needs_manual_grade = outcome.crashed(names)  # a crash deserves a look
            gradebook.db.commit()

    def _feedback_folder(self, student):
        return self.root / self.coursedir.feedback_directory / student / self.assignment

    def _explain_ungraded(self, outcome, names):
        """Write a feedback page for each notebook that could not be graded, saying why.

        Not nbgrader's generate_feedback: it renders autograded notebooks, and there is none
        of a notebook left out as unreadable, nor of one whose autograde failed (nbgrader
        deletes it), so each page is one paragraph written here."""
        reasons = outcome.without_feedback(names)
        if not reasons:
            return
        student = outcome.student
        folder = self._feedback_folder(student)
        folder.mkdir(parents=True, exist_ok=True)
        timestamp = self.staged / student / self.assignment / "timestamp.txt"
        if timestamp.exists():
            shutil.copy(timestamp, folder / "timestamp.txt")
        for name, reason in reasons.items():
            (folder / f"{name}.html").write_text(
                f"<!doctype html><meta charset='utf-8'><title>{html.escape(name)}: feedback</title>"
                f"<h1>{html.escape(self.assignment)}: {html.escape(name)}</h1>"
                f"<p><b>Score: 0</b></p><p>{html.escape(reason)}</p>")

    def _read_gradebook(self, outcomes):
        """Each outcome's scores and written answers still to grade, as the gradebook has them
        now that every submission is graded or has its zeros."""
        waiting = written.waiting_for_a_person(self.db_url, self.course_id, self.assignment,
                                               list(outcomes))
        with Gradebook(self.db_url, self.course_id) as gradebook:
            for student, outcome in outcomes.items():
                outcome.scores = class_report.scores(gradebook, self.assignment, student)
                outcome.written_pending = waiting.get(student, 0)

    def _write_reports(self, rows, seconds):
        inputs = class_report.ReportInputs(self.root, self.coursedir, self.db_url, self.assignment)
        if len(rows) < len(self.students()):  # a partial run: keep the others' lines
            regraded = {row["student"] for row in rows}
            kept = [r for r in report.read_csv(inputs.folder / "grades.csv", list(inputs.maximums))
                    if r["student"] not in regraded]
            rows = sorted(kept + rows, key=lambda row: row["student"])
        analysis = inputs.write(rows, seconds)
        self.say(f"Grades: {inputs.folder / 'grades.csv'}\nClass report: "
                 f"{inputs.folder / 'report.html'} (written in {analysis:.1f} s)")
