"""What every lesson's widget shares: run the student's code, then show the picture or say
plainly what is missing or failing.

Figures are drawn to PNG and shown in an Image widget: the picture updates in place, and
code in the kernel (or a test) can read what was drawn.
"""
import html
import traceback

import ipywidgets as widgets
from matplotlib.figure import Figure

from helpers.plots import figure_png


def not_ready(*names, note=""):
    """What a widget says while the student's functions `names` are still to be written."""
    code = ", ".join(f"<code>{html.escape(name)}</code>" for name in names)
    todo = ("it in its exercise above, run that cell" if len(names) == 1 else
            "them in their exercises above, run those cells")
    return (f"<b>Not ready yet.</b> This widget runs your own {code}{note}. "
            f"Implement {todo}, then run this cell again.")


def failed(names, error, when=""):
    """What a widget says when the student's function `names` (one, a tuple: one of them, or
    None: their code) raised `error`; `when` says where, if not on the widget's own input."""
    names = (names,) if isinstance(names, str) else names or ()
    code = " or ".join(f"<code>{html.escape(name)}</code>" for name in names) or "code"
    return (f"<b>Your {code} failed{when}: it raised {type(error).__name__}:</b> "
            f"{html.escape(str(error))}. Fix it in the exercise above, run that cell, "
            "then run this cell again.")


class StudentCodeProblem(Exception):
    """A student's function is missing or raised; `str(problem)` says so in HTML."""


def run_student(names, call, note=""):
    """`call()`, which runs the student's code, with a missing or failing function turned
    into a StudentCodeProblem that names it. `names` is the function's name, or the names of
    all the functions it needs (a tuple), with a `note` on them for not_ready; with None, a
    missing function is named by where its NotImplementedError was raised, and a failure
    is "your code"."""
    names = (names,) if isinstance(names, str) else tuple(names or ())
    try:
        return call()
    except NotImplementedError as error:
        raise StudentCodeProblem(not_ready(*(names or [raised_in(error)]), note=note)) from None
    except Exception as error:  # the student's bug: say what it was, keep the widget alive
        raise StudentCodeProblem(failed(names, error)) from None


def raised_in(error):
    """The name of the function where `error` was raised."""
    frames = traceback.extract_tb(error.__traceback__)
    return frames[-1].name if frames else "the exercise"


class StudentWidget(widgets.VBox):
    """A widget that draws what the student's functions compute: controls, a status line and
    a picture.

    A subclass calls the student's functions through `run_student` and implements `draw()`,
    which returns (status HTML, picture): a matplotlib Figure, PNG bytes, or None for no
    picture. `redraw()` shows them; a StudentCodeProblem raised in `draw()` empties the
    picture and puts its message in the status, the same way in every lesson.
    """

    def __init__(self, controls, width, picture_first=False):
        self.status = widgets.HTML()
        self.picture = widgets.Image(format="png", layout={"width": width})
        shown = [self.picture, self.status] if picture_first else [self.status, self.picture]
        super().__init__([*controls, *shown])

    def on_change(self, action, *controls):
        """Call `action()` whenever one of `controls` changes its value."""
        for control in controls:
            control.observe(lambda change: action(), names="value")

    def draw(self):
        raise NotImplementedError("a StudentWidget draws in its draw()")

    def redraw(self):
        """Show what `draw()` returns, or the problem it met in the student's code."""
        try:
            status, picture = self.draw()
        except StudentCodeProblem as problem:
            status, picture = str(problem), None
        if isinstance(picture, Figure):
            picture = figure_png(picture)
        self.status.value = status
        self.picture.value = picture or b""
