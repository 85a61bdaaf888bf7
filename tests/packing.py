"""Pack wrong answers into few submissions without changing what each one proves.

nbgrader scores each exercise's test cells on their own, so one submission can carry wrong
answers for several exercises, provided none of them can reach another's grading. Exercise Y
depends on exercise X when a name that X's answer binds (in any of its versions: the solution
and every wrong answer) reaches a cell that grades Y: directly, or through names that cells
in between compute from it (a demonstration that trains with the student's `fit`, say), or
through data a cell handed to an X that may change its arguments in place. Such a pair never
shares a submission, so a wrong X is graded beside a right Y, which must then keep its points
(checking that the test cells' Substitution works), and a wrong Y is graded beside a right X,
so Y's zero is Y's own mistake. Exercises with no path between them share nothing a cell
could read, so each one's score is the same as if it were graded alone.

The analysis reads names, not values, and errs towards dependence: a name read before a cell
binds it, in a function body or in a default counts as read. It assumes answers keep to
their own names (no `np.something = ...`, no global random state), which
`test_answers_keep_to_their_own_names` (tests/test_grading.py) checks.
"""
import ast
import builtins
import re
import warnings
from dataclasses import dataclass

BUILTINS = frozenset(dir(builtins))


@dataclass(frozen=True)
class Names:
    """What a cell reads from earlier cells, and what it binds for later ones."""
    reads: frozenset
    binds: frozenset
    imports: frozenset


class _Scope(ast.NodeVisitor):
    """Walks code in execution order: a name loaded before this code binds it is a read of a
    name bound elsewhere. Function and class bodies are read as if run where they are defined."""

    def __init__(self, bound=()):
        self.bound, self.reads, self.imports = set(bound), set(), set()

    def load(self, name):
        if name not in self.bound:
            self.reads.add(name)

    def visit_Name(self, node):
        if isinstance(node.ctx, ast.Load):
            self.load(node.id)
        else:
            self.bound.add(node.id)

    def visit_Assign(self, node):
        self.visit(node.value)
        for target in node.targets:
            self.visit(target)

    def visit_AugAssign(self, node):
        if isinstance(node.target, ast.Name):
            self.load(node.target.id)
        self.visit(node.value)
        self.visit(node.target)

    def visit_AnnAssign(self, node):
        if node.value:
            self.visit(node.value)
        self.visit(node.target)

    def visit_NamedExpr(self, node):
        self.visit(node.value)
        self.visit(node.target)

    def visit_Import(self, node):
        for alias in node.names:
            name = (alias.asname or alias.name).split(".")[0]
            self.bound.add(name)
            self.imports.add(name)

    visit_ImportFrom = visit_Import

    def visit_ExceptHandler(self, node):
        if node.type:
            self.visit(node.type)
        if node.name:
            self.bound.add(node.name)
        for statement in node.body:
            self.visit(statement)

    def _inner(self, arguments, body):
        """A function or class body: its own names (parameters, anything it assigns) are
        local; the rest are read from here."""
        local = {a.arg for a in ast.walk(arguments) if isinstance(a, ast.arg)} if arguments else set()
        for node in body:
            for inner in ast.walk(node):
                if isinstance(inner, ast.Name) and not isinstance(inner.ctx, ast.Load):
                    local.add(inner.id)
                elif isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    local.add(inner.name)
        scope = _Scope(self.bound | local)
        for node in body:
            scope.visit(node)
        self.reads |= scope.reads
        self.imports |= scope.imports

    def visit_FunctionDef(self, node):
        for expression in node.decorator_list + node.args.defaults + [
                d for d in node.args.kw_defaults if d is not None]:
            self.visit(expression)
        self._inner(node.args, node.body)
        self.bound.add(node.name)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node):
        for expression in node.args.defaults + [d for d in node.args.kw_defaults if d is not None]:
            self.visit(expression)
        self._inner(node.args, [node.body])

    def visit_ClassDef(self, node):
        for expression in node.decorator_list + node.bases + [k.value for k in node.keywords]:
            self.visit(expression)
        self._inner(None, node.body)
        self.bound.add(node.name)

    def _comprehension(self, node, results):
        for generator in node.generators:
            self.visit(generator.iter)
        targets = {n.id for g in node.generators for n in ast.walk(g.target)
                   if isinstance(n, ast.Name)}
        scope = _Scope(self.bound | targets)
        for part in results + [c for g in node.generators for c in g.ifs]:
            scope.visit(part)
        self.reads |= scope.reads

    def visit_ListComp(self, node):
        self._comprehension(node, [node.elt])

    visit_SetComp = visit_GeneratorExp = visit_ListComp

    def visit_DictComp(self, node):
        self._comprehension(node, [node.key, node.value])


def parse(source):
    """The syntax tree of a code cell without its IPython magics and shell lines (an empty one
    for code that does not compile, which runs nothing)."""
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        with warnings.catch_warnings():  # the notebook's own concern (an escape like "\\d")
            warnings.simplefilter("ignore")
            return ast.parse("\n".join(lines))
    except SyntaxError:
        return ast.Module(body=[], type_ignores=[])


def names_of(source):
    """The Names of one code cell."""
    scope = _Scope()
    scope.visit(parse(source))
    return Names(frozenset(scope.reads - BUILTINS), frozenset(scope.bound),
                 frozenset(scope.imports))


