"""The install path a student's machine takes: the lock, the supported Pythons, torch's CPU build.

Nothing here relies on this machine's pip configuration (which happens to hold a CPU wheel of
torch): every pip and uv run gets a clean configuration, as on a student's laptop."""
import os
import re
import socket
import subprocess
import sys
import threading
import time
import tomllib
from pathlib import Path

import pytest
import yaml

from tests.support import ROOT, long_running
from scripts.lock_inputs import HEADER, inputs_digest
from scripts import torch_source

LOCK = ROOT / "requirements" / "lock.txt"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
TORCH_SOURCE = ROOT / "scripts" / "torch_source.py"
SUPPORTED = ["3.11", "3.12", "3.13"]
# uv's names for the platforms students use (torch 2.13 has wheels for macOS 14 on Apple
# silicon, none for Intel Macs)
PLATFORMS = {"linux": "x86_64-manylinux_2_28", "macos": "aarch64-apple-darwin",
             "windows": "x86_64-pc-windows-msvc"}
MACOS_VERSION = "14.0"


def clean_environment(**extra):
    """os.environ without pip's and uv's settings, and pip reading no configuration file."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "UV_", "COURSE_"))}
    return {**env, "PIP_CONFIG_FILE": os.devnull, **extra}


def lock_pins():
    """{(name, version)} of the lock: a package may have one pin per range of Pythons."""
    return set(re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)", LOCK.read_text(), re.M))


def torch_pin():
    return dict(lock_pins())["torch"]


# The lock ----------------------------------------------------------------------------------

def test_lock_is_up_to_date_with_pyproject():
    header = [line for line in LOCK.read_text().splitlines() if line.startswith(HEADER)]
    assert header == [HEADER + inputs_digest(ROOT / "pyproject.toml")], (
        "requirements/lock.txt was made from another pyproject.toml: run `bash scripts/lock.sh`")


def test_the_lock_check_sees_any_change_of_dependencies(tmp_path):
    """The digest the lock records follows pins, extras and the Python range, not prose."""
    text = (ROOT / "pyproject.toml").read_text()
    variants = {"pin": text.replace('"numpy==', '"numpy==0.'),
                "extra": text.replace('test = [', 'test = [\n    "six==1.0",'),
                "python": text.replace('requires-python = ">=3.11', 'requires-python = ">=3.12')}
    for name, changed in {**variants, "prose": text.replace("description = ", "description = 'x' #")}.items():
        assert changed != text, name
        (tmp_path / name).write_text(changed)
        same = inputs_digest(tmp_path / name) == inputs_digest(ROOT / "pyproject.toml")
        assert same == (name == "prose"), name


def test_lock_holds_every_pin_of_pyproject():
    pins = {(name.lower(), version) for name, version in lock_pins()}
    declared = PROJECT["dependencies"] + sum(PROJECT["optional-dependencies"].values(), [])
    for requirement in declared:
        name, version = requirement.split("==")
        assert (name.lower(), version) in pins, requirement


def test_scripts_accept_the_pythons_pyproject_accepts():
    assert PROJECT["requires-python"] == f">={SUPPORTED[0]},<3.{int(SUPPORTED[-1][2:]) + 1}"
    scripts = (ROOT / "scripts" / "environment.sh").read_text()
    assert 'COURSE_PYTHONS="' + " ".join(reversed(SUPPORTED)) + '"' in scripts


@pytest.fixture(scope="module")
def uv_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("uv-cache")


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("python", SUPPORTED)
def test_locked_tree_resolves_on_pypi(python, platform, uv_cache, tmp_path):
    """Every pin installs from wheels on this Python and platform (metadata only, no download);
    the resolution needs nothing outside the lock."""
    result = subprocess.run(
        [str(Path(sys.executable).parent / "uv"), "pip", "compile", "pyproject.toml",
         "--all-extras", "--no-config", "--quiet", "--python-version", python,
         "--python-platform", PLATFORMS[platform], "--only-binary", ":all:",
         "--constraint", str(LOCK), "--no-header", "--no-annotate", "-o", str(tmp_path / "out")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env=clean_environment(UV_CACHE_DIR=str(uv_cache), MACOSX_DEPLOYMENT_TARGET=MACOS_VERSION))
    assert result.returncode == 0, result.stderr
    resolved = set(re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+)", (tmp_path / "out").read_text(), re.M))
    assert ("torch", torch_pin()) in resolved
    assert resolved <= lock_pins(), f"resolved outside the lock: {resolved - lock_pins()}"


# torch's CPU build -------------------------------------------------------------------------

def cpu_wheel():
    """This Python's CPU wheel of the locked torch, from a find-links folder of this machine."""
    tag = f"cp{sys.version_info.major}{sys.version_info.minor}"
    folders = os.environ.get("PIP_FIND_LINKS", "").split() + ["/opt/wheels"]
    for folder in folders:
        found = sorted(Path(folder).glob(f"torch-{torch_pin()}+cpu-{tag}-{tag}-*linux*.whl"))
        if found:
            return found[0]
    pytest.skip(f"no CPU wheel of torch {torch_pin()} for {tag} on this machine to build an index from")


