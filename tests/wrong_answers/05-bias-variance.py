"""Plausible wrong answers to lesson 05; each must lose its exercise's points and no others."""

WRONG_ANSWERS = {
    "bv_features": {
        "no_constant_column": '''
def polynomial_features(x, degree):
    return np.asarray(x, dtype=float)[:, None] ** np.arange(1, degree + 1)
''',
        "stops_one_power_short": '''
def polynomial_features(x, degree):
    return np.asarray(x, dtype=float)[:, None] ** np.arange(degree)
''',
        "highest_power_first": '''
def polynomial_features(x, degree):
    return np.vander(np.asarray(x, dtype=float), degree + 1)
''',
        "powers_as_rows": '''
def polynomial_features(x, degree):
    return np.array([np.asarray(x, dtype=float) ** k for k in range(degree + 1)])
''',
    },
    "bv_fit": {
        "penalizes_the_intercept": '''
def fit(x, y, degree, l2=0.0):
    X = polynomial_features(x, degree)
    return np.linalg.solve(X.T @ X + l2 * np.eye(degree + 1), X.T @ np.asarray(y, dtype=float))
''',
        "ignores_l2": '''
def fit(x, y, degree, l2=0.0):
    return np.linalg.lstsq(polynomial_features(x, degree), np.asarray(y, dtype=float), rcond=None)[0]
''',
        "penalty_rows_without_square_root": '''
def fit(x, y, degree, l2=0.0):
    X = polynomial_features(x, degree)
    A = np.vstack([X, len(X) * l2 * np.eye(degree + 1)[1:]])
    b = np.concatenate([np.asarray(y, dtype=float), np.zeros(degree)])
    return np.linalg.lstsq(A, b, rcond=None)[0]
''',
        "sum_of_squares_in_the_objective": '''
def fit(x, y, degree, l2=0.0):
    X = polynomial_features(x, degree)
    D = np.eye(degree + 1)
    D[0, 0] = 0.0
    return np.linalg.solve(X.T @ X + l2 * D, X.T @ np.asarray(y, dtype=float))
''',
    },
    "bv_predict": {
        "highest_power_first_like_polyval": '''
def predict(w, x):
    return np.polyval(w, x)
''',
        "drops_the_intercept": '''
def predict(w, x):
    return polynomial_features(x, len(w) - 1)[:, 1:] @ np.asarray(w, dtype=float)[1:]
''',
        "degree_off_by_one": '''
def predict(w, x):
    return polynomial_features(x, len(w)) @ np.asarray(w, dtype=float)
''',
    },
    "bv_decomposition": {
        "variance_across_points_not_refits": '''
def bias_variance(training_sets, x_test, f_test, sigma, degree, l2=0.0):
    y_hats = np.array([predict(fit(x, y, degree, l2=l2), x_test) for x, y in training_sets])
    mean_prediction = y_hats.mean(axis=0)
    bias2 = np.mean((mean_prediction - f_test) ** 2)
    variance = np.mean(y_hats.var(axis=1))
    return bias2, variance, sigma ** 2
''',
        "bias_not_squared": '''
def bias_variance(training_sets, x_test, f_test, sigma, degree, l2=0.0):
    y_hats = np.array([predict(fit(x, y, degree, l2=l2), x_test) for x, y in training_sets])
    mean_prediction = y_hats.mean(axis=0)
    bias = np.mean(mean_prediction - f_test)
    variance = np.mean((y_hats - mean_prediction) ** 2)
    return bias, variance, sigma ** 2
''',
        "squares_the_average_bias": '''
def bias_variance(training_sets, x_test, f_test, sigma, degree, l2=0.0):
    y_hats = np.array([predict(fit(x, y, degree, l2=l2), x_test) for x, y in training_sets])
    mean_prediction = y_hats.mean(axis=0)
    bias2 = np.mean(mean_prediction - f_test) ** 2
    variance = np.mean((y_hats - mean_prediction) ** 2)
    return bias2, variance, sigma ** 2
''',
        "noise_not_squared": '''
def bias_variance(training_sets, x_test, f_test, sigma, degree, l2=0.0):
    y_hats = np.array([predict(fit(x, y, degree, l2=l2), x_test) for x, y in training_sets])
    mean_prediction = y_hats.mean(axis=0)
    bias2 = np.mean((mean_prediction - f_test) ** 2)
    variance = np.mean((y_hats - mean_prediction) ** 2)
    return bias2, variance, sigma
''',
        "variance_with_s_minus_one": '''
def bias_variance(training_sets, x_test, f_test, sigma, degree, l2=0.0):
    y_hats = np.array([predict(fit(x, y, degree, l2=l2), x_test) for x, y in training_sets])
    mean_prediction = y_hats.mean(axis=0)
    bias2 = np.mean((mean_prediction - f_test) ** 2)
    variance = np.mean(y_hats.var(axis=0, ddof=1))
    return bias2, variance, sigma ** 2
''',
    },
}

# Wrong answers that pass every visible check: only the hidden tests catch them, and they
# must cost the whole exercise.
HIDDEN_ONLY = {
    "bv_features": {
        "rejects_lists": '''
def polynomial_features(x, degree):
    return x.reshape(-1, 1) ** np.arange(degree + 1)
''',
    },
    "bv_fit": {
        "penalty_scaled_by_number_of_weights_not_samples": '''
def fit(x, y, degree, l2=0.0):
    X = polynomial_features(x, degree)
    D = np.eye(degree + 1)
    D[0, 0] = 0.0
    return np.linalg.solve(X.T @ X + X.shape[1] * l2 * D, X.T @ np.asarray(y, dtype=float))
''',
    },
    "bv_predict": {
        "needs_an_array_of_weights": '''
def predict(w, x):
    return polynomial_features(x, w.shape[0] - 1) @ w
''',
    },
    "bv_decomposition": {
        "forgets_to_pass_l2": '''
def bias_variance(training_sets, x_test, f_test, sigma, degree, l2=0.0):
    y_hats = np.array([predict(fit(x, y, degree), x_test) for x, y in training_sets])
    mean_prediction = y_hats.mean(axis=0)
    bias2 = np.mean((mean_prediction - f_test) ** 2)
    variance = np.mean((y_hats - mean_prediction) ** 2)
    return bias2, variance, sigma ** 2
''',
    },
}
