"""Interactive widgets driven by the student's own functions.

Figures are drawn to PNG and shown in an Image widget: the picture updates in place, and
code in the kernel (or a test) can read what was drawn.
"""
import ipywidgets as widgets
import numpy as np

from helpers.data import LOGIC_GATES, logic_gate
from helpers.plots import figure_png, history_table, new_figure, plot_perceptron


def not_ready(*names, note=""):
    """What a widget says while the student's functions `names` are still to be written."""
    code = ", ".join(f"<code>{name}</code>" for name in names)
    todo = ("it in its exercise above, run that cell" if len(names) == 1 else
            "them in their exercises above, run those cells")
    return (f"<b>Not ready yet.</b> This widget runs your own {code}{note}. "
            f"Implement {todo}, then run this cell again.")


class PerceptronTrainer(widgets.VBox):
    """Step through the student's `train` on a logic gate and watch the line move.

    The slider picks a step of the training history: step 0 shows the initial weights,
    step k the weights after the k-th update. The shaded region is the student's `predict`.
    """

    def __init__(self, train, predict, num_epochs=10):
        self.train, self.predict, self.num_epochs = train, predict, num_epochs
        self.gate = widgets.ToggleButtons(options=list(LOGIC_GATES), description="Gate")
        self.step = widgets.IntSlider(value=0, min=0, max=0, description="Step")
        self.status = widgets.HTML()
        self.picture = widgets.Image(format="png", layout={"width": "380px"})
        super().__init__([self.gate, self.step, self.status, self.picture])
        self.gate.observe(lambda change: self.retrain(), names="value")
        self.step.observe(lambda change: self.redraw(), names="value")
        self.retrain()

    def retrain(self):
        """Run the student's train on the chosen gate and show step 0."""
        self.X, self.y = logic_gate(self.gate.value)
        try:
            _, self.history = self.train(self.X, self.y, num_epochs=self.num_epochs)
        except NotImplementedError:
            self.history = None
            self.status.value = not_ready("train")
            self.picture.value = b""
            return
        self.step.max = len(self.history)
        if self.step.value == 0:
            self.redraw()
        else:
            self.step.value = 0  # the slider's observer redraws

    def redraw(self):
        """Draw the weights after the chosen step."""
        if self.history is None:
            return
        k = self.step.value
        if k == 0:
            w, highlight = np.zeros(self.X.shape[1]), None
            status = f"Step 0 of {len(self.history)}: the weights start at zero."
        else:
            entry = self.history[k - 1]
            w = entry["w"]
            matches = (self.X == np.asarray(entry["x"], dtype=float)).all(axis=1)
            highlight = int(np.argmax(matches)) if matches.any() else None
            status = (f"Step {k} of {len(self.history)}"
                      + history_table(self.history, first=k - 1, last=k))
        fig, (ax,) = new_figure()
        title = f"{self.gate.value}, step {k}"
        try:
            plot_perceptron(ax, self.X, self.y, w, predict=self.predict,
                            highlight=highlight, title=title)
        except NotImplementedError:
            ax.clear()
            plot_perceptron(ax, self.X, self.y, w, highlight=highlight, title=title)
            status += "<br>" + not_ready("predict")
        self.status.value = status
        self.picture.value = figure_png(fig)
