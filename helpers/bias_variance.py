"""Lesson 05's world: noisy samples of a known curve, figures of many refits, and a widget.

Nothing here fits a polynomial: the figures and the widget draw what the student's own
`fit`, `predict` and `bias_variance` return.
"""
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from helpers.widgets import StudentCodeProblem, StudentWidget, run_student

SIGMA = 0.3  # standard deviation of the noise on every target
N_TRAIN = 20  # points in a training set
X_RANGE = (-1.0, 1.0)  # inputs live here: powers of x stay between -1 and 1
Y_LIMITS = (-2.5, 2.5)
FIT_COLOR, MEAN_COLOR = "#1f77b4", "#d62728"
TERM_COLORS = {"bias²": "#d62728", "variance": "#1f77b4", "noise σ²": "#7f7f7f"}


def true_function(x):
    """The curve behind the data, f(x) = sin(2.5 x + 0.5); the learner never sees it."""
    return np.sin(2.5 * np.asarray(x, dtype=float) + 0.5)


def draw_training_set(rng, n=N_TRAIN, sigma=SIGMA):
    """n noisy samples y = f(x) + noise, with one x at a random place in each of n equal
    slices of [-1, 1]: spread evenly, never leaving a gap wider than two slices."""
    low, high = X_RANGE
    x = low + (np.arange(n) + rng.uniform(size=n)) * (high - low) / n
    return x, true_function(x) + sigma * rng.normal(size=n)


def draw_test_set(rng, n=100, sigma=SIGMA):
    """n noisy samples at inputs drawn uniformly from [-1, 1], sorted by x."""
    x = np.sort(rng.uniform(*X_RANGE, size=n))
    return x, true_function(x) + sigma * rng.normal(size=n)


def draw_training_sets(num_sets, seed, n=N_TRAIN, sigma=SIGMA):
    """`num_sets` fresh, independent training sets, as a list of (x, y) pairs."""
    rng = np.random.default_rng(seed)
    return [draw_training_set(rng, n, sigma) for _ in range(num_sets)]


def plot_data(ax, x_train, y_train, x_test=None, y_test=None, title=None):
    """The true curve, the training points and (if given) the test points."""
    grid = np.linspace(*X_RANGE, 400)
    ax.plot(grid, true_function(grid), "k--", linewidth=1.5, label="true f(x)")
    if x_test is not None:
        ax.scatter(x_test, y_test, s=14, color="#bbbbbb", label="test set")
    ax.scatter(x_train, y_train, s=30, color="black", zorder=3, label="training set")
    ax.set(xlim=X_RANGE, ylim=Y_LIMITS, xlabel="$x$", ylabel="$y$")
    if title:
        ax.set_title(title)
    ax.legend(loc="lower right", fontsize="small")


def plot_resampled_fits(ax, x_grid, y_hats, title=None):
    """Every fit (one row of y_hats per training set), their mean, and the true curve."""
    y_hats = np.asarray(y_hats, dtype=float)
    ax.plot(x_grid, y_hats.T, color=FIT_COLOR, alpha=min(0.5, 15 / len(y_hats)), linewidth=0.8)
    ax.plot(x_grid, y_hats.mean(axis=0), color=MEAN_COLOR, linewidth=2.5,
            label="mean of the fits")
    ax.plot(x_grid, true_function(x_grid), "k--", linewidth=1.5, label="true f(x)")
    ax.plot([], [], color=FIT_COLOR, label=f"{len(y_hats)} fits")
    ax.set(xlim=X_RANGE, ylim=Y_LIMITS, xlabel="$x$", ylabel=r"$\hat y$")
    if title:
        ax.set_title(title)
    ax.legend(loc="lower right", fontsize="small")


def plot_error_terms(ax, settings, terms, measured=None, xlabel="degree", logx=False):
    """Bias², variance, noise and their sum against a setting (degree or λ), on a log scale.

    `terms` holds one (bias², variance, noise) triple per setting.
    """
    terms = np.asarray(terms, dtype=float)
    for column, (name, color) in enumerate(TERM_COLORS.items()):
        ax.plot(settings, terms[:, column], "o-", color=color, markersize=4, label=name)
    ax.plot(settings, terms.sum(axis=1), "-", color="black", linewidth=2,
            label="bias² + variance + noise")
    if measured is not None:
        ax.plot(settings, measured, "x", color="#ff7f0e", markersize=9, markeredgewidth=2,
                label="measured test error")
    ax.set_yscale("log")
    if logx:  # symlog: linear between 0 and the smallest positive setting, so 0 can show
        smallest = min(s for s in settings if s > 0)
        ax.set_xscale("symlog", linthresh=smallest)
        ax.set_xlim(left=-smallest / 2)
    ax.set(xlabel=xlabel, ylabel="mean squared error")
    ax.legend(fontsize="small")


