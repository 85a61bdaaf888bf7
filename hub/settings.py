"""The course hub's settings: every HUB_* environment variable, its default and what it sets,
in one place for the launcher (`course hub`, which scripts/hub.sh runs) and for
jupyterhub_config.py. An unset or empty variable takes the default, as `${VAR:-default}` does.
"""
import os
from dataclasses import dataclass, field, fields
from pathlib import Path

COURSE_ROOT = Path(__file__).resolve().parent.parent


def setting(default, meaning, parse=str, shown=None):
    """A field of `Settings`: `parse` reads its variable, `shown` describes a computed default."""
    return field(default=default, metadata={"meaning": meaning, "parse": parse, "shown": shown})


@dataclass(frozen=True)
class Settings:
    ip: str = setting("127.0.0.1", "the address students reach; 0.0.0.0 for every interface")
    port: int = setting(8000, "the port students reach", int)
    api_port: int = setting(8081, "the hub's own API, on loopback", int)
    proxy_api_port: int = setting(8001, "the proxy's API, on loopback", int)
    state: Path = setting(None, "the hub's database, secrets, roster, log and the nbgrader "
                                "exchange", Path, "hub/state")
    instructor: str = setting("instructor", "the account that owns the course folder and the "
                                            "formgrader")
    course_id: str = setting("intro-deep-learning", "nbgrader's course id")
    db_url: str = setting("", "the hub's database", shown="SQLite in HUB_STATE")
    venv: Path = setting(None, "the course's environment for everyone, made with HUB_PYTHON",
                         Path, "hub/venv")
    python: str = setting("", "the Python HUB_VENV is made with",
                          shown="the newest python3.13, 3.12 or 3.11 that every user may run")
    # Limits per student, their server and all its kernels together (hub/README.md).
    limits: str = setting("auto", "how: systemd (jupyterhub-systemdspawner), cgroup (cgroup-tools, "
                                  "cgroup v1) or off; auto takes systemd where it is PID 1 on "
                                  "cgroup v2, else cgroup")
    mem_limit: str = setting("2G", "memory per student")
    cpu_limit: float = setting(1.0, "cores per student at most", float, "1")
    tasks_max: int = setting(512, "processes and threads per student", int)
    cull_idle: int = setting(3600, "seconds before an idle server is stopped (0: never)", int)
    cull_every: int = setting(None, "how often to look for idle servers, in seconds", int,
                              "half HUB_CULL_IDLE, at most 300")
    kernel_cull_idle: int = setting(1200, "seconds before an idle kernel is stopped (0: never)",
                                    int)
    start_timeout: int = setting(180, "seconds a server may take to start", int)

    def __post_init__(self):
        computed = {"state": COURSE_ROOT / "hub" / "state", "venv": COURSE_ROOT / "hub" / "venv",
                    "cull_every": max(1, min(300, self.cull_idle // 2))}
        for name, value in computed.items():
            if getattr(self, name) is None:
                object.__setattr__(self, name, value)

    @classmethod
    def from_environment(cls, environ=os.environ):
        return cls(**{each.name: each.metadata["parse"](environ[variable(each)])
                      for each in fields(cls) if environ.get(variable(each))})

    def environment(self):
        """The variables that give these settings (to the hub's own process)."""
        values = {variable(each): getattr(self, each.name) for each in fields(self)}
        return {name: str(value) for name, value in values.items() if value != ""}

    @property
    def kernel_cull_every(self):
        return max(1, min(300, self.kernel_cull_idle // 2)) if self.kernel_cull_idle else 300

    @property
    def roster(self):
        return self.state / "roster.csv"

    @property
    def roster_token(self):
        """The `roster` service's key to the hub's API (root's alone)."""
        return self.state / "roster-service-token"

    @property
    def log(self):
        return self.state / "jupyterhub.log"

    @property
    def pid_file(self):
        return self.state / "hub.pid"

    @property
    def api_url(self):
        return f"http://127.0.0.1:{self.api_port}/hub/api"


def variable(setting_field):
    return "HUB_" + setting_field.name.upper()


def described():
    """One line per variable: its name, its default in brackets, what it sets."""
    return [f"  {variable(each)} [{each.metadata['shown'] or each.default}]  "
            f"{each.metadata['meaning']}" for each in fields(Settings)]
