"""What an instructor reads after grading: grades.csv and report.html.

The page is one file with nothing fetched from elsewhere (its CSS, JavaScript and figures
are inline), so it opens from the folder it was written to: first what needs a person (one
line per submission, the reason said once, details folded), then what is still to grade by
hand, the students (a sortable table linked to each one's feedback and autograded
notebook), the exercises (item analysis) and the answers that are alike.
"""
import csv
import html
import io
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from course.grading import items as item_analysis  # noqa: E402
from course.grading import similarity  # noqa: E402


def write_csv(path, rows, exercises):
    """One row per student: score after the late penalty, maximum, the penalty, each
    test's score before it, and status."""
    columns = ["student", "score", "max_score", "late_penalty", *exercises, "status"]
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({"student": row["student"], "score": f"{row['score']:g}",
                             "max_score": f"{row['max_score']:g}",
                             "late_penalty": f"{row['late_penalty']:g}",
                             **{e: f"{row['tests'].get(e, 0):g}" for e in exercises},
                             "status": row["status"]})


def read_csv(path, exercises):
    """The rows of an earlier grades.csv (none if there is none), as write_csv takes them."""
    if not path.exists():
        return []
    with open(path, newline="") as handle:
        return [{"student": line["student"], "score": float(line["score"]),
                 "max_score": float(line["max_score"]),
                 "late_penalty": float(line["late_penalty"]),
                 "tests": {e: float(line[e]) for e in exercises if line.get(e)},
                 "status": line["status"]} for line in csv.DictReader(handle)]


# status prefix in grades.csv, heading, what it means and what to do: said once per kind
ATTENTION = [
    ("not graded: ", "Not graded: no readable notebook under the expected name",
     "Graded 0. The student's files are kept as they were and their feedback page says what "
     "was wrong. Once they hand in a readable notebook under its expected name: "
     "<code>course grade {lesson} --student NAME</code>."),
    ("grading failed: ", "The grader could not run the notebook",
     "Graded 0 for now, and every test is marked for a manual grade. The last line of the "
     "error is below; the whole log is in the output of <code>course grade</code>."),
    ("Flagged for manual review: ", "Code that may change how answers are checked",
     "The points come from the grader's own checks, so such code cannot earn any; every "
     "test of the notebook is marked for a manual grade. Read the cells named, then confirm "
     "or change the grades in the formgrader."),
]
STYLE = """
body{font-family:system-ui,sans-serif;max-width:72em;margin:1.5em auto;padding:0 1em;line-height:1.4}
h2{border-bottom:1px solid #ccc;margin-top:1.6em} .kind{margin:.8em 0 .2em;font-weight:bold}
.why{color:#444;margin:0 0 .3em} ul.lines{margin:.2em 0;padding-left:1.2em} ul.lines li{margin:.15em 0}
details{display:inline-block;margin-left:.4em;vertical-align:top} summary{cursor:pointer;color:#0645ad}
table{border-collapse:collapse;font-size:.92em} td,th{border:1px solid #ccc;padding:.2em .5em}
td.n{text-align:right} th{background:#f3f3f3;cursor:pointer;user-select:none}
th[aria-sort=ascending]::after{content:" \\25B2"} th[aria-sort=descending]::after{content:" \\25BC"}
.side{display:grid;grid-template-columns:1fr 1fr;gap:.6em;margin:.4em 0}
.side pre{background:#f7f7f7;border:1px solid #ddd;padding:.4em;overflow-x:auto;margin:0;font-size:.85em}
.quiet{color:#666} figure{margin:.5em 0}
"""
SORTING = """
for (const table of document.querySelectorAll("table.sortable")) {
  table.querySelectorAll("th").forEach((th, column) => th.addEventListener("click", () => {
    const ascending = th.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th").forEach(other => other.removeAttribute("aria-sort"));
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    const key = row => row.cells[column].dataset.sort ?? row.cells[column].textContent.trim();
    const body = table.tBodies[0];
    [...body.rows].sort((a, b) => {
      const x = key(a), y = key(b), nx = parseFloat(x), ny = parseFloat(y);
      const order = !isNaN(nx) && !isNaN(ny) ? nx - ny : x.localeCompare(y);
      return ascending ? order : -order;
    }).forEach(row => body.appendChild(row));
  }));
}
"""


