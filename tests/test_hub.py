"""The course on a real JupyterHub, started with scripts/hub.sh: a real proxy, an operating-system
account per person made on first login, everything on loopback. An instructor, a teaching
assistant and four students take lesson 01 through the whole nbgrader loop.

Needs root (the hub makes accounts with useradd). Every account is named idlt-..., and the
tests remove them, their homes and every process of theirs at the end.
"""
import html
import json
import pwd
import re
import secrets
from pathlib import Path

import pytest

from tests.hub_client import ROOT, TEST_PREFIX, Hub, needs_root, running_hub
from tests.browser import SCREENSHOTS
from tests.support import (COURSE_ID, answered, gradebook, nbgrader_cells, notebook_of, read,
                           shared, solutions_of)

pytestmark = [pytest.mark.slow, pytest.mark.hub, *shared("hub")]

LESSON = "01-perceptron"
NOTEBOOK = notebook_of(LESSON).name
# This run's accounts: idlt-<run>-name, so that runs on one machine never share one.
RUN = f"{TEST_PREFIX}{secrets.token_hex(2)}-"
INSTRUCTOR, ASSISTANT = f"{RUN}instructor", f"{RUN}tara"
RIGHT, PARTLY, BLANK, BROWSER = f"{RUN}alice", f"{RUN}bob", f"{RUN}carol", f"{RUN}dave"
STEP_WRONG = "def step(z):\n    return (np.asarray(z, dtype=float) >= 0).astype(float)"
EXPECTED_SCORES = {RIGHT: 8, PARTLY: 7, BLANK: 0}
LESSON_POINTS = sum(c.metadata.nbgrader["points"]
                    for c in nbgrader_cells(read(notebook_of(LESSON)), "grade"))


@pytest.fixture(scope="module")
def hub():
    if reason := needs_root():
        pytest.skip(reason)
    roster = {INSTRUCTOR: "instructor", ASSISTANT: "ta",
              RIGHT: None, PARTLY: None, BLANK: None, BROWSER: None}
    with running_hub(Hub(INSTRUCTOR), roster, RUN) as hub:
        yield hub


@pytest.fixture(scope="module")
def people(hub):
    """Everyone logged in through the login page; the instructor has released lesson 01."""
    people = {name: hub.person(name) for name in [INSTRUCTOR, ASSISTANT, RIGHT, PARTLY, BLANK]}
    assert not any(account_exists(name) for name in [RIGHT, PARTLY, BLANK])
    for person in people.values():
        assert person.login(), f"{person.name} could not log in: {person.refusal}\n{hub.log}"
    assert all(account_exists(name) for name in people)  # made on first login
    with_servers = [people[name] for name in [INSTRUCTOR, RIGHT, PARTLY, BLANK]]
    for person in with_servers:  # all at once, as a class does
        person.request_server()
    for person in with_servers:
        person.wait_for_server()
    instructor = people[INSTRUCTOR]
    instructor.formgrader("assign", LESSON)   # generate_assignment: lessons/ and the gradebook
    instructor.formgrader("release", LESSON)
    return people


def account_exists(name):
    try:
        return pwd.getpwnam(name).pw_dir == f"/home/{name}"
    except KeyError:
        return False


