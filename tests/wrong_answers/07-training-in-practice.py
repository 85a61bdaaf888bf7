"""Plausible wrong answers to lesson 07; each must lose its exercise's points and no others."""

WRONG_ANSWERS = {
    "reg_dropout": {
        "no_rescaling": '''
def dropout(X, p, training, rng):
    X = np.asarray(X, dtype=float)
    if not training:
        return X
    return np.where(rng.random(X.shape) >= p, X, 0.0)
''',
        "scales_at_evaluation_too": '''
def dropout(X, p, training, rng):
    X = np.asarray(X, dtype=float)
    if not training:
        return X * (1 - p)
    return np.where(rng.random(X.shape) >= p, X / (1 - p), 0.0)
''',
        "keeps_with_probability_p": '''
def dropout(X, p, training, rng):
    X = np.asarray(X, dtype=float)
    if not training:
        return X
    return np.where(rng.random(X.shape) < p, X / (1 - p), 0.0)
''',
    },
    "reg_early_stopping": {
        "stops_one_epoch_late": '''
def early_stopping(val_losses, patience):
    best_epoch = int(np.argmin(val_losses)) + 1
    return best_epoch, len(val_losses) - best_epoch > patience
''',
        "best_epoch_counted_from_zero": '''
def early_stopping(val_losses, patience):
    best_epoch = int(np.argmin(val_losses))
    return best_epoch, len(val_losses) - 1 - best_epoch >= patience
''',
    },
    "reg_plateau": {
        "reduces_when_count_reaches_patience": '''
class ReduceLROnPlateau:
    def __init__(self, lr, factor=0.1, patience=10, threshold=1e-4):
        self.lr, self.factor, self.patience, self.threshold = lr, factor, patience, threshold
        self.best, self.bad_epochs = float("inf"), 0

    def step(self, val_loss):
        if val_loss < self.best * (1 - self.threshold):
            self.best, self.bad_epochs = val_loss, 0
        else:
            self.bad_epochs += 1
        if self.bad_epochs >= self.patience:
            self.lr, self.bad_epochs = self.lr * self.factor, 0
        return self.lr
''',
        "keeps_counting_after_a_reduction": '''
class ReduceLROnPlateau:
    def __init__(self, lr, factor=0.1, patience=10, threshold=1e-4):
        self.lr, self.factor, self.patience, self.threshold = lr, factor, patience, threshold
        self.best, self.bad_epochs = float("inf"), 0

    def step(self, val_loss):
        if val_loss < self.best * (1 - self.threshold):
            self.best, self.bad_epochs = val_loss, 0
        else:
            self.bad_epochs += 1
        if self.bad_epochs > self.patience:
            self.lr = self.lr * self.factor
        return self.lr
''',
    },
    "reg_batch_norm": {
        "biased_running_variance": '''
def batch_norm(X, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    X = np.asarray(X, dtype=float)
    if training:
        mean, var = X.mean(axis=0), X.var(axis=0)
        running_mean = (1 - momentum) * running_mean + momentum * mean
        running_var = (1 - momentum) * running_var + momentum * var
    else:
        mean, var = running_mean, running_var
    return gamma * (X - mean) / np.sqrt(var + eps) + beta, running_mean, running_var
''',
        "batch_statistics_in_evaluation": '''
def batch_norm(X, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    X = np.asarray(X, dtype=float)
    mean, var = X.mean(axis=0), X.var(axis=0)
    if training:
        running_mean = (1 - momentum) * running_mean + momentum * mean
        running_var = (1 - momentum) * running_var + momentum * var * len(X) / (len(X) - 1)
    return gamma * (X - mean) / np.sqrt(var + eps) + beta, running_mean, running_var
''',
        "normalizes_each_sample": '''
def batch_norm(X, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    X = np.asarray(X, dtype=float)
    if training:
        mean, var = X.mean(axis=1, keepdims=True), X.var(axis=1, keepdims=True)
        running_mean = (1 - momentum) * running_mean + momentum * X.mean(axis=0)
        running_var = (1 - momentum) * running_var + momentum * X.var(axis=0, ddof=1)
    else:
        mean, var = running_mean, running_var
    return gamma * (X - mean) / np.sqrt(var + eps) + beta, running_mean, running_var
''',
    },
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

# Wrong answers that pass every visible check: only the hidden tests catch them, and they
# must cost the whole exercise.
HIDDEN_ONLY = {
    "reg_dropout": {
        "one_mask_per_unit_for_the_whole_batch": '''
def dropout(X, p, training, rng):
    X = np.asarray(X, dtype=float)
    if not training:
        return X
    return np.where(rng.random(X.shape[-1]) >= p, X / (1 - p), 0.0)
''',
    },
    "reg_early_stopping": {
        "a_tie_counts_as_improvement": '''
def early_stopping(val_losses, patience):
    best_loss, best_epoch = float("inf"), 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss <= best_loss:
            best_loss, best_epoch = loss, epoch
    return best_epoch, len(val_losses) - best_epoch >= patience
''',
    },
    "reg_plateau": {
        "absolute_threshold": '''
class ReduceLROnPlateau:
    def __init__(self, lr, factor=0.1, patience=10, threshold=1e-4):
        self.lr, self.factor, self.patience, self.threshold = lr, factor, patience, threshold
        self.best, self.bad_epochs = float("inf"), 0

    def step(self, val_loss):
        if val_loss < self.best - self.threshold:
            self.best, self.bad_epochs = val_loss, 0
        else:
            self.bad_epochs += 1
        if self.bad_epochs > self.patience:
            self.lr, self.bad_epochs = self.lr * self.factor, 0
        return self.lr
''',
    },
    "reg_batch_norm": {
        "updates_the_running_statistics_in_place": '''
def batch_norm(X, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    X = np.asarray(X, dtype=float)
    if training:
        mean, var = X.mean(axis=0), X.var(axis=0)
        running_mean *= 1 - momentum
        running_mean += momentum * mean
        running_var *= 1 - momentum
        running_var += momentum * var * len(X) / (len(X) - 1)
    else:
        mean, var = running_mean, running_var
    return gamma * (X - mean) / np.sqrt(var + eps) + beta, running_mean, running_var
''',
    },
    "ev_confusion": {
        "size_from_the_labels": '''
def confusion_matrix(y, y_hat, num_classes=2):
    y, y_hat = np.asarray(y).astype(int), np.asarray(y_hat).astype(int)
    size = max(y.max(), y_hat.max()) + 1
    matrix = np.zeros((size, size), dtype=int)
    np.add.at(matrix, (y, y_hat), 1)
    return matrix
''',
    },
    "ev_accuracy": {
        "classes_from_the_true_labels": '''
def accuracy(y, y_hat):
    matrix = confusion_matrix(y, y_hat, num_classes=int(np.max(y)) + 1)
    return np.trace(matrix) / matrix.sum()
''',
    },
    "ev_precision": {
        "arithmetic_on_lists": '''
def precision(y, y_hat):
    predicted = np.sum(y_hat)
    return np.sum(y * y_hat) / predicted if predicted > 0 else 0.0
''',
    },
    "ev_recall": {
        "arithmetic_on_lists": '''
def recall(y, y_hat):
    positives = np.sum(y)
    return np.sum(y * y_hat) / positives if positives > 0 else 0.0
''',
    },
    "ev_f1": {
        "dice_formula_without_zero_guard": '''
def f1_score(y, y_hat):
    y, y_hat = np.asarray(y, dtype=float), np.asarray(y_hat, dtype=float)
    return 2 * np.sum(y * y_hat) / (np.sum(y) + np.sum(y_hat))
''',
    },
}
