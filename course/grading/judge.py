"""Hidden tests judged in the grader's own process, where no submission can reach them.

Everything in a kernel can be changed by the code it runs: numpy, the course's checks,
builtins, json. So `JudgedExecute` sends the kernel each test cell with its judged hidden
blocks blanked out, and runs those blocks itself, in a namespace of its own:

- the names the lesson imports (numpy, torch, `helpers`...) are the grader's own modules,
  imported from the instructor's notebook in `solutions/`, never from the submission;
- names defined by hidden blocks (reference functions, random inputs) live in the grader;
- every other name the block uses is the student's, fetched from the kernel as inert data
  (course/grading/wire.py): a function or any object that is not data becomes a handle,
  and calling it sends the arguments to the kernel as data, runs the student's function
  there and brings the result back as data. Comparisons happen here.

A hidden block at the top of a test cell (before its visible checks) sets the stage in the
kernel, typically `Substitution(globals(), name=reference)` so that an exercise is graded
with known-right earlier functions. It runs in the kernel as before, and here too, so the
judged blocks can use its reference functions; `Substitution(...).restore()` in a judged
block puts the student's functions back in the kernel, and GuardedExecute restores whatever
a failure left in place once the cell is judged. A judged block that fails adds an error to
the cell, which nbgrader scores 0; the kernel cannot take it back.
"""
import ast
import builtins
import contextlib
import io
import sys
import time
from pathlib import Path

import nbformat
import numpy as np
from nbclient.exceptions import DeadKernelError
from nbgrader.coursedir import CourseDirectory
from traitlets import Bool, Integer

from course.grading import wire
from helpers import checks
from course.grading.execute import HIDDEN_BEGIN, METADATA_KEY, GuardedExecute

HIDDEN_END = "### END HIDDEN TESTS"
WIRE_SOURCE = Path(wire.__file__).read_text()
REPLY = "__course_judge_reply__"
# Runs in the kernel before the submission's first cell: loads wire.py there as a module.
LOAD_WIRE = """\
def __course_judge_load__(source):
    import sys, types
    module = types.ModuleType("_course_wire")
    exec(compile(source, "<course grader>", "exec"), module.__dict__)
    sys.modules["_course_wire"] = module
__course_judge_load__({source!r})
"""
# Runs in the kernel for each request: wire.py answers it there, as JSON text.
REQUEST = "{reply} = __import__('sys').modules['_course_wire'].serve({request!r}, globals())"


class JudgeError(Exception):
    """The kernel's answer to a judged call could not be used: a wrong answer, not a crash."""


def hidden_blocks(source):
    """(first line, last line, code, judged) for each hidden region; lines 0-based, markers
    included. A region before any visible code sets the stage in the kernel (not judged)."""
    blocks, start, seen_visible = [], None, False
    lines = source.splitlines()
    for number, line in enumerate(lines):
        stripped = line.strip()
        if stripped == HIDDEN_BEGIN:
            start = number
        elif stripped == HIDDEN_END and start is not None:
            code = "\n".join(lines[start + 1:number])
            blocks.append((start, number, code, seen_visible))
            start = None
        elif start is None and stripped and not stripped.startswith("#"):
            seen_visible = True
    return blocks


def kernel_source(source):
    """The test cell as the kernel runs it: judged regions blanked, line numbers kept."""
    lines = source.splitlines()
    for first, last, _, judged in hidden_blocks(source):
        if judged:
            lines[first:last + 1] = [""] * (last + 1 - first)
    return "\n".join(lines)


def names_used(code):
    """(names `code` reads, names it binds), anywhere in it."""
    bound, read = set(), set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
    return read, bound


NAMES_ASKED = {"__name__", "__qualname__", "__doc__"}  # dunders a handle asks the kernel for


class KernelRef:
    """A handle to an object in the student's kernel: it can be called and asked for
    attributes (both answered as data by the kernel), never compared, converted or counted."""

    __slots__ = ("_judge", "_number", "_type")

    def __init__(self, judge, number, type_name):
        object.__setattr__(self, "_judge", judge)
        object.__setattr__(self, "_number", number)
        object.__setattr__(self, "_type", type_name)

    def __call__(self, *args, **kwargs):
        return self._judge.call(self, args, kwargs)

    def __getattr__(self, name):
        if name == "__signature__":  # for inspect.signature, answered as data
            return self._judge.signature(self)
        if name.startswith("__") and name not in NAMES_ASKED:
            raise AttributeError(name)
        return self._judge.attribute(self, name)

    def __repr__(self):
        return f"<a {self._type} from the submission>"

    def _not_data(self, *_):
        raise TypeError(f"{self!r} is not a plain value (a number, array, str, list...), "
                        "so the grader does not compare it")

    __bool__ = __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __hash__ = _not_data
    __float__ = __int__ = __index__ = __len__ = __iter__ = __array__ = _not_data
    __setattr__ = __getitem__ = __contains__ = _not_data


