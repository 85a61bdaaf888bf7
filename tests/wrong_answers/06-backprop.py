"""Plausible wrong answers to lesson 06; each must lose its exercise's points and no others."""

WRONG_ANSWERS = {
    "bp_sigmoid": {
        "derivative_is_sigmoid_itself": '''
def sigmoid(z):
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))


def sigmoid_derivative(z):
    return sigmoid(z)
''',
        "derivative_of_z_not_of_sigmoid": '''
def sigmoid(z):
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))


def sigmoid_derivative(z):
    z = np.asarray(z, dtype=float)
    return z * (1 - z)
''',
        "exponent_sign_flipped": '''
def sigmoid(z):
    return 1 / (1 + np.exp(np.asarray(z, dtype=float)))


def sigmoid_derivative(z):
    s = sigmoid(z)
    return s * (1 - s)
''',
    },
    "bp_tanh": {
        "derivative_forgets_the_tanh": '''
def tanh(z):
    return np.tanh(z)


def tanh_derivative(z):
    return 1 - np.asarray(z, dtype=float) ** 2
''',
        "derivative_not_squared": '''
def tanh(z):
    return np.tanh(z)


def tanh_derivative(z):
    return 1 - np.tanh(z)
''',
        "tanh_of_half_z": '''
def tanh(z):
    e = np.exp(-np.asarray(z, dtype=float))
    return (1 - e) / (1 + e)


def tanh_derivative(z):
    return 1 - tanh(z) ** 2
''',
    },
    "bp_relu": {
        "derivative_sign_flipped": '''
def relu(z):
    return np.maximum(0, z)


def relu_derivative(z):
    return (np.asarray(z) < 0).astype(float)
''',
        "derivative_one_at_zero": '''
def relu(z):
    return np.maximum(0, z)


def relu_derivative(z):
    return (np.asarray(z) >= 0).astype(float)
''',
        "relu_zeroes_z_in_place": '''
def relu(z):
    z = np.asarray(z, dtype=float)
    z[z < 0] = 0
    return z


def relu_derivative(z):
    return (np.asarray(z) > 0).astype(float)
''',
    },
    "bp_forward": {
        "forgets_the_hidden_bias": '''
def forward(X, params, activation="tanh"):
    g, _ = activation_functions(activation)
    Z1 = X @ params["W1"]
    H = g(Z1)
    y_hat = sigmoid(H @ params["w2"] + params["b2"])
    return y_hat, {"X": X, "Z1": Z1, "H": H, "y_hat": y_hat}
''',
        "always_tanh": '''
def forward(X, params, activation="tanh"):
    Z1 = X @ params["W1"] + params["b1"]
    H = tanh(Z1)
    y_hat = sigmoid(H @ params["w2"] + params["b2"])
    return y_hat, {"X": X, "Z1": Z1, "H": H, "y_hat": y_hat}
''',
        "no_sigmoid_on_the_output": '''
def forward(X, params, activation="tanh"):
    g, _ = activation_functions(activation)
    Z1 = X @ params["W1"] + params["b1"]
    H = g(Z1)
    y_hat = H @ params["w2"] + params["b2"]
    return y_hat, {"X": X, "Z1": Z1, "H": H, "y_hat": y_hat}
''',
        "caches_the_sum_as_H": '''
def forward(X, params, activation="tanh"):
    g, _ = activation_functions(activation)
    Z1 = X @ params["W1"] + params["b1"]
    y_hat = sigmoid(g(Z1) @ params["w2"] + params["b2"])
    return y_hat, {"X": X, "Z1": Z1, "H": Z1, "y_hat": y_hat}
''',
    },
    "bp_backward": {
        "no_average_over_the_batch": '''
def backward(params, cache, y, activation="tanh"):
    _, g_prime = activation_functions(activation)
    delta2 = cache["y_hat"] - y
    delta1 = np.outer(delta2, params["w2"]) * g_prime(cache["Z1"])
    return {"W1": cache["X"].T @ delta1, "b1": delta1.sum(axis=0),
            "w2": cache["H"].T @ delta2, "b2": delta2.sum()}
''',
        "forgets_the_activation_derivative": '''
def backward(params, cache, y, activation="tanh"):
    delta2 = (cache["y_hat"] - y) / len(y)
    delta1 = np.outer(delta2, params["w2"])
    return {"W1": cache["X"].T @ delta1, "b1": delta1.sum(axis=0),
            "w2": cache["H"].T @ delta2, "b2": delta2.sum()}
''',
        "transposed_weight_gradient": '''
def backward(params, cache, y, activation="tanh"):
    _, g_prime = activation_functions(activation)
    delta2 = (cache["y_hat"] - y) / len(y)
    delta1 = np.outer(delta2, params["w2"]) * g_prime(cache["Z1"])
    return {"W1": delta1.T @ cache["X"], "b1": delta1.sum(axis=0),
            "w2": cache["H"].T @ delta2, "b2": delta2.sum()}
''',
        "bias_gradient_not_summed": '''
def backward(params, cache, y, activation="tanh"):
    _, g_prime = activation_functions(activation)
    delta2 = (cache["y_hat"] - y) / len(y)
    delta1 = np.outer(delta2, params["w2"]) * g_prime(cache["Z1"])
    return {"W1": cache["X"].T @ delta1, "b1": delta1,
            "w2": cache["H"].T @ delta2, "b2": delta2}
''',
        "derivative_taken_at_H": '''
def backward(params, cache, y, activation="tanh"):
    _, g_prime = activation_functions(activation)
    delta2 = (cache["y_hat"] - y) / len(y)
    delta1 = np.outer(delta2, params["w2"]) * g_prime(cache["H"])
    return {"W1": cache["X"].T @ delta1, "b1": delta1.sum(axis=0),
            "w2": cache["H"].T @ delta2, "b2": delta2.sum()}
''',
        "sign_flipped": '''
def backward(params, cache, y, activation="tanh"):
    _, g_prime = activation_functions(activation)
    delta2 = (y - cache["y_hat"]) / len(y)
    delta1 = np.outer(delta2, params["w2"]) * g_prime(cache["Z1"])
    return {"W1": cache["X"].T @ delta1, "b1": delta1.sum(axis=0),
            "w2": cache["H"].T @ delta2, "b2": delta2.sum()}
''',
    },
    "bp_step": {
        "adds_the_gradient": '''
def gradient_step(params, grads, lr):
    return {name: value + lr * grads[name] for name, value in params.items()}
''',
        "forgets_the_learning_rate": '''
def gradient_step(params, grads, lr):
    return {name: value - grads[name] for name, value in params.items()}
''',
    },
}

