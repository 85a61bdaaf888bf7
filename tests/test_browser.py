"""Every lesson in a real JupyterLab, driven through Debian's Chromium as a student drives it.

Screenshots of what the student sees are saved in test-output/browser/.
"""
import shutil
import sys

import pytest

from tests.browser import SCREENSHOTS, Lab, Notebook
from tests.processes import working_in
from tests.support import (ROOT, check_runs_clean, check_stops_only_at_exercises, fill_answers,
                           notebook_of, per_lesson, read, run, solutions_of)
from course import lessons as course_lessons

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def course(tmp_path_factory):
    """A course folder with its own exchange, served by a real JupyterLab (one per worker)."""
    folder = tmp_path_factory.mktemp("browser-course")
    course_lessons.copy_course(ROOT, folder)
    (folder / "exchange").mkdir()
    with open(folder / "nbgrader_config.py", "a") as config:
        config.write(f"\nc.Exchange.root = {str(folder / 'exchange')!r}\n")
    lab = Lab(folder, tmp_path_factory.mktemp("lab-settings"))
    yield lab
    lab.stop()
    assert not working_in(folder), "JupyterLab or a kernel outlived the tests"


@pytest.fixture
def page(chromium, request):
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    yield page
    call = getattr(request.node, "rep_call", None)
    if call is not None and call.failed:
        screenshot(page, f"FAILED-{request.node.name}")
    context.close()


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def prepare(course, lesson):
    """Generate the student copy of `lesson` in the course, and a solved copy in solved/."""
    course_lessons.generate(course.root, lesson)
    name = notebook_of(lesson).name
    solved = course.root / "solved" / lesson
    if solved.exists():
        shutil.rmtree(solved)
    shutil.copytree(course.root / "lessons" / lesson, solved)
    fill_answers(solved / name, solutions_of(lesson))
    return f"lessons/{lesson}/{name}", f"solved/{lesson}/{name}"


def widget_views(notebook):
    return sum(WIDGET_VIEW in output.get("data", {})
               for cell in notebook.cells for output in cell.get("outputs", []))


def check_widgets_render(notebook_page, saved):
    expected = widget_views(saved)
    rendered = notebook_page.widget_areas().count()
    assert rendered == expected, f"{expected} widgets were displayed but {rendered} rendered"
    return expected


@pytest.mark.parametrize("lesson", per_lesson())
def test_solved_lesson_runs_and_its_widgets_answer(course, page, lesson):
    _, solved = prepare(course, lesson)
    notebook = Notebook(page, course, solved)
    notebook.run_all()
    notebook.save()
    saved = read(course.root / solved)
    check_runs_clean(saved)
    if check_widgets_render(notebook, saved):
        areas = notebook.widget_areas()
        for index in range(areas.count()):
            area = areas.nth(index)
            area.scroll_into_view_if_needed()
            if area.locator(".widget-slider").count():
                assert notebook.move_slider(area), (
                    f"moving the first slider of widget {index + 1} changed nothing it shows")
            area.screenshot(path=str(SCREENSHOTS / f"{lesson}-widget-{index + 1}.png"))
    notebook.panel.locator(".jp-Cell").first.scroll_into_view_if_needed()
    screenshot(page, f"{lesson}-solved")
    outcome, text = notebook.validate()
    assert outcome == "success", text


@pytest.mark.parametrize("lesson", per_lesson())
def test_blank_lesson_runs_and_validate_reports_the_exercises(course, page, lesson):
    blank, _ = prepare(course, lesson)
    notebook = Notebook(page, course, blank)
    notebook.run_cell_by_cell()
    notebook.save()
    saved = read(course.root / blank)
    check_stops_only_at_exercises(saved)
    check_widgets_render(notebook, saved)
    screenshot(page, f"{lesson}-blank")
    outcome, text = notebook.validate()
    assert outcome == "failed", text
    assert "NotImplementedError" in text


def test_assignment_list_and_formgrader_open(course, page):
    lesson = "01-perceptron"
    course_lessons.generate(course.root, lesson)
    released = run([sys.executable, "-m", "nbgrader", "release_assignment", lesson, "--force"],
                   course.root)
    assert released.returncode == 0, released.stdout + released.stderr
    page.goto(course.page_url())
    page.wait_for_selector("#jupyterlab-splash", state="detached", timeout=60_000)
    menu = page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader")
    menu.click()
    page.locator(".lm-Menu-itemLabel", has_text="Assignment List").click()
    listing = page.locator("#released_assignments_list")
    listing.get_by_text(lesson).wait_for(timeout=30_000)
    screenshot(page, "assignment-list")
    menu.click()
    page.locator(".lm-Menu-itemLabel", has_text="Formgrader").first.click()
    formgrader = page.frame_locator("iframe").last
    formgrader.get_by_text(lesson).first.wait_for(timeout=30_000)
    assert "error" not in formgrader.locator("body").inner_text().lower()
    screenshot(page, "formgrader")
    assert "Traceback" not in course.read_log()
