"""Drive a running course hub the way its people do: log in, start a server, call it, run code
in a kernel. Used by tests/test_hub.py and benchmarks/hub_capacity.py."""
import contextlib
import json
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import requests
import websocket

from tests.processes import processes_of
from tests.support import COURSE_ID, JUPYTER_FOLDERS, reserved_port

ROOT = Path(__file__).resolve().parent.parent
HUB_SCRIPT = ROOT / "scripts" / "hub.sh"
TEST_PREFIX = "idlt-"  # every account a test or benchmark makes starts with this
ACCOUNT_COMMENT = "hub user"  # what the hub's useradd writes in the account's comment field

# hub.sh's ports: the hub's public one, its API and its proxy's API
PORTS = ("HUB_PORT", "HUB_API_PORT", "HUB_PROXY_API_PORT")


class Hub:
    """A hub started with scripts/hub.sh in a state folder of its own, on reserved loopback ports."""

    def __init__(self, instructor=f"{TEST_PREFIX}instructor", **settings):
        """`settings`: hub.sh's HUB_* variables, for example HUB_MEM_LIMIT="600M"."""
        self.state = Path(tempfile.mkdtemp(prefix=f"{TEST_PREFIX}hub-"))
        self.state.chmod(0o711)
        self.instructor = instructor
        self.env = {**os.environ, "HUB_STATE": str(self.state), "HUB_INSTRUCTOR": instructor,
                    **{name: str(reserved_port()) for name in PORTS}, **settings}
        # the hub and its users keep their own Jupyter folders, not the test run's
        for name in ("VIRTUAL_ENV", "COURSE_VENV", "PYTHONPATH", "JUPYTER_CONFIG_PATH",
                     "JUPYTER_PATH", *JUPYTER_FOLDERS):
            self.env.pop(name, None)
        self.url = f"http://127.0.0.1:{self.env['HUB_PORT']}"
        self.passwords = {}
        self.log = ""

    def script(self, *args, timeout=900):
        result = subprocess.run(["bash", str(HUB_SCRIPT), *args], env=self.env, cwd=ROOT,
                                capture_output=True, text=True, timeout=timeout)
        self.log += f"$ hub.sh {' '.join(args)}\n{result.stdout}{result.stderr}"
        assert result.returncode == 0, f"hub.sh {' '.join(args)}:\n{result.stdout}{result.stderr}"
        return result.stdout

    def add(self, *names, role=None):
        """Put people on the roster; remembers the passwords hub.sh prints."""
        out = self.script("add", *([f"--{role}"] if role else []), *names)
        for line in out.splitlines():
            name, _, password = line.partition(",")
            if name in names:
                self.passwords[name] = password
        return [self.person(name) for name in names]

    def person(self, name):
        return Person(self, name)

    def start(self):
        for name in PORTS:  # held again: adding the accounts may have taken a while
            reserved_port(int(self.env[name]))
        return self.script("start")

    def stop(self):
        return self.script("stop")

    @property
    def venv(self):
        return ROOT / "hub" / "venv"

    def course_folder(self):
        return Path(pwd.getpwnam(self.instructor).pw_dir) / COURSE_ID

    def read_log(self):
        return (self.state / "jupyterhub.log").read_text(errors="replace")

    def answers(self):
        """True when the hub still serves its API."""
        try:
            return requests.get(f"{self.url}/hub/api/", timeout=30).status_code == 200
        except requests.RequestException:
            return False


