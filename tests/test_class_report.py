"""The class report: one line per submission that needs a person, what is still to grade by
hand, a sortable table of students linked to their files, item analysis and answers alike.

The similarity and item-analysis numbers are checked on classes with known answers and
scores (no kernels); one small class of lesson 01, with a written answer added, is graded by
`course grade` and its report read as text and in Chromium (screenshots in
test-output/browser/).
"""
import csv
import math
import re
import sys

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_markdown_cell

from tests import class_answers
from course import lessons as course_lessons
from course.grading import items as item_analysis
from course.grading import report, similarity
from tests.support import (ROOT, answered, grade_id, gradebook, long_running, nbgrader_cells,
                           notebook_of, read, run, solutions_of, wrong_answers)

LESSON = "01-perceptron"
NOTEBOOK = notebook_of(LESSON).name
WRITTEN = "why_not_xor_probe"  # the written answer this test adds to lesson 01


def lesson_reference():
    stubs = {grade_id(c): c.source
             for c in nbgrader_cells(read(ROOT / "lessons" / LESSON / NOTEBOOK), "solution")
             if c.cell_type == "code"}
    return class_answers.reference(solutions_of(LESSON), stubs)


# Similarity ------------------------------------------------------------------------------

def test_names_strings_comments_and_blank_lines_are_set_aside():
    original = "def f(a, b):\n    total = a + b  # add\n    return total * 2, 'x'\n"
    disguised = ("def g(p, q):\n    '''A docstring of its own.'''\n\n    # a new comment\n"
                 "    s = p + q\n    return s * 2, \"y\"\n")
    first, second = (similarity.normalized_tokens(s) for s in (original, disguised))
    assert first[:10] == ["def", "V", "(", "V", ",", "V", ")", ":", ";", "{"]
    assert second == first[:10] + ["S", ";"] + first[10:]  # only the docstring differs
    assert "astype" in similarity.normalized_tokens("x.astype(float)")  # attributes stay
    assert similarity.normalized_tokens("len(x)") == ["len", "(", "V", ")", ";"]  # builtins stay
    # half-written code still compares, by words and symbols
    assert similarity.normalized_tokens("def f(:\n  return (")[:3] == ["def", "V", "("]


def test_planted_copies_rank_first_and_honest_pairs_stay_below_the_threshold():
    pairs = similarity.rank_pairs(class_answers.planted_class(), lesson_reference())
    planted = {frozenset(pair) for pair in class_answers.PLANTED}
    top = [frozenset((p.first, p.second)) for p in pairs[:len(planted)]]
    assert set(top) == planted, [(p.first, p.second, round(p.score, 2)) for p in pairs[:5]]
    assert all(p.score >= similarity.THRESHOLD for p in pairs[:len(planted)])
    honest = [p for p in pairs if frozenset((p.first, p.second)) not in planted]
    assert max(p.score for p in honest) < similarity.THRESHOLD
    # olga and quinn had the same idea independently: alike, but far from the threshold
    olga_quinn = next(p for p in pairs if {p.first, p.second} == {"olga", "quinn"})
    assert 0 < olga_quinn.score < similarity.THRESHOLD / 2


def test_the_model_answer_is_no_evidence():
    solution = {e: s for e, s in solutions_of(LESSON).items() if e in class_answers.HEADERS}
    renamed = {e: s.replace("target", "t").replace("mistakes", "m") for e, s in solution.items()}
    answers = {"ann": solution, "ben": renamed, **class_answers.honest_class()}
    pairs = similarity.rank_pairs(answers, lesson_reference())
    assert next(p for p in pairs if {p.first, p.second} == {"ann", "ben"}).score == 0
    # without the reference, the model answer alone would make ann and ben a pair
    unreferenced = similarity.rank_pairs({"ann": solution, "ben": renamed})
    assert unreferenced[0].score >= similarity.THRESHOLD


def test_one_uncommon_line_in_common_is_not_enough():
    line = "return np.clip(np.round(np.asarray(z, dtype=float)), 0, 1)"
    answers = {name: {"step": class_answers.cell("step", line)} for name in ("ann", "ben")}
    pair = similarity.rank_pairs(answers, lesson_reference())[0]
    assert 0 < pair.score < similarity.THRESHOLD


# Item analysis ---------------------------------------------------------------------------

KNOWN = [  # a: 1 point, b: 2, c: 1 (everyone full), d: 1 (earned by the weaker students)
    {"a": 1, "b": 2, "c": 1, "d": 0},
    {"a": 1, "b": 1, "c": 1, "d": 0},
    {"a": 0, "b": 0, "c": 1, "d": 1},
    {"a": 0, "b": 0, "c": 1, "d": 1},
]


