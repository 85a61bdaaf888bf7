"""Values as inert data, for the grader and the student's kernel to exchange (course/grading/judge.py).

This one file runs on both sides: the grader imports it, and sends its source to the kernel,
which runs it there. Only what the *grader* decodes matters: it accepts JSON made of exact
types (None, bool, int, float, str) and tagged containers, arrays as `.npy` bytes loaded with
`allow_pickle=False`, and nothing else; whatever the kernel's copy of this code was changed
into, a reply is data or it is refused. An object that is not data stays in the kernel and
the grader gets a numbered handle to it (a `ref`), which can be called or asked for an
attribute but never compared, converted or counted.
"""
import base64
import io
import json
import sys

import numpy as np

# Bound when the grader first loads this module into a kernel, before the submission runs:
# a later `json.dumps = ...` or `np.save = ...` in the notebook does not reach them.
_b64encode, _b64decode, _BytesIO = base64.b64encode, base64.b64decode, io.BytesIO
_json_dumps, _json_loads, _np_save, _np_load = json.dumps, json.loads, np.save, np.load
_np_asarray = np.asarray
_ndarray, _generic, _Generator, _PCG64 = np.ndarray, np.generic, np.random.Generator, np.random.PCG64

MAX_DEPTH = 40
ARRAY_KINDS = "biuf"  # bool, signed, unsigned, float: what a check can compare


class NotData(ValueError):
    """A reply that is not the data this module sends."""


def _npy(array):
    buffer = _BytesIO()
    _np_save(buffer, array, allow_pickle=False)
    return _b64encode(buffer.getvalue()).decode("ascii")


def _from_npy(text):
    if type(text) is not str:
        raise NotData("array bytes that are not text")
    try:
        array = _np_load(_BytesIO(_b64decode(text, validate=True)), allow_pickle=False)
    except Exception as error:  # a malformed .npy says so in many ways
        raise NotData(f"an array that does not load ({type(error).__name__})") from None
    if type(array) is not _ndarray or array.dtype.kind not in ARRAY_KINDS:
        raise NotData(f"an array of {array.dtype} (only numbers and booleans are compared)")
    return array


def encode(value, refer, depth=0):
    """`value` as JSON-ready data; `refer(obj)` names an object that is not data."""
    kind = type(value)
    if value is None or kind in (bool, int, str):
        return value
    if kind is float:
        return {"t": "float", "v": repr(value)}  # JSON has no nan or inf
    if depth > MAX_DEPTH:
        return refer(value)
    if kind in (list, tuple):
        return {"t": kind.__name__, "v": [encode(item, refer, depth + 1) for item in value]}
    if kind is dict:
        return {"t": "dict", "v": [[encode(k, refer, depth + 1), encode(v, refer, depth + 1)]
                                   for k, v in value.items()]}
    if kind is _ndarray and value.dtype.kind in ARRAY_KINDS:
        return {"t": "array", "v": _npy(value)}
    if isinstance(value, _generic) and kind.__module__ == "numpy" and value.dtype.kind in ARRAY_KINDS:
        return {"t": "scalar", "v": _npy(_np_asarray(value))}
    if kind is _Generator and type(value.bit_generator) is _PCG64:
        return {"t": "rng", "v": _json_dumps(value.bit_generator.state)}
    torch = sys.modules.get("torch")
    if torch is not None and kind in (torch.Tensor, torch.nn.Parameter):
        try:
            array = value.detach().cpu().numpy()
        except Exception:
            return refer(value)
        if array.dtype.kind in ARRAY_KINDS:
            return {"t": "tensor", "v": _npy(array), "grad": bool(value.requires_grad),
                    "parameter": kind is not torch.Tensor}
    return refer(value)