class Person:
    """Someone on the roster, using the hub over HTTP with their own login."""

    def __init__(self, hub, name):
        self.hub, self.name = hub, name
        self.session = requests.Session()
        self.token = None
        self.refusal = None  # why the hub refused a login

    @property
    def server(self):
        return f"{self.hub.url}/user/{self.name}"

    def login(self, password=None):
        """Log in on the hub's login page, then make an API token as that logged-in user."""
        page = self.session.get(f"{self.hub.url}/hub/login", timeout=30)
        assert page.status_code == 200, page.status_code
        xsrf = self.session.cookies.get("_xsrf")
        answer = self.session.post(
            f"{self.hub.url}/hub/login",
            data={"username": self.name, "password": password or self.hub.passwords[self.name],
                  "_xsrf": xsrf}, allow_redirects=False, timeout=120)
        if answer.status_code != 302:
            self.refusal = f"{answer.status_code}: {answer.text[-500:]}"
            return False
        xsrf = self.session.cookies.get("_xsrf", path="/hub/") or xsrf  # renewed at login
        made = self.session.post(f"{self.hub.url}/hub/api/users/{self.name}/tokens",
                                 headers={"X-XSRFToken": xsrf},
                                 json={"note": "test", "expires_in": 3600}, timeout=30)
        assert made.status_code == 201, (made.status_code, made.text)
        self.token = made.json()["token"]
        return True

    def hub_api(self, method, path, **kwargs):
        return requests.request(method, f"{self.hub.url}/hub/api/{path}", timeout=60,
                                headers={"Authorization": f"token {self.token}"}, **kwargs)

    def request_server(self):
        answer = self.hub_api("POST", f"users/{self.name}/server")
        assert answer.status_code in (201, 202, 400), (answer.status_code, answer.text)

    def wait_for_server(self, timeout=300):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            server = self.hub_api("GET", f"users/{self.name}").json()["servers"].get("")
            if server and server.get("ready"):
                return
            assert server, f"{self.name}'s server stopped while starting"
            time.sleep(0.25)
        raise AssertionError(f"{self.name}'s server did not start within {timeout} s")

    def call(self, method, path, **kwargs):
        """A request to this person's own server, or with `server=` someone else's."""
        server = kwargs.pop("server", self.server)
        return requests.request(method, f"{server}/{path}", timeout=kwargs.pop("timeout", 120),
                                headers={"Authorization": f"token {self.token}"}, **kwargs)

    def json(self, method, path, **kwargs):
        answer = self.call(method, path, **kwargs)
        assert answer.status_code in (200, 201), (method, path, answer.status_code, answer.text)
        return answer.json()

    def nbgrader(self, action, assignment, course=COURSE_ID):
        """The Assignment List's buttons: fetch, submit, fetch_feedback."""
        result = self.json("POST", f"assignments/{action}",
                           data={"assignment_id": assignment, "course_id": course})
        assert result["success"], result
        return result

    def formgrader(self, action, assignment):
        """The formgrader's buttons: assign (generate), release, collect, release_feedback."""
        result = self.json("POST", f"formgrader/api/assignment/{assignment}/{action}")
        assert result["success"], result
        return result

    def feedback_pages(self, assignment):
        """{path: HTML} of the feedback fetched into this person's copy of an assignment."""
        pages = {}
        for stamp in self.json("GET", f"api/contents/{assignment}/feedback")["content"]:
            for item in self.json("GET", f"api/contents/{stamp['path']}")["content"]:
                if item["name"].endswith(".html"):
                    pages[item["path"]] = self.json(
                        "GET", f"api/contents/{item['path']}",
                        params={"type": "file", "format": "text"})["content"]
        return pages

    def run(self, code, timeout=300):
        """Run code in a fresh kernel of this person's server; returns (stdout, error)."""
        with self.kernel() as kernel:
            return kernel.run(code, timeout)

    def kernel(self):
        """A kernel of this person's server kept open, as a notebook tab keeps one."""
        return Kernel(self)


class Kernel:
    """A kernel on a person's server, reached as JupyterLab reaches it (a websocket)."""

    def __init__(self, person):
        self.person = person
        self.id = person.json("POST", "api/kernels", json={"name": "python3"})["id"]
        self.url = person.server.replace("http", "ws", 1) + f"/api/kernels/{self.id}/channels"

    def run(self, code, timeout=300):
        return run_in_kernel(self.url, self.person.token, code, timeout)

    def close(self):
        self.person.call("DELETE", f"api/kernels/{self.id}")

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


