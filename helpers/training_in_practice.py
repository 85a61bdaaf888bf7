"""Lesson 07 (training in practice): a progress bar, training curves, decision regions,
the confusion matrix picture, and a decision-threshold widget driven by the student's metrics.

Nothing here computes a metric for the student: the widget calls the functions it is given.
"""
import html

import ipywidgets as widgets
import numpy as np

from helpers.plots import CLASS_COLORS, new_figure
from helpers.widgets import StudentCodeProblem, StudentWidget, failed, run_student


class TrainingProgress(widgets.VBox):
    """A progress bar with a one-line report, updated from a training loop.

    Unlike tqdm it writes nothing to stderr: it is a widget, drawn in the notebook.
    """

    def __init__(self, num_epochs, description="Training"):
        self.bar = widgets.IntProgress(value=0, min=0, max=num_epochs, description=description,
                                       bar_style="info", style={"description_width": "initial"},
                                       layout={"width": "460px"})
        self.report = widgets.HTML()
        super().__init__([self.bar, self.report])

    def update(self, epoch, message):
        """Show that `epoch` (counted from 1) is done, with `message` (plain text) below."""
        self.bar.value = epoch
        self.report.value = html.escape(message)

    def done(self, message):
        """Mark the run as finished, whether it used all its epochs or stopped early."""
        self.bar.bar_style = "success"
        self.report.value = html.escape(message)


def plot_curves(ax, curves, title=None, ylabel="loss", marks=None):
    """Draw loss curves, one per entry of `curves` ({label: list of values per epoch}).

    `marks` maps a label to an epoch (counted from 1) that gets a dot on that curve,
    for instance the epoch early stopping went back to.
    """
    for label, values in curves.items():
        epochs = np.arange(1, len(values) + 1)
        line, = ax.plot(epochs, values, label=label)
        if marks and label in marks:
            epoch = marks[label]
            ax.plot(epoch, values[epoch - 1], "o", color=line.get_color(), markersize=7)
    ax.set(xlabel="epoch", ylabel=ylabel)
    if title:
        ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small")


def plot_regions(ax, probability, X, y, title=None, limits=((-1.6, 2.6), (-1.3, 1.8))):
    """Shade where `probability(points)` (an (n, 2) array in, n numbers in [0, 1] out) is
    above 0.5 and draw the samples X, y on top."""
    x1, x2 = np.meshgrid(np.linspace(*limits[0], 160), np.linspace(*limits[1], 120))
    points = np.column_stack([x1.ravel(), x2.ravel()])
    region = np.asarray(probability(points), dtype=float).reshape(x1.shape)
    ax.contourf(x1, x2, region, levels=[0, 0.5, 1], colors=CLASS_COLORS, alpha=0.18)
    ax.contour(x1, x2, region, levels=[0.5], colors="black", linewidths=1.2)
    plot_points(ax, X, y)
    ax.set(xlim=limits[0], ylim=limits[1])
    if title:
        ax.set_title(title)


def plot_points(ax, X, y, size=18):
    """A two-feature dataset, coloured by class."""
    for label in (0, 1):
        rows = X[np.asarray(y) == label]
        ax.scatter(rows[:, 0], rows[:, 1], s=size, color=CLASS_COLORS[label],
                   edgecolor="black", linewidth=0.4, label=f"y = {label}")
    ax.set(xlabel="$x_1$", ylabel="$x_2$", aspect="equal")
    ax.legend(loc="upper right", fontsize="small", framealpha=0.9)


def plot_confusion_matrix(ax, matrix, class_names=("0", "1"), title="Confusion matrix"):
    """Draw a confusion matrix given as counts: rows are the true class, columns the
    predicted class."""
    matrix = np.asarray(matrix)
    ax.imshow(matrix, cmap="Blues", vmin=0, vmax=max(int(matrix.max()), 1))
    for (row, column), count in np.ndenumerate(matrix):
        dark = count > 0.6 * max(matrix.max(), 1)
        ax.text(column, row, f"{count:g}", ha="center", va="center", fontsize=14,
                color="white" if dark else "black")
    ticks = np.arange(len(class_names))
    ax.set_xticks(ticks, labels=class_names)
    ax.set_yticks(ticks, labels=class_names)
    ax.set(xlabel="predicted class $\\hat{y}$", ylabel="true class $y$", title=title)


