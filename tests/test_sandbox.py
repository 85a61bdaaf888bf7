"""A class of hostile submissions to lesson 01, graded in the sandbox by real nbgrader.

Each student tries to reach past its own submission: the course folder, the gradebook, other
students, the network, processes that outlive grading, floods, a full disk, a kernel that
ignores interrupts, and hidden tests leaked through IPython's memory into feedback. The class
is graded twice, through `course grade` and through plain `nbgrader autograde`; for each the
tests check the grades, that nothing outside the submissions changed, that no feedback page
carries hidden-test source (decoded too) and that nothing is left running.
"""
import base64
import binascii
import codecs
import hashlib
import html
import json
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import uuid
import zlib
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell

from course import lessons as course_lessons
from course.grading.sandbox import Cgroup
from tests.processes import running
from tests.support import (HIDDEN_MARKERS, JUPYTER_FOLDERS, ROOT, answered, class_scores,
                           long_running, marked_lines, nbgrader_cells, notebook_of, read, shared,
                           solutions_of)

LESSON = "01-perceptron"
NOTEBOOK = notebook_of(LESSON).name
FULL = 8.0
MARKER = f"course-sbx-marker-{uuid.uuid4().hex[:12]}"
SECRET = f"grader-secret-{uuid.uuid4().hex}"
LIMITS = """
c.GuardedExecute.timeout = 15  # the lesson's imports take >5 s on a busy 2-core machine
c.GuardedExecute.notebook_timeout = 180
c.GuardedExecute.max_output_bytes = 50_000
c.GuardedExecute.kill_after_interrupt = 3
c.SandboxedKernelManager.memory_limit_mb = 3072  # torch's threads need ~2.5 GiB of address space
c.SandboxedKernelManager.max_processes = 100
c.SandboxedKernelManager.scratch_mb = 64
"""
# Where a class's PostgreSQL gradebook listens: its usual socket folders (Debian's, and /tmp
# where upstream builds put it) and an abstract socket, which no file system hides.
DATABASE_PORT = 40000 + uuid.uuid4().int % 20000
DATABASE_SOCKETS = {"database_run": f"/run/postgresql/.s.PGSQL.{DATABASE_PORT}",
                    "database_tmp": f"/tmp/.s.PGSQL.{DATABASE_PORT}",
                    "database_abstract": f"\0course-sbx-db-{MARKER}"}
SLEEPER = f"['/bin/sh', '-c', 'sleep 300; true', {MARKER!r}]"

# Run before any hidden test (first cell): reports what it reached, and tries to do harm.
ATTACK = """
import glob, json, os, socket, sqlite3
root = {root!r}
report = {{}}
def attempt(name, action):
    try:
        action()
        report[name] = "done"
    except Exception as error:
        report[name] = "blocked: " + type(error).__name__
def read_solutions():
    for path in [root + "/solutions/{lesson}/{notebook}", "../../../solutions/{lesson}/{notebook}"]:
        if os.path.exists(path):
            print(open(path).read())
            return
    raise FileNotFoundError
def raise_scores():
    for path in [root + "/gradebook.db", "../../../gradebook.db"]:
        if os.path.exists(path):
            with sqlite3.connect(path) as db:
                db.execute("UPDATE grade SET manual_score = max_score")
            return
    raise FileNotFoundError
def overwrite_other_student():
    open(root + "/submitted/correct/{lesson}/{notebook}", "w").write("{{}}")
def break_config():
    open(root + "/nbgrader_config.py", "a").write("\\nraise SystemExit('broken by a student')\\n")
def list_home():
    if not os.listdir(os.path.expanduser("~root")) and not os.listdir("/root"):
        raise FileNotFoundError
def connect():
    socket.create_connection(("127.0.0.1", {port}), timeout=3).close()
def connect_unix(address):
    client = socket.socket(socket.AF_UNIX)
    client.settimeout(3)
    client.connect(address)
    client.close()
attempt("read_solutions", read_solutions)
attempt("raise_scores", raise_scores)
attempt("overwrite_other_student", overwrite_other_student)
attempt("break_config", break_config)
attempt("list_home", list_home)
attempt("connect", connect)  # loopback TCP, as to a database on 127.0.0.1
for name, address in {databases!r}.items():
    attempt(name, lambda: connect_unix(address))
attempt("replace_socket_folder", lambda: os.rename("/run", "/run-moved"))
report["sees_course"] = os.path.exists(root)
report["environment"] = sorted(os.environ)
report["secret_seen"] = any(b"JUPYTERHUB_API_TOKEN" in open(p, "rb").read()
                            for p in glob.glob("/proc/*/environ") if os.access(p, os.R_OK))
report["processes"] = len([p for p in os.listdir("/proc") if p.isdigit()])
report["cwd"] = sorted(os.listdir("."))
print("REPORT", json.dumps(report))
"""

