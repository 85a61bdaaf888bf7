"""What the text of lessons 04, 05 and 07 says about its own output is what the output shows.

Each solution notebook runs once in a real kernel (the `solution_run` the other checks of it
share); a last cell, tests/claims.py's FIGURES, collects the numbers the prose talks about and
prints them as JSON. An upgrade of numpy or torch that makes a sentence false fails here.
"""
import json
import math

import pytest

from support import errors, shared_by, to_json

MARKER = "FIGURES "


@pytest.fixture
def claims(solution_run):
    """claims(lesson): the numbers the lesson's prose talks about, from its solution's one run."""
    def get(lesson):
        figures = solution_run(lesson)[1][-1]
        assert not errors(figures), f"collecting {lesson}'s figures failed: {to_json(errors(figures))}"
        text = "".join(o.get("text", "") for o in figures.outputs if o.get("name") == "stdout")
        return json.loads(text.split(MARKER, 1)[1])

    return get


def runs_with_solution_of(lesson):
    """Run on the worker that runs `lesson`'s solution for the other tests, once for all."""
    return pytest.mark.xdist_group(shared_by(lesson, "solution-run"))


@pytest.mark.slow
@runs_with_solution_of("04-optimizers")
def test_lesson_04_saddle_point_and_stall(claims):
    c = claims("04-optimizers")
    escapes = c["saddle_escape"]
    assert escapes["0.0"] is None and max(map(abs, c["saddle_at_zero"])) < 1e-9, (
        "on the line y = 0 gradient descent should slide into the saddle and stay")
    # "the smaller the hair, the longer"
    assert escapes["1e-12"] > escapes["1e-06"] > escapes["0.001"] > 0, escapes
    # "about 45 steps in which the loss barely changes": the loss stays near the saddle's value
    # (0.25 above the minima's) while the tiny y part grows
    stall = sum(abs(loss - c["saddle_loss"]) < 0.02 for loss in c["stall_loss"])
    assert 35 <= stall <= 55, f"the stall lasts {stall} steps, the text says about 45"


@pytest.mark.slow
@runs_with_solution_of("04-optimizers")
def test_lesson_04_races(claims):
    c = claims("04-optimizers")
    distance = c["rosenbrock_distance"]
    others = [d for name, d in distance.items() if name != "Momentum"]
    assert distance["Momentum"] < 0.5 * min(others), f"Momentum should get by far the closest: {distance}"
    deep = lambda name: c["valleys"][name][0] < 0  # the deep valley is near x = -1.04
    assert deep("Momentum"), c["valleys"]
    for name in ["SGD", "RMSprop", "Adam", "Momentum 0.5", "Momentum lr=0.03", "Momentum from (2.2, 1.4)"]:
        assert not deep(name), f"{name} should end in the shallow valley: {c['valleys'][name]}"
    assert c["himmelblau_minima"] == 49, "each of the 49 starts should end in a minimum"
    assert c["himmelblau_torch_difference"] < 1e-8


@pytest.mark.slow
@runs_with_solution_of("05-bias-variance")
def test_lesson_05_early_stopping_learns_the_shape_first(claims):
    c = claims("05-bias-variance")
    train_at_stop, train_at_end, _ = c["curves"]["training"]
    test_at_stop, test_at_end, test_lowest = c["curves"]["test"]
    assert 10 <= c["stop_epoch"] <= c["num_epochs"] // 100, f"stop at epoch {c['stop_epoch']}"
    # "about the same training error as degree 3" at the stop, "about half of that" at the end
    assert abs(train_at_stop - c["cubic_train_mse"]) <= 0.15 * c["cubic_train_mse"], c
    assert train_at_end <= 0.6 * train_at_stop
    # the test error "grown many times over" at the end; near its minimum at the stop,
    # close to but not below the best small model
    assert test_at_end >= 5 * test_at_stop
    assert test_at_stop <= 1.1 * test_lowest
    assert c["cubic_test_mse"] <= test_at_stop <= 1.2 * c["cubic_test_mse"]
    # "even the true curve f scores only about 0.06" on these 20 points
    assert 0.05 <= c["true_curve_train_mse"] <= 0.07
    assert c["best_degree"] == 3, "the text calls degree 3 the best polynomial of section 4"


@pytest.mark.slow
@runs_with_solution_of("05-bias-variance")
def test_lesson_05_other_demonstrations(claims):
    c = claims("05-bias-variance")
    errors = c["test_errors"]
    assert errors[15] > 100 * 0.09, "at degree 15 the average test error is in the hundreds"
    plain, augmented = c["augmentation"]
    assert augmented < 0.2 * plain and augmented < 1.2 * min(errors)
    small, at_threshold, wide = c["double_descent"]
    assert at_threshold > 100 * small, "the test error peaks by orders of magnitude at p = N"
    assert small < wide < 2 * small, "the second descent comes close to, not below, the best small model"
    flat, sharp = c["flat_sharp_test_loss"]
    assert flat < 0.1 < 0.5 < sharp


@pytest.mark.slow
@runs_with_solution_of("07-training-in-practice")
def test_lesson_07_regularizers_end_lower(claims):
    c = claims("07-training-in-practice")
    histories = c["histories"]
    plain = histories["no regularizer"]
    for name in ["dropout", "weight decay", "early stopping", "adaptive learning rate"]:
        assert histories[name]["final_val"] < 0.5 * plain["final_val"], f"{name}: {histories[name]}"
        assert histories[name]["lowest_val"] > 0.9 * plain["lowest_val"], "none reaches a much lower minimum"
    assert histories["weight decay"]["final_val"] < 1.1 * histories["weight decay"]["lowest_val"]
    for name, value in c["kept_models_val"].items():
        assert math.isclose(value, histories[name]["final_val"], rel_tol=1e-5), (
            f"{name}: the kept model's validation loss {value} is not the reported {histories[name]['final_val']}")
    assert c["chosen"] == "weight decay" and c["scheduler_same_as_torch"]
    assert 0.05 <= c["threshold"] <= 0.95


@pytest.mark.slow
@runs_with_solution_of("07-training-in-practice")
def test_lesson_07_early_stopping_restores_the_best_weights_on_both_paths(claims):
    paths = claims("07-training-in-practice")["paths"]
    ran_out, reached = paths["patience runs out"], paths["num_epochs reached"]
    assert ran_out["epochs"] == ran_out["best_epoch"] + 5 < 60, ran_out
    assert reached["epochs"] == 8, reached
    for path in (ran_out, reached):
        assert path["kept_epoch"] == path["best_epoch"]
        assert math.isclose(path["final_val"], path["lowest_val"], rel_tol=1e-9)
        assert math.isclose(path["model_val"], path["lowest_val"], rel_tol=1e-5), path


@pytest.mark.slow
@runs_with_solution_of("07-training-in-practice")
def test_lesson_07_batch_norm_and_landscape(claims):
    c = claims("07-training-in-practice")
    plain = c["deep_losses"]["8 sigmoid layers"]
    normalized = c["deep_losses"]["8 sigmoid layers with batch normalization"]
    assert all(abs(loss - math.log(2)) < 0.01 for loss in plain), "without BN the loss stays at log 2"
    assert normalized[-1] < 0.5 * math.log(2), "with BN the loss falls far"
    sharp, flat = c["sharpness"]["no regularizer"], c["sharpness"]["weight decay"]
    at_sharp, at_flat = (c["loss_at_trained_weights"][name] for name in ["no regularizer", "weight decay"])
    assert at_sharp < at_flat, "the unregularized network has the lower training loss"
    assert sharp > 5 * flat and sharp > 10 * at_sharp, c["sharpness"]
