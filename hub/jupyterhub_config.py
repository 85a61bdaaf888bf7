"""JupyterHub configuration for a class of the course on one machine (see hub/README.md).

`bash scripts/hub.sh start` (`course hub start`, course/hub.py) runs the hub with this file as
root, its settings in HUB_* environment variables (hub/settings.py holds the defaults). What it
sets up:

- people log in with their name and password from the roster (hub/roster.py); each gets an
  operating-system account of their own on first login, so nbgrader's exchange permissions and
  the file system keep students apart;
- every server runs the course's environment (the virtualenv the launcher made), so every kernel
  is the course's;
- one shared nbgrader exchange; the instructor's course folder (nbgrader's root, with the
  gradebook) in the instructor's home, readable by the instructor alone, with the formgrader
  in the instructor's JupyterLab; teaching assistants may open the instructor's server;
- the hub's database and the gradebook on SQLite unless HUB_DB_URL / the course's
  nbgrader_config.py say otherwise;
- limits per student (memory, CPU, processes) by cgroups (hub/limits.py), idle servers stopped
  by jupyterhub-idle-culler and idle kernels by each server, students' menus without the
  instructor's tools, teaching assistants as a hub group that `hub.sh add --ta` changes while
  the hub runs, kernels over Unix sockets (IPC) rather than loopback TCP.
"""
import json
import os
import pwd
import secrets
import shutil
import sys
from pathlib import Path

HUB_FOLDER = Path(__file__).resolve().parent
sys.path.insert(0, str(HUB_FOLDER))
import limits  # noqa: E402 (the hub's own modules, beside this file)
import roster  # noqa: E402
import settings  # noqa: E402

HUB = settings.Settings.from_environment()
COURSE_ROOT = settings.COURSE_ROOT
VENV = HUB.venv
STATE = HUB.state
COURSE_ID = HUB.course_id
INSTRUCTOR = HUB.instructor
ROSTER = HUB.roster
EXCHANGE = STATE / "exchange"
SHARED_CONFIG = STATE / "jupyter"  # read by every user's server and nbgrader
INSTRUCTOR_CONFIG = STATE / "jupyter-instructor"
LAB_SETTINGS = STATE / "lab-settings"  # JupyterLab's defaults for everyone
STUDENT_CONFIG = STATE / "jupyter-student"  # students' and assistants' own servers
ROSTER_TOKEN = HUB.roster_token  # the launcher's key to the hub's API (root only)
RUNTIME = Path("/run/course-hub")  # kernels' sockets: a short path (Unix sockets allow ~107)
ASSISTANTS_GROUP = "teaching-assistants"
# A student's menus (no Formgrader, Course List or Create Assignment): the course's own
# student config (jupyter/student/, which scripts/lab.sh uses too), copied where students can
# read it (the course folder is not theirs to read).
STUDENT_MENUS = ["labconfig/page_config.json", "jupyter_server_config.json"]