# Mistakes that pass every visible check: only the hidden tests take their points.
HIDDEN_ONLY = {
    "bp_sigmoid": {
        "arrays_and_numbers_only": '''
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def sigmoid_derivative(z):
    return sigmoid(z) * (1.0 - sigmoid(z))
''',
    },
    "bp_tanh": {
        "the_formula_on_arrays_only": '''
def tanh(z):
    return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))


def tanh_derivative(z):
    return 1.0 - tanh(z) ** 2
''',
    },
    "bp_relu": {
        "masks_arrays_only": '''
def relu(z):
    return z * (z > 0)


def relu_derivative(z):
    return (z > 0) * 1.0
''',
    },
    "bp_forward": {
        "sigmoid_by_default": '''
def forward(X, params, activation="sigmoid"):
    g, _ = activation_functions(activation)
    Z1 = X @ params["W1"] + params["b1"]
    H = g(Z1)
    y_hat = sigmoid(H @ params["w2"] + params["b2"])
    return y_hat, {"X": X, "Z1": Z1, "H": H, "y_hat": y_hat}
''',
    },
    "bp_backward": {
        "always_the_sigmoid_derivative": '''
def backward(params, cache, y, activation="tanh"):
    delta2 = (cache["y_hat"] - y) / len(y)
    delta1 = np.outer(delta2, params["w2"]) * sigmoid_derivative(cache["Z1"])
    return {"W1": cache["X"].T @ delta1, "b1": delta1.sum(axis=0),
            "w2": cache["H"].T @ delta2, "b2": float(delta2.sum())}
''',
    },
    "bp_step": {
        "updates_params_in_place": '''
def gradient_step(params, grads, lr):
    for name in params:
        params[name] = params[name] - lr * grads[name]
    return params
''',
    },
}
