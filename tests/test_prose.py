"""What a lesson's text says about its own output is true (checked prose).

The claims recomputed in the kernel live in tests/claims.py; the claims about what a cell
prints are checked here, on the solution notebook as it ran headless. A numpy or torch
upgrade that changes an output then fails a test instead of making the text false."""
import re

import pytest

from tests.claims import CLAIMS
from tests.support import errors, per_lesson, to_json

NUMBER = r"[-+]?\d[\d,]*\.?\d*(?:e[-+]?\d+)?"


def printed(cells, marker):
    """The stdout of the one code cell whose source contains `marker`."""
    found = [c for c in cells if c.cell_type == "code" and marker in c.source]
    assert len(found) == 1, f"{len(found)} cells contain {marker!r}"
    return "".join(o.get("text", "") for o in found[0].outputs if o.get("name") == "stdout")


def numbers(text):
    return [float(n.replace(",", "")) for n in re.findall(NUMBER, text)]


@pytest.mark.slow
@pytest.mark.parametrize("lesson", per_lesson([(lesson,) for lesson in CLAIMS], shares="solution-run"))
def test_claims_recomputed_after_the_lesson_hold(solution_run, lesson):
    _, claims = solution_run(lesson)
    failed = {c.source.splitlines()[0]: errors(c) for c in claims if errors(c)}
    assert not failed, f"claims of {lesson}'s text that are false: {to_json(failed)}"


@pytest.mark.slow
@pytest.mark.parametrize("lesson", per_lesson([("01-perceptron",)], shares="solution-run"))
def test_01_xor_loops_with_the_same_weights_and_never_stops_erring(solution_run, lesson):
    lines = printed(solution_run(lesson)[0], 'X, y = logic_gate("XOR")').splitlines()
    assert len(lines) == 10
    for line in lines:  # "epoch  1: 3 mistakes, w at the end = [0. 1. 0.]"
        mistakes = int(re.search(r": (\d+) mistakes", line).group(1))
        assert mistakes > 0 and line.endswith("w at the end = [0. 1. 0.]"), line


@pytest.mark.slow
@pytest.mark.parametrize("lesson", per_lesson([("02-losses",)], shares="solution-run"))
def test_02_printed_claims(solution_run, lesson):
    cells, _ = solution_run(lesson)
    # "They should agree to at least six digits."
    lines = printed(cells, "yours = {").splitlines()
    assert len(lines) == 5
    for line in lines:
        yours, pytorch = numbers(line.split(":", 1)[1])
        assert abs(yours - pytorch) < 1e-6, line
    # The finite difference, autograd and the exact -1 / (N y_hat_1) agree.
    measured, autograd, exact = (numbers(line.split(":", 1)[1])[0]
                                 for line in printed(cells, "central_difference(binary_cross_entropy").splitlines())
    assert abs(measured - exact) < 1e-5 and abs(autograd - exact) < 1e-6
    # "Every ratio is 1 / (2 RMSE): about 0.18 far from the targets, ... about 5.8 close to them"
    ratios = {}
    for line in printed(cells, "slope_rmse / slope_mse").splitlines():
        name = line.split(":", 1)[0].strip()
        ratio, *_, one_over_two_rmse = numbers(line.split("ratio =", 1)[1])
        ratios[name] = (ratio, one_over_two_rmse)
        assert abs(ratio - one_over_two_rmse) < 1e-3, line
    assert round(ratios["far"][0], 2) == 0.18 and round(ratios["close"][0], 1) == 5.8, ratios


@pytest.mark.slow
@pytest.mark.parametrize("lesson", per_lesson([("03-mae-vs-rmse",)], shares="solution-run"))
def test_03_printed_claims(solution_run, lesson):
    cells, _ = solution_run(lesson)
    assert printed(cells, "print(f\"MAE = {mae(y, y_hat)").strip() == (
        "MAE = 1.10 °C, RMSE = 1.50 °C for the five cities.")
    # "counts the vectors that break the bounds (there should be none)"
    assert printed(cells, "random error vectors break").startswith("0 of 3000 ")
    # "the best c under the MAE is the median ... under the RMSE ... their mean"
    best_mae, median, best_rmse, mean = numbers(printed(cells, "sales = np.array"))
    assert best_mae == median and abs(best_rmse - mean) <= 0.05
    # "Model A wins on RMSE (15,000 € against about 45,700 €); model B wins on MAPE (0.050
    # against 0.076) and on RMSLE (0.050 against 0.094)"
    a, b = (numbers(line.split(":", 1)[1]) for line in printed(cells, "model_a = prices").splitlines())
    assert a == [15000, 0.076, 0.094] and round(b[0], -2) == 45700 and b[1:] == [0.05, 0.05]


@pytest.mark.slow
@pytest.mark.parametrize("lesson", per_lesson([("06-backprop",)], shares="solution-run"))
def test_06_printed_claims(solution_run, lesson):
    cells, _ = solution_run(lesson)
    # "Differences of about 1e-8 or smaller from finite differences, and at the level of
    # rounding (1e-16) from autograd"
    finite = [numbers(line)[-1] for line in printed(cells, "numerical_gradients(\n").splitlines()]
    autograd = [numbers(line)[-1] for line in printed(cells, "torch_gradients(params_check").splitlines()]
    assert len(finite) == len(autograd) == 3
    assert max(finite) < 1e-7 and max(autograd) < 1e-13, (finite, autograd)
    # "Four hidden tanh units learn XOR: every y_hat ends on the right side of 0.5."
    run = printed(cells, "print(\"X =\\n\", X)")
    assert run.rstrip().endswith("predictions: [0 1 1 0]"), run
    losses = [float(v) for v in re.findall(r"J = (\d\.\d+)", run)]
    assert len(losses) == 4 and losses == sorted(losses, reverse=True), losses
