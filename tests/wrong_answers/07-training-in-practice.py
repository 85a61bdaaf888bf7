"""Plausible wrong answers to lesson 07; each must lose its exercise's points and no others."""

WRONG_ANSWERS = {
    "ev_confusion": {
        "transposed": '''
def confusion_matrix(y, y_hat, num_classes=2):
    matrix = np.zeros((num_classes, num_classes), dtype=int)
    for true, predicted in zip(np.asarray(y).astype(int), np.asarray(y_hat).astype(int)):
        matrix[predicted, true] += 1
    return matrix
''',
        "fancy_index_drops_repeats": '''
def confusion_matrix(y, y_hat, num_classes=2):
    matrix = np.zeros((num_classes, num_classes), dtype=int)
    matrix[np.asarray(y).astype(int), np.asarray(y_hat).astype(int)] += 1
    return matrix
''',
        "fractions_instead_of_counts": '''
def confusion_matrix(y, y_hat, num_classes=2):
    matrix = np.zeros((num_classes, num_classes))
    for true, predicted in zip(np.asarray(y).astype(int), np.asarray(y_hat).astype(int)):
        matrix[true, predicted] += 1
    return matrix / len(y)
''',
        "binary_only": '''
def confusion_matrix(y, y_hat, num_classes=2):
    y, y_hat = np.asarray(y), np.asarray(y_hat)
    tp = np.sum((y == 1) & (y_hat == 1))
    tn = np.sum((y == 0) & (y_hat == 0))
    fp = np.sum((y == 0) & (y_hat == 1))
    fn = np.sum((y == 1) & (y_hat == 0))
    return np.array([[tn, fp], [fn, tp]])
''',
    },
    "ev_accuracy": {
        "counts_only_positives": '''
def accuracy(y, y_hat):
    y, y_hat = np.asarray(y), np.asarray(y_hat)
    return np.mean(y_hat[y == 1] == 1)
''',
        "number_right_not_fraction": '''
def accuracy(y, y_hat):
    return np.sum(np.asarray(y) == np.asarray(y_hat))
''',
        "error_rate": '''
def accuracy(y, y_hat):
    return np.mean(np.asarray(y) != np.asarray(y_hat))
''',
    },
    "ev_precision": {
        "swapped_with_recall": '''
def precision(y, y_hat):
    (tn, fp), (fn, tp) = confusion_matrix(y, y_hat)
    return tp / (tp + fn) if tp + fn > 0 else 0.0
''',
        "nan_without_predicted_positives": '''
def precision(y, y_hat):
    (tn, fp), (fn, tp) = confusion_matrix(y, y_hat)
    return tp / (tp + fp)
''',
        "over_all_samples": '''
def precision(y, y_hat):
    (tn, fp), (fn, tp) = confusion_matrix(y, y_hat)
    return tp / (tn + fp + fn + tp)
''',
    },
    "ev_recall": {
        "swapped_with_precision": '''
def recall(y, y_hat):
    (tn, fp), (fn, tp) = confusion_matrix(y, y_hat)
    return tp / (tp + fp) if tp + fp > 0 else 0.0
''',
        "nan_without_positive_samples": '''
def recall(y, y_hat):
    (tn, fp), (fn, tp) = confusion_matrix(y, y_hat)
    return tp / (tp + fn)
''',
        "specificity": '''
def recall(y, y_hat):
    (tn, fp), (fn, tp) = confusion_matrix(y, y_hat)
    return tn / (tn + fp) if tn + fp > 0 else 0.0
''',
    },
    "ev_f1": {
        "arithmetic_mean": '''
def f1_score(y, y_hat):
    return (precision(y, y_hat) + recall(y, y_hat)) / 2
''',
        "divides_by_zero": '''
def f1_score(y, y_hat):
    p, r = precision(y, y_hat), recall(y, y_hat)
    return 2 * p * r / (p + r)
''',
        "forgets_the_factor_two": '''
def f1_score(y, y_hat):
    p, r = precision(y, y_hat), recall(y, y_hat)
    return p * r / (p + r) if p + r > 0 else 0.0
''',
    },
}
