"""`hub.sh python`: the hub's environment is made with the newest Python the course supports
(3.13, 3.12, 3.11) that every user may run; a Python students cannot run, or one the course
does not support, is refused with what to do. Real interpreters: Debian's 3.11 and pyenv's
3.10 and 3.13 (pyenv's live under /root, which other users cannot enter)."""
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.hub_client import HUB_SCRIPT, needs_root

PYENV = Path("/root/.pyenv/versions")


def pyenv_python(version):
    found = sorted(PYENV.glob(f"{version}.*/bin/python{version}"))
    if not found:
        pytest.skip(f"needs pyenv's Python {version}")
    return found[-1]


def hub_python(*, hub_python=None, shell_first=""):
    environment = {key: value for key, value in os.environ.items() if key != "HUB_PYTHON"}
    if hub_python:
        environment["HUB_PYTHON"] = str(hub_python)
    script = f"{shell_first}\nexec bash {HUB_SCRIPT} python"
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True,
                            env=environment, timeout=120)
    return result.returncode, result.stdout + result.stderr


@pytest.fixture(autouse=True)
def as_root():
    if reason := needs_root():
        pytest.skip(reason)


def test_the_default_is_a_supported_python_that_every_user_runs():
    code, said = hub_python()
    assert code == 0, said
    path, version = said.split(" (Python ")
    assert version.strip(")\n") in {"3.11", "3.12", "3.13"}, said
    assert subprocess.run(["runuser", "-u", "nobody", "--", path, "-c", "import venv"]
                          ).returncode == 0


def test_a_python_the_course_does_not_support_is_refused():
    code, said = hub_python(hub_python=pyenv_python("3.10"))
    assert code != 0 and "is 3.10; the course needs Python" in said, said


def test_a_python_other_users_cannot_run_is_refused_or_passed_over():
    root_only = pyenv_python("3.13")
    code, said = hub_python(hub_python=root_only)
    assert code != 0 and "cannot be run by other users" in said, said
    code, said = hub_python(shell_first=f"export PATH={root_only.parent}:$PATH")
    assert code == 0 and "3.13" not in said, said  # found first, but students could not run it


def test_the_newest_python_everyone_runs_is_chosen():
    """pyenv's 3.13 made readable by everyone (in a private mount namespace: /root replaced by
    a folder anyone may enter that holds just that Python), as if installed in /usr/local."""
    python = pyenv_python("3.13")
    prefix = python.parent.parent
    folder = Path(tempfile.mkdtemp(prefix="course-hub-python-"))
    try:
        folder.chmod(0o755)
        inside = folder / prefix.relative_to("/root")
        inside.mkdir(parents=True)
        for path in [folder, *inside.parents]:
            if folder in path.parents or path == folder:
                path.chmod(0o755)
        code, said = hub_python(shell_first=(
            f"exec unshare --mount --propagation private bash -c '"
            f"mount --bind {prefix} {inside} && mount --rbind {folder} /root && "
            f"PATH={python.parent}:$PATH bash {HUB_SCRIPT} python'\n"))
        assert code == 0 and said == f"{python} (Python 3.13)\n", said
    finally:
        shutil.rmtree(folder)
