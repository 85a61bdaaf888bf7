"""The README's JupyterLab command really serves the course."""
import json
import urllib.request

import pytest

from tests.browser import Lab
from course import welcome
from tests.support import LESSONS, ROOT, notebook_of


def get(url):
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.load(response)


@pytest.mark.slow
def test_lab_command_serves_the_lessons(tmp_path):
    lab = Lab(ROOT / "lessons", tmp_path / "settings",
              launcher=["bash", str(ROOT / "scripts" / "lab.sh")])
    try:
        listing = get(lab.api("contents"))
        assert sorted(item["name"] for item in listing["content"]) == LESSONS + ["WELCOME.md"]
        lesson = LESSONS[0]
        notebook = get(lab.api(f"contents/{lesson}/{notebook_of(lesson).name}"))
        sources = "".join("".join(c["source"]) for c in notebook["content"]["cells"])
        assert "raise NotImplementedError()" in sources and "BEGIN SOLUTION" not in sources
        assert "python3" in get(lab.api("kernelspecs"))["kernelspecs"]
        with urllib.request.urlopen(lab.page_url(), timeout=5) as page:
            assert page.status == 200
    finally:
        lab.stop()
    assert lab.process.returncode is not None


def test_welcome_page_is_what_course_lessons_makes_of_the_readme():
    assert (ROOT / "lessons" / "WELCOME.md").read_text() == welcome.welcome_page(ROOT), (
        "lessons/WELCOME.md is out of date: run `course lessons`")
    assert len(welcome.lesson_rows(ROOT)) == len(LESSONS)
