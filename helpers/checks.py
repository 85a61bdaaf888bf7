"""Checks that turn a student's answer into clear feedback.

Every check coerces the answer to a float array and compares shapes before values, so an
object that claims to equal anything still fails. A failed check raises AssertionError with
the call that was made, the expected value and the actual value.
"""
import numpy as np

# Bound once, when the lesson imports this module: replacing np.allclose later in a
# notebook does not change what these checks accept.
_allclose, _array_equal, _float_array = np.allclose, np.array_equal, np.array


def as_float_array(value, call):
    """`value` as a float numpy array, or an AssertionError that says what came back."""
    __tracebackhide__ = True  # tracebacks end in the student's cell, not here
    try:
        array = _float_array(value, dtype=float)
    except (TypeError, ValueError) as error:
        raise AssertionError(
            f"{call} returned {value!r} ({type(value).__name__}), "
            f"which is not a number or an array of numbers ({error})."
        ) from None
    return array


def check_array(actual, expected, call, atol=1e-8, rtol=1e-6):
    """Assert that `actual`, the result of `call`, has `expected`'s shape and values."""
    __tracebackhide__ = True  # tracebacks end in the student's cell, not here
    actual_array = as_float_array(actual, call)
    expected_array = _float_array(expected, dtype=float)
    if actual_array.shape != expected_array.shape:
        raise AssertionError(
            f"{call} returned shape {actual_array.shape}, expected shape "
            f"{expected_array.shape}.\n  expected: {_show(expected_array)}\n"
            f"  actual:   {_show(actual_array)}"
        )
    if not _allclose(actual_array, expected_array, atol=atol, rtol=rtol, equal_nan=True):
        raise AssertionError(
            f"{call} returned the wrong value.\n  expected: {_show(expected_array)}\n"
            f"  actual:   {_show(actual_array)}"
        )


def check_unchanged(before, after, name, call):
    """Assert that `call` left the array `name` as it found it."""
    __tracebackhide__ = True  # tracebacks end in the student's cell, not here
    if not _array_equal(before, after):
        raise AssertionError(
            f"{call} changed its argument {name} from {_show(before)} to {_show(after)}. "
            f"Build and return a new array instead of modifying {name} in place."
        )


def check_true(condition, message):
    """Assert a condition with a message that tells the student what to fix."""
    __tracebackhide__ = True  # tracebacks end in the student's cell, not here
    if not bool(condition):
        raise AssertionError(message)


class Substitution:
    """Replace names in a namespace until `restore()`; graders use it to test one function
    with the others known to be right, so one mistake costs points in one exercise only.

    A test cell's own `restore()` comes last and is skipped when a check before it fails, so
    the grader restores every substitution still active at the end of each test cell
    (`restore_all`, course/grading/execute.py)."""

    active = []  # not yet restored, newest last: the grader restores them from outside

    def __init__(self, namespace, **replacements):
        self.namespace = namespace
        self.saved = {name: namespace.get(name) for name in replacements}
        namespace.update(replacements)
        Substitution.active.append(self)

    def restore(self):
        self.namespace.update(self.saved)
        if self in Substitution.active:
            Substitution.active.remove(self)

    @classmethod
    def restore_latest(cls):
        if cls.active:
            cls.active[-1].restore()

    @classmethod
    def restore_all(cls):
        """Undo every active substitution, newest first, so each name gets its original."""
        while cls.active:
            cls.active[-1].restore()


# Set only in the grader's own process, while it judges hidden tests outside the kernel
# (course/grading/judge.py): how to run a helper next to the student's code.
run_in_kernel = None


def in_kernel(helper):
    """`helper`, run where the student's code is. In a kernel (a solution run, or grading
    with hidden tests run in the kernel) that is the helper itself; a grader that judges
    hidden tests outside the kernel runs it there instead and brings its result back as data."""
    return helper if run_in_kernel is None else run_in_kernel(helper)


def method_results(cls, arguments, method, inputs):
    """`[obj.<method>(x) for x in inputs]` for one `obj = cls(**arguments)`, in order. The
    grader runs it next to the student's class (`in_kernel`), checking many calls in one."""
    instance = cls(**arguments)
    return [getattr(instance, method)(value) for value in inputs]


def _show(value):
    return np.array2string(np.asarray(value), precision=6, separator=", ")


class if_implemented:
    """Run a demonstration only once the student's function exists.

    Inside `with if_implemented("train"):` a NotImplementedError is replaced by a plain
    note, so a lesson with open exercises still runs from top to bottom.
    """

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if kind is not None and issubclass(kind, NotImplementedError):
            print(f"Implement `{self.name}` in the exercise above and run its cell "
                  "to see this part.")
            return True
        return False