@pytest.fixture(scope="module")
def cpu_index(tmp_path_factory):
    """A PEP 503 simple index, on disk, that holds the CPU wheel: PyTorch's CPU index in small."""
    wheel = cpu_wheel()
    root = tmp_path_factory.mktemp("cpu-index")
    (root / "torch").mkdir()
    (root / "torch" / "index.html").write_text(
        f'<!DOCTYPE html><html><body><a href="{wheel.as_uri()}">{wheel.name}</a></body></html>')
    return root.as_uri()


def choose_torch(**env):
    started = time.monotonic()
    result = subprocess.run([sys.executable, str(TORCH_SOURCE), torch_pin()], capture_output=True,
                            text=True, timeout=120, env=clean_environment(**env))
    return result, time.monotonic() - started


def closed_port_url():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/simple"


def test_linux_takes_torch_from_the_cpu_index(cpu_index):
    result, _ = choose_torch(COURSE_TORCH_INDEX=cpu_index)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == cpu_index
    assert "CPU build" in result.stderr


def test_unreachable_cpu_index_falls_back_and_says_what_it_costs():
    result, seconds = choose_torch(COURSE_TORCH_INDEX=closed_port_url())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""  # pip's default index
    assert "cannot be reached" in result.stderr and "CUDA build" in result.stderr
    assert "5 GB" in result.stderr and "COURSE_TORCH=cpu" in result.stderr
    assert seconds < 30


