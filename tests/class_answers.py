"""Answers of a synthetic class to lesson 01, for the similarity tests and the report
benchmark: honest students who solve each exercise in one of the ways students commonly do
(several students per way), two who found a way of their own, and two planted near-copies
(variables renamed, helper functions reordered, comments and docstrings changed)."""
import textwrap

HEADERS = {
    "step": 'def step(z):\n    """The perceptron\'s activation f: 1 where z > 0, otherwise 0, elementwise."""\n',
    "predict": 'def predict(w, x):\n    """Prediction of the perceptron with weights w for one sample x or a batch of rows."""\n',
    "update": 'def update(w, x, y):\n    """Weights after the perceptron rule sees sample x with target y (w is left unchanged)."""\n',
    "train": 'def train(X, y, w=None, num_epochs=100):\n    """Perceptron training; returns the final weights and a record of every step."""\n',
}


def cell(exercise, body, header=None):
    return (header or HEADERS[exercise]) + textwrap.indent(textwrap.dedent(body).strip("\n"), "    ")


STEPS = [
    "return (np.asarray(z, dtype=float) > 0).astype(float)",
    "return np.where(np.asarray(z) > 0, 1.0, 0.0)",
    "z = np.asarray(z, dtype=float)\nreturn (z > 0).astype(float)",
    "return np.heaviside(z, 0.0)",
    "return np.array(np.asarray(z) > 0, dtype=float)",
]
PREDICTS = [
    "return step(np.asarray(x, dtype=float) @ np.asarray(w, dtype=float))",
    "return step(np.dot(x, w))",
    "x = np.asarray(x, dtype=float)\nreturn step(x @ w)",
    "z = np.dot(np.asarray(x), np.asarray(w))\nreturn step(z)",
]
UPDATES = [
    "return np.asarray(w, dtype=float) + (y - predict(w, x)) * np.asarray(x, dtype=float)",
    "return w + (y - predict(w, x)) * x",
    "error = y - predict(w, x)\nreturn w + error * np.asarray(x)",
    "w = np.array(w, dtype=float)\nw = w + (y - predict(w, x)) * np.asarray(x, dtype=float)\nreturn w",
]
COMMON_TRAINS = ['''
X = np.asarray(X, dtype=float)
w = np.zeros(X.shape[1]) if w is None else np.array(w, dtype=float)
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
''', '''
X = np.asarray(X, dtype=float)
if w is None:
    w = np.zeros(X.shape[1])
history = []
for epoch in range(1, num_epochs + 1):
    errors = 0
    for x, target in zip(X, y):
        y_hat = predict(w, x)
        if y_hat != target:
            errors += 1
        w = update(w, x, target)
        history.append({"epoch": epoch, "x": x, "y": target, "y_hat": y_hat, "w": w})
    if errors == 0:
        break
return w, history
''', '''
w = np.zeros(len(X[0])) if w is None else np.asarray(w, dtype=float)
history = []
for epoch in range(1, num_epochs + 1):
    changed = False
    for i in range(len(X)):
        y_hat = predict(w, X[i])
        new_w = update(w, X[i], y[i])
        history.append({"epoch": epoch, "x": X[i], "y": y[i], "y_hat": y_hat, "w": new_w})
        if y_hat != y[i]:
            changed = True
        w = new_w
    if not changed:
        break
return w, history
''', '''
X = np.array(X, dtype=float)
w = np.zeros(X.shape[1]) if w is None else np.array(w, dtype=float)
history, epoch = [], 0
while epoch < num_epochs:
    epoch += 1
    wrong = 0
    for x, t in zip(X, y):
        out = predict(w, x)
        wrong += out != t
        w = update(w, x, t)
        history.append(dict(epoch=epoch, x=x, y=t, y_hat=out, w=w))
    if wrong == 0:
        break
return w, history
''', '''
X = np.asarray(X, dtype=float)
w = np.zeros(X.shape[1]) if w is None else np.array(w, dtype=float)
history = []
for epoch in range(num_epochs):
    old = w.copy()
    for x, target in zip(X, y):
        y_hat = predict(w, x)
        w = update(w, x, target)
        history.append({"epoch": epoch + 1, "x": x, "y": target, "y_hat": y_hat, "w": w})
    if np.array_equal(old, w):
        break
return w, history
''', '''
X = np.asarray(X, dtype=float)
if w is None:
    w = np.zeros(X.shape[1])
history = []
for epoch in range(1, num_epochs + 1):
    all_right = True
    for n, x in enumerate(X):
        y_hat = predict(w, x)
        all_right = all_right and y_hat == y[n]
        w = update(w, x, y[n])
        history.append({"epoch": epoch, "x": x, "y": y[n], "y_hat": y_hat, "w": w})
    if all_right:
        break
return w, history
''']
OWN_TRAINS = {  # honest students with ways of their own; olga's and quinn's
    # share an idea (stop once the weights stop changing), written independently
    "olga": '''
X = np.asarray(X, dtype=float)
w = np.zeros(X.shape[1]) if w is None else np.array(w, dtype=float)
history = []
epoch = 0
converged = False
while not converged and epoch < num_epochs:
    epoch += 1
    converged = True
    for x, target in zip(X, y):
        y_hat = predict(w, x)
        w_next = update(w, x, target)
        converged = converged and np.array_equal(w_next, w)
        w = w_next
        history.append({"epoch": epoch, "x": x, "y": target, "y_hat": y_hat, "w": w})
return w, history
''',
    "quinn": '''
X = np.asarray(X, dtype=float)
w = np.zeros(X.shape[1]) if w is None else np.array(w, dtype=float)
history = []
for epoch in range(1, num_epochs + 1):
    converged = True
    for x, target in zip(X, y):
        y_hat = predict(w, x)
        w_next = update(w, x, target)
        if not np.array_equal(w_next, w):
            converged = False
        w = w_next
        history.append({"epoch": epoch, "x": x, "y": target, "y_hat": y_hat, "w": w})
    if converged:
        break
return w, history
''',
    "piet": '''
X = np.asarray(X, dtype=float)
w = np.zeros(X.shape[1]) if w is None else np.array(w, dtype=float)
history = []
for epoch in range(1, num_epochs + 1):
    y_hats = []
    for x, target in zip(X, y):
        y_hats.append(predict(w, x))
        w = update(w, x, target)
        history.append({"epoch": epoch, "x": x, "y": target, "y_hat": y_hats[-1], "w": w})
    if np.all(np.array(y_hats) == np.asarray(y)):
        break
return w, history
''',
}
BEA = {
    "step": "return np.where(np.asarray(z) > 0, 1.0, 0.0)",
    "predict": "return step(np.dot(x, w))",
    "update": "return w + (y - predict(w, x)) * x",
    "train": '''
def one_pass(w, epoch, history):
    # one sweep over the data; counts the mistakes
    misses = 0
    for sample, label in zip(X, y):
        guess = predict(w, sample)
        misses += int(guess != label)
        w = update(w, sample, label)
        history.append({"epoch": epoch, "x": sample, "y": label, "y_hat": guess, "w": w})
    return w, misses

def start_weights():
    return np.zeros(X.shape[1]) if w is None else np.array(w, dtype=float)

X = np.asarray(X, dtype=float)
weights, history = start_weights(), []
for epoch in range(1, num_epochs + 1):
    weights, misses = one_pass(weights, epoch, history)
    if not misses:
        break
return weights, history
''',
}
BEA_COPY = {
    "step": "# 1 for positive inputs\nreturn np.where(np.asarray(z) > 0, 1.0, 0.0)",
    "predict": "return step(np.dot(x, w))  # dot product then step",
    "update": "return w + (y - predict(w, x)) * x",
    "train": '''
def initial():
    """Zeros unless weights were given."""
    return np.zeros(X.shape[1]) if w is None else np.array(w, dtype=float)

def sweep(W, ep, record):
    # go through every sample once
    errs = 0
    for point, t in zip(X, y):
        pred = predict(W, point)
        errs += int(pred != t)
        W = update(W, point, t)
        record.append({"epoch": ep, "x": point, "y": t, "y_hat": pred, "w": W})
    return W, errs

X = np.asarray(X, dtype=float)
W, record = initial(), []
for ep in range(1, num_epochs + 1):
    W, errs = sweep(W, ep, record)  # stop once nothing is misclassified
    if not errs:
        break
return W, record
''',
}
CAL = {
    "step": "arr = np.asarray(z, dtype=float)\nout = np.zeros_like(arr)\nout[arr > 0] = 1.0\nreturn out",
    "predict": "scores = np.asarray(x, dtype=float).dot(np.asarray(w, dtype=float))\nreturn step(scores)",
    "update": "prediction = predict(w, x)\ndelta = (y - prediction) * np.asarray(x, dtype=float)\n"
              "return np.asarray(w, dtype=float) + delta",
    "train": '''
data = np.asarray(X, dtype=float)
current = np.zeros(data.shape[1]) if w is None else np.array(w, dtype=float)
log = []
epoch = 1
while epoch <= num_epochs:
    count = 0
    for row, label in zip(data, y):
        guess = predict(current, row)
        log.append({"epoch": epoch, "x": row, "y": label, "y_hat": guess,
                    "w": update(current, row, label)})
        count += guess != label
        current = log[-1]["w"]
    if count == 0:
        break
    epoch += 1
return current, log
''',
}
CAL_COPY = {
    "step": "a = np.asarray(z, dtype=float)\nresult = np.zeros_like(a)  # start from zeros\n"
            "result[a > 0] = 1.0\nreturn result",
    "predict": "s = np.asarray(x, dtype=float).dot(np.asarray(w, dtype=float))\nreturn step(s)",
    "update": "# the perceptron rule\np = predict(w, x)\nchange = (y - p) * np.asarray(x, dtype=float)\n"
              "return np.asarray(w, dtype=float) + change",
    "train": '''
# my training loop
Xs = np.asarray(X, dtype=float)
weights = np.zeros(Xs.shape[1]) if w is None else np.array(w, dtype=float)
steps = []
e = 1
while e <= num_epochs:
    n_wrong = 0
    for xi, yi in zip(Xs, y):
        yh = predict(weights, xi)
        steps.append({"epoch": e, "x": xi, "y": yi, "y_hat": yh,
                      "w": update(weights, xi, yi)})
        n_wrong += yh != yi
        weights = steps[-1]["w"]
    if n_wrong == 0:  # converged
        break
    e += 1
return weights, steps
''',
}
PLANTED = [("bea", "bea_copy"), ("cal", "cal_copy")]


