"""How many students one machine's course hub holds: start 10, 20 and 30 student servers at
once on a hub started with scripts/hub.sh, open a kernel with the course loaded in each, and
print start latency (median, worst), memory per student and in total, the concurrent
students a 2-core, 24 GiB machine can hold, and how long one student's simple cell takes while
every other student runs a CPU-heavy cell. All of it twice: with the limits per student on
(cgroups, hub/limits.py) and off (HUB_LIMITS=off).

Memory is PSS (each shared page split between the processes sharing it), summed over each
student's processes (their server and kernel) from /proc/PID/smaps_rollup, so that the
total is what the class really takes. Needs root, like the hub; run it with the course's
environment: `.venv/bin/python -m benchmarks.hub_capacity [10 20 30]`
(HUB_BENCH_MODES="on" measures with limits only). It makes accounts
named idlt-bench-..., and removes them and everything they ran at the end.
"""
import os
import shutil
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import websocket

from tests.hub_client import (ROOT, TEST_PREFIX, Hub, course_hub_accounts, remove_accounts,
                              run_in_kernel)
from tests.processes import children_of, processes_of, pss_mib

PREFIX = f"{TEST_PREFIX}bench-"
MACHINE_GIB, CORES = 24, 2
RESERVED_GIB = 2  # the system, page cache and headroom a machine keeps for itself
# What a lesson's first cells load: the course's check, numpy, matplotlib, widgets, torch.
COURSE_KERNEL = """
from helpers.environment import check_environment
check_environment()
import numpy as np, matplotlib.pyplot as plt, ipywidgets, torch
from helpers.checks import check_array
from helpers.plots import new_figure
from helpers.perceptron import PerceptronTrainer
print("ready")
"""


def hub_processes(hub):
    """The hub and its proxy: the hub's process and its children that run as root."""
    hub_pid = int((hub.state / "hub.pid").read_text())
    return [hub_pid] + children_of(hub_pid, uid=0)


def start_servers(students):
    """Ask for every server at once, as a class logging in does; seconds until each answers."""
    started = time.monotonic()
    for student in students:
        student.request_server()
    waiting, latencies = {s.name: s for s in students}, {}
    while waiting:
        for name, student in list(waiting.items()):
            server = student.hub_api("GET", f"users/{name}").json()["servers"].get("")
            if server and server.get("ready"):
                latencies[name] = time.monotonic() - started
                del waiting[name]
        assert time.monotonic() - started < 900, f"servers not up after 900 s: {list(waiting)}"
        time.sleep(0.2)
    return latencies


def open_course_kernel(student, attempts=3):
    """A kernel with the course loaded, left running; a dropped connection is tried again.
    Returns its websocket address."""
    kernel = student.json("POST", "api/kernels", json={"name": "python3"})["id"]
    url = student.server.replace("http", "ws", 1) + f"/api/kernels/{kernel}/channels"
    for attempt in range(attempts):
        try:
            out, error = run_in_kernel(url, student.token, COURSE_KERNEL, timeout=600)
            break
        except websocket.WebSocketException as lost:
            print(f"{student.name}: {lost!r}; trying again", flush=True)
    assert error is None and "ready" in out, (student.name, out, error)
    return url


SPIN_S = 25
SPIN = f"import time\nend = time.time() + {SPIN_S}\nwhile time.time() < end: pass"
SIMPLE_CELL = "sum(range(1000))"
SMALL_WORK = "sum(i * i for i in range(300_000))"  # about 0.03 s of one idle core


def cell_latency(student, url, code, repeats):
    times = []
    for _ in range(repeats):
        started = time.monotonic()
        out, error = run_in_kernel(url, student.token, code, timeout=300)
        assert error is None, error
        times.append(time.monotonic() - started)
    return statistics.median(times)


def latency_under_load(students, urls):
    """One student's cells, alone and while every other student spins a core in their kernel."""
    measured, url = students[0], urls[0]
    quiet = (cell_latency(measured, url, SIMPLE_CELL, 5),
             cell_latency(measured, url, SMALL_WORK, 5))
    with ThreadPoolExecutor(len(students)) as pool:
        spinning = [pool.submit(run_in_kernel, u, s.token, SPIN, SPIN_S + 300)
                    for s, u in zip(students[1:], urls[1:])]
        time.sleep(3)
        busy = (cell_latency(measured, url, SIMPLE_CELL, 5),
                cell_latency(measured, url, SMALL_WORK, 5))
        for done in spinning:
            done.result()
    return quiet, busy


def stop_servers(students):
    for student in students:
        student.hub_api("DELETE", f"users/{student.name}/server")
    deadline = time.monotonic() + 300
    while any(processes_of([s.name]) for s in students):
        assert time.monotonic() < deadline, "servers still running 300 s after being stopped"
        time.sleep(0.5)


