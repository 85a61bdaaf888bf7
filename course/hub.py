"""`course hub`: run the course for a class on JupyterHub on this machine (hub/README.md).

scripts/hub.sh runs these commands with any Python the course supports, before the hub's own
environment exists, so this module needs nothing beyond the standard library. The settings and
their defaults are hub/settings.py's; the roster is hub/roster.py's; installing software stays
in scripts/environment.sh and scripts/hub-deps.sh, which lab.sh and test.sh share.
"""
import argparse
import functools
import http.client
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from course.hub_processes import alive, hub_pid, leftovers, remove_leftover_cgroups, signal_all
from course.hub_python import as_nobody, python_version, shared_python

COURSE_ROOT = Path(__file__).resolve().parent.parent
HUB_FOLDER = COURSE_ROOT / "hub"
# Students' servers run the course from this folder: what they must not read is closed.
PRIVATE = ["solutions", ".git", "gradebook.db", "submitted", "autograded", "feedback", "release",
           "source", "reports", ".grading"]
START_TIMEOUT_S = 120
# What `bash scripts/hub.sh COMMAND` does; each command's help is its first line here.
USAGE = [("start", "start the hub in the background, print its address"),
         ("stop", "stop the hub, its proxy and everyone's servers"),
         ("status", "is it running, and where"),
         ("add NAME...", "put students on the roster; prints their passwords"),
         ("add --ta NAME...", "the same for teaching assistants (no restart)"),
         ("password NAME...", "new passwords for people on the roster"),
         ("prepare", "install what the hub needs, without starting it"),
         ("python", "the Python the hub's environment is made with")]


