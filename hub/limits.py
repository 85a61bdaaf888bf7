"""Limits per student on the course hub: memory, CPU and processes, enforced by the kernel's
cgroups around each student's server and every kernel it starts (see hub/README.md).

Two maintained ways, chosen by `choose_spawner` when the hub starts:
- `systemd`: jupyterhub-systemdspawner (as The Littlest JupyterHub does) where systemd runs
  the machine (PID 1) on cgroup v2; each server is a transient systemd unit with MemoryMax,
  CPUQuota and TasksMax;
- `cgroup`: `CgroupSpawner` below, with Debian's cgroup-tools (cgcreate, cgset, cgexec,
  cgdelete) on cgroup v1, as in containers and on this machine, where systemd is not PID 1.
Both read the same settings: `Spawner.mem_limit`, `Spawner.cpu_limit` and a process cap.
"""
import asyncio
import os
import shutil
import signal
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner
from traitlets import Integer, Unicode

CGROUP_ROOT = Path("/sys/fs/cgroup")
CONTROLLERS = ("memory", "cpu", "pids")
CPU_PERIOD_US = 100_000


def systemd_runs_the_machine():
    try:
        return Path("/proc/1/comm").read_text().strip() == "systemd"
    except OSError:
        return False


def cgroup_v2_only():
    return (CGROUP_ROOT / "cgroup.controllers").exists()


def cgroup_v1_usable():
    """Memory, CPU and pids controllers mounted as cgroup v1, cgroup-tools installed, root."""
    return (os.geteuid() == 0 and shutil.which("cgcreate") and shutil.which("cgexec")
            and all((CGROUP_ROOT / name / "tasks").exists() for name in CONTROLLERS))


def choose_spawner(wanted="auto"):
    """(spawner class or None, a sentence saying what was chosen and why).

    `wanted`: auto (the default), systemd, cgroup or off (no limits: a class should not)."""
    if wanted == "off":
        return None, "no limits per student (HUB_LIMITS=off)"
    if wanted == "systemd" or (wanted == "auto" and systemd_runs_the_machine()
                               and cgroup_v2_only()):
        return ("systemdspawner.SystemdSpawner",
                "jupyterhub-systemdspawner: systemd is PID 1 on cgroup v2; each server is a "
                "systemd unit with MemoryMax, CPUQuota and TasksMax")
    if wanted in ("cgroup", "auto") and cgroup_v1_usable():
        return (CgroupSpawner,
                "cgroup-tools on cgroup v1 (systemd is not PID 1 here): each server and its "
                "kernels in a cgroup of their own made with cgcreate, cgset and cgexec")
    raise SystemExit(
        "The hub cannot limit each student's memory, CPU and processes here: it needs either "
        "systemd as PID 1 with cgroup v2 (jupyterhub-systemdspawner), or cgroup v1 with "
        "memory, cpu and pids mounted under /sys/fs/cgroup and Debian's cgroup-tools "
        "(apt-get install cgroup-tools). Start it with HUB_LIMITS=off to run without limits.")


class CgroupSpawner(LocalProcessSpawner):
    """LocalProcessSpawner that starts each server inside a cgroup of its own (cgroup v1):
    memory (`mem_limit`, the server and all its kernels together), CPU (a fair share, at most
    `cpu_limit` cores) and a cap on processes and threads (`tasks_max`). The cgroup's task
    list belongs to the student, so `cgexec`, run as the student, can enter it; its limits
    belong to root. When the server stops, whatever is left in the cgroup is ended and the
    cgroup removed."""

    cgroup_parent = Unicode("course-hub", config=True,
                     help="cgroup under which every server gets one named after its user")
    tasks_max = Integer(512, config=True,
                        help="most processes and threads one student's server and kernels "
                             "may have together (pids.max)")

    @property
    def cgroup(self):
        return f"{self.cgroup_parent}/{self.user.name}"

    def cgroup_folder(self, controller):
        return CGROUP_ROOT / controller / self.cgroup

    async def run(self, *command):
        process = await asyncio.create_subprocess_exec(
            *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        out, _ = await process.communicate()
        if process.returncode:
            raise RuntimeError(f"{' '.join(command)} failed: {out.decode().strip()}")

    def limit_settings(self):
        settings = [f"pids.max={self.tasks_max}", f"cpu.cfs_period_us={CPU_PERIOD_US}",
                    "cpu.shares=1024"]  # the same share for everyone: fair when all are busy
        if self.cpu_limit:
            settings.append(f"cpu.cfs_quota_us={int(self.cpu_limit * CPU_PERIOD_US)}")
        if self.mem_limit:
            settings.append(f"memory.limit_in_bytes={self.mem_limit}")
            if (self.cgroup_folder("memory") / "memory.memsw.limit_in_bytes").exists():
                settings.append(f"memory.memsw.limit_in_bytes={self.mem_limit}")  # no swapping out
        return settings

    async def make_cgroup(self):
        await self.remove_cgroup()  # a server that died without stop() may have left one
        account = self.user.name
        await self.run("cgcreate", "-t", f"{account}:{account}", "-a", "root:root",
                       "-g", f"{','.join(CONTROLLERS)}:/{self.cgroup}")
        arguments = []
        for setting in self.limit_settings():
            arguments += ["-r", setting]
        await self.run("cgset", *arguments, self.cgroup)
        self.log.info("Limits for %s in cgroup %s: %s", account, self.cgroup,
                      ", ".join(self.limit_settings()))

    def processes_in_cgroup(self):
        try:
            text = (self.cgroup_folder("pids") / "cgroup.procs").read_text()
        except OSError:
            return []
        return [int(pid) for pid in text.split()]

    async def remove_cgroup(self):
        """End whatever still runs in the cgroup (kernels, their children), then remove it."""
        for _ in range(50):
            left = self.processes_in_cgroup()
            if not left:
                break
            for pid in left:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            await asyncio.sleep(0.1)
        for controller in CONTROLLERS:  # one at a time: cgdelete stops at the first failure
            if self.cgroup_folder(controller).exists():
                for attempt in range(20):  # the last task may still be leaving the group
                    try:
                        await self.run("cgdelete", "-g", f"{controller}:/{self.cgroup}")
                        break
                    except RuntimeError as error:
                        if attempt == 19:
                            self.log.warning("%s", error)
                        await asyncio.sleep(0.25)

    async def start(self):
        await self.make_cgroup()
        command = list(self.cmd)
        # cgexec runs as the student (LocalProcessSpawner drops to their account first) and
        # moves itself into the student's cgroup before it runs the server; --sticky keeps
        # every process the server starts there.
        self.cmd = [shutil.which("cgexec"), "-g", f"{','.join(CONTROLLERS)}:/{self.cgroup}",
                    "--sticky", *command]
        try:
            return await super().start()
        finally:
            self.cmd = command

    async def stop(self, now=False):
        await super().stop(now=now)
        await self.remove_cgroup()