def notebook_answers(bodies):
    return {exercise: cell(exercise, body) for exercise, body in bodies.items()}


def honest_class(size=18):
    """{student: {exercise: source}}: `size` students in the common ways, and olga,
    quinn and piet."""
    answers = {}
    for number in range(size):
        answers[f"honest{number:03d}"] = notebook_answers({
            "step": STEPS[number % len(STEPS)], "predict": PREDICTS[number % len(PREDICTS)],
            "update": UPDATES[(number // 2) % len(UPDATES)],
            "train": COMMON_TRAINS[number % len(COMMON_TRAINS)]})
    for number, (student, train) in enumerate(OWN_TRAINS.items()):
        answers[student] = notebook_answers({
            "step": STEPS[number], "predict": PREDICTS[number + 1],
            "update": UPDATES[(number + 2) % len(UPDATES)], "train": train})
    return answers


def planted_class(size=18):
    answers = honest_class(size)
    for student, bodies in (("bea", BEA), ("bea_copy", BEA_COPY), ("cal", CAL), ("cal_copy", CAL_COPY)):
        answers[student] = notebook_answers(bodies)
    return answers


def reference(lesson_solutions, stubs):
    """{exercise: [instructor's answer, released stub]}."""
    return {exercise: [lesson_solutions[exercise], stubs[exercise]] for exercise in HEADERS}
