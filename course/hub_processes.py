"""The hub's processes for `course hub` (course/hub.py): the hub itself, by the process id it
left in its state folder, and what it may leave behind when it stops: servers, kernels, the
proxy, cgroups."""
import os
import re
import signal
import sys
import time
from pathlib import Path


def hub_pid(hub):
    """The running hub's process id, or None."""
    try:
        pid = int(hub.pid_file.read_text())
    except (OSError, ValueError):
        return None
    return pid if alive(pid) else None


def alive(pid):
    try:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False  # the hub this process started, ended (and now reaped)
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def is_leftover(hub, environ, cmdline):
    """A server or kernel of this hub (the hub's API address in its environment), or its proxy
    (the proxy's API port on its command line); `environ` and `cmdline` as /proc has them."""
    marker = f"JUPYTERHUB_API_URL={hub.api_url}".encode()
    command = cmdline.replace(b"\0", b" ").decode(errors="replace")
    return (marker in environ.split(b"\0") or
            re.search(f"configurable-http-proxy .*--api-port {hub.proxy_api_port} ", command)
            is not None)


def leftovers(hub):
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if is_leftover(hub, (entry / "environ").read_bytes(),
                               (entry / "cmdline").read_bytes()):
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def remove_leftover_cgroups():
    """Servers the hub could not stop itself (one being culled as the hub stops, say) leave
    their cgroups behind: end what is in them and remove them (cgroup v1 and v2 layouts)."""
    root = Path("/sys/fs/cgroup")
    for group in [*root.glob("*/course-hub/*/"), *root.glob("course-hub/*/")]:
        for _ in range(10):
            try:
                signal_all([int(pid) for pid in (group / "cgroup.procs").read_text().split()],
                           signal.SIGKILL)
            except OSError:
                pass
            try:
                group.rmdir()
                break
            except OSError:
                time.sleep(0.3)
        if group.is_dir():
            print(f"Could not remove the cgroup {group}/: remove it by hand (rmdir) once it is "
                  "empty.", file=sys.stderr)


def signal_all(pids, number):
    for pid in pids:
        try:
            os.kill(pid, number)
        except OSError:
            pass
