import pytest

from support import grade_class


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    """graded(lesson): that lesson's class, autograded once per test session and worker."""
    classes = {}

    def get(lesson):
        if lesson not in classes:
            classes[lesson] = grade_class(lesson, tmp_path_factory.mktemp(lesson))
        return classes[lesson]

    return get


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell a failed test."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