OUTLIVES = f"""
import os, subprocess
subprocess.Popen({SLEEPER}, start_new_session=True)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv('/bin/sh', {SLEEPER})
    os._exit(0)
os.wait()
print("started")
"""

FORK_FLOOD = f"""
import subprocess
started = []
try:
    for _ in range(200):
        started.append(subprocess.Popen({SLEEPER}))
    print("FLOOD all 200 started")
except OSError as error:
    print("FLOOD stopped after", len(started), type(error).__name__)
"""

DISK_FILLER = """
import os
for path in ["/tmp/fill", "fill", "/dev/shm/fill"]:
    try:
        with open(path, "wb") as out:
            for _ in range(1024):
                out.write(bytes(1024 * 1024))
        print("FILL wrote 1 GiB to", path)
    except OSError as error:
        print("FILL stopped", path, os.path.getsize(path) // 2 ** 20, "MiB", error.errno)
"""

IGNORES_INTERRUPT = """
import signal
signal.signal(signal.SIGINT, signal.SIG_IGN)
while True:
    pass
"""

# Registered by the first answer: prints every later cell's source, encoded four ways, into
# the cell itself and into the display of an earlier cell.
LEAK_HOOK = """

import base64, codecs, sys, zlib
_shown = display("watching", display_id=True)
def _leak(result):
    source = result.info.raw_cell
    encoded = [base64.b64encode(source.encode()).decode(), source.encode().hex(),
               base64.b64encode(zlib.compress(source.encode())).decode(),
               codecs.encode(source, "rot13")]
    for text in encoded:
        print("LEAK", text)
    _shown.update("LEAK " + encoded[0])
get_ipython().events.register("post_run_cell", _leak)
"""

LEAK_HISTORY = """
import base64, codecs, linecache
everything = "\\n".join(In) + "".join("".join(lines) for _, _, lines, _ in linecache.cache.values())
print("HISTORY", base64.b64encode(everything.encode()).decode())
print("HISTORY", codecs.encode(everything, "rot13"))
"""


def hostile_class(released, answers, root, port):
    attack = ATTACK.format(root=str(root), lesson=LESSON, notebook=NOTEBOOK, port=port,
                           databases=DATABASE_SOCKETS)

    def right(*appended, step_extra=""):
        notebook = answered(released, {**answers, "step": answers["step"] + step_extra})
        notebook.cells += [new_code_cell(source) for source in appended]
        return notebook

    attacker = nbformat.from_dict(released)  # blank answers, the attack first
    attacker.cells.insert(0, new_code_cell(attack))
    return {
        "correct": right(),
        "attacker": attacker,
        "outlives": right(OUTLIVES),
        "fork_flood": right(FORK_FLOOD),
        "disk_filler": right(DISK_FILLER),
        "ignores_interrupt": right(IGNORES_INTERRUPT),
        "leaks_hidden": right(LEAK_HISTORY, step_extra=LEAK_HOOK),
    }


def hashes(root):
    """sha256 of everything the grading may not change: solutions, config, submissions."""
    paths = [root / "nbgrader_config.py", *sorted((root / "solutions").rglob("*")),
             *sorted((root / "submitted").rglob("*"))]
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in paths if p.is_file()}


class Listener:
    """A server that counts the connections it accepts: on loopback TCP, or on a Unix socket
    at `address` (a path, or an abstract name starting with a NUL)."""

    def __init__(self, address=None):
        if address is None:
            self.server = socket.create_server(("127.0.0.1", 0))
            self.port = self.server.getsockname()[1]
        else:
            self.server = socket.socket(socket.AF_UNIX)
            self.server.bind(address)
            self.server.listen()
        self.accepted = 0
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.accepted += 1
            connection.close()

    def close(self):
        """Stop accepting: shutdown wakes the thread in accept(), which otherwise keeps the
        socket (and an abstract name) alive after close()."""
        try:
            self.server.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.server.close()


def database_listeners():
    """A listener at each of DATABASE_SOCKETS, each checked to be reachable from here, so a
    blocked connection from the sandbox means the sandbox blocked it."""
    made = [] if os.path.isdir("/run/postgresql") else ["/run/postgresql"]
    for folder in made:
        os.makedirs(folder, exist_ok=True)
    listeners = {name: Listener(address) for name, address in DATABASE_SOCKETS.items()}
    for name, listener in listeners.items():
        client = socket.socket(socket.AF_UNIX)
        client.connect(DATABASE_SOCKETS[name])
        client.close()
        for _ in range(100):
            if listener.accepted:
                break
            threading.Event().wait(0.05)
        assert listener.accepted == 1, name
        listener.accepted = 0

    def close():
        for name, listener in listeners.items():
            listener.close()
            if not DATABASE_SOCKETS[name].startswith("\0"):
                os.unlink(DATABASE_SOCKETS[name])
        for folder in made:
            try:
                os.rmdir(folder)
            except OSError:  # another test's listener is still in it
                pass
    return listeners, close