def decode(data, resolve, depth=0):
    """The value `data` stands for; `resolve(number)` gives the object behind a handle.
    Raises NotData for anything this module does not send."""
    if data is None or type(data) in (bool, int, str):
        return data
    if depth > MAX_DEPTH + 1:
        raise NotData("data nested too deeply")
    if type(data) is not dict or type(data.get("t")) is not str:
        raise NotData(f"a {type(data).__name__} where a tagged value was expected")
    tag, body = data["t"], data.get("v")
    if tag == "float":
        if type(body) is not str:
            raise NotData("a float that is not written as text")
        try:
            return float(body)
        except ValueError:
            raise NotData(f"a float written as {body[:40]!r}") from None
    if tag in ("list", "tuple"):
        if type(body) is not list:
            raise NotData(f"a {tag} without items")
        items = [decode(item, resolve, depth + 1) for item in body]
        return items if tag == "list" else tuple(items)
    if tag == "dict":
        if type(body) is not list or any(type(p) is not list or len(p) != 2 for p in body):
            raise NotData("a dict without key-value pairs")
        pairs = [(decode(k, resolve, depth + 1), decode(v, resolve, depth + 1)) for k, v in body]
        try:
            return dict(pairs)
        except TypeError:
            raise NotData("a dict with a key that cannot be a key") from None
    if tag == "array":
        return _from_npy(body)
    if tag == "scalar":
        array = _from_npy(body)
        if array.shape != ():
            raise NotData("a scalar of shape " + str(array.shape))
        return array[()]
    if tag == "rng":
        generator = _Generator(_PCG64())
        try:
            generator.bit_generator.state = _json_loads(body)
        except Exception:
            raise NotData("a random generator whose state does not load") from None
        return generator
    if tag == "tensor":
        import torch
        tensor = torch.from_numpy(_from_npy(body).copy())
        if data.get("parameter") is True:
            return torch.nn.Parameter(tensor, requires_grad=data.get("grad") is True)
        return tensor.requires_grad_(data.get("grad") is True and tensor.is_floating_point())
    if tag == "ref":
        if type(body) is not int:
            raise NotData("a handle that is not a number")
        return resolve(body, data.get("type"))
    raise NotData(f"an unknown kind of value {tag[:40]!r}")


def dumps(data):
    return _json_dumps(data, allow_nan=False, separators=(",", ":"))


def loads(text):
    try:
        return _json_loads(text, parse_constant=_refuse)
    except (ValueError, RecursionError) as error:
        raise NotData(f"a reply that is not JSON ({error})") from None


def _refuse(name):
    raise NotData(f"{name} outside a tagged float")


# ---- the kernel's side: answers one request from the grader -----------------------------

class _Objects:
    """Objects the grader holds handles to, kept in the kernel while it grades."""

    def __init__(self):
        self.by_number = {}

    def refer(self, value):
        number = len(self.by_number) + 1
        self.by_number[number] = value
        return {"t": "ref", "v": number, "type": type(value).__name__[:60]}

    def resolve(self, number, _type=None):
        return self.by_number[number]


def _objects():
    holder = sys.modules.get("_course_wire_objects")
    if holder is None:
        import types
        holder = sys.modules["_course_wire_objects"] = types.ModuleType("_course_wire_objects")
        holder.objects = _Objects()
    return holder.objects


def _raised(error):
    try:
        message = str(error)[:2000]
    except Exception:
        message = "(its message could not be read)"
    return {"raised": {"type": type(error).__name__[:80], "message": message}}


def serve(request, namespace):
    """Run one request in the kernel and return the reply as JSON text."""
    objects = _objects()
    request = _json_loads(request)
    operation = request["op"]
    if operation == "hello":
        return dumps({})
    if operation == "fetch":
        values = {}
        for name in request["names"]:
            if name in namespace:
                values[name] = encode(namespace[name], objects.refer)
        return dumps({"values": values})
    if operation == "getattr":
        target = objects.resolve(request["target"])
        try:
            return dumps({"result": encode(getattr(target, request["name"]), objects.refer)})
        except Exception as error:
            return dumps(_raised(error))
    if operation == "signature":
        import inspect
        try:
            parameters = inspect.signature(objects.resolve(request["target"])).parameters.values()
            described = [[p.name, int(p.kind), p.default is not p.empty,
                          None if p.default is p.empty else encode(p.default, objects.refer)]
                         for p in parameters]
        except Exception as error:
            return dumps(_raised(error))
        return dumps({"result": described})
    if operation == "call":
        if "helper" in request:  # a course helper run next to the student's code (in_kernel)
            import importlib
            module, name = request["helper"]
            if not module.startswith("helpers."):
                raise ValueError("only the course's helpers run on the grader's request")
            target = getattr(importlib.import_module(module), name)
        else:
            target = objects.resolve(request["target"])
        args = [decode(a, objects.resolve) for a in request["args"]]
        kwargs = {k: decode(v, objects.resolve) for k, v in request["kwargs"].items()}
        try:
            result = target(*args, **kwargs)
        except Exception as error:
            return dumps(_raised(error))
        passed = args + list(kwargs.values())
        same = [i for i, a in enumerate(passed) if a is result and not isinstance(a, (int, str))]
        after = [encode(a, objects.refer) if type(a) in (_ndarray, dict, list) else None
                 for a in passed]  # to tell whether the call changed what it was passed
        return dumps({"result": encode(result, objects.refer), "same_as": same[:1], "after": after})
    if operation == "restore":
        from helpers.checks import Substitution
        Substitution.restore_latest()
        return dumps({"result": None})
    raise ValueError(f"unknown request {operation!r}")
