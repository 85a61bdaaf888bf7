"""Idle servers on the course hub are stopped by jupyterhub-idle-culler (a hub service), here
after seconds rather than the hour a class gets; the student's files stay, and logging in
again starts a fresh server. A real hub (scripts/hub.sh), a real account, loopback; root."""
import secrets
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tests.hub_client import Hub, needs_root, running_hub
from tests.processes import processes_of
from tests.support import shared

pytestmark = [pytest.mark.slow, pytest.mark.hub, *shared("hub")]

RUN = f"idlt-{secrets.token_hex(2)}-"
STUDENT = f"{RUN}idle"
IDLE_S, EVERY_S = 30, 2  # more than a server's start on a busy machine


@pytest.fixture(scope="module")
def hub():
    if needs_root():
        pytest.skip(needs_root())
    with running_hub(Hub(f"{RUN}instructor", HUB_CULL_IDLE=str(IDLE_S),
                         HUB_CULL_EVERY=str(EVERY_S)), {STUDENT: None}, RUN) as hub:
        yield hub


def cgroups():
    return list(Path("/sys/fs/cgroup").glob(f"*/course-hub/{STUDENT}"))


def server_of(person):
    return person.hub_api("GET", f"users/{person.name}").json()["servers"].get("")


def test_an_idle_server_is_stopped_and_the_students_work_stays(hub):
    student = hub.person(STUDENT)
    assert student.login(), student.refusal
    student.request_server()
    student.wait_for_server()
    started = time.monotonic()
    student.json("PUT", "api/contents/notes.txt",
                 json={"type": "file", "format": "text", "content": "my work"})
    with student.kernel() as kernel:
        assert kernel.run("answer = 42") == ("", None)
        kernel_id = kernel.id
    # The culler counts from the last activity the hub recorded for the server.
    while (server := server_of(student)) and time.monotonic() - started < IDLE_S * 6:
        last_activity = datetime.fromisoformat(server["last_activity"].replace("Z", "+00:00"))
        time.sleep(0.5)
    idle_for = (datetime.now(timezone.utc) - last_activity).total_seconds()
    assert not server_of(student), f"still running after {idle_for:.0f} s idle"
    assert idle_for >= IDLE_S - 1, f"stopped after {idle_for:.0f} s, before the idle limit"
    print(f"culled after {idle_for:.1f} s idle (limit {IDLE_S} s, checked every {EVERY_S} s)")
    assert "Culling server" in hub.read_log()
    deadline = time.monotonic() + 30
    while (processes_of([STUDENT]) or cgroups()) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not processes_of([STUDENT])  # the server and its kernel are gone
    assert not cgroups()  # and so is the memory the student's cgroup held
    assert (Path("/home") / STUDENT / "notes.txt").read_text() == "my work"

    # Logging in again starts a fresh server: the files are there, the old kernel is not.
    student = hub.person(STUDENT)
    assert student.login(), student.refusal
    student.request_server()
    student.wait_for_server()
    assert student.json("GET", "api/contents/notes.txt")["content"] == "my work"
    assert kernel_id not in [k["id"] for k in student.json("GET", "api/kernels")]
