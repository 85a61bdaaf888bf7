"""Plausible wrong answers to lesson 04; each must lose its exercise's points and no others."""

WRONG_ANSWERS = {
    "opt_sgd": {
        "momentum_on_the_wrong_term": '''
class SGD:
    def __init__(self, lr=1e-3, momentum=0, dampening=0, nesterov=False):
        self.lr, self.momentum, self.dampening, self.nesterov = lr, momentum, dampening, nesterov
        self.buffer = None

    def step(self, params, grads):
        if self.momentum != 0:
            if self.buffer is None:
                self.buffer = np.array(grads, dtype=float)
            else:
                self.buffer = self.buffer + self.momentum * (1 - self.dampening) * grads
            grads = grads + self.momentum * self.buffer if self.nesterov else self.buffer
        return params - self.lr * grads
''',
        "dampens_the_first_step": '''
class SGD:
    def __init__(self, lr=1e-3, momentum=0, dampening=0, nesterov=False):
        self.lr, self.momentum, self.dampening, self.nesterov = lr, momentum, dampening, nesterov
        self.buffer = 0.0

    def step(self, params, grads):
        if self.momentum != 0:
            self.buffer = self.momentum * self.buffer + (1 - self.dampening) * grads
            grads = grads + self.momentum * self.buffer if self.nesterov else self.buffer
        return params - self.lr * grads
''',
        "ignores_nesterov": '''
class SGD:
    def __init__(self, lr=1e-3, momentum=0, dampening=0, nesterov=False):
        self.lr, self.momentum, self.dampening = lr, momentum, dampening
        self.buffer = None

    def step(self, params, grads):
        if self.momentum != 0:
            if self.buffer is None:
                self.buffer = np.array(grads, dtype=float)
            else:
                self.buffer = self.momentum * self.buffer + (1 - self.dampening) * grads
            grads = self.buffer
        return params - self.lr * grads
''',
        "updates_params_in_place": '''
class SGD:
    def __init__(self, lr=1e-3, momentum=0, dampening=0, nesterov=False):
        self.lr, self.momentum, self.dampening, self.nesterov = lr, momentum, dampening, nesterov
        self.buffer = None

    def step(self, params, grads):
        if self.momentum != 0:
            if self.buffer is None:
                self.buffer = np.array(grads, dtype=float)
            else:
                self.buffer = self.momentum * self.buffer + (1 - self.dampening) * grads
            grads = grads + self.momentum * self.buffer if self.nesterov else self.buffer
        params -= self.lr * grads
        return params
''',
    },
    "opt_adagrad": {
        "accumulates_gradients_not_squares": '''
class Adagrad:
    def __init__(self, lr=1e-2, lr_decay=0, initial_accumulator_value=0, eps=1e-10):
        self.lr, self.lr_decay, self.eps = lr, lr_decay, eps
        self.initial_accumulator_value = initial_accumulator_value
        self.sum, self.t = None, 0

    def step(self, params, grads):
        if self.sum is None:
            self.sum = np.full_like(grads, self.initial_accumulator_value, dtype=float)
        self.t += 1
        lr = self.lr / (1 + (self.t - 1) * self.lr_decay)
        self.sum = self.sum + np.abs(grads)
        return params - lr * grads / (np.sqrt(self.sum) + self.eps)
''',
        "decays_from_the_first_step": '''
class Adagrad:
    def __init__(self, lr=1e-2, lr_decay=0, initial_accumulator_value=0, eps=1e-10):
        self.lr, self.lr_decay, self.eps = lr, lr_decay, eps
        self.initial_accumulator_value = initial_accumulator_value
        self.sum, self.t = None, 0

    def step(self, params, grads):
        if self.sum is None:
            self.sum = np.full_like(grads, self.initial_accumulator_value, dtype=float)
        self.t += 1
        lr = self.lr / (1 + self.t * self.lr_decay)
        self.sum = self.sum + grads ** 2
        return params - lr * grads / (np.sqrt(self.sum) + self.eps)
''',
        "eps_inside_the_root": '''
class Adagrad:
    def __init__(self, lr=1e-2, lr_decay=0, initial_accumulator_value=0, eps=1e-10):
        self.lr, self.lr_decay, self.eps = lr, lr_decay, eps
        self.initial_accumulator_value = initial_accumulator_value
        self.sum, self.t = None, 0

    def step(self, params, grads):
        if self.sum is None:
            self.sum = np.full_like(grads, self.initial_accumulator_value, dtype=float)
        self.t += 1
        lr = self.lr / (1 + (self.t - 1) * self.lr_decay)
        self.sum = self.sum + grads ** 2
        return params - lr * grads / np.sqrt(self.sum + self.eps)
''',
        "starts_the_sum_at_zero": '''
class Adagrad:
    def __init__(self, lr=1e-2, lr_decay=0, initial_accumulator_value=0, eps=1e-10):
        self.lr, self.lr_decay, self.eps = lr, lr_decay, eps
        self.sum, self.t = 0.0, 0

    def step(self, params, grads):
        self.t += 1
        lr = self.lr / (1 + (self.t - 1) * self.lr_decay)
        self.sum = self.sum + grads ** 2
        return params - lr * grads / (np.sqrt(self.sum) + self.eps)
''',
    },
    "opt_rmsprop": {
        "no_square_root": '''
class RMSprop:
    def __init__(self, lr=1e-2, alpha=0.99, eps=1e-8):
        self.lr, self.alpha, self.eps = lr, alpha, eps
        self.square_avg = 0.0

    def step(self, params, grads):
        self.square_avg = self.alpha * self.square_avg + (1 - self.alpha) * grads ** 2
        return params - self.lr * grads / (self.square_avg + self.eps)
''',
        "eps_inside_the_root": '''
class RMSprop:
    def __init__(self, lr=1e-2, alpha=0.99, eps=1e-8):
        self.lr, self.alpha, self.eps = lr, alpha, eps
        self.square_avg = 0.0

    def step(self, params, grads):
        self.square_avg = self.alpha * self.square_avg + (1 - self.alpha) * grads ** 2
        return params - self.lr * grads / np.sqrt(self.square_avg + self.eps)
''',
        "alpha_weighs_the_new_gradient": '''
class RMSprop:
    def __init__(self, lr=1e-2, alpha=0.99, eps=1e-8):
        self.lr, self.alpha, self.eps = lr, alpha, eps
        self.square_avg = 0.0

    def step(self, params, grads):
        self.square_avg = (1 - self.alpha) * self.square_avg + self.alpha * grads ** 2
        return params - self.lr * grads / (np.sqrt(self.square_avg) + self.eps)
''',
    },
    "opt_adadelta": {
        "forgets_the_learning_rate": '''
class Adadelta:
    def __init__(self, lr=1.0, rho=0.9, eps=1e-6):
        self.lr, self.rho, self.eps = lr, rho, eps
        self.square_avg, self.acc_delta = 0.0, 0.0

    def step(self, params, grads):
        self.square_avg = self.rho * self.square_avg + (1 - self.rho) * grads ** 2
        delta = np.sqrt(self.acc_delta + self.eps) / np.sqrt(self.square_avg + self.eps) * grads
        self.acc_delta = self.rho * self.acc_delta + (1 - self.rho) * delta ** 2
        return params - delta
''',
        "accumulates_the_delta_first": '''
class Adadelta:
    def __init__(self, lr=1.0, rho=0.9, eps=1e-6):
        self.lr, self.rho, self.eps = lr, rho, eps
        self.square_avg, self.acc_delta = 0.0, 0.0

    def step(self, params, grads):
        self.square_avg = self.rho * self.square_avg + (1 - self.rho) * grads ** 2
        delta = np.sqrt(self.acc_delta + self.eps) / np.sqrt(self.square_avg + self.eps) * grads
        self.acc_delta = self.rho * self.acc_delta + (1 - self.rho) * delta ** 2
        delta = np.sqrt(self.acc_delta + self.eps) / np.sqrt(self.square_avg + self.eps) * grads
        return params - self.lr * delta
''',
        "eps_outside_the_roots": '''
class Adadelta:
    def __init__(self, lr=1.0, rho=0.9, eps=1e-6):
        self.lr, self.rho, self.eps = lr, rho, eps
        self.square_avg, self.acc_delta = 0.0, 0.0

    def step(self, params, grads):
        self.square_avg = self.rho * self.square_avg + (1 - self.rho) * grads ** 2
        delta = (np.sqrt(self.acc_delta) + self.eps) / (np.sqrt(self.square_avg) + self.eps) * grads
        self.acc_delta = self.rho * self.acc_delta + (1 - self.rho) * delta ** 2
        return params - self.lr * delta
''',
    },
    "opt_adam": {
        "no_bias_correction": '''
class Adam:
    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        self.lr, self.betas, self.eps = lr, betas, eps
        self.m, self.v = 0.0, 0.0

    def step(self, params, grads):
        beta1, beta2 = self.betas
        self.m = beta1 * self.m + (1 - beta1) * grads
        self.v = beta2 * self.v + (1 - beta2) * grads ** 2
        return params - self.lr * self.m / (np.sqrt(self.v) + self.eps)
''',
        "eps_inside_the_root": '''
class Adam:
    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        self.lr, self.betas, self.eps = lr, betas, eps
        self.m, self.v, self.t = 0.0, 0.0, 0

    def step(self, params, grads):
        beta1, beta2 = self.betas
        self.t += 1
        self.m = beta1 * self.m + (1 - beta1) * grads
        self.v = beta2 * self.v + (1 - beta2) * grads ** 2
        m_hat = self.m / (1 - beta1 ** self.t)
        v_hat = self.v / (1 - beta2 ** self.t)
        return params - self.lr * m_hat / np.sqrt(v_hat + self.eps)
''',
        "eps_before_the_correction": '''
class Adam:
    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        self.lr, self.betas, self.eps = lr, betas, eps
        self.m, self.v, self.t = 0.0, 0.0, 0

    def step(self, params, grads):
        beta1, beta2 = self.betas
        self.t += 1
        self.m = beta1 * self.m + (1 - beta1) * grads
        self.v = beta2 * self.v + (1 - beta2) * grads ** 2
        step_size = self.lr * np.sqrt(1 - beta2 ** self.t) / (1 - beta1 ** self.t)
        return params - step_size * self.m / (np.sqrt(self.v) + self.eps)
''',
        "betas_swapped": '''
class Adam:
    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        self.lr, self.betas, self.eps = lr, betas, eps
        self.m, self.v, self.t = 0.0, 0.0, 0

    def step(self, params, grads):
        beta2, beta1 = self.betas
        self.t += 1
        self.m = beta1 * self.m + (1 - beta1) * grads
        self.v = beta2 * self.v + (1 - beta2) * grads ** 2
        m_hat = self.m / (1 - beta1 ** self.t)
        v_hat = self.v / (1 - beta2 ** self.t)
        return params - self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
''',
    },
    "minibatches": {
        "no_shuffle": '''
def minibatches(X, y, batch_size, rng):
    return [(X[start:start + batch_size], y[start:start + batch_size])
            for start in range(0, len(X), batch_size)]
''',
        "drops_the_last_batch": '''
def minibatches(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    return [(X[order[k * batch_size:(k + 1) * batch_size]], y[order[k * batch_size:(k + 1) * batch_size]])
            for k in range(len(X) // batch_size)]
''',
        "shuffles_X_and_y_separately": '''
def minibatches(X, y, batch_size, rng):
    X, y = rng.permutation(X), rng.permutation(y)
    return [(X[start:start + batch_size], y[start:start + batch_size])
            for start in range(0, len(X), batch_size)]
''',
        "draws_with_replacement": '''
def minibatches(X, y, batch_size, rng):
    order = rng.integers(0, len(X), size=len(X))
    return [(X[order[start:start + batch_size]], y[order[start:start + batch_size]])
            for start in range(0, len(X), batch_size)]
''',
    },
}

