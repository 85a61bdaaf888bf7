"""Plausible wrong answers to lesson 02; each must lose its exercise's points and no others."""

WRONG_ANSWERS = {
    "bce": {
        "forgets_the_class_0_term": '''
def binary_cross_entropy(y, p, eps=1e-12):
    p = np.clip(p, eps, 1 - eps)
    return -np.mean(y * np.log(p))
''',
        "the_slide_without_brackets": '''
def binary_cross_entropy(y, p, eps=1e-12):
    p = np.clip(p, eps, 1 - eps)
    return -np.mean(y * np.log(p)) + np.mean((1 - y) * np.log(1 - p))
''',
        "sums_instead_of_averaging": '''
def binary_cross_entropy(y, p, eps=1e-12):
    p = np.clip(p, eps, 1 - eps)
    return -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p))
''',
        "log10_instead_of_ln": '''
def binary_cross_entropy(y, p, eps=1e-12):
    p = np.clip(p, eps, 1 - eps)
    return -np.mean(y * np.log10(p) + (1 - y) * np.log10(1 - p))
''',
        "returns_one_loss_per_sample": '''
def binary_cross_entropy(y, p, eps=1e-12):
    p = np.clip(p, eps, 1 - eps)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))
''',
        "no_clipping": '''
def binary_cross_entropy(y, p, eps=1e-12):
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
''',
        "clips_only_below": '''
def binary_cross_entropy(y, p, eps=1e-12):
    p = np.maximum(p, eps)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
''',
        "clips_the_callers_array_in_place": '''
def binary_cross_entropy(y, p, eps=1e-12):
    np.clip(p, eps, 1 - eps, out=p)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
''',
    },
    "cce": {
        "sums_instead_of_averaging": '''
def categorical_cross_entropy(y, P, eps=1e-12):
    return -np.sum(np.log(np.maximum(P[np.arange(len(y)), y], eps)))
''',
        "picks_whole_columns": '''
def categorical_cross_entropy(y, P, eps=1e-12):
    return -np.mean(np.log(np.maximum(P[:, y], eps)))
''',
        "averages_every_class": '''
def categorical_cross_entropy(y, P, eps=1e-12):
    return -np.mean(np.log(np.maximum(P, eps)))
''',
        "uses_the_most_likely_class": '''
def categorical_cross_entropy(y, P, eps=1e-12):
    return -np.mean(np.log(np.maximum(P.max(axis=1), eps)))
''',
        "no_clipping": '''
def categorical_cross_entropy(y, P, eps=1e-12):
    return -np.mean(np.log(P[np.arange(len(y)), y]))
''',
        "clips_the_callers_array_in_place": '''
def categorical_cross_entropy(y, P, eps=1e-12):
    P[P < eps] = eps
    return -np.mean(np.log(P[np.arange(len(y)), y]))
''',
    },
    "mse": {
        "sums_instead_of_averaging": '''
def mse(y, y_hat):
    return np.sum((y - y_hat) ** 2)
''',
        "squares_the_mean_error": '''
def mse(y, y_hat):
    return np.mean(y - y_hat) ** 2
''',
        "divides_by_the_number_of_rows": '''
def mse(y, y_hat):
    return np.sum((y - y_hat) ** 2) / len(y)
''',
        "takes_the_root": '''
def mse(y, y_hat):
    return np.sqrt(np.mean((y - y_hat) ** 2))
''',
    },
    "mae": {
        "computed_as_rmse": '''
def mae(y, y_hat):
    return np.sqrt(np.mean((y - y_hat) ** 2))
''',
        "forgets_the_absolute_value": '''
def mae(y, y_hat):
    return np.mean(y - y_hat)
''',
        "absolute_value_of_the_mean": '''
def mae(y, y_hat):
    return abs(np.mean(y - y_hat))
''',
        "median_instead_of_mean": '''
def mae(y, y_hat):
    return np.median(np.abs(y - y_hat))
''',
    },
    "rmse": {
        "no_square_root": '''
def rmse(y, y_hat):
    return mse(y, y_hat)
''',
        "root_inside_the_mean": '''
def rmse(y, y_hat):
    return np.mean(np.sqrt((y - y_hat) ** 2))
''',
        "root_of_the_sum": '''
def rmse(y, y_hat):
    return np.sqrt(np.sum((y - y_hat) ** 2))
''',
        "root_of_mae": '''
def rmse(y, y_hat):
    return np.sqrt(np.mean(np.abs(y - y_hat)))
''',
    },
}

# Mistakes that pass every visible check: only the hidden tests take their points.
HIDDEN_ONLY = {
    "bce": {
        "ignores_its_eps": '''
def binary_cross_entropy(y, y_hat, eps=1e-12):
    y = np.asarray(y, dtype=float)
    clipped = np.clip(np.asarray(y_hat, dtype=float), 1e-12, 1 - 1e-12)
    return float(-np.mean(y * np.log(clipped) + (1 - y) * np.log(1 - clipped)))
''',
    },
    "cce": {
        "ignores_its_eps": '''
def categorical_cross_entropy(y, P, eps=1e-12):
    y = np.asarray(y, dtype=int)
    chosen = np.asarray(P, dtype=float)[np.arange(len(y)), y]
    return float(-np.mean(np.log(np.maximum(chosen, 1e-12))))
''',
    },
    "mse": {
        "divides_by_the_first_dimension": '''
def mse(y, y_hat):
    errors = np.asarray(y, dtype=float) - np.asarray(y_hat, dtype=float)
    return float(np.sum(errors ** 2) / errors.shape[0])
''',
    },
    "mae": {
        "divides_by_the_first_dimension": '''
def mae(y, y_hat):
    errors = np.asarray(y, dtype=float) - np.asarray(y_hat, dtype=float)
    return float(np.sum(np.abs(errors)) / errors.shape[0])
''',
    },
    "rmse": {
        "divides_by_the_first_dimension": '''
def rmse(y, y_hat):
    errors = np.asarray(y, dtype=float) - np.asarray(y_hat, dtype=float)
    return float(np.sqrt(np.sum(errors ** 2) / errors.shape[0]))
''',
    },
}