def run_in_kernel(url, token, code, timeout):
    """(stdout, error) of running `code`; error names the exception, or says that the kernel
    died, in the words JupyterLab shows a student (the server restarts a dead kernel)."""
    connection = websocket.create_connection(url, header=[f"Authorization: token {token}"],
                                             timeout=timeout)
    try:
        message_id, session = uuid.uuid4().hex, uuid.uuid4().hex
        connection.send(json.dumps({
            "header": {"msg_id": message_id, "msg_type": "execute_request", "session": session,
                       "username": "test", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell",
            "content": {"code": code, "silent": False, "store_history": False,
                        "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}}))
        stdout, error = [], None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = json.loads(connection.recv())
            kind, content = message["msg_type"], message["content"]
            if kind == "status" and content["execution_state"] in ("restarting", "dead"):
                return "".join(stdout), (f"KernelDied: {content['execution_state']}: the "
                                         "kernel appears to have died")
            if message.get("parent_header", {}).get("msg_id") != message_id:
                continue
            if kind == "stream":
                stdout.append(content["text"])
            elif kind == "error":
                error = f"{content['ename']}: {content['evalue']}"
            elif kind == "status" and content["execution_state"] == "idle":
                return "".join(stdout), error
        raise AssertionError(f"code did not finish within {timeout} s")
    finally:
        connection.close()


@contextlib.contextmanager
def running_hub(hub, roster, prefix):
    """Start `hub` with `roster` ({name: role or None for a student}) on it; at the end stop it
    and remove every account named `prefix`..., failing if anything of theirs outlived it."""
    remove_accounts(course_hub_accounts(stale=True))  # left by a run that was killed
    failures = []
    try:
        for role in set(roster.values()):
            hub.add(*[name for name, its in roster.items() if its == role], role=role)
        hub.start()
        yield hub
    finally:
        try:
            hub.stop()
        except AssertionError as error:
            failures.append(str(error))
        ours = [name for name in course_hub_accounts() if name.startswith(prefix)]
        left = processes_of(ours)
        if left:
            failures.append(f"processes left running after hub.sh stop: {left}")
        cgroups = [path for name in ours for path in Path("/sys/fs/cgroup").glob(
            f"*/course-hub/{name}")]
        if cgroups:
            failures.append(f"cgroups left after hub.sh stop: {cgroups}")
        removed = remove_accounts(ours)
        homes = [name for name in removed if os.path.exists(f"/home/{name}")]
        if homes:
            failures.append(f"homes not removed: {homes}")
        log = hub.read_log() if (hub.state / "jupyterhub.log").exists() else ""
        shutil.rmtree(hub.state, ignore_errors=True)
        assert not failures, "\n".join(failures) + "\n" + hub.log + log[-5000:]


def needs_root():
    """Why the hub's tests cannot run here, or None."""
    if os.geteuid() != 0 or not shutil.which("useradd"):
        return "the course hub makes an account per student: run the tests as root"
    return None


def course_hub_accounts(stale=False):
    """Accounts a course hub made for tests or benchmarks (by name prefix and comment); with
    `stale`, only those of runs that died: nothing running as them, untouched for an hour."""
    found = [entry for entry in pwd.getpwall()
             if entry.pw_name.startswith(TEST_PREFIX) and ACCOUNT_COMMENT in entry.pw_gecos]
    if stale:
        hour_ago = time.time() - 3600
        found = [entry for entry in found if not processes_of([entry.pw_name]) and
                 (not os.path.isdir(entry.pw_dir) or os.stat(entry.pw_dir).st_mtime < hour_ago)]
    return [entry.pw_name for entry in found]


def remove_accounts(names):
    """Remove accounts and their homes; first end anything still running as them."""
    for pid in processes_of(names) if names else []:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    for name in names:
        subprocess.run(["userdel", "--remove", name], capture_output=True)
        shutil.rmtree(f"/run/course-hub/{name}", ignore_errors=True)  # the hub's runtime folder
    return names
