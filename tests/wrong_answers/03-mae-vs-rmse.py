"""Plausible wrong answers to lesson 03; each must lose its exercise's points and no others."""


def choices(variable, right, letters="ABCD"):
    """Every wrong letter of a multiple-choice question, plus a lower-case right one."""
    wrong = {f"answers_{letter}": f'{variable} = "{letter}"\n'
             for letter in letters if letter != right}
    wrong["lower_case_letter"] = f'{variable} = "{right.lower()}"\n'
    return wrong


WRONG_ANSWERS = {
    "metric_mae": {
        "forgets_the_absolute_value": '''
def mae(y, y_hat):
    return float(np.mean(np.asarray(y, dtype=float) - np.asarray(y_hat, dtype=float)))
''',
        "sums_instead_of_averaging": '''
def mae(y, y_hat):
    return float(np.sum(np.abs(np.asarray(y, dtype=float) - np.asarray(y_hat, dtype=float))))
''',
        "median_absolute_error": '''
def mae(y, y_hat):
    return float(np.median(np.abs(np.asarray(y, dtype=float) - np.asarray(y_hat, dtype=float))))
''',
        "absolute_value_of_the_mean": '''
def mae(y, y_hat):
    return abs(float(np.mean(np.asarray(y, dtype=float) - np.asarray(y_hat, dtype=float))))
''',
    },
    "metric_rmse": {
        "forgets_the_root": '''
def rmse(y, y_hat):
    return float(np.mean((np.asarray(y, dtype=float) - np.asarray(y_hat, dtype=float)) ** 2))
''',
        "root_of_the_sum": '''
def rmse(y, y_hat):
    return float(np.sqrt(np.sum((np.asarray(y, dtype=float) - np.asarray(y_hat, dtype=float)) ** 2)))
''',
        "standard_deviation_of_the_errors": '''
def rmse(y, y_hat):
    return float(np.std(np.asarray(y, dtype=float) - np.asarray(y_hat, dtype=float)))
''',
        "root_of_the_mean_absolute_error": '''
def rmse(y, y_hat):
    return float(np.sqrt(np.mean(np.abs(np.asarray(y, dtype=float) - np.asarray(y_hat, dtype=float)))))
''',
    },
    "table_errors": {
        "ids_from_zero": '''
def error_table(e):
    e = np.asarray(e, dtype=float)
    rows = np.column_stack([np.arange(len(e)), e, np.abs(e), e ** 2])
    return rows, mae(e, np.zeros_like(e)), rmse(e, np.zeros_like(e))
''',
        "absolute_column_keeps_the_sign": '''
def error_table(e):
    e = np.asarray(e, dtype=float)
    rows = np.column_stack([np.arange(1, len(e) + 1), e, e, e ** 2])
    return rows, mae(e, np.zeros_like(e)), rmse(e, np.zeros_like(e))
''',
        "reports_the_mse": '''
def error_table(e):
    e = np.asarray(e, dtype=float)
    rows = np.column_stack([np.arange(1, len(e) + 1), e, np.abs(e), e ** 2])
    return rows, mae(e, np.zeros_like(e)), float(np.mean(e ** 2))
''',
        "one_row_per_column": '''
def error_table(e):
    e = np.asarray(e, dtype=float)
    rows = np.vstack([np.arange(1, len(e) + 1), e, np.abs(e), e ** 2])
    return rows, mae(e, np.zeros_like(e)), rmse(e, np.zeros_like(e))
''',
    },
    "bound_rmse": {
        "times_n": '''
def rmse_bounds(y, y_hat):
    lower = mae(y, y_hat)
    return lower, lower * len(y)
''',
        "sqrt_of_n_minus_one": '''
def rmse_bounds(y, y_hat):
    lower = mae(y, y_hat)
    return lower, lower * np.sqrt(len(y) - 1)
''',
        "lower_bound_divided_by_sqrt_n": '''
def rmse_bounds(y, y_hat):
    n = len(y)
    return mae(y, y_hat) / np.sqrt(n), mae(y, y_hat) * np.sqrt(n)
''',
        "scales_the_rmse_not_the_mae": '''
def rmse_bounds(y, y_hat):
    return mae(y, y_hat), rmse(y, y_hat) * np.sqrt(len(y))
''',
    },
    "bound_tight": {
        "two_spikes": '''
def tight_errors(n, mae_value=2.0):
    even = np.full(n, float(mae_value))
    spike = np.zeros(n)
    spike[:2] = n * mae_value / 2
    return even, spike
''',
        "spike_of_height_mae_times_sqrt_n": '''
def tight_errors(n, mae_value=2.0):
    even = np.full(n, float(mae_value))
    spike = np.zeros(n)
    spike[0] = mae_value * np.sqrt(n)
    return even, spike
''',
        "even_is_a_ramp": '''
def tight_errors(n, mae_value=2.0):
    even = np.linspace(0.0, 2.0 * mae_value, n)
    spike = np.zeros(n)
    spike[0] = n * mae_value
    return even, spike
''',
        "swapped": '''
def tight_errors(n, mae_value=2.0):
    spike = np.zeros(n)
    spike[0] = n * mae_value
    return spike, np.full(n, float(mae_value))
''',
    },
    "q_punish": choices("answer_punish", "D"),
    "q_same": choices("answer_same", "A"),
    "q_bound": choices("answer_bound", "B"),
    "q_report": choices("answer_report", "C"),
    "q_robust": choices("answer_robust", "B"),
}
