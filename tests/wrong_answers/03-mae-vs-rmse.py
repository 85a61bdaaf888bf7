"""Plausible wrong answers to lesson 03; each must lose its exercise's points and no others."""


def choices(variable, right, letters="ABCD"):
    """Every wrong letter of a multiple-choice question, plus a lower-case right one."""
    wrong = {f"answers_{letter}": f'{variable} = "{letter}"\n'
             for letter in letters if letter != right}
    wrong["lower_case_letter"] = f'{variable} = "{right.lower()}"\n'
    return wrong


WRONG_ANSWERS = {
    "relative_mape": {
        "divides_by_the_prediction": '''
def mape(y, y_hat):
    y, y_hat = np.asarray(y, dtype=float), np.asarray(y_hat, dtype=float)
    return float(np.mean(np.abs(y - y_hat) / np.abs(y_hat)))
''',
        "in_percent": '''
def mape(y, y_hat):
    y, y_hat = np.asarray(y, dtype=float), np.asarray(y_hat, dtype=float)
    return float(100 * np.mean(np.abs(y - y_hat) / np.abs(y)))
''',
        "relative_error_of_the_means": '''
def mape(y, y_hat):
    y, y_hat = np.asarray(y, dtype=float), np.asarray(y_hat, dtype=float)
    return float(np.mean(np.abs(y - y_hat)) / np.mean(np.abs(y)))
''',
    },
    "relative_rmsle": {
        "log_without_the_one": '''
def rmsle(y, y_hat):
    return float(np.sqrt(np.mean((np.log(y_hat) - np.log(y)) ** 2)))
''',
        "rmse_of_the_ratio": '''
def rmsle(y, y_hat):
    ratio = (1 + np.asarray(y_hat, dtype=float)) / (1 + np.asarray(y, dtype=float))
    return float(np.sqrt(np.mean((ratio - 1) ** 2)))
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

# Mistakes that pass every visible check: only the hidden tests take their points.
HIDDEN_ONLY = {
    "table_errors": {
        "sorts_the_errors": '''
def error_table(e):
    e = np.sort(np.asarray(e, dtype=float))
    rows = np.column_stack([np.arange(1, len(e) + 1), e, np.abs(e), e ** 2])
    return rows, mae(e, np.zeros_like(e)), rmse(e, np.zeros_like(e))
''',
    },
    "bound_rmse": {
        "arrays_only": '''
def rmse_bounds(y, y_hat):
    lower = mae(y, y_hat)
    return lower, lower * np.sqrt(y.size)
''',
    },
    "bound_tight": {
        "ignores_mae_value": '''
def tight_errors(n, mae_value=2.0):
    even = np.full(n, 2.0)
    spike = np.zeros(n)
    spike[0] = 2.0 * n
    return even, spike
''',
    },
    "relative_mape": {
        "divides_by_y_not_its_size": '''
def mape(y, y_hat):
    y = np.asarray(y, dtype=float)
    return float(np.mean(np.abs(y - np.asarray(y_hat, dtype=float)) / y))
''',
    },
    "relative_rmsle": {
        "mean_absolute_log_error": '''
def rmsle(y, y_hat):
    return float(np.mean(np.abs(np.log1p(np.asarray(y_hat, dtype=float)) - np.log1p(np.asarray(y, dtype=float)))))
''',
    },
    "q_punish": {"answers_A": 'answer_punish = "A"\n'},
    "q_same": {"answers_C": 'answer_same = "C"\n'},
    "q_bound": {"answers_D": 'answer_bound = "D"\n'},
    "q_report": {"answers_B": 'answer_report = "B"\n'},
    "q_robust": {"answers_A": 'answer_robust = "A"\n'},
}
