"""Pairs of submissions whose answers are alike, ranked for a person to look at.

Each answer cell becomes a list of Python tokens with the parts a copier changes cheaply
taken out: comments and blank lines are dropped, every name the code chooses (variables,
parameters, functions) becomes `V`, every string `S`; keywords, builtins, attribute names
(`.astype`) and numbers stay. A cell's fingerprints are its runs of K tokens, kept per
exercise, so reordering helper functions moves runs without breaking them.

Alike is not copied: students who solve an exercise the obvious way write the same code.
So a run of tokens counts as evidence only when it is uncommon: not in the instructor's
answer or the released stub, and shared by at most COMMON_SHARE of the class (by at most
two students in a small class). A pair's score is the share of the uncommon runs of the one
with fewer that the other has too, out of at least MIN_RUNS (a few shared runs are too
little to look at). Pairs scoring THRESHOLD or more are listed for a person to read.

copydetect 0.5.0 (PyPI, MIT, winnowing as in MOSS) was tried first, on the class of
tests/class_answers.py with the model answer and the stub as its boilerplate: it discounts
only boilerplate, not code much of the class shares, so honest students who wrote train the
same common way scored 0.8 to 1.0 and the planted copies ranked only 2nd and 4th. It would
also have added tqdm to the lock.
"""
import builtins
import io
import itertools
import keyword
import re
import tokenize
from collections import Counter
from dataclasses import dataclass, field

K = 6  # tokens per fingerprint: long enough to say more than one expression's shape
THRESHOLD = 0.5  # half of one's uncommon code also in the other: listed for a person to read
COMMON_SHARE = 0.1  # a run shared by more of the class than this is the class's, not a pair's
MIN_RUNS = 50  # the score counts at least this many: a listed pair shares 25 runs, over a line's worth
KEPT_NAMES = set(dir(builtins)) | set(keyword.kwlist) | set(keyword.softkwlist)
_FALLBACK_TOKEN = re.compile(r"[A-Za-z_]\w*|\d+\.?\d*|\S")


def normalized_tokens(source):
    """The cell's tokens as compared: names chosen by the author become V, strings S."""
    try:
        raw = [(t.type, t.string) for t in tokenize.generate_tokens(io.StringIO(source).readline)]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        # not Python a tokenizer accepts (half-written code): words and symbols will do
        raw = [(tokenize.NAME if m[0].isalpha() or m[0] == "_" else tokenize.OP, m)
               for m in _FALLBACK_TOKEN.findall(re.sub(r"#.*", "", source))]
    tokens, after_dot = [], False
    for kind, text in raw:
        if kind in (tokenize.COMMENT, tokenize.NL, tokenize.ENCODING, tokenize.ENDMARKER):
            continue
        if kind == tokenize.NAME:
            tokens.append(text if after_dot or text in KEPT_NAMES else "V")
        elif kind == tokenize.STRING or kind == getattr(tokenize, "FSTRING_START", None):
            tokens.append("S")
        elif kind in (getattr(tokenize, "FSTRING_MIDDLE", None), getattr(tokenize, "FSTRING_END", None)):
            continue
        elif kind == tokenize.NEWLINE:
            tokens.append(";")
        elif kind == tokenize.INDENT:
            tokens.append("{")
        elif kind == tokenize.DEDENT:
            tokens.append("}")
        else:
            tokens.append(text)
        after_dot = text == "."
    return tokens


def fingerprints(source):
    tokens = normalized_tokens(source)
    if len(tokens) < K:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[i:i + K]) for i in range(len(tokens) - K + 1)}


@dataclass
class Pair:
    first: str
    second: str
    score: float
    # exercise -> (uncommon runs the two share, uncommon runs of the one with fewer)
    exercises: dict = field(default_factory=dict)


def rank_pairs(answers, reference=None, common_share=COMMON_SHARE):
    """Pairs of students, most alike first.

    answers: {student: {exercise: source}}; reference: {exercise: [source, ...]}, the
    instructor's answer and the released stub, whose runs are nobody's evidence."""
    known = {exercise: set().union(*(fingerprints(s) for s in sources))
             for exercise, sources in (reference or {}).items()}
    prints = {student: {exercise: fingerprints(source) - known.get(exercise, set())
                        for exercise, source in cells.items()}
              for student, cells in answers.items()}
    counts = Counter((exercise, run) for cells in prints.values()
                     for exercise, runs in cells.items() for run in runs)
    most = max(2, int(common_share * len(answers)))
    uncommon = {student: {exercise: {run for run in runs if counts[exercise, run] <= most}
                          for exercise, runs in cells.items()}
                for student, cells in prints.items()}
    sizes = {student: sum(map(len, cells.values())) for student, cells in uncommon.items()}
    pairs = []
    for first, second in itertools.combinations(sorted(answers), 2):
        shared = {}
        for exercise in uncommon[first].keys() & uncommon[second].keys():
            common = uncommon[first][exercise] & uncommon[second][exercise]
            if common:
                shared[exercise] = (len(common), min(len(uncommon[first][exercise]),
                                                     len(uncommon[second][exercise])))
        score = sum(n for n, _ in shared.values()) / max(MIN_RUNS, min(sizes[first], sizes[second]))
        pairs.append(Pair(first, second, score, shared))
    return sorted(pairs, key=lambda pair: (-pair.score, pair.first, pair.second))
