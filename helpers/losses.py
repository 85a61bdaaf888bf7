"""Lesson 02's figures and widget: every loss as a function of one predicted probability.

The losses drawn here are the student's own functions; this module only calls them on a
small batch of binary samples and measures their slopes by central finite differences.
"""
import ipywidgets as widgets
import numpy as np

from helpers.plots import new_figure
from helpers.widgets import StudentWidget, failed, not_ready

FUNCTION_NAMES = {"BCE": "binary_cross_entropy", "CCE": "categorical_cross_entropy",
                  "MSE": "mse", "MAE": "mae", "RMSE": "rmse"}
STYLES = {
    "BCE": {"color": "#1b9e77", "linewidth": 3},
    "CCE": {"color": "#000000", "linewidth": 1.5, "linestyle": "--"},
    "MSE": {"color": "#d95f02", "linewidth": 2},
    "MAE": {"color": "#7570b3", "linewidth": 2},
    "RMSE": {"color": "#e7298a", "linewidth": 2, "linestyle": ":"},
}
# Predicted probabilities the curves run over: close to 0 and 1, never on them.
PROBABILITIES = np.linspace(0.01, 0.99, 99)
STEP = 1e-5  # the h of the central difference
# The widget's batch: sample 1 is the one you move; samples 2 to 4 stay as they are.
OTHER_TARGETS = np.array([0.0, 1.0, 0.0])
OTHER_PROBABILITIES = np.array([0.2, 0.7, 0.4])
GRADIENT_LIMITS = (-3.0, 3.0)



def binary_losses(binary_cross_entropy, categorical_cross_entropy, mse, mae, rmse):
    """{loss name: J(y, p)} for binary targets y and predicted probabilities p of class 1.

    Cross-entropy gets the probabilities as they are. Categorical cross-entropy sees the
    same predictions as two classes: the class indices y and the rows (1 - p, p). The
    regression losses treat p as a number predicted for the target y.
    """
    def categorical(y, p):
        return categorical_cross_entropy(np.asarray(y).astype(int), np.column_stack([1 - p, p]))

    return {"BCE": binary_cross_entropy, "CCE": categorical, "MSE": mse, "MAE": mae,
            "RMSE": rmse}


def central_difference(loss, y, y_hat, index=0, step=STEP):
    """The slope of loss(y, y_hat) in y_hat[index]: [J(y_hat + h) - J(y_hat - h)] / 2h, h = `step`."""
    up, down = np.array(y_hat, dtype=float), np.array(y_hat, dtype=float)
    up[index] += step
    down[index] -= step
    return (float(loss(y, up)) - float(loss(y, down))) / (2 * step)


def sweep(loss, target, others=True):
    """J and dJ/dp1 of `loss` while the first sample's probability runs over PROBABILITIES.

    The first sample has label `target`; with `others`, the widget's three fixed samples
    follow it in the batch.
    """
    values, slopes = [], []
    for probability in PROBABILITIES:
        y, p = batch(target, probability, others)
        values.append(float(loss(y, p)))
        slopes.append(central_difference(loss, y, p))
    return np.array(values), np.array(slopes)


def batch(target, probability, others=True):
    """Targets and predicted probabilities: sample 1 first, then (with `others`) the rest."""
    y, p = np.array([float(target)]), np.array([float(probability)])
    if others:
        y, p = np.concatenate([y, OTHER_TARGETS]), np.concatenate([p, OTHER_PROBABILITIES])
    return y, p


def sweep_all(losses, target, others=True):
    """{name: (values, slopes)} for each loss that runs, and {name: the error it raised} for
    the rest (NotImplementedError for one not written yet): the widget draws the others."""
    curves, problems = {}, {}
    for name, loss in losses.items():
        try:
            curves[name] = sweep(loss, target, others)
        except Exception as error:  # the student's code: say so in the notes, draw the rest
            problems[name] = error
    return curves, problems


def draw_curves(value_ax, slope_ax, curves, target, n_samples, marks=()):
    """Loss curves on `value_ax`, their slopes on `slope_ax`.

    `marks` holds (name, probability, value, slope) points to mark on the curves.
    """
    for name, (values, slopes) in curves.items():
        value_ax.plot(PROBABILITIES, values, label=name, **STYLES[name])
        slope_ax.plot(PROBABILITIES, slopes, label=name, **STYLES[name])
    for name, probability, value, slope in marks:
        for ax, height in ((value_ax, value), (slope_ax, slope)):
            ax.plot(probability, height, "o", color=STYLES[name]["color"], markersize=7,
                    zorder=4)
    mean = "" if n_samples == 1 else f" (mean over {n_samples} samples)"
    value_ax.set(xlabel=r"$\hat y_1$, predicted probability that $y_1 = 1$",
                 ylabel=f"loss $J${mean}", title=f"Each loss, target $y_1 = {target}$")
    value_ax.set_ylim(bottom=0)
    slope_ax.axhline(0, color="gray", linewidth=0.8)
    slope_ax.set(xlabel=r"$\hat y_1$", ylabel=r"$\partial J / \partial \hat y_1$",
                 title="Its gradient (finite differences)", ylim=GRADIENT_LIMITS)
    for ax in (value_ax, slope_ax):
        ax.set_xlim(0, 1)
        ax.grid(alpha=0.3)
        if curves:
            ax.legend(fontsize="small", framealpha=0.9)