class GraderSubstitution:
    """`Substitution` as judged blocks see it: the stage-setting block already swapped the
    names in the kernel; `restore()` here puts the student's functions back there."""

    def __init__(self, judge, namespace, **replacements):
        self.judge, self.names = judge, sorted(replacements)
        judge.substitutions.append(self)

    def restore(self):
        if self in self.judge.substitutions:
            self.judge.substitutions.remove(self)
            self.judge.request({"op": "restore"})


class JudgedExecute(GuardedExecute):
    """GuardedExecute whose hidden tests are judged in the grader's process (see above)."""

    judge_hidden_tests = Bool(
        True, help="Run the hidden blocks of test cells in the grader's process, calling the "
                   "student's functions in the kernel with data; False runs them in the "
                   "kernel, where the submission can change what they accept.").tag(config=True)
    call_timeout = Integer(
        30, help="Seconds the kernel may take to answer one judged call (a function call, "
                 "an attribute or a value); past it the call fails and the kernel is "
                 "interrupted.").tag(config=True)
    max_reply_bytes = Integer(
        50_000_000, help="Largest answer the kernel may give to one judged call; a larger "
                         "one is a wrong answer.").tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        self._trusted_cells = {}
        self._namespace = None
        self.substitutions = []
        self._handles = {}
        self._fetched = set()  # names in the namespace that came from the kernel
        self._judge_seconds = 0.0
        self._judged_calls = 0
        if self.judge_hidden_tests:
            self._load_instructor_notebook(resources)
        checks.run_in_kernel = self.in_kernel if self._namespace is not None else None
        try:
            nb, resources = super().preprocess(nb, resources, km)
        finally:
            checks.run_in_kernel = None
        if self._trusted_cells:
            self.log.info("Judged hidden tests in %d kernel calls, %.2f s",
                          self._judged_calls, self._judge_seconds)
            nb.metadata[METADATA_KEY]["judged_seconds"] = round(self._judge_seconds, 3)
        return nb, resources

    def _load_instructor_notebook(self, resources):
        """The test cells and imports of the instructor's notebook: the only code the grader
        runs itself. Without it hidden tests cannot be judged, and grading stops."""
        info = (resources or {}).get("nbgrader", {})
        coursedir = CourseDirectory(config=self.config)
        path = Path(coursedir.format_path(coursedir.source_directory, ".", info["assignment"]),
                    info["notebook"] + ".ipynb")
        if not path.is_file():
            raise FileNotFoundError(
                f"Hidden tests are judged from the instructor's notebook, and {path} is missing. "
                "Grade in the course folder, or set c.JudgedExecute.judge_hidden_tests = False.")
        source_nb = nbformat.read(path, as_version=4)
        imports = []
        for cell in source_nb.cells:
            nbgrader = cell.metadata.get("nbgrader", {})
            if cell.cell_type != "code" or nbgrader.get("solution"):
                continue
            if nbgrader.get("grade") and HIDDEN_BEGIN in cell.source:
                self._trusted_cells[nbgrader["grade_id"]] = cell.source
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:
                continue
            imports += [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
        namespace = {"__name__": "__course_judge__"}
        exec(compile(ast.Module(body=imports, type_ignores=[]), str(path), "exec"), namespace)
        namespace["Substitution"] = lambda ns, **kw: GraderSubstitution(self, ns, **kw)
        self._namespace = namespace

    def run_cell(self, cell, resources, index):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        trusted = self._trusted_cells.get(grade_id) if cell.cell_type == "code" else None
        if self._namespace is not None and self._judged_calls == 0 and self._stopped is None:
            self._load_wire()
        if trusted is None or cell.metadata["nbgrader"].get("solution"):
            return super().run_cell(cell, resources, index)
        if self._hidden_from is None:
            self._hidden_from = index  # hidden inputs reach the kernel from here on
        written = cell.source
        cell.source = kernel_source(trusted)
        try:
            cell, resources = super().run_cell(cell, resources, index)
        finally:
            cell.source = written
        if self._stopped is None:
            self._judge_cell(cell, trusted, index)
        return cell, resources

    def _load_wire(self):
        """Load wire.py into the kernel before the submission's first cell runs, so that it
        holds numpy's and json's own functions whatever the notebook patches later."""
        try:
            self.request({"op": "hello"})
        except (JudgeError, DeadKernelError) as error:
            self.log.warning("Could not prepare the kernel for judged calls: %s", error)

    def _judge_cell(self, cell, source, index):
        started = time.monotonic()
        failed_already = any(o.get("output_type") == "error" for o in cell.outputs)
        printed = io.StringIO()
        failure = None
        try:
            with contextlib.redirect_stdout(printed):
                for _, _, code, judged in hidden_blocks(source):
                    if judged and failed_already:
                        break
                    self._run_block(code, cell.metadata["nbgrader"]["grade_id"])
        except DeadKernelError:
            self._stopped = f"the kernel died in an earlier cell (cell {index + 1})"
            self._notice(cell, "KernelKilled" if self._killed else "KernelDied", self._killed or (
                "The kernel died while the grader called this exercise's functions. Grades "
                "of earlier cells are kept."))
        except Exception as error:
            failure = f"{type(error).__name__}: {error}"
        self.substitutions.clear()  # the kernel's are restored after the cell (GuardedExecute)
        if printed.getvalue():
            cell.outputs.append(nbformat.v4.new_output("stream", name="stdout",
                                                       text=printed.getvalue()))
            # Printed here, by the instructor's code: feedback may show it (HideHiddenTests).
            cell.metadata.setdefault(METADATA_KEY, {})["judged_stdout"] = printed.getvalue()
        if failure is not None and not failed_already:
            self.log.info("Hidden test of %s failed: %s", cell.metadata["nbgrader"]["grade_id"],
                          failure[:300])
            cell.outputs.append(self._error(
                "HiddenTestFailed", f"(judged by the grader, outside the kernel) {failure}"))
            cell.metadata.setdefault(METADATA_KEY, {})["hidden_failed"] = True
        for targets in self._display_id_map.values():  # the kernel cannot update this cell
            targets.pop(index, None)
        self._judge_seconds += time.monotonic() - started

    def _run_block(self, code, grade_id):
        """Run one hidden block here. The student's names it reads are fetched afresh (a
        value, or a handle); names the grader's imports or hidden blocks define are its own."""
        read, bound = names_used(code)
        own = set(self._namespace) - self._fetched
        wanted = sorted(read - bound - own - set(dir(builtins)))
        self._fetched.update(wanted)
        self._fetched.difference_update(bound)
        if wanted:
            reply = self.request({"op": "fetch", "names": wanted})
            values = reply.get("values")
            if type(values) is not dict:
                raise JudgeError("the kernel did not send the values asked for")
            for name in wanted:
                if name in values:
                    self._namespace[name] = self._decode(values[name])
                else:
                    self._namespace.pop(name, None)
        exec(compile(code, f"<hidden tests of {grade_id}>", "exec"), self._namespace)

    # ---- talking to the kernel --------------------------------------------------------

    def call(self, ref, args, kwargs, helper=None):
        encode = lambda value: wire.encode(value, self._refer)  # noqa: E731
        passed = [*args, *kwargs.values()]
        request = {"op": "call", "args": [encode(a) for a in args],
                   "kwargs": {k: encode(v) for k, v in kwargs.items()}}
        request.update({"helper": helper} if helper else {"target": ref._number})
        reply = self.request(request)
        called = ref if helper is None else ".".join(helper)  # (a handle has no truth value)
        if "raised" in reply:
            raise self._raised(reply["raised"], called)
        same_as, after = reply.get("same_as"), reply.get("after")
        result = self._decode(reply.get("result"))
        if type(after) is list and len(after) == len(passed):
            for number, (given, state) in enumerate(zip(passed, after), start=1):
                if state is not None and changed(given, self._decode(state)):
                    raise JudgeError(
                        f"{called!r} changed its argument number {number} in "
                        "place; leave arguments as they are and return a new value instead")
        if type(same_as) is list and len(same_as) == 1 and type(same_as[0]) is int \
                and 0 <= same_as[0] < len(passed):
            return passed[same_as[0]]  # it returned the very object it was given
        return result

    def attribute(self, ref, name):
        """The attribute as data; a method (any handle) is looked up once per object."""
        cached = self._handles.get((ref._number, name))
        if cached is not None:
            return cached
        reply = self.request({"op": "getattr", "target": ref._number, "name": name})
        if "raised" in reply:
            raise self._raised(reply["raised"], ref)
        value = self._decode(reply.get("result"))
        if isinstance(value, KernelRef):
            self._handles[ref._number, name] = value
        return value

    def signature(self, ref):
        import inspect
        reply = self.request({"op": "signature", "target": ref._number})
        described = reply.get("result")
        if "raised" in reply or type(described) is not list:
            raise AttributeError("__signature__")
        try:
            return inspect.Signature([
                inspect.Parameter(name, inspect._ParameterKind(kind),
                                  default=self._decode(default) if has_default else inspect.Parameter.empty)
                for name, kind, has_default, default in described])
        except (TypeError, ValueError) as error:
            raise JudgeError(f"the signature of {ref!r} could not be read ({error})") from None

    def in_kernel(self, helper):
        """`helper` (a function of the course's `helpers`) run in the kernel, next to the
        student's code, with its result brought back as data: one call instead of many."""
        module, name = getattr(helper, "__module__", ""), getattr(helper, "__name__", "")
        if not module.startswith("helpers.") or getattr(sys.modules[module], name, None) is not helper:
            raise TypeError(f"in_kernel runs functions of the course's helpers, not {helper!r}")

        def run(*args, **kwargs):
            return self.call(None, args, kwargs, helper=[module, name])
        return run

    def request(self, message):
        """Send one request to the kernel; its reply as a dict of data, or JudgeError."""
        code = REQUEST.format(reply=REPLY, request=wire.dumps(message))
        if message["op"] == "hello":
            code = LOAD_WIRE.format(source=WIRE_SOURCE) + code
        remaining = self._deadline - time.monotonic()
        if remaining <= 1:
            raise JudgeError(f"the notebook used up its time limit of {self.notebook_timeout} s")
        self._judged_calls += 1
        msg_id = self.kc.execute(code, silent=True, store_history=False, allow_stdin=False,
                                 user_expressions={"reply": REPLY}, stop_on_error=False)
        self.timeout = max(1, min(self.call_timeout, int(remaining)))
        try:
            reply = self.wait_for_reply(msg_id)
        finally:
            self.timeout = self._cell_timeout
        if reply is None:
            raise JudgeError(f"the student's code did not answer within {self.timeout} s")
        content = reply.get("content", {})
        if content.get("status") != "ok":
            raise JudgeError(f"the kernel could not answer the grader "
                             f"({str(content.get('ename'))[:80]}: {str(content.get('evalue'))[:300]})")
        answer = content.get("user_expressions", {}).get("reply", {})
        text = answer.get("data", {}).get("text/plain") if answer.get("status") == "ok" else None
        if type(text) is not str or len(text) > self.max_reply_bytes:
            raise JudgeError("the kernel's answer was missing, not text, or too large")
        try:
            payload = ast.literal_eval(text)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            raise JudgeError("the kernel's answer was not a plain string") from None
        if type(payload) is not str:
            raise JudgeError("the kernel's answer was not a plain string")
        try:
            data = wire.loads(payload)
        except wire.NotData as error:
            raise JudgeError(str(error)) from None
        if type(data) is not dict:
            raise JudgeError("the kernel's answer was not a record")
        return data

    def _decode(self, data):
        try:
            return wire.decode(data, self._resolve)
        except wire.NotData as error:
            raise JudgeError(f"the submission answered with {error}") from None

    def _resolve(self, number, type_name):
        return KernelRef(self, number, str(type_name)[:60])

    def _refer(self, value):
        if isinstance(value, KernelRef):
            return {"t": "ref", "v": value._number}
        raise TypeError(f"the grader cannot send {type(value).__name__} to the kernel")

    @staticmethod
    def _raised(raised, ref):
        if type(raised) is not dict:
            return JudgeError(f"{ref!r} raised an error the grader could not read")
        return JudgeError(f"{ref!r} raised {str(raised.get('type'))[:80]}: "
                          f"{str(raised.get('message'))[:2000]}")


def changed(given, after):
    """Whether `after` (an argument as the kernel saw it after a call) differs from the
    grader's `given`. The grader's values are never overwritten with the kernel's: a call
    that changes an argument in place simply fails (no exercise of the course may do so)."""
    if type(given) is np.ndarray:
        if type(after) is not np.ndarray or after.shape != given.shape:
            return True
        try:
            return not np.array_equal(given, after, equal_nan=given.dtype.kind == "f")
        except TypeError:
            return not np.array_equal(given, after)
    if type(given) is dict:
        return (type(after) is not dict or given.keys() != after.keys()
                or any(changed(given[k], after[k]) for k in given))
    if type(given) in (list, tuple):
        return (type(after) is not type(given) or len(given) != len(after)
                or any(changed(g, a) for g, a in zip(given, after)))
    if type(given) is np.random.Generator or isinstance(given, KernelRef) \
            or isinstance(after, KernelRef):
        return False  # a generator advances; an object that is not data stays in the kernel
    if type(given) is float and type(after) is float and given != given and after != after:
        return False  # nan
    return type(given) is not type(after) or given != after