def measure(hub, students):
    latencies = start_servers(students)
    idle = [pss_mib(processes_of([s.name])) for s in students]
    with ThreadPoolExecutor(CORES) as pool:
        urls = list(pool.map(open_course_kernel, students))
    working = [pss_mib(processes_of([s.name])) for s in students]
    hub_mib = pss_mib(hub_processes(hub))
    quiet, busy = latency_under_load(students, urls)
    stop_servers(students)
    return {"students": len(students), "quiet": quiet, "busy": busy,
            "median_s": statistics.median(latencies.values()),
            "worst_s": max(latencies.values()), "idle_mib": statistics.median(idle),
            "student_mib": statistics.median(working), "worst_student_mib": max(working),
            "total_mib": sum(working) + hub_mib, "hub_mib": hub_mib}


def main(sizes, modes):
    start_load = os.getloadavg()[0]
    results = {mode: run_hub(sizes, mode) for mode in modes}
    print(f"\nCourse hub on this machine ({CORES} cores), every server asked for at once; "
          f"memory is PSS with a course kernel open in each server. Load average at the "
          f"start and the end (other work on the machine): {start_load:.1f}, "
          f"{os.getloadavg()[0]:.1f}.")
    for mode, rows in results.items():
        report(rows, mode)


def run_hub(sizes, mode):
    remove_accounts(course_hub_accounts(stale=True))
    hub = Hub(f"{PREFIX}instructor", HUB_LIMITS="auto" if mode == "on" else "off")
    names = [f"{PREFIX}s{number:02d}" for number in range(max(sizes))]
    try:
        hub.add(hub.instructor, role="instructor")
        hub.add(*names)
        hub.start()
        students = [hub.person(name) for name in names]
        with ThreadPoolExecutor(4) as pool:  # first logins: each makes an account
            assert all(pool.map(lambda s: s.login(), students))
        rows = []
        for size in sizes:  # each row as soon as it is measured, in case a later size fails
            rows.append(measure(hub, students[:size]))
            print(f"limits {mode}, load {os.getloadavg()[0]:.1f}: {rows[-1]}", flush=True)
    finally:
        hub.stop()
        remove_accounts([name for name in course_hub_accounts() if name.startswith(PREFIX)])
        log = hub.state / "jupyterhub.log"
        if log.exists():  # kept for a look afterwards; reports/ is not committed
            (ROOT / "reports").mkdir(exist_ok=True)
            shutil.copy(log, ROOT / "reports" / "hub_capacity.log")
        shutil.rmtree(hub.state, ignore_errors=True)
    return rows


def report(rows, mode):
    print(f"\nLimits per student {mode}:\n")
    print(f"{'students':>8} {'start median':>13} {'start worst':>12} {'idle server':>12} "
          f"{'per student':>12} {'worst':>7} {'total':>9}")
    for row in rows:
        print(f"{row['students']:>8} {row['median_s']:>11.1f} s {row['worst_s']:>10.1f} s "
              f"{row['idle_mib']:>8.0f} MiB {row['student_mib']:>8.0f} MiB "
              f"{row['worst_student_mib']:>3.0f} MiB {row['total_mib'] / 1024:>5.2f} GiB")
    print("\nOne student's cell, alone and while every other student spins a core "
          f"(median of 5; simple: {SIMPLE_CELL}; small work: {SMALL_WORK}):")
    for row in rows:
        (quiet_simple, quiet_work), (busy_simple, busy_work) = row["quiet"], row["busy"]
        print(f"{row['students']:>8} students: simple {quiet_simple * 1000:.0f} ms -> "
              f"{busy_simple * 1000:.0f} ms, small work {quiet_work * 1000:.0f} ms -> "
              f"{busy_work * 1000:.0f} ms")
    largest = rows[-1]
    per_student = largest["student_mib"]
    room_mib = (MACHINE_GIB - RESERVED_GIB) * 1024 - largest["hub_mib"]
    print(f"\nHub and proxy: {largest['hub_mib']:.0f} MiB. A {CORES}-core, {MACHINE_GIB} GiB "
          f"machine keeping {RESERVED_GIB} GiB for itself holds about "
          f"{int(room_mib // per_student)} students with a course kernel open each "
          f"({per_student:.0f} MiB apiece); a class arriving at once waits about "
          f"{largest['worst_s'] / largest['students']:.1f} s per student for its servers.")


if __name__ == "__main__":
    main([int(size) for size in sys.argv[1:]] or [10, 20, 30],
         os.environ.get("HUB_BENCH_MODES", "on off").split())