def feedback_score(page):
    """(score, out of) as the feedback page states them."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    found = re.search(r"Score:\s*([\d.]+)\s*/\s*([\d.]+)", text)
    return float(found.group(1)), float(found.group(2))


def test_a_class_goes_through_the_whole_loop_on_the_hub(hub, people):
    instructor = people[INSTRUCTOR]
    answers = solutions_of(LESSON)
    path = f"api/contents/{LESSON}/{NOTEBOOK}"
    for name, replace in [(RIGHT, {}), (PARTLY, {"step": STEP_WRONG}), (BLANK, None)]:
        student = people[name]
        listed = student.json("GET", "assignments", params={"course_id": COURSE_ID})["value"]
        assert [a["assignment_id"] for a in listed if a["status"] == "released"] == [LESSON]
        student.nbgrader("fetch", LESSON)
        if replace is not None:
            notebook = student.json("GET", path)["content"]
            student.json("PUT", path, json={"type": "notebook", "format": "json",
                                            "content": answered(notebook, {**answers, **replace})})
        student.nbgrader("submit", LESSON)

    instructor.formgrader("collect", LESSON)
    # The instructor grades in a notebook on the hub, as `!course grade 01-perceptron`.
    out, error = instructor.run(
        "import os, subprocess\n"
        f"graded = subprocess.run(['course', 'grade', '{LESSON}'], capture_output=True,\n"
        f"    text=True, cwd=os.path.expanduser('~/{COURSE_ID}'))\n"
        "print(graded.returncode, graded.stdout[-3000:], graded.stderr[-3000:])")
    assert error is None and out.startswith("0 "), out + str(error)
    instructor.formgrader("release_feedback", LESSON)

    for name, score in EXPECTED_SCORES.items():
        student = people[name]
        student.nbgrader("fetch_feedback", LESSON)
        pages = student.feedback_pages(LESSON)
        assert len(pages) == 1, (name, list(pages))
        # Out of every point of the lesson; its written answer waits for a person (0 so far).
        assert feedback_score(next(iter(pages.values()))) == (score, LESSON_POINTS), name

    with gradebook(hub.course_folder()) as book:
        # Submissions carry each student's own account name, as nbgrader records it.
        assert {s.student_id: s.score for s in book.assignment_submissions(LESSON)} == (
            EXPECTED_SCORES)
    graded_csv = (hub.course_folder() / "reports" / LESSON / "grades.csv").read_text()
    assert all(name in graded_csv for name in EXPECTED_SCORES)


# What a student's kernel tries to read, and must not: {what: (path, how)}.
def forbidden(hub):
    course = hub.course_folder()
    inbound = hub.state / "exchange" / COURSE_ID / "inbound"
    other_home = Path("/home") / RIGHT
    return {
        "the exchange's submissions (to find another student's)": (inbound, "os.listdir"),
        "the exchange's feedback": (inbound.parent / "feedback", "os.listdir"),
        "another student's home": (other_home, "os.listdir"),
        "another student's notebook": (other_home / LESSON / NOTEBOOK, "open"),
        "the instructor's course folder": (course, "os.listdir"),
        "the gradebook": (course / "gradebook.db", "open"),
        "the submissions collected": (course / "submitted", "os.listdir"),
        "the hub's roster": (hub.state / "roster.csv", "open"),
        "the hub's database": (hub.state / "jupyterhub.sqlite", "open"),
        "the hub's log": (hub.state / "jupyterhub.log", "open"),
        "the course repository's solutions": (ROOT / "solutions", "os.listdir"),
    }


def test_students_cannot_reach_each_other_or_the_instructor(hub, people):
    student, other = people[PARTLY], people[RIGHT]
    other.nbgrader("fetch", LESSON)  # so that there is a notebook of theirs to try
    # Only what exists can be refused (the exchange's feedback, say, comes with the first
    # feedback released); the essentials always exist by now.
    probes = {label: f"{how}({str(path)!r})" for label, (path, how) in forbidden(hub).items()
              if path.exists()}
    assert len(probes) >= len(forbidden(hub)) - 2, probes
    code = ("import getpass, json, os, sys\nresults = {}\n" +
            "".join(f"try:\n    {expression}\n    results[{label!r}] = 'read'\n"
                    f"except PermissionError:\n    results[{label!r}] = 'denied'\n"
                    f"except Exception as error:\n    results[{label!r}] = repr(error)\n"
                    for label, expression in probes.items()) +
            "released = os.listdir(" +
            repr(str(hub.state / "exchange" / COURSE_ID / "outbound" / LESSON)) + ")\n"
            "print(json.dumps([getpass.getuser(), sys.prefix, released, results]))")
    out, error = student.run(code)
    assert error is None, error
    user, prefix, released, results = json.loads(out)
    assert user == PARTLY and prefix == str(hub.venv)  # their own account, the course's kernel
    assert NOTEBOOK in released  # what the instructor released is open to every student
    assert results == {label: "denied" for label in probes}

    # Over HTTP: with a student's token, or logged in on the hub, nobody else's server answers.
    for path in ["api/contents", "api/kernels", f"assignments?course_id={COURSE_ID}",
                 "formgrader/api/assignments"]:
        for server in [other.server, people[INSTRUCTOR].server]:
            # A student's server has no formgrader at all (students' menus): 404 there.
            refused = {404} if path.startswith("formgrader") and server == other.server else {403}
            assert student.call("GET", path, server=server, allow_redirects=False
                                ).status_code in refused, (path, server)
    # Logged in on the hub as a browser is (cookies), through the OAuth hand-over and back.
    browser_like = student.session.get(f"{other.server}/lab", timeout=60)
    assert browser_like.status_code == 403, browser_like.url
    assert student.hub_api("GET", f"users/{RIGHT}").status_code in (403, 404)
    assert student.hub_api("POST", f"users/{RIGHT}/server").status_code in (403, 404)
    stranger = hub.person(RIGHT)
    assert not stranger.login("not-the-password")


def test_teaching_assistants_open_the_formgrader_and_students_do_not(hub, people):
    assistant, instructor = people[ASSISTANT], people[INSTRUCTOR]
    listed = assistant.json("GET", "formgrader/api/assignments", server=instructor.server)
    assert LESSON in [a["name"] for a in listed]
    assert people[RIGHT].call("GET", "formgrader/api/assignments",
                              server=instructor.server).status_code == 403


def test_a_student_fetches_and_submits_in_the_browser(hub, people, chromium):
    from playwright.sync_api import expect

    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(120_000)
        page.goto(f"{hub.url}/hub/login")
        page.fill("input[name=username]", BROWSER)
        page.fill("input[name=password]", hub.passwords[BROWSER])
        page.click("input[type=submit], button[type=submit]")
        page.wait_for_url(re.compile(f"/user/{BROWSER}/lab"), timeout=300_000)
        page.wait_for_selector("#jupyterlab-splash", state="detached")
        page.get_by_text("Nbgrader", exact=True).click()
        page.get_by_text("Assignment List", exact=True).click()
        released = page.locator("#released_assignments_list")
        expect(released).to_contain_text(LESSON)
        released.get_by_role("button", name="Fetch").click()
        fetched = page.locator("#fetched_assignments_list")
        expect(fetched).to_contain_text(LESSON)
        fetched.get_by_role("button", name="Submit").click()
        submitted = page.locator("#submitted_assignments_list")
        expect(submitted).to_contain_text(LESSON)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "hub-assignment-list.png"))
    finally:
        context.close()
    inbound = hub.state / "exchange" / COURSE_ID / "inbound"
    assert [p.name for p in inbound.iterdir() if p.name.startswith(f"{BROWSER}+{LESSON}+")]