def dependencies(cells, versions, exercise_of_test):
    """{exercise: the exercises whose answers can reach its grading}.

    `cells`: the notebook's code cells in order, each (kind, grade_id, source) with kind
    "solution", "grade" or None; `versions`: {exercise: every source its answer cell may
    hold}; `exercise_of_test`: grade_id of a test cell -> its exercise. Names carry the
    exercises they may come from; a cell passes its reads' exercises on to every name it
    binds, and those of them whose answers may change an argument in place
    (`may_change_in_place`) to every name it reads. Imported modules carry nothing."""
    came_from, depends, imported = {}, {exercise: set() for exercise in versions}, set()
    changers = {exercise for exercise, sources in versions.items()
                if any(may_change_in_place(source) for source in sources)}
    for kind, grade_id, source in cells:
        owner = (grade_id if kind == "solution" else
                 exercise_of_test(grade_id) if kind == "grade" else None)
        found = [names_of(s) for s in (versions[owner] if kind == "solution" else [source])]
        imported |= set().union(*(n.imports for n in found))
        reads = set().union(*(n.reads for n in found)) - imported
        binds = set().union(*(n.binds for n in found)) - imported
        carried = set().union(*(came_from.get(name, set()) for name in reads))
        if owner is not None:
            depends[owner] |= carried - {owner}
            carried = carried | {owner}
        for name in binds:
            came_from.setdefault(name, set()).update(carried)
        for name in reads:  # what the cell passed to an answer that may change it in place
            came_from.setdefault(name, set()).update(carried & changers)
    return depends


IN_PLACE_METHODS = frozenset({"append", "extend", "insert", "pop", "remove", "clear", "sort",
                              "reverse", "update", "setdefault", "popitem", "fill", "resize",
                              "put", "itemset", "setflags", "copyto", "place", "fill_diagonal",
                              "shuffle", "putmask", "__setitem__", "__iadd__"})


def may_change_in_place(source):
    """Whether code may change an object it is given: it assigns to an item or attribute,
    uses an augmented assignment, passes `out=`, or calls a method or numpy function that
    works in place (`.sort()`, `.fill()`, torch's `x.add_()`, `np.copyto`)."""
    for node in ast.walk(parse(source)):
        if isinstance(node, ast.AugAssign) or (
                isinstance(node, (ast.Attribute, ast.Subscript)) and not isinstance(node.ctx, ast.Load)):
            return True
        if isinstance(node, ast.Call):
            if any(keyword.arg == "out" for keyword in node.keywords):
                return True
            name = node.func.attr if isinstance(node.func, ast.Attribute) else ""
            if name in IN_PLACE_METHODS or (name.endswith("_") and not name.startswith("_")):
                return True
    return False


def pack(wrong, depends):
    """Submissions that carry the wrong answers between them: a list of {exercise: key},
    at most one key per exercise, never two exercises that depend on each other either way.
    `wrong` is a list of (exercise, key); exercises with the most wrong answers go first,
    each answer into the first submission with room (the count of submissions is at least
    the largest number of wrong answers of one exercise)."""
    def related(a, b):
        return a in depends.get(b, ()) or b in depends.get(a, ())

    count = {}
    for exercise, _ in wrong:
        count[exercise] = count.get(exercise, 0) + 1
    order = sorted(wrong, key=lambda item: (-count[item[0]], list(count).index(item[0])))
    submissions = []
    for exercise, key in order:
        for submission in submissions:
            if exercise not in submission and not any(related(exercise, e) for e in submission):
                submission[exercise] = key
                break
        else:
            submissions.append({exercise: key})
    return submissions


GLOBAL_STATE = re.compile(r"seed|manual_seed|set.*|seterr|rand.*|bernoulli|multinomial|normal_?"
                          r"|shuffle|permutation|choice|use_deterministic_algorithms")


def reaches_outside(source, modules):
    """What an answer does beyond binding its own names, which packing assumes it never does:
    `global` statements, changes to an attribute or item of a name it did not bind (numpy
    itself, a lesson's data), and uses of a module's global random generator or settings
    (`np.random.rand`, `torch.manual_seed`, `np.set_printoptions`). `modules`: the names the
    notebook imports."""
    tree = parse(source)
    outside = names_of(source).reads | set(modules)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            found.append(f"line {node.lineno}: {type(node).__name__.lower()} {', '.join(node.names)}")
        elif isinstance(node, (ast.Attribute, ast.Subscript)) and not isinstance(node.ctx, ast.Load):
            root = _root(node)
            if root in outside:
                found.append(f"line {node.lineno}: changes {ast.unparse(node)}")
        elif isinstance(node, ast.Call) and _dotted(node.func).split(".")[0] in modules:
            parts = _dotted(node.func).split(".")
            if (any(GLOBAL_STATE.fullmatch(part) for part in parts[1:])
                    and parts[-1] not in ("default_rng", "Generator")):
                found.append(f"line {node.lineno}: calls {'.'.join(parts)}")
    return found


def _dotted(node):
    """`np.random.rand` for a dotted name, "" for anything else."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return ".".join([node.id, *reversed(parts)]) if isinstance(node, ast.Name) else ""


def _root(node):
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None