class ThresholdExplorer(StudentWidget):
    """Move a decision threshold over a model's probabilities and see the student's
    confusion matrix, precision, recall and F1 change, and the precision-recall curve (drawn
    with the student's precision and recall) with the current threshold's point on it.

    A sample is predicted positive when its probability is at least the threshold.
    """

    CURVE_THRESHOLDS = np.linspace(0.0, 1.0, 101)

    def __init__(self, probabilities, y, confusion_matrix, precision, recall, f1_score,
                 threshold=0.5):
        self.probabilities = np.asarray(probabilities, dtype=float)
        self.y = np.array(y, dtype=float)
        self.metrics = {"confusion_matrix": confusion_matrix, "precision": precision,
                        "recall": recall, "f1_score": f1_score}
        self.threshold = widgets.FloatSlider(value=threshold, min=0.0, max=1.0, step=0.01,
                                             description="Threshold", readout_format=".2f",
                                             continuous_update=False)
        super().__init__([self.threshold], width="720px")
        self.on_change(self.redraw, self.threshold)
        self.redraw()

    def draw(self):
        """Recompute the predictions and the student's metrics at the chosen threshold."""
        threshold = self.threshold.value
        y_hat = (self.probabilities >= threshold).astype(float)
        values = {name: run_student(name, lambda function=function: function(self.y, y_hat))
                  for name, function in self.metrics.items()}
        try:
            self.precision_recall_curve()
        except Exception as error:  # a failure at some other threshold, shown as well
            raise StudentCodeProblem(failed(
                ("precision", "recall"), error,
                when=" while drawing the precision-recall curve")) from None
        status = (
            f"Threshold {threshold:.2f}: {int(y_hat.sum())} of {len(y_hat)} samples "
            f"predicted positive. precision = {float(values['precision']):.3f}, "
            f"recall = {float(values['recall']):.3f}, F1 = {float(values['f1_score']):.3f}")
        fig, (left, middle, right) = new_figure(ncols=3, width=4.0, height=3.6)
        plot_confusion_matrix(left, values["confusion_matrix"],
                              title=f"Your confusion_matrix at {threshold:.2f}")
        self._plot_histogram(middle, threshold)
        self._plot_precision_recall(right, float(values["recall"]), float(values["precision"]))
        return status, fig

    def precision_recall_curve(self):
        """(recall, precision) at every threshold of CURVE_THRESHOLDS, from the student's
        functions; computed once, since it does not depend on the slider."""
        if getattr(self, "_curve", None) is None:
            points = []
            for threshold in self.CURVE_THRESHOLDS:
                y_hat = (self.probabilities >= threshold).astype(float)
                points.append((float(self.metrics["recall"](self.y, y_hat)),
                               float(self.metrics["precision"](self.y, y_hat))))
            self._curve = np.array(points)
        return self._curve

    def _plot_precision_recall(self, ax, recall, precision):
        curve = self.precision_recall_curve()
        ax.plot(curve[:, 0], curve[:, 1], color="grey", linewidth=1.5)
        ax.plot([recall], [precision], "o", color="black", markersize=8, label="this threshold")
        ax.set(xlabel="recall", ylabel="precision", xlim=(-0.02, 1.02), ylim=(-0.02, 1.05),
               title="Precision-recall curve")
        ax.legend(fontsize="small", loc="lower left")

    def _plot_histogram(self, ax, threshold):
        bins = np.linspace(0, 1, 21)
        for label in (0, 1):
            ax.hist(self.probabilities[self.y == label], bins=bins, alpha=0.6,
                    color=CLASS_COLORS[label], label=f"y = {label}")
        ax.axvline(threshold, color="black", linewidth=2, label="threshold")
        ax.set(xlabel="the model's probability of class 1", ylabel="samples",
               title="Predicted 1 right of the line")
        ax.legend(fontsize="small")