def test_a_silent_cpu_index_is_given_up_after_its_timeout():
    """An index that accepts the connection and never answers: the probe gives up in time."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    held = []
    threading.Thread(target=lambda: held.append(server.accept()), daemon=True).start()
    try:
        port = server.getsockname()[1]
        result, seconds = choose_torch(COURSE_TORCH_INDEX=f"http://127.0.0.1:{port}/simple",
                                       COURSE_TORCH_TIMEOUT="2")
    finally:
        server.close()
    assert result.returncode == 0 and result.stdout.strip() == ""
    assert "timed out" in result.stderr
    assert seconds < 30


def test_course_torch_cpu_insists_on_the_cpu_index():
    result, _ = choose_torch(COURSE_TORCH="cpu", COURSE_TORCH_INDEX=closed_port_url())
    assert result.returncode != 0
    assert "COURSE_TORCH=cpu" in result.stderr and "cannot be reached" in result.stderr


def test_course_torch_cuda_uses_the_default_index_without_asking_the_cpu_index(cpu_index):
    result, _ = choose_torch(COURSE_TORCH="cuda", COURSE_TORCH_INDEX=cpu_index)
    assert result.returncode == 0 and result.stdout.strip() == ""
    assert "COURSE_TORCH=cuda" in result.stderr and "CUDA build" in result.stderr


def test_an_unknown_course_torch_value_says_what_to_use():
    result, _ = choose_torch(COURSE_TORCH="gpu")
    assert result.returncode != 0 and "use auto, cpu or cuda" in result.stderr


def test_other_systems_keep_the_default_index(cpu_index):
    env = {"COURSE_TORCH_INDEX": cpu_index}
    assert torch_source.choose(torch_pin(), env, system="Darwin") is None
    assert torch_source.choose(torch_pin(), env, system="Windows") is None
    assert torch_source.choose(torch_pin(), env, system="Linux") == cpu_index


@long_running
@pytest.mark.slow
def test_the_scripts_install_the_cpu_build_in_a_fresh_virtualenv(cpu_index, tmp_path):
    """environment.sh, with a clean pip configuration: a new virtualenv gets torch's CPU
    build from the CPU index and none of the CUDA packages."""
    venv = tmp_path / "venv"
    script = (f'source "{ROOT}/scripts/environment.sh" && ensure_virtualenv && '
              f'index="$("$COURSE_VENV/bin/python" "{TORCH_SOURCE}" "$(_torch_pin)")" && '
              '_install_torch "$index"')
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=600,
                            env=clean_environment(COURSE_VENV=str(venv),
                                                  COURSE_TORCH_INDEX=cpu_index))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Creating the course's virtualenv" in result.stdout and "with Python 3.1" in result.stdout
    installed = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "list", "--format=freeze"],
        capture_output=True, text=True, env=clean_environment()).stdout
    assert f"torch=={torch_pin()}+cpu" in installed.splitlines()
    assert not [line for line in installed.splitlines() if line.startswith(("nvidia", "triton"))]


# Two environments --------------------------------------------------------------------------

def test_environment_yml_is_the_students_stack_with_cpu_torch():
    conda = yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
    python = next(item for item in conda if isinstance(item, str) and item.startswith("python"))
    assert python == "python" + PROJECT["requires-python"]  # a range, not one exact version
    pip_section = next(item["pip"] for item in conda if isinstance(item, dict))
    pins = [line for line in pip_section if "==" in line]
    assert pins == PROJECT["dependencies"]  # no test or hub packages for students
    assert f"--extra-index-url {torch_source.CPU_INDEX}" in pip_section
    assert "-c requirements/lock.txt" in pip_section and "-e ." in pip_section


def test_students_need_neither_the_test_tools_nor_the_hub():
    student = {requirement.split("==")[0] for requirement in PROJECT["dependencies"]}
    assert {"jupyterlab", "nbgrader", "ipywidgets", "numpy", "matplotlib", "torch"} == student
    assert set(PROJECT["optional-dependencies"]) == {"test", "hub"}


# Python 3.11 to 3.13 -----------------------------------------------------------------------

def fake_python(folder, name, version):
    """An executable `name` in `folder` that answers the scripts' version question with `version`
    (or fails, like a pyenv shim of a version that is not active, when version is None)."""
    path = folder / name
    path.write_text(f"#!/bin/sh\necho {version}\n" if version else "#!/bin/sh\nexit 127\n")
    path.chmod(0o755)
    return path


def find_python(folder, **env):
    return subprocess.run(
        ["bash", "-c", f'source "{ROOT}/scripts/environment.sh" && find_python'],
        capture_output=True, text=True,
        env=clean_environment(PATH=f"{folder}:/usr/bin:/bin", **env))


def test_the_newest_supported_python_is_chosen(tmp_path):
    fake_python(tmp_path, "python3.11", "3.11")
    fake_python(tmp_path, "python3.12", "3.12")
    fake_python(tmp_path, "python3.13", None)  # found but not working: passed over
    fake_python(tmp_path, "python3", "3.14")
    result = find_python(tmp_path)
    assert result.returncode == 0 and result.stdout.strip() == str(tmp_path / "python3.12")


def test_an_unsupported_python_is_refused_with_what_to_do(tmp_path):
    old = fake_python(tmp_path, "python3.10", "3.10")
    result = find_python(tmp_path, PYTHON=str(old))
    assert result.returncode != 0 and "3.11, 3.12 or 3.13" in result.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    result = subprocess.run(  # no Python at all on PATH once the script is read
        ["bash", "-c", f'source "{ROOT}/scripts/environment.sh" && PATH="{empty}" find_python'],
        capture_output=True, text=True, env=clean_environment(PATH="/usr/bin:/bin"))
    assert result.returncode != 0 and "PYTHON=/path/to/python" in result.stderr


@pytest.mark.parametrize("version", ["3.12", "3.13"])
def test_a_virtualenv_on_a_newer_python_says_which(version, tmp_path):
    found = sorted(Path.home().glob(f".pyenv/versions/{version}.*/bin/python{version}"))
    if not found:
        pytest.skip(f"no Python {version} on this machine")
    venv = tmp_path / "venv"
    result = subprocess.run(
        ["bash", "-c", f'source "{ROOT}/scripts/environment.sh" && ensure_virtualenv'],
        capture_output=True, text=True, timeout=300,
        env=clean_environment(COURSE_VENV=str(venv), PYTHON=str(found[-1])))
    assert result.returncode == 0, result.stderr
    assert f"with Python {version} ({found[-1]})" in result.stdout
    assert subprocess.run([str(venv / "bin" / "python"), "-c", "import sys; print(sys.version)"],
                          capture_output=True, text=True).stdout.startswith(version)
