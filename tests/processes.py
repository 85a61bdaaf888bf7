"""The machine's live processes, read from /proc: the one place the tests scan it."""
import os
import pwd
from pathlib import Path

PROC = Path("/proc")


def live():
    """{pid: its /proc folder} of every process alive now (some may end while being read)."""
    return {int(entry.name): entry for entry in PROC.iterdir() if entry.name.isdigit()}


def descendants_of(pid):
    """{pid: command line} of every live process descended from `pid`."""
    parents, commands = {}, {}
    for child, proc in live().items():
        try:
            stat = (proc / "stat").read_text()
            commands[child] = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        parents[child] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = {}, [pid]
    while frontier:
        parent = frontier.pop()
        for child, its_parent in parents.items():
            if its_parent == parent and child not in found:
                found[child] = commands[child]
                frontier.append(child)
    return found


def working_in(folder):
    """Ids of live processes whose working folder is `folder` or inside it (servers, kernels)."""
    found = []
    for pid, proc in live().items():
        try:
            cwd = Path(os.readlink(proc / "cwd"))
        except (OSError, ValueError):
            continue
        if cwd.is_relative_to(folder):
            found.append(pid)
    return found


def processes_of(names):
    """Ids of live processes that run as one of the accounts `names`."""
    uids = {pwd.getpwnam(name).pw_uid for name in names}
    found = []
    for pid, proc in live().items():
        try:
            if proc.stat().st_uid in uids:
                found.append(pid)
        except FileNotFoundError:
            pass
    return found


def running(marker):
    """Ids of live processes whose command line holds `marker` (a string)."""
    found = []
    for pid, proc in live().items():
        try:
            if marker.encode() in (proc / "cmdline").read_bytes():
                found.append(pid)
        except OSError:
            pass
    return found


def children_of(pid, uid):
    """Ids of the live direct children of `pid` that run as `uid`."""
    children = []
    for child in (PROC / str(pid) / "task" / str(pid) / "children").read_text().split():
        try:
            if (PROC / child).stat().st_uid == uid:
                children.append(int(child))
        except FileNotFoundError:
            pass
    return children


def pss_mib(pids):
    """The memory `pids` take together, in MiB: PSS, each shared page split between the
    processes that share it (processes that ended or that cannot be read count 0)."""
    total_kib = 0
    for pid in pids:
        try:
            for line in (PROC / str(pid) / "smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total_kib += int(line.split()[1])
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            pass
    return total_kib / 1024
