"""`course hub` (course/hub.py), which scripts/hub.sh runs, without starting a hub: its settings
and their defaults (hub/settings.py, which jupyterhub_config.py reads too), its command line,
the hub's command and environment, how it knows the hub's processes. tests/test_hub*.py start
real hubs with it."""
import argparse
import os
import re
import subprocess
import sys
import tomllib

import pytest

from course import cli, hub_processes, hub_python
from course import hub as launcher
from tests.support import ROOT

Settings = launcher.settings.Settings
COMMANDS = ["start", "stop", "status", "add", "password", "prepare", "python"]


def parse(*argv):
    parser = argparse.ArgumentParser()
    launcher.add_parser(parser.add_subparsers())
    return parser.parse_args(["hub", *argv])


def test_unset_or_empty_variables_take_the_defaults():
    for environ in ({}, {"HUB_PORT": "", "HUB_STATE": "", "HUB_CPU_LIMIT": ""}):
        hub = Settings.from_environment(environ)
        assert (hub.ip, hub.port, hub.api_port, hub.proxy_api_port) == ("127.0.0.1", 8000, 8081,
                                                                         8001)
        assert (hub.state, hub.venv) == (ROOT / "hub" / "state", ROOT / "hub" / "venv")
        assert (hub.instructor, hub.course_id, hub.db_url) == ("instructor", "intro-deep-learning",
                                                               "")
        assert (hub.limits, hub.mem_limit, hub.cpu_limit, hub.tasks_max) == ("auto", "2G", 1, 512)
        assert (hub.cull_idle, hub.cull_every, hub.kernel_cull_idle, hub.kernel_cull_every) == (
            3600, 300, 1200, 300)
        assert hub.roster == ROOT / "hub" / "state" / "roster.csv"


def test_variables_override_and_culling_looks_twice_per_idle_time():
    hub = Settings.from_environment({"HUB_PORT": "9000", "HUB_STATE": "/srv/hub",
                                     "HUB_CPU_LIMIT": "0.5", "HUB_CULL_IDLE": "120"})
    assert (hub.port, hub.cpu_limit, hub.cull_every) == (9000, 0.5, 60)
    assert hub.log == launcher.Path("/srv/hub/jupyterhub.log")
    assert Settings.from_environment({"HUB_CULL_EVERY": "7"}).cull_every == 7
    assert Settings.from_environment({"HUB_KERNEL_CULL_IDLE": "0"}).kernel_cull_every == 300


def test_the_hub_reads_the_settings_the_launcher_resolved():
    hub = Settings.from_environment({"HUB_PORT": "9000", "HUB_LIMITS": "off",
                                     "HUB_DB_URL": "postgresql://hub@localhost/hub"})
    environ = launcher.hub_environment(hub, {"PATH": "/usr/bin", "HOME": "/root"})
    assert Settings.from_environment(environ) == hub
    assert environ["PATH"] == f"{hub.venv / 'bin'}:/usr/bin"
    assert (environ["VIRTUAL_ENV"], environ["HOME"]) == (str(hub.venv), "/root")
    assert launcher.hub_command(hub) == [str(hub.venv / "bin" / "jupyterhub"), "-f",
                                         str(ROOT / "hub" / "jupyterhub_config.py")]


def test_the_defaults_live_in_hub_settings_alone():
    """No other file reads a HUB_* variable or writes a default for one."""
    reads = re.compile(r"environ(\.get\(|\[)\s*[\"']HUB_|\$\{HUB_\w+:-")
    for path in ["hub/jupyterhub_config.py", "hub/limits.py", "hub/roster.py", "course/hub.py",
                 "scripts/hub.sh", "scripts/hub-deps.sh"]:
        assert not reads.search((ROOT / path).read_text()), path


def test_the_supported_pythons_are_those_pyproject_accepts():
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    low, high = re.fullmatch(r">=3\.(\d+),<3\.(\d+)", requires).groups()
    assert hub_python.course_pythons() == [f"3.{minor}" for minor in
                                         range(int(high) - 1, int(low) - 1, -1)]


def test_a_hub_python_that_does_not_work_is_refused(tmp_path):
    hub = Settings.from_environment({"HUB_PYTHON": str(tmp_path / "python3.12")})
    with pytest.raises(SystemExit, match=r"is not a working Python; the course needs Python "
                                         r"3\.13, 3\.12, 3\.11\."):
        hub_python.shared_python(hub)


def test_add_takes_a_role_and_names():
    assert (parse("add", "ada", "grace").role, parse("add", "ada", "grace").names) == (
        "student", ["ada", "grace"])
    assert (parse("add", "--ta", "tara").role, parse("add", "--ta", "tara").names) == (
        "ta", ["tara"])
    assert parse("add", "--instructor", "ines").role == "instructor"
    assert parse("password", "ada").names == ["ada"]
    for wrong in (["add", "--ta", "--instructor", "x"], ["password"], ["restart"]):
        with pytest.raises(SystemExit):
            parse(*wrong)


