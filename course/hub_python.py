"""Which Python the course hub's environment is made with (course/hub.py): the newest the course
supports that users other than root can run, with venv; every student's server runs it."""
import shutil
import subprocess
import sys
from pathlib import Path

COURSE_ROOT = Path(__file__).resolve().parent.parent


def shared_python(hub):
    """A Python the course supports (newest first) that users other than root can run, with
    venv (pyenv's, under /root, is not one): every student's server runs it."""
    supported = course_pythons()
    if hub.python:
        version = python_version(hub.python)
        if version not in supported:
            sys.exit(f"HUB_PYTHON={hub.python} is {version or 'not a working Python'}; the "
                     f"course needs Python {', '.join(supported)}.")
        if not everyone_runs(hub.python):
            sys.exit(f"HUB_PYTHON={hub.python} (Python {version}) cannot be run by other users, "
                     "or lacks venv: every student's server runs it. Install one where everyone "
                     "may read it (/usr or /usr/local, with its venv module).")
        return hub.python
    for version in supported:
        for candidate in python_candidates(version):
            if python_version(candidate) == version and everyone_runs(candidate):
                return candidate
    sys.exit(f"no Python {', '.join(supported)} here that every user may run. On Debian: "
             "apt-get install python3-venv (or set HUB_PYTHON).")


def python_candidates(version):
    found = shutil.which(f"python{version}")
    return [path for path in [found, f"/usr/bin/python{version}",
                              f"/usr/local/bin/python{version}"] if path]


def course_pythons():
    """The Python versions the course supports, newest first (scripts/environment.sh's)."""
    script = 'source "$0/scripts/environment.sh" && echo "$COURSE_PYTHONS"'
    return subprocess.run(["bash", "-c", script, str(COURSE_ROOT)], capture_output=True,
                          text=True, check=True).stdout.split()


def python_version(python):
    """"3.12" for a working interpreter, "" otherwise."""
    try:
        result = subprocess.run([python, "-c", 'import sys; print("%d.%d" % sys.version_info[:2])'],
                                capture_output=True, text=True)
    except OSError:
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def everyone_runs(python):
    return as_nobody(python, "-c", "import venv")

def as_nobody(*command):
    return subprocess.run(["runuser", "-u", "nobody", "--", *command], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0
