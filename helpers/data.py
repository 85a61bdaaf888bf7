"""The lecture's datasets."""
import numpy as np

# Truth tables in the order the slides list them: (x1, x2) -> y.
LOGIC_GATES = {
    "AND": [((1, 1), 1), ((1, 0), 0), ((0, 1), 0), ((0, 0), 0)],
    "OR": [((1, 1), 1), ((1, 0), 1), ((0, 1), 1), ((0, 0), 0)],
    "XOR": [((1, 1), 0), ((1, 0), 1), ((0, 1), 1), ((0, 0), 0)],
}


def logic_gate(name):
    """X and y for a two-input gate, in the slides' row order.

    Each row of X is (x0, x1, x2) with the bias input x0 = 1 in front, as in the slides'
    second form of the perceptron; y holds the gate's output for that row.
    """
    try:
        table = LOGIC_GATES[name.upper()]
    except (KeyError, AttributeError):
        raise ValueError(
            f"Unknown logic gate {name!r}; choose one of {', '.join(LOGIC_GATES)}."
        ) from None
    X = np.array([(1, x1, x2) for (x1, x2), _ in table], dtype=float)
    y = np.array([target for _, target in table], dtype=float)
    return X, y