def test_item_analysis_on_known_scores():
    rows = [{"tests": scores} for scores in KNOWN]
    found = {i.exercise: i for i in item_analysis.analyse(rows, {"a": 1, "b": 2, "c": 1, "d": 1})}
    a = found["a"]
    assert (a.full, a.partial, a.zero, a.mean) == (0.5, 0, 0.5, 0.5)
    # rest of a = b + c + d = 3, 2, 2, 2; by hand: r = 0.5 / sqrt(1 * 0.75)
    assert a.item_rest == pytest.approx(0.5 / math.sqrt(1 * 0.75))
    b = found["b"]
    assert (b.full, b.partial, b.zero) == (0.25, 0.25, 0.5)
    # rest of b = a + c + d = 2, 2, 2, 2: the same for everyone, no correlation
    assert b.item_rest is None
    assert found["c"].item_rest is None and found["c"].verdict == "too easy?"
    # rest of d = 4, 3, 1, 1 against d = 0, 0, 1, 1: r = -2.5 / sqrt(1 * 6.75), strongly negative
    assert found["d"].item_rest == pytest.approx(-2.5 / math.sqrt(1 * 6.75))
    assert "separates poorly" in found["d"].verdict
    assert found["a"].verdict == ""


# The page, from known rows ----------------------------------------------------------------

FLAG = ("Flagged for manual review: this submission's code may change how answers are checked "
        "(cell 9: assigns to np.allclose; cell 9: assigns to np.allclose; cell 12: calls exec()).")


def known_page(tmp_path):
    maximums = {"test_step": 1, "test_train": 3, WRITTEN: 2}
    rows = [{"student": name, "score": score, "max_score": 6, "late_penalty": penalty,
             "tests": tests, "status": status} for name, score, penalty, tests, status in [
        ("ada", 4.0, 0, {"test_step": 1, "test_train": 3}, "graded"),
        ("bob", 0.6, 0.4, {"test_step": 1, "test_train": 0}, "graded"),
        ("cy", 3.0, 0, {"test_step": 0, "test_train": 3}, FLAG),
        ("dee", 3.0, 0, {"test_step": 0, "test_train": 3}, FLAG),
        ("eve", 0.0, 0, {}, "not graded: No perceptron.ipynb in the submission; found "
                            "perceptron-Copy1.ipynb. " + "x" * 200),
    ]]
    links = {"ada": {"feedback": [("feedback", "../../feedback/ada/01-perceptron/perceptron.html")],
                     "autograded": [("perceptron.ipynb", "../../autograded/ada/01-perceptron/perceptron.ipynb")]}}
    path = tmp_path / "report.html"
    report.write_html(path, LESSON, rows, list(maximums), maximums, 12.0, links=links,
                      to_grade={"ada": [WRITTEN], "bob": [], "cy": ["test_step", "test_train"]},
                      answers=class_answers.planted_class(), reference=lesson_reference())
    return path.read_text()


def test_each_reason_is_said_once_and_each_submission_gets_one_line(tmp_path):
    page = known_page(tmp_path)
    soup = BeautifulSoup(page, "html.parser")
    why = report.ATTENTION[2][2]
    assert page.count(why[:60]) == 1
    lines = lines_of(soup, "Needs your attention")
    assert set(lines) == {"cy", "dee", "eve"}
    for line in (lines["cy"], lines["dee"]):
        assert line.count("assigns to np.allclose") == 1 and "cell 12: calls exec()" in line
        assert "may change how answers are checked" not in line  # said once, above them
    eve = next(li for li in soup.select("ul.lines li") if li.b.text == "eve")
    assert eve.details and "x" * 200 in eve.details.text  # cut on the line, whole when unfolded
    still = still_to_grade(soup)
    assert list(still) == ["ada", "cy"] and WRITTEN in still["ada"]


def test_the_page_links_students_and_loads_nothing_from_elsewhere(tmp_path):
    page = known_page(tmp_path)
    soup = BeautifulSoup(page, "html.parser")
    table = soup.select_one("table#students")
    ada = next(tr for tr in table.tbody.select("tr") if tr.b.text == "ada")
    assert [a["href"] for a in ada.select("a")] == [
        "../../feedback/ada/01-perceptron/perceptron.html",
        "../../autograded/ada/01-perceptron/perceptron.ipynb"]
    assert [th.text.split()[0] for th in table.thead.select("th")] == [
        "student", "test_step", "test_train", WRITTEN, "total", "late", "status"]
    for tag in soup.find_all(True):
        for attribute in ("src", "href"):
            assert "//" not in tag.get(attribute, ""), tag
    assert not soup.select("img, link, script[src], iframe")
    assert len(soup.select("figure > svg")) == 2  # item analysis and score distribution
    exercises = soup.select_one("table#exercises")
    cells = {tr.td.text: [td.text for td in tr.select("td")] for tr in exercises.tbody.select("tr")}
    # test_step: ada and bob earned it, who did worst on the rest: r = -1/6
    assert cells["test_step"][3:] == ["40%", "0%", "60%", "-0.17", "separates poorly: misleading?"]
    assert cells[WRITTEN][6:] == ["—", "too hard?"]  # nobody has the points yet
    alike = soup.select("#alike > li")
    assert [li.select("b")[0].text + "+" + li.select("b")[1].text for li in alike] == [
        "cal+cal_copy", "bea+bea_copy"]
    assert all(li.details and li.details.select(".side pre") for li in alike)


