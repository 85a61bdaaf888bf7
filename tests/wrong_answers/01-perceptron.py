"""Plausible wrong answers to lesson 01; each must lose its exercise's points and no others."""

WRONG_ANSWERS = {
    "step": {
        "greater_or_equal": '''
def step(z):
    return (np.asarray(z, dtype=float) >= 0).astype(float)
''',
        "sign_instead_of_step": '''
def step(z):
    return np.sign(z)
''',
        "scalars_only": '''
def step(z):
    return 1.0 if z > 0 else 0.0
''',
    },
    "predict": {
        "forgets_the_bias": '''
def predict(w, x):
    x = np.asarray(x, dtype=float)
    return step(x[..., 1:] @ np.asarray(w, dtype=float)[1:])
''',
        "one_sample_only": '''
def predict(w, x):
    return step(np.dot(w, x))
''',
        "returns_z": '''
def predict(w, x):
    return np.asarray(x, dtype=float) @ np.asarray(w, dtype=float)
''',
    },
    "update": {
        "sign_flipped": '''
def update(w, x, y):
    return w - (y - predict(w, x)) * x
''',
        "mutates_w_in_place": '''
def update(w, x, y):
    w += (y - predict(w, x)) * x
    return w
''',
        "adds_target_not_error": '''
def update(w, x, y):
    return w + y * x
''',
    },
    "train": {
        "never_stops_early": '''
def train(X, y, w=None, num_epochs=100):
    w = np.zeros(X.shape[1]) if w is None else np.array(w, dtype=float)
    history = []
    for epoch in range(1, num_epochs + 1):
        for x, target in zip(X, y):
            y_hat = predict(w, x)
            w = update(w, x, target)
            history.append({"epoch": epoch, "x": x, "y": target, "y_hat": y_hat, "w": w})
    return w, history
''',
        "records_weights_before_the_step": '''
def train(X, y, w=None, num_epochs=100):
    w = np.zeros(X.shape[1]) if w is None else np.array(w, dtype=float)
    history = []
    for epoch in range(1, num_epochs + 1):
        mistakes = 0
        for x, target in zip(X, y):
            y_hat = predict(w, x)
            mistakes += int(y_hat != target)
            history.append({"epoch": epoch, "x": x, "y": target, "y_hat": y_hat, "w": w})
            w = update(w, x, target)
        if mistakes == 0:
            break
    return w, history
''',
        "ignores_the_starting_weights": '''
def train(X, y, w=None, num_epochs=100):
    w = np.zeros(X.shape[1])
    history = []
    for epoch in range(1, num_epochs + 1):
        mistakes = 0
        for x, target in zip(X, y):
            y_hat = predict(w, x)
            mistakes += int(y_hat != target)
            w = update(w, x, target)
            history.append({"epoch": epoch, "x": x, "y": target, "y_hat": y_hat, "w": w})
        if mistakes == 0:
            break
    return w, history
''',
    },
}

# Mistakes that pass every visible check: only the hidden tests take their points.
HIDDEN_ONLY = {
    "step": {
        "loops_over_a_vector": '''
def step(z):
    if np.ndim(z) == 0:
        return 1.0 if z > 0 else 0.0
    return np.array([1.0 if value > 0 else 0.0 for value in z])
''',
    },
    "predict": {
        "arrays_only": '''
def predict(w, x):
    return step(x @ w)
''',
    },
    "update": {
        "returns_w_itself_when_right": '''
def update(w, x, y):
    error = y - predict(w, x)
    if error == 0:
        return w
    return w + error * x
''',
    },
    "train": {
        "always_100_epochs_at_most": '''
def train(X, y, w=None, num_epochs=100):
    w = np.zeros(X.shape[1]) if w is None else np.array(w, dtype=float)
    history = []
    for epoch in range(1, 101):
        mistakes = 0
        for x, target in zip(X, y):
            y_hat = predict(w, x)
            mistakes += int(y_hat != target)
            w = update(w, x, target)
            history.append({"epoch": epoch, "x": x, "y": target, "y_hat": y_hat, "w": w})
        if mistakes == 0:
            break
    return w, history
''',
    },
}
