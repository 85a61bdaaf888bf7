"""What a student's JupyterLab shows first: `bash scripts/lab.sh` from a fresh workspace, with no
user settings, in Debian's Chromium. And what `--instructor` adds. Each test runs the lab.sh of
a student edition in a temporary folder (opening files leaves checkpoints beside them) on this
course's virtualenv."""
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from tests.browser import Lab
from tests.support import ROOT

pytestmark = pytest.mark.slow
INSTRUCTOR_ITEMS = ["Formgrader", "Course List", "Create assignment"]


def start_lab(tmp_path, monkeypatch, *options):
    """scripts/lab.sh as a student starts it the first time: no settings, no saved workspace."""
    edition = tmp_path / "course"
    subprocess.run([sys.executable, "-m", "course.cli", "student-edition", str(edition)],
                   cwd=ROOT, check=True, capture_output=True)
    monkeypatch.setenv("COURSE_VENV", str(ROOT / ".venv"))
    monkeypatch.setenv("JUPYTERLAB_WORKSPACES_DIR", str(tmp_path / "workspaces"))
    monkeypatch.delenv("JUPYTER_CONFIG_PATH", raising=False)
    return Lab(edition / "lessons", tmp_path / "settings", lab_settings={},
               launcher=["bash", str(edition / "scripts" / "lab.sh"), *options])


def open_first_screen(chromium, lab):
    page = chromium.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.goto(f"{lab.url}/?token={lab.token}")  # where the browser lab.sh opens lands
    page.wait_for_selector("#jupyterlab-splash", state="detached", timeout=60_000)
    return page


def nbgrader_menu_items(page):
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    items = page.locator(".lm-Menu-content .lm-Menu-item:not(.lm-mod-hidden) .lm-Menu-itemLabel")
    items.first.wait_for()
    labels = items.all_inner_texts()
    page.keyboard.press("Escape")
    return labels


def sidebar_tabs(page):
    return page.locator(".jp-SideBar .lm-TabBar-tab").evaluate_all(
        "tabs => tabs.map(t => t.getAttribute('title') || t.textContent)")


def status_of(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_student_starts_on_the_welcome_page_without_instructor_panels(
        chromium, tmp_path, monkeypatch):
    lab = start_lab(tmp_path, monkeypatch)
    try:
        page = open_first_screen(chromium, lab)
        welcome = page.locator(".jp-RenderedMarkdown")
        welcome.locator("h1", has_text="Introduction to Deep Learning").wait_for(timeout=30_000)
        assert welcome.locator("a", has_text="01 · The perceptron").count() == 1
        assert "How to submit" in welcome.inner_text()
        page.wait_for_timeout(3000)  # JupyterLab asks about news a moment after it starts
        assert page.get_by_text("Jupyter news").count() == 0
        assert page.locator(".jp-toast-message, .Toastify__toast").count() == 0
        page.screenshot(path=str(tmp_path / "first-screen.png"))
        assert nbgrader_menu_items(page) == ["Assignment List"]
        assert not [tab for tab in sidebar_tabs(page) if "create assignment" in tab.lower()]
        assert status_of(f"{lab.url}/formgrader?token={lab.token}") == 404
        # the first lesson, from the welcome page's link: Validate in the notebook's toolbar
        welcome.locator("a", has_text="01 · The perceptron").click()
        page.locator(".jp-NotebookPanel-toolbar").get_by_text("Validate").wait_for(timeout=30_000)
        assert "Traceback" not in lab.read_log()
        # without a hub there is no exchange: nbgrader's list says so (and logs why)
        page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
        page.locator(".lm-Menu-itemLabel", has_text="Assignment List").click()
        page.locator(".nbgrader-mainarea-widget").first.wait_for(timeout=30_000)
    finally:
        lab.stop()


def test_instructor_option_shows_the_instructor_panels(chromium, tmp_path, monkeypatch):
    lab = start_lab(tmp_path, monkeypatch, "--instructor")
    try:
        page = open_first_screen(chromium, lab)
        items = nbgrader_menu_items(page)
        assert set(INSTRUCTOR_ITEMS + ["Assignment List"]) <= set(items), items
        assert status_of(f"{lab.url}/formgrader?token={lab.token}") == 200
        page.wait_for_timeout(3000)
        assert page.get_by_text("Jupyter news").count() == 0
    finally:
        lab.stop()
