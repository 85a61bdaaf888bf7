"""What each lesson's text claims about its own output, as code that runs in the kernel right
after the solution notebook (tests/test_prose.py). A claim is one cell of asserts; its first
line, a comment, quotes or names the sentence it checks. Claims about printed output are
checked in tests/test_prose.py itself."""

CLAIMS = {
    "01-perceptron": [
        '''# The AND table of section 3, row by row, is what train does.
table = [  # (epoch, x, y, z, f(z), w after)
    (1, (1, 1, 1), 1, 0, 0, (1, 1, 1)), (1, (1, 1, 0), 0, 2, 1, (0, 0, 1)),
    (1, (1, 0, 1), 0, 1, 1, (-1, 0, 0)), (1, (1, 0, 0), 0, -1, 0, (-1, 0, 0)),
    (2, (1, 1, 1), 1, -1, 0, (0, 1, 1)), (2, (1, 1, 0), 0, 1, 1, (-1, 0, 1)),
    (2, (1, 0, 1), 0, 0, 0, (-1, 0, 1)), (2, (1, 0, 0), 0, -1, 0, (-1, 0, 1)),
    (3, (1, 1, 1), 1, 0, 0, (0, 1, 2)), (3, (1, 1, 0), 0, 1, 1, (-1, 0, 2)),
    (3, (1, 0, 1), 0, 1, 1, (-2, 0, 1)), (3, (1, 0, 0), 0, -2, 0, (-2, 0, 1)),
    (4, (1, 1, 1), 1, -1, 0, (-1, 1, 2)), (4, (1, 1, 0), 0, 0, 0, (-1, 1, 2)),
    (4, (1, 0, 1), 0, 1, 1, (-2, 1, 1)), (4, (1, 0, 0), 0, -2, 0, (-2, 1, 1)),
    (5, (1, 1, 1), 1, 0, 0, (-1, 2, 2)), (5, (1, 1, 0), 0, 1, 1, (-2, 1, 2)),
    (5, (1, 0, 1), 0, 0, 0, (-2, 1, 2)), (5, (1, 0, 0), 0, -2, 0, (-2, 1, 2)),
    (6, (1, 1, 1), 1, 1, 1, (-2, 1, 2)), (6, (1, 1, 0), 0, -1, 0, (-2, 1, 2)),
    (6, (1, 0, 1), 0, 0, 0, (-2, 1, 2)), (6, (1, 0, 0), 0, -2, 0, (-2, 1, 2))]
w, history = train(*logic_gate("AND"))
assert len(history) == len(table) == 24
w_before = np.zeros(3)
for step_number, (entry, row) in enumerate(zip(history, table), start=1):
    epoch, x, target, z, fired, w_after = row
    assert entry["epoch"] == epoch and list(entry["x"]) == list(x) and entry["y"] == target, step_number
    assert float(np.dot(w_before, x)) == z and entry["y_hat"] == fired, step_number
    assert list(entry["w"]) == list(w_after), step_number
    w_before = entry["w"]
assert list(w) == [-2, 1, 2]
# "Steps 7, 19 and 23 ...: there z = 0, the prediction is 0, and it is right."
assert [n for n, row in enumerate(table, start=1) if row[3] == 0 and row[2] == 0] == [7, 14, 19, 23]
assert [n for n, row in enumerate(table, start=1) if row[3] == 0 and row[2] == 1] == [1, 9, 17]
# "which among the four inputs holds only for x1 = x2 = 1"
assert [x for x in [(0, 0), (0, 1), (1, 0), (1, 1)] if -2 + x[0] + 2 * x[1] > 0] == [(1, 1)]
''',
    ],
    "02-losses": [
        '''# The BCE example: 0.1054, 0.2231, 0.5108, mean 0.2798; the slide read literally: 0.2054 - 0.0744 = 0.1310.
y_check, p_check = np.array([1.0, 0.0, 1.0]), np.array([0.9, 0.2, 0.6])
assert [round(-np.log(q), 4) for q in (0.9, 0.8, 0.6)] == [0.1054, 0.2231, 0.5108]
assert round(binary_cross_entropy(y_check, p_check), 4) == 0.2798
first = -np.mean(y_check * np.log(p_check))
second = np.mean((1 - y_check) * np.log(1 - p_check))
assert (round(first, 4), round(second, 4), round(first + second, 4)) == (0.2054, -0.0744, 0.131)
# "A sample then costs at most -log eps = 27.6"; "0.69 at 0.5, 4.6 at 0.01"
assert round(binary_cross_entropy(np.array([1.0]), np.array([0.0])), 1) == 27.6
assert round(binary_cross_entropy(np.array([1.0]), np.array([0.5])), 2) == 0.69
assert round(binary_cross_entropy(np.array([1.0]), np.array([0.01])), 1) == 4.6
# "to them, being sure of the wrong class costs only four times (MSE) or twice (MAE) as much" as 0.5
assert mse(np.array([1.0]), np.array([0.0])) == 4 * mse(np.array([1.0]), np.array([0.5]))
assert mae(np.array([1.0]), np.array([0.0])) == 2 * mae(np.array([1.0]), np.array([0.5]))
''',
        '''# The CCE example: 0.3567, 0.5108, 1.6094, mean 0.8256.
P_check = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.5, 0.2, 0.3]])
assert [round(-np.log(q), 4) for q in (0.7, 0.6, 0.2)] == [0.3567, 0.5108, 1.6094]
assert round(categorical_cross_entropy(np.array([0, 2, 1]), P_check), 4) == 0.8256
# "With C = 2 and the rows (1 - y_hat, y_hat), CCE is BCE."
q = np.array([0.3, 0.8, 0.55])
assert np.isclose(categorical_cross_entropy(np.array([0, 1, 1]), np.column_stack([1 - q, q])),
                  binary_cross_entropy(np.array([0.0, 1.0, 1.0]), q))
''',
        '''# The regression example: MSE 1.3125, MAE 0.875, RMSE 1.1456.
y_check, y_hat_check = np.array([2.0, 0.0, 1.0, 5.0]), np.array([1.0, 0.5, 1.0, 3.0])
assert (mse(y_check, y_hat_check), mae(y_check, y_hat_check)) == (1.3125, 0.875)
assert round(rmse(y_check, y_hat_check), 4) == 1.1456
''',
        '''# The widget: "BCE's gradient plunges to -1/(4 * 0.01) = -25, MSE's never gets steeper than -0.5";
# "MAE's gradient is +-1/4 wherever you are"; "RMSE and MAE no longer coincide" with four samples.
from helpers.losses import sweep
bce_values, bce_slopes = sweep(binary_cross_entropy, 1)
assert round(bce_slopes[0], 1) == -25.0
mse_slopes = sweep(mse, 1)[1]
assert mse_slopes.min() >= -0.5 and mse_slopes.min() < -0.49
assert np.allclose(np.abs(sweep(mae, 1)[1]), 0.25) and np.allclose(np.abs(sweep(mae, 0)[1]), 0.25)
assert not np.allclose(sweep(rmse, 1)[0], sweep(mae, 1)[0])
''',
    ],
    "03-mae-vs-rmse": [
        '''# "The absolute errors add up to 5.5 ... the squared errors add up to 11.25, so the MSE is 2.25"
e_check = np.array([21.0, 18.5, 25.0, 30.0, 16.0]) - np.array([20.0, 19.5, 22.0, 30.5, 16.0])
assert (np.abs(e_check).sum(), (e_check ** 2).sum(), np.mean(e_check ** 2)) == (5.5, 11.25, 2.25)
# The three cases: sums 20/40, 20/50, 20/400 and the slides' MAE and RMSE.
for errors, (square_sum, slide_rmse) in zip(SLIDE_CASES.values(), [(40, 2.000), (50, 2.236), (400, 6.325)]):
    assert errors.sum() == 20 and (errors ** 2).sum() == square_sum
    assert round(rmse(errors, 0 * errors), 3) == slide_rmse and mae(errors, 0 * errors) == 2
# "when it all lands on one sample it is sqrt(10) = 3.16 times case 1's (6.325 against 2)"
assert round(rmse(SLIDE_CASES["Case 3: large error outlier"], np.zeros(10)) / 2, 2) == round(np.sqrt(10), 2) == 3.16
''',
        '''# "normal errors settle near sqrt(pi/2) = 1.25 whatever n is, heavy-tailed errors climb towards sqrt n"
rng_check = np.random.default_rng(7)
for n in (10, 40):
    ratios = [rmse(e, 0 * e) / mae(e, 0 * e) for e in (random_errors(rng_check, n, "normal") for _ in range(300))]
    assert abs(np.median(ratios) - np.sqrt(np.pi / 2)) < 0.06, (n, np.median(ratios))
heavy = [np.median([rmse(e, 0 * e) / mae(e, 0 * e) for e in (random_errors(rng_check, n, "heavy-tailed")
                                                               for _ in range(300))]) for n in (5, 40)]
assert heavy[1] > heavy[0] and heavy[1] > 1.5, heavy
''',
        '''# "predicting 2,000 for 1,000 costs log(2001/1001) = 0.69, as does 20,000 for 10,000; 2 for 1 only log(3/2) = 0.41";
# "for a target of 100, predicting 0 costs 1 (100 %), while predicting 300 costs 2"; "a 17 % miss on the cheapest house"
assert round(rmsle([1000.0], [2000.0]), 2) == round(rmsle([10000.0], [20000.0]), 2) == 0.69
assert round(rmsle([1.0], [2.0]), 2) == 0.41
assert (mape([100.0], [0.0]), mape([100.0], [300.0])) == (1.0, 2.0)
assert round(mape([90e3], [105e3]), 2) == 0.17
''',
        '''# The widget: "Press slides' case 3, then set the other errors to 2: the RMSE barely moves, the MAE jumps";
# "Increase the number of outliers to 10. With all errors the same size again, MAE and RMSE meet"
case_3 = SLIDE_CASES["Case 3: large error outlier"]
others_at_2 = np.where(case_3 == 0, 2.0, case_3)
rmse_moves = rmse(others_at_2, 0 * case_3) - rmse(case_3, 0 * case_3)
mae_moves = mae(others_at_2, 0 * case_3) - mae(case_3, 0 * case_3)
assert rmse_moves < 0.3 and mae_moves > 1.5 and mae_moves > 5 * rmse_moves, (rmse_moves, mae_moves)
all_outliers = np.full(10, 17.0)
assert np.isclose(mae(all_outliers, 0 * all_outliers), rmse(all_outliers, 0 * all_outliers))
''',
    ],
    "04-optimizers": [
        """# Section 9, the saddle point: "Plain gradient descent started exactly on the line y = 0 slides
# into the saddle and stays there forever"; "started a hair off the line ... it escapes, but only after
# a long stall; the smaller the hair, the longer"; "about 45 steps in which the loss barely changes".
escape = {}
for start_y in [0.0, 1e-12, 1e-6, 1e-3]:
    saddle_path = follow(SGD(lr=0.1), "Saddle", num_steps=400, start=(-1.5, start_y))
    escaped = np.flatnonzero(np.abs(saddle_path[:, 1]) > 0.5)
    escape[start_y] = int(escaped[0]) if escaped.size else None
at_zero = follow(SGD(lr=0.1), "Saddle", num_steps=400, start=(-1.5, 0.0))[-1]
assert escape[0.0] is None and np.abs(at_zero).max() < 1e-9, at_zero
assert escape[1e-12] > escape[1e-6] > escape[1e-3] > 0, escape
# The stall: the loss stays near the saddle's value (0.25 above the minima's) while the tiny y part grows.
stall_loss = losses("Saddle", follow(SGD(lr=0.1), "Saddle", num_steps=200, start=(-1.5, 1e-3)))
saddle_loss = float(losses("Saddle", np.zeros((1, 2)))[0])
stall = int(np.sum(np.abs(stall_loss - saddle_loss) < 0.02))
assert 35 <= stall <= 55, f"the stall lasts {stall} steps, the text says about 45"
""",
        """# Section 9's races: on Rosenbrock "Momentum ... gets by far the closest to the minimum at (1, 1)";
# on two valleys "Momentum ... settles in the deep one", while "with momentum 0.5, or with lr=0.03, or from
# the start (2.2, 1.4), it ends in the shallow valley after all" and "RMSprop and Adam stop in the shallow
# valley like plain descent".
def end(optimizer, surface, num_steps, start=None):
    return follow(optimizer, surface, num_steps=num_steps, start=start)[-1]
distance = {name: float(np.linalg.norm(end(cls(**settings), "Rosenbrock", 300) - 1))
            for name, (cls, settings) in contenders.items()}
assert distance["Momentum"] < 0.5 * min(d for name, d in distance.items() if name != "Momentum"), distance
valleys = {
    "SGD": end(SGD(lr=0.02), "Two valleys", 200),
    "Momentum": end(SGD(lr=0.02, momentum=0.9), "Two valleys", 200),
    "RMSprop": end(RMSprop(lr=0.02), "Two valleys", 200),
    "Adam": end(Adam(lr=0.05), "Two valleys", 200),
    "Momentum 0.5": end(SGD(lr=0.02, momentum=0.5), "Two valleys", 200),
    "Momentum lr=0.03": end(SGD(lr=0.03, momentum=0.9), "Two valleys", 200),
    "Momentum from (2.2, 1.4)": end(SGD(lr=0.02, momentum=0.9), "Two valleys", 200, start=(2.2, 1.4)),
}
assert valleys["Momentum"][0] < 0, valleys  # the deep valley is near x = -1.04
assert all(point[0] > 0 for name, point in valleys.items() if name != "Momentum"), valleys
""",
        """# Many starts at once: "each point ends in one of the four minima", and Adam follows torch.optim.Adam.
assert int(np.sum(final_loss < 1e-6)) == 49, final_loss
assert float(np.abs(path - reference).max()) < 1e-8
""",
        """# Section 11, a stochastic loss: the neuron's bowl, full batch against minibatches, the schedule, Adam.
from helpers.optimizers import loss_per_epoch
# "the second feature is spread only a third as wide as the first, so the curvature along w2 is about
# 0.23 against 2.2 along w1, and a step of lr = 0.1 shrinks the remaining distance in w2 by only about 2 %"
spread = X_fit.std(axis=0)
assert 0.3 < spread[1] / spread[0] < 0.4, spread
curvatures = np.linalg.eigvalsh(2 * X_fit.T @ X_fit / len(y_fit))
assert (round(curvatures[0], 2), round(curvatures[1], 1)) == (0.23, 2.2), curvatures
assert 0.015 < 0.1 * curvatures[0] < 0.025
names = list(runs)  # full batch, batches of 10, with the schedule, Adam
per_epoch = {name: loss_per_epoch(neuron, runs[name], 20) for name in names}
assert [len(runs[name]) - 1 for name in names] == [20, 400, 400, 400]
# "Full batch is still far from the minimum after 20 epochs (J - J* about 0.4)"
assert 0.35 < per_epoch["full batch"][-1] < 0.45, per_epoch["full batch"][-1]
# "after two epochs they are closer than full batch gets in twenty"
assert per_epoch["batches of 10"][2] < per_epoch["full batch"][-1]
# "over epochs 11 to 20 the loss jumps up and down by a factor of more than 100"
late = {name: per_epoch[name][11:] for name in names}
assert late["batches of 10"].max() > 100 * late["batches of 10"].min(), late["batches of 10"]
# "The schedule takes exactly the same path for the first 5 epochs"; "over epochs 11 to 20 its loss stays
# below 1e-3, while the constant lr's reaches 1e-2"
scheduled = "batches of 10, lr halved every 5 epochs"
assert np.array_equal(runs[scheduled][:101], runs["batches of 10"][:101])
assert late[scheduled].max() < 1e-3 and late["batches of 10"].max() > 7e-3, (late[scheduled], late["batches of 10"])
# "Adam jitters too"
assert late["Adam, batches of 10"].max() > 50 * late["Adam, batches of 10"].min(), late["Adam, batches of 10"]
# "follows torch.optim.SGD with StepLR on the same batches to the last bit of rounding"
assert np.abs(runs[scheduled] - torch_path).max() < 1e-14
""",
    ],
    "05-bias-variance": [
        """# Early stopping: the fit "learns the smooth shape first and the noise much later".
cubic_train_mse = float(np.mean((predict(w_cubic, x_train) - y_train) ** 2))
train_at_stop, train_at_end = float(curves["training"][stop]), float(curves["training"][-1])
test_at_stop, test_at_end = float(curves["test"][stop]), float(curves["test"][-1])
assert 10 <= stop + 1 <= num_epochs // 100, f"stop at epoch {stop + 1}"
# "about the same training error as degree 3" at the stop, "about half of that" at the end
assert abs(train_at_stop - cubic_train_mse) <= 0.15 * cubic_train_mse, (train_at_stop, cubic_train_mse)
assert train_at_end <= 0.6 * train_at_stop, (train_at_end, train_at_stop)
# the test error "grown many times over" at the end; near its minimum at the stop, close to but
# not below the best small model
assert test_at_end >= 5 * test_at_stop, (test_at_end, test_at_stop)
assert test_at_stop <= 1.1 * float(curves["test"].min())
assert float(cubic_test_mse) <= test_at_stop <= 1.2 * float(cubic_test_mse), (test_at_stop, cubic_test_mse)
# "even the true curve f scores only about 0.06" on these 20 points
assert 0.05 <= float(np.mean((true_function(x_train) - y_train) ** 2)) <= 0.07
assert int(best) == 3, "the text calls degree 3 the best polynomial of section 4"
""",
        """# Degree 15's test error is in the hundreds; augmentation, double descent, flat and sharp minima.
assert test_errors[15] > 100 * 0.09, "at degree 15 the average test error is in the hundreds"
plain, augmented = float(np.mean(plain_errors)), float(np.mean(augmented_errors))
assert augmented < 0.2 * plain and augmented < 1.2 * min(test_errors), (plain, augmented)
small, at_threshold, wide = (float(test_mse[sizes < 20].min()), float(test_mse[sizes == 20][0]),
                             float(test_mse[-1]))
assert at_threshold > 100 * small, "the test error peaks by orders of magnitude at p = N"
assert small < wide < 2 * small, "the second descent comes close to, not below, the best small model"
assert float(test_loss(-1.5)) < 0.1 < 0.5 < float(test_loss(1.5))
""",
    ],
    "06-backprop": [
        '''# The worked example's forward table: z1 = (0.5, -0.5), h = (0.6225, 0.3775), z2 = 0.3674, y_hat = 0.5908, J = 0.5262.
y_hat_check, cache_check = forward(X_example, example_params, "sigmoid")
assert np.allclose(cache_check["Z1"], [[0.5, -0.5]])
assert list(cache_check["H"][0].round(4)) == [0.6225, 0.3775]
assert round(float(cache_check["H"][0] @ example_params["w2"] + example_params["b2"]), 4) == 0.3674
assert round(float(y_hat_check[0]), 4) == 0.5908
assert round(binary_cross_entropy(y_example, y_hat_check), 4) == 0.5262
# ... and its backward table.
grads_check = backward(example_params, cache_check, y_example, "sigmoid")
assert round(grads_check["b2"], 4) == -0.4092
assert list(grads_check["w2"].round(4)) == [-0.2547, -0.1545]
assert list((grads_check["b2"] * example_params["w2"]).round(4)) == [-0.4092, 0.8183]
assert list(sigmoid_derivative(np.array([0.5, -0.5])).round(4)) == [0.235, 0.235]
assert list(grads_check["b1"].round(4)) == [-0.0962, 0.1923]
assert np.allclose(grads_check["W1"].round(4), [[-0.0962, 0.1923], [0, 0]])
''',
        '''# The widget: "1 hidden unit ... gets at most 3 of the 4 rows right"; "At 0.01 the loss falls only a little";
# "with 2 units, a loss that stops near 0.35 = log(2)/2 ... does not leave it, even in many more epochs"
X_xor, y_xor = xor_data()
for activation in ("sigmoid", "tanh", "relu"):
    for seed in range(1, 11):
        params_check, _ = train(X_xor, y_xor, hidden_units=1, activation=activation, seed=seed)
        right = int(np.sum((forward(X_xor, params_check, activation)[0] > 0.5) == (y_xor == 1)))
        assert right <= 3, (activation, seed, right)
_, slow = train(X_xor, y_xor, hidden_units=4, activation="tanh", lr=0.01)
assert slow[-1] > 0.55 and slow[0] - slow[-1] < 0.1, (slow[0], slow[-1])
stuck = [seed for seed in range(1, 11)
         if abs(train(X_xor, y_xor, hidden_units=2, activation="tanh", seed=seed)[1][-1] - np.log(2) / 2) < 0.02]
assert stuck, "no seed of the widget gets stuck near log(2)/2 with 2 tanh units"
longer = train(X_xor, y_xor, hidden_units=2, activation="tanh", seed=stuck[0], num_epochs=5000)[1]
assert abs(longer[-1] - np.log(2) / 2) < 0.02, longer[-1]
# "at 10 the first steps overshoot, the loss jumps up and down"
jumpy = train(X_xor, y_xor, hidden_units=4, activation="tanh", lr=10.0)[1]
assert np.sum(np.diff(jumpy[:100]) > 0) >= 3, np.round(jumpy[:10], 3)
''',
    ],
    "07-training-in-practice": [
        """# "All four end with a lower validation loss" than no regularizer, none reaches a much lower
# minimum, and the model each keeps has the validation loss the table reports.
def val_loss_of(model):
    model.eval()
    with torch.no_grad():
        return nn.BCEWithLogitsLoss()(model(X_val_t), y_val_t).item()
plain = histories["no regularizer"]
for name in ["dropout", "weight decay", "early stopping", "adaptive learning rate"]:
    assert histories[name]["final_val"] < 0.5 * plain["final_val"], (name, histories[name]["final_val"])
    assert min(histories[name]["val"]) > 0.9 * min(plain["val"]), f"{name} reaches a much lower minimum"
assert histories["weight decay"]["final_val"] < 1.1 * min(histories["weight decay"]["val"])
for name, history in histories.items():
    assert np.isclose(val_loss_of(models[name]), history["final_val"], rtol=1e-5), (
        f"{name}: the kept model's validation loss is not the reported {history['final_val']}")
assert chosen == "weight decay" and bool(same)
assert 0.05 <= threshold <= 0.95, threshold
""",
        """# Early stopping restores the best weights on both paths: patience runs out, and num_epochs is reached first.
for settings, expected_epochs in [(dict(num_epochs=60, patience=5), None), (dict(num_epochs=8, patience=100), 8)]:
    model = new_model()
    history = fit(model, batches(), name=f"early stopping, {settings}", **settings)
    epochs, best_epoch = len(history["val"]), history["best_epoch"]
    if expected_epochs is None:
        assert epochs == best_epoch + 5 < 60, (epochs, best_epoch)
    else:
        assert epochs == expected_epochs, epochs
    assert history["kept_epoch"] == best_epoch, history["kept_epoch"]
    assert np.isclose(history["final_val"], min(history["val"]), rtol=1e-9)
    assert np.isclose(val_loss_of(model), min(history["val"]), rtol=1e-5), (val_loss_of(model), min(history["val"]))
""",
        """# Batch normalization: "without it the loss stays at log 2", with it the loss falls far; the loss
# landscape: the unregularized network sits lower but in a much sharper minimum than weight decay's.
plain_losses = deep_losses["8 sigmoid layers"]
normalized = deep_losses["8 sigmoid layers with batch normalization"]
assert all(abs(loss - np.log(2)) < 0.01 for loss in plain_losses), "without BN the loss stays at log 2"
assert normalized[-1] < 0.5 * np.log(2), "with BN the loss falls far"
at_trained = {name: loss_slice(models[name], X_all, y_all, [0.0])[0, 0].item() for name in sharpness}
assert at_trained["no regularizer"] < at_trained["weight decay"], "the unregularized network has the lower training loss"
assert sharpness["no regularizer"] > 5 * sharpness["weight decay"], sharpness
assert sharpness["no regularizer"] > 10 * at_trained["no regularizer"], (sharpness, at_trained)
""",
    ],
}