def plot_error_bars(ax, bias2, variance, noise, measured, limit=0.6):
    """The three terms as bars beside their sum, and the measured test error as a dashed line.

    Bars taller than `limit` are cut at the top and carry their value inside, with an arrow.
    """
    names = list(TERM_COLORS) + ["sum"]
    values = [bias2, variance, noise, bias2 + variance + noise]
    colors = list(TERM_COLORS.values()) + ["black"]
    ax.bar(names, np.minimum(values, limit), color=colors, alpha=0.85)
    for position, value in enumerate(values):
        shown = f"{value:.3f}" if value < 1000 else f"{value:.3g}"
        if value > limit:
            ax.text(position, limit * 0.97, f"↑ {shown}", ha="center", va="top",
                    color="white", fontsize="small", fontweight="bold")
        else:
            ax.text(position, value + 0.01, shown, ha="center", va="bottom", fontsize="small")
    ax.axhline(min(measured, limit * 1.06), color="#ff7f0e", linestyle="--", linewidth=2)
    ax.set(ylim=(0, limit * 1.1), ylabel="mean squared error")
    ax.set_title(f"your bias_variance; dashed: measured test error {measured:.3f}")


L2_CHOICES = [("0", 0.0)] + [(f"{value:g}", value) for value in 10.0 ** np.arange(-7, 2)]


class BiasVarianceExplorer(StudentWidget):
    """Refit the student's polynomial on every training set and split its test error.

    The degree and λ sliders choose the model. The left picture shows every resampled fit
    (the student's `fit` and `predict`), the right one the student's `bias_variance` terms
    beside the test error measured on fresh noisy targets.
    """

    def __init__(self, fit, predict, bias_variance, training_sets, x_test, f_test,
                 sigma=SIGMA, max_degree=15, seed=0):
        self.fit, self.predict, self.bias_variance = fit, predict, bias_variance
        self.training_sets = training_sets
        self.x_test, self.f_test, self.sigma = x_test, np.asarray(f_test, dtype=float), sigma
        rng = np.random.default_rng(seed)  # fresh noisy targets, one row per training set
        self.y_test = self.f_test + sigma * rng.normal(size=(len(training_sets), len(x_test)))
        self.x_grid = np.linspace(*X_RANGE, 200)
        self.degree = widgets.IntSlider(value=3, min=0, max=max_degree, description="degree")
        self.l2 = widgets.SelectionSlider(options=L2_CHOICES, value=0.0, description="L2 λ")
        super().__init__([widgets.HBox([self.degree, self.l2])], width="760px")
        self.on_change(self.redraw, self.degree, self.l2)
        self.redraw()

    def refit(self, degree, l2):
        """The student's fits on every training set, predicted on the grid and the test set."""
        weights = [self.fit(x, y, degree, l2=l2) for x, y in self.training_sets]
        y_hats = np.array([self.predict(w, self.x_grid) for w in weights], dtype=float)
        on_test = np.array([self.predict(w, self.x_test) for w in weights], dtype=float)
        return y_hats, on_test

    def draw(self):
        degree, l2 = self.degree.value, self.l2.value
        model = f"degree {degree}, λ = {l2:g}"
        y_hats, on_test = run_student(None, lambda: self.refit(degree, l2))
        measured = float(np.mean((on_test - self.y_test) ** 2))
        fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
        plot_resampled_fits(left, self.x_grid, y_hats, title=model)
        try:
            bias2, variance, noise = run_student(None, lambda: self.terms(degree, l2))
        except StudentCodeProblem as problem:  # the fits are drawn all the same
            status = str(problem)
            right.axhline(measured, color="#ff7f0e", linestyle="--", linewidth=2)
            right.set_title(f"measured test error {measured:.3f}")
        else:
            plot_error_bars(right, bias2, variance, noise, measured)
            status = (f"{model}: bias² {bias2:.4f} + variance {variance:.4f} + noise "
                      f"{noise:.4f} = <b>{bias2 + variance + noise:.4f}</b>; measured test "
                      f"error <b>{measured:.4f}</b>")
        fig.tight_layout()
        return status, fig

    def terms(self, degree, l2):
        """The student's bias², variance and noise, as three floats."""
        return tuple(float(term) for term in self.bias_variance(
            self.training_sets, self.x_test, self.f_test, self.sigma, degree, l2=l2))