# Wrong answers that pass every visible check: only the hidden tests catch them, and they
# must cost the whole exercise.
HIDDEN_ONLY = {
    "opt_sgd": {
        "ignores_nesterov": '''
class SGD:
    """Gradient descent with momentum, as torch.optim.SGD (without weight decay)."""

    def __init__(self, lr=1e-3, momentum=0, dampening=0, nesterov=False):
        self.lr, self.momentum, self.dampening = lr, momentum, dampening
        self.nesterov = nesterov
        self.buffer = None  # b, created from the first gradient

    def step(self, params, grads):
        """The parameters after one step (params and grads are left unchanged)."""
        direction = np.asarray(grads, dtype=float)
        if self.momentum != 0:
            if self.buffer is None:
                self.buffer = direction.copy()
            else:
                self.buffer = self.momentum * self.buffer + (1 - self.dampening) * direction
            direction = self.buffer
        return np.asarray(params, dtype=float) - self.lr * direction
''',
    },
    "opt_adagrad": {
        "ignores_initial_accumulator_value": '''
class Adagrad:
    """Adagrad, as torch.optim.Adagrad (without weight decay)."""

    def __init__(self, lr=1e-2, lr_decay=0, initial_accumulator_value=0, eps=1e-10):
        self.lr, self.lr_decay, self.eps = lr, lr_decay, eps
        self.initial_accumulator_value = initial_accumulator_value
        self.sum_of_squares = None  # s, created on the first step
        self.t = 0

    def step(self, params, grads):
        """The parameters after one step (params and grads are left unchanged)."""
        grads = np.asarray(grads, dtype=float)
        if self.sum_of_squares is None:
            self.sum_of_squares = np.zeros(grads.shape)
        self.t += 1
        lr_now = self.lr / (1 + (self.t - 1) * self.lr_decay)
        self.sum_of_squares = self.sum_of_squares + grads ** 2
        scaled = grads / (np.sqrt(self.sum_of_squares) + self.eps)
        return np.asarray(params, dtype=float) - lr_now * scaled
''',
    },
    "opt_rmsprop": {
        "eps_inside_the_root": '''
class RMSprop:
    """RMSprop, as torch.optim.RMSprop (without weight decay, momentum or centering)."""

    def __init__(self, lr=1e-2, alpha=0.99, eps=1e-8):
        self.lr, self.alpha, self.eps = lr, alpha, eps
        self.mean_square = None  # v, created on the first step

    def step(self, params, grads):
        """The parameters after one step (params and grads are left unchanged)."""
        grads = np.asarray(grads, dtype=float)
        if self.mean_square is None:
            self.mean_square = np.zeros(grads.shape)
        self.mean_square = self.alpha * self.mean_square + (1 - self.alpha) * grads ** 2
        scaled = grads / np.sqrt(self.mean_square + self.eps)
        return np.asarray(params, dtype=float) - self.lr * scaled
''',
    },
    "opt_adadelta": {
        "ignores_lr": '''
class Adadelta:
    """Adadelta, as torch.optim.Adadelta (without weight decay)."""

    def __init__(self, lr=1.0, rho=0.9, eps=1e-6):
        self.lr, self.rho, self.eps = lr, rho, eps
        self.mean_square = None         # v: running average of squared gradients
        self.mean_square_update = None  # u: running average of squared updates

    def step(self, params, grads):
        """The parameters after one step (params and grads are left unchanged)."""
        grads = np.asarray(grads, dtype=float)
        if self.mean_square is None:
            self.mean_square = np.zeros(grads.shape)
            self.mean_square_update = np.zeros(grads.shape)
        rho, eps = self.rho, self.eps
        self.mean_square = rho * self.mean_square + (1 - rho) * grads ** 2
        update = np.sqrt(self.mean_square_update + eps) / np.sqrt(self.mean_square + eps) * grads
        self.mean_square_update = rho * self.mean_square_update + (1 - rho) * update ** 2
        return np.asarray(params, dtype=float) - update
''',
    },
    "opt_adam": {
        "eps_on_the_uncorrected_root": '''
class Adam:
    """Adam, as torch.optim.Adam (without weight decay or amsgrad)."""

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        self.lr, self.betas, self.eps = lr, betas, eps
        self.mean = None         # m: first moment, created on the first step
        self.mean_square = None  # v: second moment
        self.t = 0

    def step(self, params, grads):
        """The parameters after one step (params and grads are left unchanged)."""
        grads = np.asarray(grads, dtype=float)
        beta1, beta2 = self.betas
        if self.mean is None:
            self.mean, self.mean_square = np.zeros(grads.shape), np.zeros(grads.shape)
        self.t += 1
        self.mean = beta1 * self.mean + (1 - beta1) * grads
        self.mean_square = beta2 * self.mean_square + (1 - beta2) * grads ** 2
        step_size = self.lr * np.sqrt(1 - beta2 ** self.t) / (1 - beta1 ** self.t)
        return np.asarray(params, dtype=float) - step_size * self.mean / (np.sqrt(self.mean_square) + self.eps)
''',
    },
    "minibatches": {
        "array_split_evens_the_sizes": '''
def minibatches(X, y, batch_size, rng):
    """The minibatches of one epoch: [(X_batch, y_batch), ...] in the order rng.permutation(len(X))."""
    order = rng.permutation(len(X))
    pieces = np.array_split(order, int(np.ceil(len(X) / batch_size)))
    return [(X[piece], y[piece]) for piece in pieces]
''',
        "ignores_the_rng_it_is_given": '''
def minibatches(X, y, batch_size, rng):
    """The minibatches of one epoch: [(X_batch, y_batch), ...] in the order rng.permutation(len(X))."""
    order = np.random.default_rng(0).permutation(len(X))
    return [(X[order[start:start + batch_size]], y[order[start:start + batch_size]])
            for start in range(0, len(X), batch_size)]
''',
    },
}