def _svg(fig):
    """The figure as an inline <svg> element (text kept as text)."""
    buffer = io.StringIO()
    with plt.rc_context({"svg.fonttype": "none", "svg.hashsalt": "course-report"}):
        fig.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def score_distribution(rows, maximum):
    fig, ax = plt.subplots(figsize=(6, 2.6))
    ax.hist([r["score"] for r in rows], bins=min(20, max(5, int(maximum) + 1)),
            range=(0, maximum or 1), color="#1b9e77", edgecolor="black")
    ax.set(xlabel="score after the late penalty", ylabel="students", title="Score distribution")
    return _svg(fig)


def item_figure(items):
    """Who earned each exercise (stacked shares) beside its item-rest correlation."""
    names = [item.exercise for item in items][::-1]
    fig, (shares, separation) = plt.subplots(
        1, 2, figsize=(8.5, 0.38 * len(items) + 1.3), sharey=True,
        gridspec_kw={"width_ratios": [3, 2]})
    left = [0.0] * len(items)
    for part, colour, label in (("full", "#1b9e77", "full marks"), ("partial", "#e6ab02", "partial"),
                                ("zero", "#d95f02", "zero")):
        widths = [100 * getattr(item, part) for item in items][::-1]
        shares.barh(names, widths, left=left, color=colour, label=label)
        left = [a + b for a, b in zip(left, widths)]
    shares.set(xlim=(0, 100), xlabel="% of students", title="Who earned each exercise")
    shares.legend(loc="lower center", bbox_to_anchor=(0.5, 1.08), ncol=3, frameon=False)
    values = [item.item_rest for item in items][::-1]
    separation.barh(names, [v or 0 for v in values],
                    color=["#bbbbbb" if v is None else "#7570b3" if v >= item_analysis.WEAK
                           else "#e7298a" for v in values])
    for index, value in enumerate(values):
        if value is None:
            separation.text(0.02, index, "same for all", va="center", fontsize=8)
    separation.axvline(item_analysis.WEAK, color="black", linestyle="--", linewidth=1)
    separation.set(xlim=(-1, 1), xlabel="item-rest correlation r",
                   title="How well it separates students")
    return _svg(fig)


def _kind(status):
    for prefix, heading, why in ATTENTION:
        if status.startswith(prefix):
            return prefix, status[len(prefix):]
    return "", status


def _what(prefix, detail):
    """The short line for a submission and, when it had to be cut, the whole text to fold:
    for flagged code, its cells and reasons once each."""
    if prefix == ATTENTION[2][0]:
        inside = re.search(r"\((.*)\)\.?\s*$", detail, re.S)
        if inside:
            return "; ".join(dict.fromkeys(part.strip() for part in inside.group(1).split(";"))), None
    return (detail, None) if len(detail) <= 160 else (detail[:157] + "...", detail)


def _links(links, student):
    found = links.get(student, {})
    parts = [f'<a href="{html.escape(href)}">{html.escape(label)}</a>'
             for kind in ("feedback", "autograded") for label, href in found.get(kind, [])]
    return " · ".join(parts)


def attention_section(rows, links, lesson):
    groups = {}
    for row in rows:
        if row["status"] != "graded":
            groups.setdefault(_kind(row["status"])[0], []).append(row)
    if not groups:
        return "<h2>Needs your attention (0)</h2><p>Every submission was graded normally.</p>"
    parts = [f"<h2>Needs your attention ({sum(map(len, groups.values()))})</h2>"]
    for prefix, heading, why in [*ATTENTION, ("", "Other", "")]:
        if prefix not in groups:
            continue
        parts.append(f'<p class="kind">{html.escape(heading)} ({len(groups[prefix])})</p>'
                     f'<p class="why">{why.format(lesson=html.escape(lesson))}</p><ul class="lines">')
        for row in groups[prefix]:
            what, whole = _what(prefix, _kind(row["status"])[1])
            folded = "" if whole is None else (
                f"<details><summary>whole text</summary>{html.escape(whole)}</details>")
            parts.append(f"<li><b>{html.escape(row['student'])}</b>: {html.escape(what)} "
                         f"— {_links(links, row['student'])}{folded}</li>")
        parts.append("</ul>")
    return "".join(parts)