def prepare_state():
    """The hub's folder: secrets for root alone, the exchange and shared config for everyone."""
    STATE.mkdir(parents=True, exist_ok=True)
    STATE.chmod(0o711)  # others may pass through to the exchange, not list what is here
    EXCHANGE.mkdir(exist_ok=True)
    EXCHANGE.chmod(0o1777)  # what nbgrader expects: everyone writes, nobody removes others' files
    write_shared(SHARED_CONFIG / "nbgrader_config.py",
                 f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
                 f"c.Exchange.root = {str(EXCHANGE)!r}\n")
    # No news or update checks in a classroom, and no pop-up asking about them.
    write_shared(SHARED_CONFIG / "jupyter_server_config.py",
                 "c.LabApp.news_url = None\n"
                 # Kernels over Unix sockets in the user's private runtime folder, not TCP.
                 "c.KernelManager.transport = 'ipc'\n"
                 f"c.MappingKernelManager.cull_idle_timeout = {HUB.kernel_cull_idle}\n"
                 f"c.MappingKernelManager.cull_interval = {HUB.kernel_cull_every}\n"
                 "c.LabApp.check_for_updates_class = 'jupyterlab.NeverCheckForUpdate'\n"
                 f"c.LabApp.app_settings_dir = {str(LAB_SETTINGS)!r}\n")
    write_shared(INSTRUCTOR_CONFIG / "nbgrader_config.py",
                 f"c.CourseDirectory.root = {str(course_folder())!r}\n"
                 f"load_subconfig({str(course_folder() / 'nbgrader_config.py')!r})  # noqa: F821\n")
    LAB_SETTINGS.mkdir(exist_ok=True)
    LAB_SETTINGS.chmod(0o755)
    overrides = LAB_SETTINGS / "overrides.json"
    overrides.write_text('{"@jupyterlab/apputils-extension:notification": '
                         '{"fetchNews": "false", "checkForUpdates": false}}\n')
    overrides.chmod(0o644)
    for name in STUDENT_MENUS:
        write_json(STUDENT_CONFIG / name,
                   json.loads((COURSE_ROOT / "jupyter" / "student" / name).read_text()))
    if not ROSTER_TOKEN.exists():
        fd = os.open(ROSTER_TOKEN, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as token:
            token.write(secrets.token_hex(32))
    RUNTIME.mkdir(mode=0o755, exist_ok=True)


def write_json(path, settings):
    """A JSON config file every user's server reads (and nobody but root may change)."""
    for folder in reversed(path.relative_to(STATE).parents[:-1]):
        (STATE / folder).mkdir(exist_ok=True)
        (STATE / folder).chmod(0o755)
    path.write_text(json.dumps(settings, indent=1) + "\n")
    path.chmod(0o644)


def write_shared(path, settings):
    """A config file every user's server reads (and nobody but root may change)."""
    path.parent.mkdir(exist_ok=True)
    path.parent.chmod(0o755)
    path.write_text("# Written by hub/jupyterhub_config.py at each start of the hub.\n"
                    "c = get_config()  # noqa: F821\n" + settings)
    path.chmod(0o644)


def course_folder():
    """The instructor's course folder: nbgrader's root, with the gradebook."""
    try:
        return Path(pwd.getpwnam(INSTRUCTOR).pw_dir) / COURSE_ID
    except KeyError:  # the account is made on the instructor's first login
        return Path("/home") / INSTRUCTOR / COURSE_ID


def config_path(spawner):
    """Where a server and its nbgrader look for config: the instructor also finds the course;
    the instructor and assistants (the group as it is when the server starts, so `hub.sh add
    --ta` counts from the next start) have every menu; students have a student's menus."""
    if spawner.user.name == INSTRUCTOR:
        return f"{INSTRUCTOR_CONFIG}:{SHARED_CONFIG}"
    if ASSISTANTS_GROUP in {group.name for group in spawner.user.groups}:
        return str(SHARED_CONFIG)
    return f"{STUDENT_CONFIG}:{SHARED_CONFIG}"


def runtime_folder(spawner):
    """The server's runtime files and its kernels' sockets, private to the user."""
    return str(RUNTIME / spawner.user.name)


def prepare_home(spawner):
    """Before each server starts: a private home, and for the instructor the course folder
    (the formgrader needs it before the server starts)."""
    account = pwd.getpwnam(spawner.user.name)
    home = Path(account.pw_dir)
    home.chmod(0o700)
    runtime = Path(runtime_folder(spawner))
    # Runtime files live only as long as one server; an account made anew (same name, new
    # uid) could not open those an earlier one left.
    shutil.rmtree(runtime, ignore_errors=True)
    runtime.mkdir(mode=0o700)
    os.chown(runtime, account.pw_uid, account.pw_gid)
    runtime.chmod(0o700)
    if spawner.user.name != INSTRUCTOR:
        return
    course = course_folder()
    if not os.path.lexists(course):
        # The course as the repository has it: its config and the lessons' sources.
        course.mkdir(mode=0o700)
        shutil.copy(COURSE_ROOT / "nbgrader_config.py", course / "nbgrader_config.py")
        shutil.copytree(COURSE_ROOT / "solutions", course / "solutions",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        for path in [course, *course.rglob("*")]:
            os.chown(path, account.pw_uid, account.pw_gid, follow_symlinks=False)
    if course.is_dir() and not course.is_symlink():
        course.chmod(0o700)  # the gradebook, the solutions and every submission live here


prepare_state()
people = roster.read(ROSTER)
assistants = sorted(name for name, (role, _) in people.items() if role == "ta")

c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)

# Where the hub listens: the public address (loopback unless HUB_IP says otherwise), its own
# API and the proxy's API on loopback.
c.JupyterHub.bind_url = f"http://{HUB.ip}:{HUB.port}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{HUB.api_port}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{HUB.proxy_api_port}"
c.ConfigurableHTTPProxy.command = [str(HUB_FOLDER / "node_modules" / ".bin" /
                                       "configurable-http-proxy")]
c.JupyterHub.db_url = HUB.db_url or f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")

# Who gets in: the roster, each with their own account made on first login.
c.JupyterHub.authenticator_class = roster.RosterAuthenticator
c.RosterAuthenticator.roster_file = str(ROSTER)
c.RosterAuthenticator.create_system_users = True
c.RosterAuthenticator.add_user_cmd = [
    "useradd", "--create-home", "--user-group", "--shell", "/bin/bash",
    "-K", "HOME_MODE=0700", "--comment", f"{COURSE_ID} hub user"]
c.Authenticator.admin_users = {INSTRUCTOR}
# Teaching assistants are a group holding a role: `hub.sh add --ta` adds people to the group
# over the hub's API while the hub runs, and they have the role's rights at once.
c.JupyterHub.load_groups = {ASSISTANTS_GROUP: {"users": assistants}}
c.JupyterHub.load_roles = [{
    "name": "teaching-assistant",
    "description": "open the instructor's server and its formgrader",
    "scopes": [f"access:servers!user={INSTRUCTOR}", f"read:users!user={INSTRUCTOR}"],
    "groups": [ASSISTANTS_GROUP],
}, {
    "name": "roster",
    "description": "hub.sh: make accounts and put assistants in their group while the hub runs",
    "scopes": ["admin:users", "groups"],
    "services": ["roster"],
}]
c.JupyterHub.services = [{"name": "roster", "api_token": ROSTER_TOKEN.read_text().strip()}]

# Idle servers stopped by jupyterhub-idle-culler (a hub service); a student's files stay, and
# logging in again starts a fresh server. Idle kernels are stopped by each server (above).
if HUB.cull_idle:
    c.JupyterHub.services.append({
        "name": "idle-culler",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler",
                    f"--timeout={HUB.cull_idle}", f"--cull-every={HUB.cull_every}"],
    })
    c.JupyterHub.load_roles.append({
        "name": "idle-culler",
        "description": "stop servers left idle",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    })