def test_help_lists_every_command_and_setting(capsys):
    with pytest.raises(SystemExit) as exit:
        cli.main(["hub", "--help"])
    said = capsys.readouterr().out
    assert exit.value.code == 0
    for command in COMMANDS:
        assert f"bash scripts/hub.sh {command}" in said
    for variable in launcher.settings.Settings().environment() | {"HUB_DB_URL": "",
                                                                   "HUB_PYTHON": ""}:
        assert f"  {variable} [" in said


def test_no_command_prints_the_help_and_fails(capsys):
    with pytest.raises(SystemExit) as exit:
        cli.main(["hub"])
    assert exit.value.code == 2
    assert "bash scripts/hub.sh add --ta NAME..." in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["start"], ["stop"], ["add", "ada"], ["password", "ada"],
                                  ["prepare"], ["python"]])
def test_commands_that_change_the_machine_need_root(argv, monkeypatch, tmp_path):
    monkeypatch.setenv("HUB_STATE", str(tmp_path))
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    with pytest.raises(SystemExit, match=f"runs as root: sudo bash scripts/hub.sh {argv[0]}$"):
        cli.main(["hub", *argv])
    assert not list(tmp_path.iterdir())


def test_status_knows_a_hub_by_its_live_process(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("HUB_STATE", str(tmp_path))
    cli.main(["hub", "status"])
    assert capsys.readouterr().out == "The hub is not running.\n"
    ended = subprocess.Popen(["true"])
    ended.wait()
    (tmp_path / "hub.pid").write_text(f"{ended.pid}\n")
    assert hub_processes.hub_pid(Settings.from_environment(os.environ)) is None
    (tmp_path / "hub.pid").write_text(f"{os.getpid()}\n")
    cli.main(["hub", "status"])
    assert capsys.readouterr().out == (f"The hub is running (process {os.getpid()}) at "
                                       f"http://127.0.0.1:8000; log: {tmp_path}/jupyterhub.log\n")


def test_a_running_hub_is_not_started_again(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("HUB_STATE", str(tmp_path))
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    (tmp_path / "hub.pid").write_text(f"{os.getpid()}\n")
    cli.main(["hub", "start"])
    assert capsys.readouterr().out == (f"The hub is already running (process {os.getpid()}) at "
                                       "http://127.0.0.1:8000.\n")
    assert [path.name for path in tmp_path.iterdir()] == ["hub.pid"]


def test_addresses_for_students_and_for_the_launcher():
    everywhere = Settings(ip="0.0.0.0", port=8443)
    assert launcher.probe_url(everywhere) == "http://127.0.0.1:8443/hub/api/"
    assert launcher.public_url(everywhere) not in ("http://0.0.0.0:8443", "http://:8443")
    assert launcher.public_url(Settings(ip="10.1.2.3")) == "http://10.1.2.3:8000"
    assert launcher.probe_url(Settings(ip="10.1.2.3")) == "http://10.1.2.3:8000/hub/api/"


def test_the_hubs_processes_are_known_by_its_api_address_or_its_proxys_port():
    hub = Settings(api_port=8081, proxy_api_port=8001)
    kernel = b"HOME=/home/ada\0JUPYTERHUB_API_URL=http://127.0.0.1:8081/hub/api\0"
    proxy = b"node\0/c/hub/node_modules/.bin/configurable-http-proxy\0--ip\0\0--api-port\x008001\0"
    assert hub_processes.is_leftover(hub, kernel, b"python\0-m\0ipykernel_launcher\0")
    assert hub_processes.is_leftover(hub, b"", proxy)
    other_hub = Settings(api_port=18081, proxy_api_port=18001)
    assert not hub_processes.is_leftover(other_hub, kernel, proxy)
    assert not hub_processes.is_leftover(hub, kernel.replace(b"8081", b"80811"), proxy.replace(
        b"8001", b"80011"))


def test_new_passwords_keep_each_persons_role(tmp_path):
    roster = launcher.roster()
    path = tmp_path / "roster.csv"
    first = roster.add(path, ["tara"], "ta")
    renewed = roster.renew_passwords(path, ["tara"])
    assert renewed.keys() == {"tara"} and renewed != first
    assert roster.read(path)["tara"][0] == "ta"
    assert roster.password_matches(renewed["tara"], roster.read(path)["tara"][1])
    with pytest.raises(ValueError, match="Not on the roster: ada"):
        roster.renew_passwords(path, ["ada", "tara"])


def test_hub_sh_runs_course_hub_before_any_environment_exists(tmp_path):
    """The wrapper runs the launcher with a plain Python the course supports."""
    environ = {**os.environ, "HUB_STATE": str(tmp_path), "PYTHON": "/nonexistent"}
    environ.pop("VIRTUAL_ENV", None)
    environ["PATH"] = os.pathsep.join(part for part in environ["PATH"].split(os.pathsep)
                                      if not part.startswith(sys.prefix))
    run = [subprocess.run(["bash", str(ROOT / "scripts" / "hub.sh"), *argv], env=environ,
                          capture_output=True, text=True, timeout=60) for argv in
           (["status"], [], ["--help"])]
    assert (run[0].returncode, run[0].stdout) == (0, "The hub is not running.\n"), run[0].stderr
    assert run[1].returncode == 2 and "bash scripts/hub.sh start" in run[1].stderr
    assert run[2].returncode == 0 and "HUB_MEM_LIMIT [2G]" in run[2].stdout