def manual_section(to_grade, links, lesson):
    waiting = {student: cells for student, cells in sorted(to_grade.items()) if cells}
    head = f"<h2>Still to grade by hand ({len(waiting)})</h2>"
    if not waiting:
        return head + "<p>No cell is waiting for a manual grade.</p>"
    lines = "".join(
        f"<li><b>{html.escape(student)}</b>: {html.escape(', '.join(cells))} "
        f"— {_links(links, student)}</li>" for student, cells in waiting.items())
    return (head + f'<p class="why">Cells nbgrader keeps for a person (written answers, and '
            f"every test of a flagged notebook): grade them in the formgrader (Manage "
            f"Assignments → {html.escape(lesson)} → the student), then refresh this page with "
            f"<code>course report {html.escape(lesson)}</code>.</p><ul class=\"lines\">{lines}</ul>")


def students_table(rows, exercises, maximums, links):
    head = "".join(f"<th>{html.escape(e)} <span class=quiet>/{maximums[e]:g}</span></th>"
                   for e in exercises)
    body = []
    for row in rows:
        scores = "".join(f'<td class="n">{row["tests"].get(e, 0):g}</td>' for e in exercises)
        kind = _kind(row["status"])[0]
        status = "graded" if row["status"] == "graded" else next(
            (heading for prefix, heading, _ in ATTENTION if prefix == kind), row["status"])
        body.append(f"<tr><td data-sort=\"{html.escape(row['student'])}\">"
                    f"<b>{html.escape(row['student'])}</b> "
                    f"<span class=quiet>{_links(links, row['student'])}</span></td>{scores}"
                    f'<td class="n">{row["score"]:g}</td><td class="n">{row["late_penalty"]:g}</td>'
                    f"<td>{html.escape(status)}</td></tr>")
    return (f'<h2>Students ({len(rows)})</h2><p class="quiet">Click a column to sort by it. '
            f"Exercise scores are before the late penalty, the total after it.</p>"
            f'<table class="sortable" id="students"><thead><tr><th>student</th>{head}'
            f"<th>total</th><th>late penalty</th><th>status</th></tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def items_section(rows, maximums):
    items = item_analysis.analyse(rows, maximums)
    if not items:
        return ""
    lines = "".join(
        f"<tr><td>{html.escape(i.exercise)}</td><td class=n>{i.maximum:g}</td>"
        f"<td class=n>{i.mean:.2f}</td><td class=n>{100 * i.full:.0f}%</td>"
        f"<td class=n>{100 * i.partial:.0f}%</td><td class=n>{100 * i.zero:.0f}%</td>"
        f"<td class=n>{'—' if i.item_rest is None else f'{i.item_rest:.2f}'}</td>"
        f"<td>{html.escape(i.verdict)}</td></tr>" for i in items)
    return (f'<h2>Exercises</h2><p class="why">The item-rest correlation r of an exercise is '
            f"Pearson's r between its score and the sum of all other exercises, over the "
            f"students: students who do well elsewhere should also earn it. Marked: full "
            f"marks for at least {100 * item_analysis.TOO_EASY:.0f}% (too easy?) or at most "
            f"{100 * item_analysis.TOO_HARD:.0f}% (too hard?), and r below "
            f"{item_analysis.WEAK:g} (separates poorly: a misleading text, or a test that "
            f"rejects right answers?).</p><figure>{item_figure(items)}</figure>"
            f'<table class="sortable" id="exercises"><thead><tr><th>exercise</th><th>points</th>'
            f"<th>mean</th><th>full</th><th>partial</th><th>zero</th><th>item-rest r</th>"
            f"<th>look at</th></tr></thead><tbody>{lines}</tbody></table>")


def similarity_section(answers, reference, links, shown=10):
    pairs = similarity.rank_pairs(answers, reference)
    alike = [p for p in pairs if p.score >= similarity.THRESHOLD]
    below = next((p for p in pairs if p.score < similarity.THRESHOLD), None)
    parts = [f"<h2>Answers alike ({len(alike)} {'pair' if len(alike) == 1 else 'pairs'})</h2>",
             '<p class="why">Pairs of submissions whose answer cells are alike once names, '
             "strings, whitespace and comments are set aside, most alike first. Code counts "
             f"in runs of {similarity.K} tokens, and only uncommon runs: not in your solution "
             f"or the released stub, and not shared by more than {100 * similarity.COMMON_SHARE:.0f}% "
             "of the class. The score is the share of the uncommon runs of one of the two (at "
             f"least {similarity.MIN_RUNS} counted) that the other has too; pairs from "
             f"{similarity.THRESHOLD:.2f} on are listed. Alike is not copied: students may "
             "have worked together as allowed, or found the same uncommon way. Read each pair "
             "side by side before you ask anyone about it.</p>"]
    if below is not None:
        parts.append(f'<p class="quiet">The most alike pair below the threshold scores '
                     f"{below.score:.2f}.</p>")
    parts.append('<ol class="lines" id="alike">')
    for pair in alike[:shown]:
        sides = []
        for exercise, (common, size) in sorted(pair.exercises.items(), key=lambda e: -e[1][0]):
            sides.append(
                f"<p>{html.escape(exercise)}: {common} of {size} runs of tokens in common</p>"
                f'<div class="side"><pre>{html.escape(answers[pair.first][exercise])}</pre>'
                f"<pre>{html.escape(answers[pair.second][exercise])}</pre></div>")
        parts.append(f"<li><b>{html.escape(pair.first)}</b> and <b>{html.escape(pair.second)}"
                     f"</b>: {pair.score:.2f} <span class=quiet>({_links(links, pair.first)}; "
                     f"{_links(links, pair.second)})</span> <details><summary>side by side</summary>"
                     f"{''.join(sides)}</details></li>")
    parts.append("</ol>")
    if len(alike) > shown:
        parts.append(f"<p>and {len(alike) - shown} more pairs at or above the threshold.</p>")
    return "".join(parts)


def write_html(path, assignment, rows, exercises, maximums, seconds, links=None,
               to_grade=None, answers=None, reference=None):
    """links: {student: {"feedback"/"autograded": [(label, relative href)]}}; to_grade:
    {student: [cells waiting for a manual grade]}; answers: {student: {exercise: source}}
    and reference: {exercise: [instructor's answer, stub]} for similarity."""
    links, to_grade = links or {}, to_grade or {}
    maximum = sum(maximums.values())
    mean = sum(r["score"] for r in rows) / max(1, len(rows))
    attention = sum(r["status"] != "graded" for r in rows)
    waiting = sum(bool(cells) for cells in to_grade.values())
    path.write_text(f"""<!doctype html><html lang="en"><meta charset="utf-8">
<title>{html.escape(assignment)}: class report</title>
<style>{STYLE}</style>
<h1>{html.escape(assignment)}: class report</h1>
<p>{len(rows)} submissions{"" if seconds is None else f", graded in {seconds:.0f} s"}. Mean score {mean:.2f} of {maximum:g}.
<b>{attention}</b> need your attention, <b>{waiting}</b> have cells still to grade by hand.
Grades per student are in <a href="grades.csv">grades.csv</a> beside this page.</p>
{attention_section(rows, links, assignment)}
{manual_section(to_grade, links, assignment)}
{students_table(rows, exercises, maximums, links)}
{items_section(rows, maximums)}
{similarity_section(answers or {}, reference or {}, links) if answers else ""}
<h2>Score distribution</h2><figure>{score_distribution(rows, maximum)}</figure>
<script>{SORTING}</script>
</html>
""")