def make_class(root, port):
    course_lessons.copy_course(ROOT, root)
    with open(root / "nbgrader_config.py", "a") as config:
        config.write(LIMITS)
    course_lessons.generate(root, LESSON)
    released = read(root / "lessons" / LESSON / NOTEBOOK)
    answers = solutions_of(LESSON)
    for student, notebook in hostile_class(released, answers, root, port).items():
        folder = root / "submitted" / student / LESSON
        folder.mkdir(parents=True)
        nbformat.write(notebook, str(folder / NOTEBOOK))
        (folder / "timestamp.txt").write_text("2026-01-01 12:00:00.000000 UTC")


GRADE_COMMANDS = {
    "course-grade": [[sys.executable, "-m", "course.cli", "grade", LESSON, "--workers", "2"]],
    "nbgrader": [[sys.executable, "-m", "nbgrader", "autograde", LESSON, "--force"],
                 [sys.executable, "-m", "nbgrader", "generate_feedback", LESSON, "--force"]],
}


@pytest.fixture(scope="module", params=[pytest.param(m, marks=shared(f"sbx-{m}"))
                                        for m in GRADE_COMMANDS])
def graded(request, tmp_path_factory):
    root = tmp_path_factory.mktemp(f"hostile-{request.param}")
    listener = Listener()
    databases, close_databases = database_listeners()
    try:
        make_class(root, listener.port)
        before = hashes(root)
        environment = {**course_lessons.nbgrader_environment(), "JUPYTERHUB_API_TOKEN": SECRET}
        logs = ""
        for command in GRADE_COMMANDS[request.param]:
            result = subprocess.run(command, cwd=root, capture_output=True, text=True,
                                    env=environment, timeout=900)
            logs += result.stdout + result.stderr
            assert result.returncode == 0, logs
        yield root, before, [listener, *databases.values()], logs
    finally:
        listener.close()
        close_databases()


def autograded_text(root, student):
    notebook = read(root / "autograded" / student / LESSON / NOTEBOOK)
    return "\n".join(json.dumps(cell.get("outputs", [])) for cell in notebook.cells)


def hidden_lines():
    return {line.strip() for c in nbgrader_cells(read(notebook_of(LESSON)), "grade")
            for line in marked_lines(c.source, HIDDEN_MARKERS) if len(line.strip()) >= 20}


def decoded(text):
    """The text, and every reading of it a leak could use: rot13, base64, hex, zlib."""
    readings = [text, codecs.decode(text, "rot13")]
    blobs = []
    for token in re.findall(r"[A-Za-z0-9+/=]{16,}", text):
        try:
            blobs.append(base64.b64decode(token + "=" * (-len(token) % 4)))
        except (binascii.Error, ValueError):
            pass
    for token in re.findall(r"(?:[0-9a-fA-F]{2}){8,}", text):
        blobs.append(bytes.fromhex(token))
    for blob in blobs:
        readings.append(blob.decode(errors="ignore"))
        try:
            readings.append(zlib.decompress(blob).decode(errors="ignore"))
        except zlib.error:
            pass
    return "\n".join(readings)


def leaked(text):
    plain = decoded(html.unescape(text))
    return [line for line in hidden_lines() if line in plain]


@pytest.mark.slow
def test_grades_are_right_and_honest_students_unaffected(graded):
    root, _, _, logs = graded
    assert class_scores(root, LESSON) == {
        "correct": FULL, "attacker": 0, "outlives": FULL, "fork_flood": FULL,
        "disk_filler": FULL, "ignores_interrupt": FULL, "leaks_hidden": FULL}, logs[-3000:]
    assert "Sandbox for" in logs and "bubblewrap" in logs


@pytest.mark.slow
def test_nothing_outside_the_submissions_changed(graded):
    root, before, listeners, _ = graded
    assert hashes(root) == before
    assert [listener.accepted for listener in listeners] == [0] * len(listeners)


@pytest.mark.slow
def test_the_attacker_reached_nothing(graded):
    root, *_ = graded
    output = autograded_text(root, "attacker")
    report = json.loads(re.search(r"REPORT (\{.*?\})\\n", output).group(1).replace('\\"', '"'))
    for name in ["read_solutions", "raise_scores", "overwrite_other_student", "break_config",
                 "list_home", "connect", "replace_socket_folder", *DATABASE_SOCKETS]:
        assert report[name].startswith("blocked"), (name, report)
    assert not report["sees_course"] and not report["secret_seen"]
    assert "JUPYTERHUB_API_TOKEN" not in report["environment"]
    assert report["processes"] <= 3, report  # its own PID namespace
    assert "timestamp.txt" in report["cwd"], report  # its own folder's files ...
    assert not [name for name in report["cwd"] if name.endswith(".ipynb")], report  # no notebook
    assert SECRET not in output