# Each person's server: their own account, the course's environment, JupyterLab, limits.
spawner_class, why = limits.choose_spawner(HUB.limits)
print(f"Limits per student: {why}" + (
    f"; memory {HUB.mem_limit}, CPU {HUB.cpu_limit:g} core(s) at most, {HUB.tasks_max} "
    "processes and threads" if spawner_class else ""), file=sys.stderr, flush=True)
c.JupyterHub.spawner_class = spawner_class or "jupyterhub.spawner.LocalProcessSpawner"
if spawner_class:
    c.Spawner.mem_limit = HUB.mem_limit
    c.Spawner.cpu_limit = HUB.cpu_limit
    c.CgroupSpawner.tasks_max = HUB.tasks_max
    c.SystemdSpawner.unit_extra_properties = {"TasksMax": str(HUB.tasks_max)}
c.Spawner.cmd = [str(VENV / "bin" / "jupyterhub-singleuser")]
c.Spawner.ip = "127.0.0.1"
c.Spawner.default_url = "/lab"
c.Spawner.environment = {
    "PATH": f"{VENV / 'bin'}:/usr/local/bin:/usr/bin:/bin",
    "JUPYTER_CONFIG_PATH": config_path,
    "JUPYTER_RUNTIME_DIR": runtime_folder,
}
c.Spawner.pre_spawn_hook = prepare_home
# A class logging in at once on a small machine: give servers time to start.
c.Spawner.start_timeout = HUB.start_timeout
c.Spawner.http_timeout = HUB.start_timeout
