"""What an instructor reads after grading: grades.csv and a class report with figures."""
import base64
import csv
import html
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


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


def _png(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


def score_distribution(rows, maximum):
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.hist([r["score"] for r in rows], bins=min(20, max(5, int(maximum) + 1)),
            range=(0, maximum), color="#1b9e77", edgecolor="black")
    ax.set(xlabel="score", ylabel="students", title="Score distribution")
    return _png(fig)


def pass_rates(rows, exercises, maximums):
    rates = [sum(r["tests"].get(e, 0) >= maximums[e] for r in rows) / max(1, len(rows))
             for e in exercises]
    fig, ax = plt.subplots(figsize=(6, 0.4 * len(exercises) + 1))
    ax.barh(exercises[::-1], [100 * r for r in rates[::-1]], color="#d95f02")
    ax.set(xlim=(0, 100), xlabel="% of students with full marks", title="Pass rate per test")
    return _png(fig), dict(zip(exercises, rates))


def write_html(path, assignment, rows, exercises, maximums, seconds):
    maximum = sum(maximums.values())
    distribution = score_distribution(rows, maximum)
    rates_png, rates = pass_rates(rows, exercises, maximums)
    hardest = min(rates, key=rates.get) if rates else None
    attention = [r for r in rows if r["status"] != "graded"]
    items = "".join(f"<li><b>{html.escape(r['student'])}</b>: {html.escape(r['status'])}</li>"
                    for r in attention) or "<li>none</li>"
    mean = sum(r["score"] for r in rows) / max(1, len(rows))
    path.write_text(f"""<!doctype html><meta charset="utf-8">
<title>{html.escape(assignment)}: class report</title>
<style>body{{font-family:sans-serif;max-width:50em;margin:2em auto}}</style>
<h1>{html.escape(assignment)}: class report</h1>
<p>{len(rows)} submissions graded in {seconds:.0f} s. Mean score {mean:.2f} of {maximum:g}.
{f"The test the class found hardest: <b>{html.escape(hardest)}</b> ({100 * rates[hardest]:.0f}% full marks)." if hardest else ""}</p>
<img alt="score distribution" src="data:image/png;base64,{distribution}">
<img alt="pass rate per test" src="data:image/png;base64,{rates_png}">
<h2>Needs your attention</h2><ul>{items}</ul>
<p>Grades per student are in grades.csv beside this page.</p>
""")
