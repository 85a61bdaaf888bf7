import os
from collections import Counter

import pytest

from browser import descendants_of, launch_chromium

from claims import CLAIMS
from support import execute_notebook, grade_class


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
    """Keep each phase's report on the test item, so fixtures can tell a failed test."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Make `--dist loadgroup` keep each xdist_group on one worker again.

    pytest-xdist 3.8 groups tests by appending "@group" to `item._nodeid`, which pytest 9.2 no
    longer reads (a node keeps its id in `item._id`), so xdist_group marks were silently
    ignored and a group's tests (and its module fixtures, such as the course hub) spread over
    workers. This does what xdist meant to, on the worker side where items are collected,
    and puts the longest groups first (longest_groups_first)."""
    if not config.getoption("loadgroup", default=False):
        return
    from _pytest.nodeid import coerce_node_id

    group_of = {}
    for item in items:
        groups = sorted({str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
                         for mark in item.iter_markers("xdist_group")})
        suffix = "@" + "_".join(groups)
        if groups and not item.nodeid.endswith(suffix):
            item._id = coerce_node_id(item.nodeid + suffix)
        group_of[item] = suffix[1:]
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