def plot_losses_for_positive(losses):
    """Every loss of one sample with y = 1 against its predicted probability, and the slopes.

    Returns the figure, or None when none of the losses is implemented yet.
    """
    curves, problems = sweep_all(losses, target=1, others=False)
    for name, error in problems.items():
        function = FUNCTION_NAMES[name]
        print(f"{name}: implement `{function}` above to see its curve."
              if isinstance(error, NotImplementedError) else
              f"{name}: your `{function}` failed on one sample ({type(error).__name__}: {error}).")
    if not curves:
        return None
    fig, (value_ax, slope_ax) = new_figure(ncols=2, width=5.2)
    draw_curves(value_ax, slope_ax, curves, target=1, n_samples=1)
    value_ax.set_ylim(0, 5)
    slope_ax.set_ylim(-10, 1)
    slope_ax.legend(fontsize="small", framealpha=0.9, loc="lower right")
    fig.tight_layout()
    return fig


class LossExplorer(StudentWidget):
    """Move one prediction of a small batch and watch every loss and its gradient.

    The student's five loss functions score a batch of four binary samples. The toggle
    sets sample 1's label y1, the slider its predicted probability; samples 2 to 4 stay
    fixed. The table shows J and dJ/dy_hat1 (a central finite difference of the student's
    function); the figure shows both along the whole slider.
    """

    def __init__(self, binary_cross_entropy, categorical_cross_entropy, mse, mae, rmse):
        self.losses = binary_losses(binary_cross_entropy, categorical_cross_entropy,
                                    mse, mae, rmse)
        self.target = widgets.ToggleButtons(options=[("y₁ = 1", 1), ("y₁ = 0", 0)],
                                            description="Label")
        self.probability = widgets.FloatSlider(value=0.3, min=0.01, max=0.99, step=0.01,
                                               description="ŷ₁", readout_format=".2f",
                                               continuous_update=False)
        super().__init__([self.target, self.probability], width="760px")
        self.on_change(self.recompute, self.target)
        self.on_change(self.redraw, self.probability)
        self.recompute()

    def recompute(self):
        """Run the student's losses along the slider for the chosen label, then draw."""
        self.curves, self.problems = sweep_all(self.losses, self.target.value)
        self.redraw()

    def draw(self):
        """The table and the figure for the slider's probability."""
        y, p = batch(self.target.value, self.probability.value)
        rows = [(name, float(self.losses[name](y, p)), central_difference(self.losses[name], y, p))
                for name in self.curves]
        status = self.table(y, p, rows) + self.notes()
        if not self.curves:
            return status, None
        fig, (value_ax, slope_ax) = new_figure(ncols=2, width=5.2, height=4.0)
        draw_curves(value_ax, slope_ax, self.curves, self.target.value, len(y),
                    marks=[(name, p[0], value, slope) for name, value, slope in rows])
        fig.tight_layout()
        return status, fig

    @staticmethod
    def table(y, p, rows):
        """The batch (sample 1 in bold), then J and dJ/dy_hat1 for each loss."""
        def row(label, cells):
            return f"<tr><th>{label}</th>" + "".join(
                f"<td>{'<b>' + c + '</b>' if i == 0 else c}</td>" for i, c in enumerate(cells)
            ) + "</tr>"

        batch_table = ("<table>" + row("sample", [str(i + 1) for i in range(len(y))])
                       + row("y", [f"{v:g}" for v in y]) + row("ŷ", [f"{v:.2f}" for v in p])
                       + "</table>")
        losses = "".join(f"<tr><td>{name}</td><td>{value:.4f}</td><td>{slope:+.4f}</td></tr>"
                         for name, value, slope in rows)
        return (batch_table + "<table><tr><th>loss</th><th>J</th><th>∂J/∂ŷ₁</th></tr>"
                + losses + "</table>")

    def notes(self):
        missing = [FUNCTION_NAMES[name] for name, error in self.problems.items()
                   if isinstance(error, NotImplementedError)]
        notes = [not_ready(*missing)] if missing else []
        notes += [failed(FUNCTION_NAMES[name], error, when=" on the widget's batch")
                  + " Each loss should return one number."
                  for name, error in self.problems.items()
                  if not isinstance(error, NotImplementedError)]
        return "".join(f"<p>{note}</p>" for note in notes)
