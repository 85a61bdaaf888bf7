import os
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pytest

from tests.browser import launch_chromium
from tests.claims import CLAIMS
from tests.processes import descendants_of
from tests.support import JUPYTER_FOLDERS, execute_notebook, grade_class

JUPYTER_HOME = pytest.StashKey[Path]()  # where this run's Jupyter folders are


def pytest_configure(config):
    """Jupyter's folders, private to this run and worker: config, data, runtime, JupyterLab's
    settings and workspaces, and IPython's. Nothing is read from the home folder of whoever
    runs the tests: the `python3` kernelspec is then the virtualenv's (ipykernel's)."""
    home = Path(tempfile.mkdtemp(prefix="course-tests-jupyter-"))
    config.stash[JUPYTER_HOME] = home
    for variable, folder in JUPYTER_FOLDERS.items():
        os.environ[variable] = str(home / folder)


def pytest_unconfigure(config):
    if JUPYTER_HOME in config.stash:
        shutil.rmtree(config.stash[JUPYTER_HOME], ignore_errors=True)


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    """graded(lesson): that lesson's class, autograded once per test session and worker;
    graded(lesson, hidden_tests=False): its class graded with the hidden blocks cut out."""
    classes = {}

    def get(lesson, hidden_tests=True):
        if (lesson, hidden_tests) not in classes:
            folder = tmp_path_factory.mktemp(lesson if hidden_tests else f"{lesson}-visible")
            classes[lesson, hidden_tests] = grade_class(lesson, folder, hidden_tests)
        return classes[lesson, hidden_tests]

    return get


@pytest.fixture(scope="session")
def solution_run(tmp_path_factory):
    """solution_run(lesson): (the solution notebook as run headless, its claim cells as run
    after it); each lesson runs once per test session and worker."""
    runs = {}

    def get(lesson):
        if lesson not in runs:
            claims = CLAIMS.get(lesson, [])
            notebook = execute_notebook(lesson, "solutions", tmp_path_factory.mktemp(lesson),
                                        claims)
            cut = len(notebook.cells) - len(claims)
            runs[lesson] = (notebook.cells[:cut], notebook.cells[cut:])
        return runs[lesson]

    return get


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium under Playwright, one per worker: Playwright's sync API allows only
    one running instance per process, so every browser test shares this one."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()
    left = [command for command in descendants_of(os.getpid()).values() if "chrom" in command]
    assert not left, f"Chromium outlived the tests: {left}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell a failed test; under
    CI=true, a skipped hub or browser test fails (CI is where they must run)."""
    report = yield
    if report.skipped and os.environ.get("CI") == "true" and not hasattr(report, "wasxfail"):
        kind = "hub" if item.get_closest_marker("hub") else (
            "browser" if "chromium" in item.fixturenames else None)
        if kind:
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
            report.outcome = "failed"
            report.longrepr = f"a {kind} test may not be skipped under CI=true: {reason}"
    setattr(item, f"rep_{report.when}", report)
    return report


def pytest_collection_modifyitems(config, items):
    """Under `--dist loadgroup` (scripts/test.sh), xdist keeps each xdist_group on one worker
    and hands groups out in the order collected (`--no-loadscope-reorder`): longest first."""
    if config.getoption("dist", default="no") != "loadgroup":
        return
    group_of = {item: "_".join(sorted({str(mark.args[0] if mark.args else mark.kwargs.get(
        "name", "default")) for mark in item.iter_markers("xdist_group")})) for item in items}
    items[:] = longest_groups_first(items, group_of)


# The xdist groups that take longest on 2 cores, longest kind first (measured: the hub's ~6.5
# minutes; a lesson's graded class runs the whole notebook once per student).
LONGEST_FIRST = ("hub", "-graded-class", "crafted-class", "sbx-", "-visible-checks-class",
                 "-solution-run", "student-edition")


def longest_groups_first(items, group_of):
    """Items in the order xdist should hand out their groups (run with --no-loadscope-reorder,
    as scripts/test.sh does): longest kind first, then more tests first; ungrouped tests last,
    the slow ones first, the quick ones to fill the gaps. Left to xdist, groups go by test
    count only, so the hub's 11 long tests started late and left the other worker idle."""
    sizes = Counter(group_of.values())

    def rank(item):
        group = group_of[item]
        if not group:
            return (len(LONGEST_FIRST) + 1, 0 if item.get_closest_marker("slow") else 1, "")
        kind = next((i for i, name in enumerate(LONGEST_FIRST) if name in group), len(LONGEST_FIRST))
        return (kind, -sizes[group], group)

    return sorted(items, key=rank)  # stable: a group's tests keep their order