@pytest.mark.slow
def test_caps_hold_and_nothing_is_left_running(graded):
    root, _, _, logs = graded
    assert running(MARKER) == []
    used = set(re.findall(r"cgroup memory,pids:(course-grading/\w+)", logs))
    if os.geteuid() == 0:
        assert used, logs[-3000:]  # root grades in cgroups ...
    left = [group for group in used if Cgroup(group).folders()]
    assert not left, left  # ... and removes every one of them
    filler = autograded_text(root, "disk_filler")
    assert "FILL wrote" not in filler and filler.count("FILL stopped") == 3
    flood = autograded_text(root, "fork_flood")
    assert "FLOOD stopped after" in flood  # the process cap held
    assert "did not stop when interrupted" in autograded_text(root, "ignores_interrupt")


@pytest.mark.slow
def test_no_feedback_page_carries_hidden_tests_in_any_form(graded):
    root, *_ = graded
    leak = autograded_text(root, "leaks_hidden")
    assert leak.count("LEAK") >= 4 and leaked(leak), "the leak must work inside the kernel"
    pages = sorted((root / "feedback").rglob("*.html"))
    assert len(pages) == 7
    for page in pages:
        assert not leaked(page.read_text()), page
        assert SECRET not in page.read_text()
    page = (root / "feedback" / "leaks_hidden" / LESSON / NOTEBOOK.replace(".ipynb", ".html"))
    # The hook's output in the answer cell that registers it (its own source, before any
    # hidden test) may be shown; the history printed at the end may not.
    printed = html.unescape(page.read_text())
    assert not re.search(r"HISTORY [A-Za-z0-9+/=]{16,}", printed), page
    assert "Passed" in page.read_text()


USER = "course-sbx-test"
HUB_PYTHON = ROOT / "hub" / "venv" / "bin" / "python"


@long_running
@pytest.mark.slow
@pytest.mark.skipif(os.geteuid() != 0, reason="creates an ordinary account (needs root)")
@pytest.mark.skipif(not HUB_PYTHON.exists(), reason="needs the hub's environment "
                    "(bash scripts/hub.sh prepare), whose Python an ordinary account can run")
def test_the_sandbox_works_for_an_ordinary_account():
    """The hub's instructor is no root: no cgroup to make, the sandbox must still hold."""
    try:
        pwd.getpwnam(USER)
    except KeyError:
        subprocess.run(["useradd", "--create-home", USER], check=True)
    root = Path(tempfile.mkdtemp(prefix="course-sbx-user-"))
    try:
        listener = Listener()
        make_class(root, listener.port)
        for student in ["disk_filler", "ignores_interrupt", "leaks_hidden"]:
            shutil.rmtree(root / "submitted" / student)
        subprocess.run(["chown", "-R", USER, str(root)], check=True)
        before = hashes(root)
        result = subprocess.run(
            ["runuser", "-u", USER, "--", "env", *(f"--unset={name}" for name in JUPYTER_FOLDERS),
             f"HOME={pwd.getpwnam(USER).pw_dir}",
             f"PATH={HUB_PYTHON.parent}:/usr/bin:/bin", f"JUPYTERHUB_API_TOKEN={SECRET}",
             str(HUB_PYTHON), "-m", "course.cli", "grade", LESSON, "--workers", "2"],
            cwd=root, capture_output=True, text=True, timeout=600)
        logs = result.stdout + result.stderr
        assert result.returncode == 0, logs
        assert "no cgroup available" in logs  # an ordinary account falls back to rlimits
        assert class_scores(root, LESSON) == {"correct": FULL, "attacker": 0, "outlives": FULL,
                                              "fork_flood": FULL}
        assert hashes(root) == before and listener.accepted == 0
        # without a cgroup, the PID namespace still ends every escaped process and the
        # rlimit still stops a flood
        assert running(MARKER) == []
        assert "FLOOD stopped after" in autograded_text(root, "fork_flood")
        output = autograded_text(root, "attacker")
        assert '\\"sees_course\\": false' in output and SECRET not in output
        assert '\\"read_solutions\\": \\"blocked' in output
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_without_bubblewrap_grading_stops_and_says_what_to_install(tmp_path):
    course_lessons.copy_course(ROOT, tmp_path)
    scripts = str(Path(sys.executable).parent)  # the course's Python, but no bwrap on PATH
    import subprocess
    result = subprocess.run([sys.executable, "-m", "course.cli", "grade", LESSON], cwd=tmp_path,
                            capture_output=True, text=True, env={"PATH": scripts})
    assert result.returncode != 0
    assert "apt-get install bubblewrap" in result.stderr
    assert "run_unsandboxed = True" in result.stderr