# A real class ----------------------------------------------------------------------------

def with_written_answer(notebook_path):
    """Lesson 01's source with one manually graded written answer after the last test."""
    notebook = read(notebook_path)
    notebook.cells.append(new_markdown_cell(
        "A single layer draws one straight line; XOR's classes need two.",
        metadata={"nbgrader": {"grade": True, "solution": True, "locked": False, "task": False,
                               "points": 2, "grade_id": WRITTEN, "schema_version": 3}}))
    nbformat.write(notebook, str(notebook_path))


def submit(root, student, answers, written="It is not linearly separable."):
    folder = root / "submitted" / student / LESSON
    folder.mkdir(parents=True)
    if answers is None:
        (folder / NOTEBOOK).write_text("{ not a notebook")
        return
    released = read(root / "lessons" / LESSON / NOTEBOOK)
    nbformat.write(answered(released, {WRITTEN: written, **answers}), str(folder / NOTEBOOK))


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    root = tmp_path_factory.mktemp("report-class")
    course_lessons.copy_course(ROOT, root)
    with open(root / "nbgrader_config.py", "a") as config:
        config.write("\nc.GuardedExecute.timeout = 10\nc.GuardedExecute.notebook_timeout = 60\n")
    with_written_answer(root / "solutions" / LESSON / NOTEBOOK)
    course_lessons.generate(root, LESSON)
    right = solutions_of(LESSON)
    wrong_step = wrong_answers(LESSON)["step"]["sign_instead_of_step"]
    planted = class_answers.planted_class()
    submit(root, "ada", right)
    submit(root, "bea", planted["bea"])
    submit(root, "bea_copy", planted["bea_copy"])
    submit(root, "grace", {**right, "step": wrong_step})
    submit(root, "hal", {**right, "step": wrong_step + "\n\nnp.allclose = lambda *a, **k: True"})
    submit(root, "ivy", None)
    result = run([sys.executable, "-m", "course.cli", "grade", LESSON, "--workers", "2"], root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def page_of(root):
    return BeautifulSoup((root / "reports" / LESSON / "report.html").read_text(), "html.parser")


def section(soup, title):
    """The elements under the heading that starts with `title`, up to the next heading."""
    heading = soup.find("h2", string=re.compile("^" + re.escape(title)))
    found = []
    for element in heading.find_next_siblings():
        if element.name == "h2":
            break
        found.append(element)
    return found


def lines_of(soup, title):
    """{student: text} of the one-line entries in a section."""
    return {li.b.text: li.get_text(" ", strip=True) for element in section(soup, title)
            if element.name == "ul" for li in element.select("li")}


def still_to_grade(soup):
    return lines_of(soup, "Still to grade by hand")


@pytest.mark.slow
@pytest.mark.xdist_group("report-class")  # one worker grades the class once
@long_running
def test_written_answers_wait_in_the_report_until_graded_by_hand(graded_class, tmp_path):
    import shutil
    root = tmp_path / "course"
    shutil.copytree(graded_class, root)
    waiting = still_to_grade(page_of(root))
    assert {"ada", "bea", "bea_copy", "grace", "hal"} <= set(waiting)
    assert "ivy" not in waiting  # nothing to grade: no notebook
    assert WRITTEN in waiting["ada"] and "test_step" in waiting["hal"]  # flagged: every test
    with gradebook(root) as book:
        # ada's written answers (the probe and the lesson's own), graded as the formgrader saves them
        submission = book.find_submission_notebook(NOTEBOOK[:-6], LESSON, "ada")
        written = [grade for grade in submission.grades if grade.needs_manual_grade]
        assert WRITTEN in {grade.name for grade in written}
        for grade in written:
            grade.manual_score, grade.needs_manual_grade = grade.max_score, False
        book.db.commit()
        points = sum(grade.max_score for grade in written)
    before = {row["student"]: row for row in csv.DictReader(open(root / "reports" / LESSON / "grades.csv"))}
    refreshed = run([sys.executable, "-m", "course.cli", "report", LESSON], root)
    assert refreshed.returncode == 0, refreshed.stdout + refreshed.stderr
    waiting = still_to_grade(page_of(root))
    assert "ada" not in waiting and "bea" in waiting
    after = {row["student"]: row for row in csv.DictReader(open(root / "reports" / LESSON / "grades.csv"))}
    assert float(after["ada"]["score"]) == float(before["ada"]["score"]) + points
    assert float(after["ada"][WRITTEN]) == 2
    assert after["hal"]["status"] == before["hal"]["status"]  # statuses are kept
    unknown = run([sys.executable, "-m", "course.cli", "report", "99-nothing"], root)
    assert unknown.returncode != 0 and "does not know 99-nothing" in unknown.stderr


@pytest.mark.slow
@pytest.mark.xdist_group("report-class")  # one worker grades the class once
@long_running
def test_the_graded_class_s_report(graded_class):
    soup = page_of(graded_class)
    lines = lines_of(soup, "Needs your attention")
    assert "np.allclose" in lines["hal"] and "perceptron.ipynb" in lines["ivy"]
    alike = soup.select("#alike > li")
    assert {b.text for b in alike[0].select("b")} == {"bea", "bea_copy"} and len(alike) == 1
    # every link leads to the student's file, relative to the report's folder
    folder = graded_class / "reports" / LESSON
    for row in soup.select("table#students tbody tr"):
        hrefs = [a["href"] for a in row.select("a")]
        if row.b.text != "ivy":
            assert len(hrefs) == 2
        assert all((folder / href).resolve().is_file() for href in hrefs), hrefs
    ada = next(r for r in soup.select("table#students tbody tr") if r.b.text == "ada")
    assert [a["href"] for a in ada.select("a")][1].startswith("../../autograded/ada/")


@pytest.mark.slow
@pytest.mark.xdist_group("report-class")  # one worker grades the class once
@long_running
def test_the_report_in_a_browser(graded_class, chromium):
    from tests.browser import SCREENSHOTS
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        page.goto((graded_class / "reports" / LESSON / "report.html").as_uri())
        page.screenshot(path=str(SCREENSHOTS / "report.png"), full_page=True)
        names = lambda: page.locator("#students tbody tr td:first-child b").all_inner_texts()  # noqa: E731
        totals = lambda: [float(t) for t in page.locator(  # noqa: E731
            "#students tbody tr td:nth-last-child(3)").all_inner_texts()]
        header = page.locator("#students th", has_text="total")
        header.click()
        assert totals() == sorted(totals()) and header.get_attribute("aria-sort") == "ascending"
        assert names()[0] == "ivy"  # 0: nothing to grade
        header.click()
        assert totals() == sorted(totals(), reverse=True)
        assert names()[0] in {"ada", "bea", "bea_copy"}
        page.locator("#students th", has_text="student").click()
        assert names() == sorted(names())
        page.locator("#students").screenshot(path=str(SCREENSHOTS / "report-students-sorted.png"))
        pair = page.locator("#alike details").first
        code = pair.locator(".side pre").first
        assert not code.is_visible()
        pair.locator("summary").click()
        assert code.is_visible() and "def train" in code.inner_text()
        pair.screenshot(path=str(SCREENSHOTS / "report-pair-side-by-side.png"))
        page.locator("#exercises").screenshot(path=str(SCREENSHOTS / "report-exercises.png"))
        assert page.locator("figure svg").count() == 2
    finally:
        page.close()
    assert all(url.startswith(("file:", "data:")) for url in requested), requested


def test_what_students_wrote_is_shown_as_text_never_run(tmp_path):
    """Answers, names and error texts come from students; the page is opened by the
    instructor, from disk: none of it may become markup or script."""
    attack = '</pre></details><script>document.title = "owned"</script><img src=x onerror=alert(1)>'
    bodies = {**class_answers.CAL, "train": class_answers.CAL["train"] + "\n# " + attack}
    answers = {**class_answers.planted_class(),
               "cal": class_answers.notebook_answers(bodies),
               "cal_copy": class_answers.notebook_answers(bodies)}
    rows = [{"student": "ada<b>", "score": 1, "max_score": 1, "late_penalty": 0,
             "tests": {"test_step": 1}, "status": "grading failed: " + attack}]
    path = tmp_path / "report.html"
    report.write_html(path, LESSON, rows, ["test_step"], {"test_step": 1}, 1.0,
                      links={"ada<b>": {"feedback": [("feedback", '"><script>x</script>')]}},
                      to_grade={"ada<b>": [attack]}, answers=answers,
                      reference=lesson_reference())
    soup = BeautifulSoup(path.read_text(), "html.parser")
    assert len(soup.find_all("script")) == 1 and "owned" not in soup.script.text
    assert not soup.find_all("img") and not soup.find_all(attrs={"onerror": True})
    assert soup.find(string=re.compile(re.escape("<script>document.title")))  # shown as text
    assert soup.select_one("#alike details pre") is not None
    assert any(attack in pre.text for pre in soup.select("#alike details pre"))