def hub_module(name):
    """hub/NAME.py, loaded from its file (hub/ is the hub's folder, not a package: the
    configuration imports these modules beside it)."""
    spec = importlib.util.spec_from_file_location(f"course_hub_{name}", HUB_FOLDER / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


settings = hub_module("settings")


@functools.cache
def roster():
    """hub/roster.py, when needed: it imports JupyterHub where that is installed."""
    return hub_module("roster")


# What each command needs, in the order it runs.

def start(hub):
    if pid := hub_pid(hub):
        print(f"The hub is already running (process {pid}) at {public_url(hub)}.")
        return
    prepare(hub)
    shell_or_exit("ensure_proxy")
    shell_or_exit("ensure_sandbox",
                  problem="grading on the hub runs submissions under bubblewrap: install it")
    protect_answers(hub)
    if hub.instructor not in roster().read(hub.roster):
        print(f"The instructor's login (keep it; `bash scripts/hub.sh password {hub.instructor}`"
              " makes a new one):")
        roster().print_passwords(roster().add(hub.roster, [hub.instructor], "instructor"),
                                 header=False)
    if hub.limits != "off":
        shell_or_exit("ensure_cgroup_tools", problem="the limits per student need cgroup-tools "
                                                     "(or start with HUB_LIMITS=off)")
    print(f"Starting JupyterHub (log: {hub.log}) ...")
    # The log and the hub's database (its users and hashed tokens) are root's alone, like the
    # roster; SQLite gives its journal the database file's permissions.
    log_start = private_file(hub.log).stat().st_size
    if not hub.db_url:
        private_file(hub.state / "jupyterhub.sqlite")
    with open(hub.log, "ab") as log:
        process = subprocess.Popen(hub_command(hub), cwd=hub.state, env=hub_environment(hub),
                                   stdin=subprocess.DEVNULL, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    hub.pid_file.write_text(f"{process.pid}\n")
    deadline = time.monotonic() + START_TIMEOUT_S
    while not answers(probe_url(hub)):  # the proxy says 404 until the hub has its route
        if process.poll() is not None:
            print(tail(hub.log, 30), file=sys.stderr)
            sys.exit(f"JupyterHub stopped while starting; the whole log is in {hub.log}")
        if time.monotonic() > deadline:
            stop(hub)
            sys.exit(f"JupyterHub did not answer within {START_TIMEOUT_S} s")
        time.sleep(0.5)
    with open(hub.log, "rb") as log:
        log.seek(log_start)
        said = log.read().decode(errors="replace").splitlines()
    limits = next((line for line in said if "Limits per student" in line), None)
    if limits:
        print(limits)  # how the limits per student are set, as jupyterhub_config.py chose
    url = public_url(hub)
    print(f"""\
The course hub is running at {url}
  Students open that address and log in with the name and password on the roster; the first
  login makes their account on this machine. Add students with:
      bash scripts/hub.sh add NAME...      (prints each new password to hand out)
  The instructor logs in as {hub.instructor}: the course folder is ~/{hub.course_id}, the
  formgrader is in the Nbgrader menu (or {url}/user/{hub.instructor}/formgrader).
  Stop the hub with: bash scripts/hub.sh stop""")


def stop(hub):
    if pid := hub_pid(hub):
        print(f"Stopping the hub (process {pid}), its proxy and every running server ...")
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 60
        while alive(pid) and time.monotonic() < deadline:
            time.sleep(0.5)
        if alive(pid):
            os.kill(pid, signal.SIGKILL)
    else:
        print("The hub is not running.")
    hub.pid_file.unlink(missing_ok=True)
    if left := leftovers(hub):
        print(f"Ending what the hub left running: processes {' '.join(map(str, left))}")
        signal_all(left, signal.SIGTERM)
        time.sleep(2)
        signal_all(leftovers(hub), signal.SIGKILL)
    remove_leftover_cgroups()
    print("The hub is stopped.")


def status(hub):
    if pid := hub_pid(hub):
        print(f"The hub is running (process {pid}) at {public_url(hub)}; log: {hub.log}")
    else:
        print("The hub is not running.")


def add(hub, names, role):
    prepare(hub)
    if not names:
        sys.exit("whom? bash scripts/hub.sh add NAME...")
    roster().print_passwords(roster().add(hub.roster, names, role))
    # A running hub learns of new assistants over its API: no restart.
    if role == "ta" and hub_pid(hub):
        roster().tell_hub_about_assistants(hub.api_url, hub.roster_token.read_text().strip(),
                                           names)


def renew_passwords(hub, names):
    prepare(hub)
    roster().print_passwords(roster().renew_passwords(hub.roster, names))


def prepare_only(hub):
    prepare(hub)
    shell_or_exit("ensure_proxy")


def say_python(hub):
    python = shared_python(hub)
    print(f"{python} (Python {python_version(python)})")


# The steps.

def prepare(hub):
    """The hub's folder, and its virtualenv with the course and JupyterHub installed."""
    hub.state.mkdir(parents=True, exist_ok=True)
    hub.state.chmod(0o711)
    environment = {"COURSE_VENV": str(hub.venv)}
    if not os.access(hub.venv / "bin" / "python", os.X_OK):
        environment["PYTHON"] = shared_python(hub)
    has_hub = os.access(hub.venv / "bin" / "jupyterhub", os.X_OK)
    shell_or_exit("ensure_environment" if has_hub else "ensure_environment hub", **environment)


def protect_answers(hub):
    """Students' servers run the course's virtualenv and import helpers/ from this folder, so
    they can read it; close what they must not read: the solutions, git's history, data."""
    for name in PRIVATE:
        if (COURSE_ROOT / name).exists():
            run_or_exit("chmod", "-R", "go-rwx", str(COURSE_ROOT / name))
    if not as_nobody(str(hub.venv / "bin" / "python"), "-c", "import helpers, jupyterhub"):
        sys.exit(f"other users cannot run the course's environment in {hub.venv}. "
                 "Put the course where everyone can read it (for example /srv or /opt), or let "
                 "everyone through each folder above it (chmod o+x), and start again.")
    if as_nobody("test", "-r", str(COURSE_ROOT / "solutions")):
        sys.exit(f"students could read {COURSE_ROOT / 'solutions'}; make it readable by its "
                 "owner alone.")


def hub_command(hub):
    return [str(hub.venv / "bin" / "jupyterhub"), "-f", str(HUB_FOLDER / "jupyterhub_config.py")]


def hub_environment(hub, environ=None):
    """The hub's own environment: the course's virtualenv first on PATH, its settings."""
    environ = dict(os.environ if environ is None else environ)
    return {**environ, **hub.environment(), "VIRTUAL_ENV": str(hub.venv),
            "PATH": f"{hub.venv / 'bin'}:{environ.get('PATH', os.defpath)}"}


def probe_url(hub):
    host = "127.0.0.1" if hub.ip == "0.0.0.0" else hub.ip
    return f"http://{host}:{hub.port}/hub/api/"


def public_url(hub):
    host = hub.ip
    if host == "0.0.0.0":
        host = socket.getfqdn() or socket.gethostname()
    return f"http://{host}:{hub.port}"


def answers(url):
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except (OSError, http.client.HTTPException):
        return False


# Small tools.

def private_file(path):
    path.touch()
    path.chmod(0o600)
    return path


def tail(path, lines):
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def shell(command, **environment):
    """Run a function of scripts/environment.sh or scripts/hub-deps.sh; True when it worked."""
    script = ('source "$0/scripts/environment.sh" && source "$0/scripts/hub-deps.sh" && '
              + command)
    return subprocess.run(["bash", "-c", script, str(COURSE_ROOT)],
                          env={**os.environ, **environment}).returncode == 0


def shell_or_exit(command, problem=None, **environment):
    if not shell(command, **environment):
        sys.exit(problem or 1)  # the function said what went wrong


def run_or_exit(*command):
    if subprocess.run(command).returncode:
        sys.exit(1)


# The command line.

def add_parser(commands):
    """`course hub COMMAND` under the `course` command line's subcommands."""
    usage = "\n".join(f"  bash scripts/hub.sh {command:<22}{meaning}" for command, meaning in USAGE)
    parser = commands.add_parser(
        "hub", help="run the course on JupyterHub on this machine, as root (hub/README.md)",
        description="Run the course for a class on JupyterHub, on this machine (see "
                    f"hub/README.md), as root; scripts/hub.sh runs these commands:\n\n{usage}",
        epilog="Settings, as environment variables (defaults in brackets):\n"
               + "\n".join(settings.described()),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.set_defaults(run=lambda args: usage_error(parser))
    actions = parser.add_subparsers(metavar="COMMAND")
    meaning = {}
    for command, said in USAGE:
        meaning.setdefault(command.split()[0], said)
    for name, run in [("start", start), ("stop", stop), ("status", status),
                      ("prepare", prepare_only), ("python", say_python)]:
        actions.add_parser(name, help=meaning[name]).set_defaults(run=action(name, run))
    adding = actions.add_parser("add", help=meaning["add"])
    role = adding.add_mutually_exclusive_group()
    role.add_argument("--ta", dest="role", action="store_const", const="ta", default="student",
                      help="teaching assistants (a running hub learns of them: no restart)")
    role.add_argument("--instructor", dest="role", action="store_const", const="instructor")
    adding.add_argument("names", nargs="*", metavar="NAME")
    adding.set_defaults(run=action("add", add, "names", "role"))
    renewing = actions.add_parser("password", help=meaning["password"])
    renewing.add_argument("names", nargs="+", metavar="NAME")
    renewing.set_defaults(run=action("password", renew_passwords, "names"))
    return parser


def action(name, command, *arguments):
    """Run `command` with the settings the environment gives and the `arguments` parsed; all
    but `status` as root. Errors of the roster or the file system end it with their message."""
    def run(args):
        if name != "status" and os.geteuid() != 0:
            sys.exit("the hub gives every student an account of their own, so it runs as root: "
                     f"sudo bash scripts/hub.sh {name}")
        sys.stdout.reconfigure(line_buffering=True)  # in order with what its children print
        try:
            command(settings.Settings.from_environment(),
                    *[getattr(args, argument) for argument in arguments])
        except (ValueError, RuntimeError, OSError) as error:
            sys.exit(str(error))
    return run


def usage_error(parser):
    parser.print_help(sys.stderr)
    sys.exit(2)
