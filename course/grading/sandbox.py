"""A bubblewrap sandbox for one grading kernel: the submission can touch nothing but itself.

Inside, the kernel sees a private copy of its submission folder (without notebooks: the one
being graded has the hidden tests restored) on a size-capped tmpfs as its home and working
folder, a size-capped /tmp, the course's Python read-only, and nothing else of the machine
that could matter: no course folder, no gradebook, no other student, no network, no other
process. The kernel talks to the grader over Jupyter's IPC transport: its sockets live in a
tmpfs inside the sandbox, which the grader reaches through /proc/<pid>/root, so the sandbox
has no writable place on the host at all. Memory and processes are capped for the whole
tree by a cgroup when the grader may create one (cgroup-tools), else per process by rlimits
set inside the sandbox's own user namespace.
"""
import functools
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from course.grading.links import left_out

SUBMISSION_COPY = "/run/submission"  # read-only source of the private copy
HOME = "/home/student"
SOCKETS = "/run/jupyter"
READ_ONLY_SYSTEM = ["/usr", "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d",
                    "/etc/alternatives", "/etc/fonts", "/etc/localtime"]
MERGED_USR = ["bin", "sbin", "lib", "lib64", "lib32"]
# The kernel's whole environment: no variable of the grader (tokens, paths) gets in.
ENVIRONMENT = {"HOME": HOME, "USER": "student", "LOGNAME": "student", "LANG": "C.UTF-8",
               "TMPDIR": "/tmp", "MPLBACKEND": "agg", "SHELL": "/bin/sh"}
PASSED_THROUGH = ["NBGRADER_EXECUTION"]  # nbgrader tells lessons they are being graded
INSTALL_HINT = ("Grading runs every submission in a bubblewrap sandbox. Install it (Debian/Ubuntu: "
                "sudo apt-get install bubblewrap) and make sure unprivileged user namespaces "
                "are enabled (sysctl kernel.unprivileged_userns_clone=1; on Ubuntu 24.04 "
                "bubblewrap's AppArmor profile allows them). To grade without the sandbox on "
                "a machine where students' code is trusted, set "
                "c.SandboxedKernelManager.run_unsandboxed = True in nbgrader_config.py.")


class SandboxUnavailable(RuntimeError):
    pass


@functools.lru_cache
def python_folders(executable):
    """The folders a Python needs: its environment and the installation it was made from."""
    probe = subprocess.run(
        [executable, "-c", "import sys, json; print(json.dumps([sys.prefix, sys.base_prefix]))"],
        capture_output=True, text=True, check=True)
    return sorted(set(json.loads(probe.stdout)))


def helpers_folder():
    """The course's helpers package, which lessons import (read-only, at its own path)."""
    import helpers
    return str(Path(helpers.__file__).resolve().parent)


@functools.lru_cache  # once per process: a failure is raised again, not cached
def check_bwrap():
    """Raise SandboxUnavailable, saying what to do, unless bwrap can make a sandbox here."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise SandboxUnavailable("bubblewrap (bwrap) is not installed. " + INSTALL_HINT)
    tried = subprocess.run([bwrap, "--unshare-all", "--ro-bind", "/usr", "/usr",
                            *merged_usr_links(), "--proc", "/proc", "--dev", "/dev",
                            "--", "/bin/true"], capture_output=True, text=True)
    if tried.returncode != 0:
        raise SandboxUnavailable(f"bubblewrap could not create a sandbox here "
                                 f"({tried.stderr.strip() or tried.returncode}). " + INSTALL_HINT)


def merged_usr_links():
    links = []
    for name in MERGED_USR:
        if os.path.islink(f"/{name}"):
            links += ["--symlink", os.readlink(f"/{name}"), f"/{name}"]
        elif os.path.isdir(f"/{name}"):
            links += ["--ro-bind", f"/{name}", f"/{name}"]
    return links


CGROUP_ROOT = Path("/sys/fs/cgroup")


class Cgroup:
    """A memory and pids cgroup for one sandbox, made with cgroup-tools; None where the
    grader may not create one (cgroup v1 without root, v2 without delegation)."""

    controllers = ("memory", "pids")
    parent = "course-grading"

    def __init__(self, name):
        self.name = name
        self.spec = f"{','.join(self.controllers)}:{name}"

    @classmethod
    def create(cls, memory_mb, processes):
        if not shutil.which("cgcreate"):
            return None
        group = cls(f"{cls.parent}/{uuid.uuid4().hex[:12]}")
        made = subprocess.run(["cgcreate", "-g", group.spec], capture_output=True)
        if made.returncode != 0:
            return None
        settings = [f"pids.max={processes}"]
        if memory_mb > 0:
            settings += [f"memory.limit_in_bytes={memory_mb}M"]
        for setting in settings:
            if subprocess.run(["cgset", "-r", setting, group.spec.split(":")[1]],
                              capture_output=True).returncode != 0:
                group.delete()
                return None
        return group

    def command(self):
        return ["cgexec", "-g", self.spec]

    def folder(self, controller):
        """Where the group lives: one folder per controller on cgroup v1, one in all on v2."""
        if (CGROUP_ROOT / "cgroup.controllers").exists():
            return CGROUP_ROOT / self.name
        return CGROUP_ROOT / controller / self.name

    def folders(self):
        """The group's folders that still exist."""
        return sorted({self.folder(c) for c in self.controllers if self.folder(c).exists()})

    def delete(self):
        """Remove the group, one controller at a time (cgdelete stops at the first controller
        it cannot remove); the last task may still be leaving, so try for a few seconds."""
        for controller in self.controllers:
            for _ in range(20):
                if not self.folder(controller).exists() or subprocess.run(
                        ["cgdelete", "-g", f"{controller}:{self.name}"],
                        capture_output=True).returncode == 0:
                    break
                time.sleep(0.25)


def limits_text(cgroup, memory_mb, processes):
    if cgroup:
        return (f"cgroup {cgroup.spec}: {memory_mb} MiB for the whole process tree, "
                f"{processes} processes")
    return (f"no cgroup available: {memory_mb} MiB address space per process, {processes} "
            "processes (rlimits in the sandbox's user namespace)")


def describe(memory_mb, processes):
    """How kernels will be confined here, for the grader's log."""
    cgroup = Cgroup.create(memory_mb, processes)
    if cgroup:
        cgroup.delete()
    return "bubblewrap; " + limits_text(cgroup, memory_mb, processes)


class KernelSandbox:
    """The sandbox of one kernel: host-side staging, the bwrap command, and its cleanup."""

    def __init__(self, submission, python, memory_mb, processes, scratch_mb, log):
        self.folder = Path(tempfile.mkdtemp(prefix="course-kernel-"))
        self.connection_file = str(self.folder / "kernel.json")
        self.staged = self.folder / "submission"
        copy_without_notebooks(submission, self.staged)
        self.memory_mb, self.processes, self.scratch_mb = memory_mb, processes, scratch_mb
        self.read_only = [*python_folders(python), helpers_folder()]
        self.cgroup = Cgroup.create(memory_mb, processes)
        self.info_read, self.info_write = os.pipe()
        log.info("Sandbox for %s: bubblewrap; %s", submission,
                 limits_text(self.cgroup, memory_mb, processes))

    def command(self, kernel_command):
        scratch = str(self.scratch_mb * 1024 * 1024)
        binds = []
        for path in READ_ONLY_SYSTEM + self.read_only:
            if os.path.exists(path):
                binds += ["--ro-bind", path, path]
        environment = {**ENVIRONMENT, **{k: os.environ[k] for k in PASSED_THROUGH
                                         if k in os.environ},
                       "PATH": f"{Path(kernel_command[0]).parent}:/usr/bin:/bin"}
        setenv = [arg for key, value in environment.items() for arg in ("--setenv", key, value)]
        limits = [f"--nproc={self.processes}", f"--fsize={scratch}"]
        if self.memory_mb > 0:
            limits.append(f"--as={self.memory_mb * 1024 * 1024}")
        start = f'cp -R {SUBMISSION_COPY}/. . && exec prlimit {" ".join(limits)} -- "$@"'
        wrapper = self.cgroup.command() if self.cgroup else []
        return [*wrapper, "bwrap", "--unshare-all", "--die-with-parent", "--new-session",
                "--info-fd", str(self.info_write), "--clearenv", *setenv,
                *merged_usr_links(), "--proc", "/proc", "--dev", "/dev",
                "--size", scratch, "--tmpfs", "/dev/shm",
                "--size", scratch, "--tmpfs", "/tmp",
                "--size", scratch, "--tmpfs", HOME,
                # after the scratch mounts: a course (or its Python) under /tmp stays visible
                *binds,
                "--size", str(1024 * 1024), "--tmpfs", SOCKETS,
                "--ro-bind", str(self.staged), SUBMISSION_COPY,
                "--ro-bind", self.connection_file, self.connection_file,
                # a read-only root: the kernel cannot move /run and plant a symbolic link where
                # the grader looks for its sockets (it follows links in its own root)
                "--remount-ro", "/",
                "--chdir", HOME, "--", "/bin/sh", "-c", start, "sh", *kernel_command]

    def child_pid(self, timeout=30):
        """The sandbox's first process (host PID), read from bwrap's --info-fd."""
        os.close(self.info_write)
        self.info_write = None
        data = b""
        while b"}" not in data:
            ready, _, _ = select.select([self.info_read], [], [], timeout)
            chunk = os.read(self.info_read, 4096) if ready else b""
            if not chunk:
                raise SandboxUnavailable("bubblewrap did not start the kernel's sandbox. "
                                         + INSTALL_HINT)
            data += chunk
        return json.loads(data[: data.index(b"}") + 1])["child-pid"]

    def close(self):
        for fd in (self.info_read, self.info_write):
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self.info_read = self.info_write = None
        if self.cgroup:
            self.cgroup.delete()
        shutil.rmtree(self.folder, ignore_errors=True)


def copy_without_notebooks(source, destination):
    """The submission's own files: no notebooks (the graded one carries the restored hidden
    tests) and no links or special files (they would point into the grader's machine)."""
    shutil.copytree(source, destination, copy_function=shutil.copyfile, ignore=lambda folder,
                    names: left_out(folder, names) + [n for n in names if n.endswith(".ipynb")])


def root_of(pid):
    """Wait until process `pid` has entered its own root (bubblewrap pivoted into the
    sandbox): only then does /proc/<pid>/root lead inside it."""
    here = os.stat("/")
    there = os.stat(f"/proc/{pid}/root/")
    return (there.st_dev, there.st_ino) != (here.st_dev, here.st_ino)


def warn_unsandboxed(log):
    log.warning("GRADING WITHOUT A SANDBOX (c.SandboxedKernelManager.run_unsandboxed = True): "
                "students' code runs with your rights and can read and change the course "
                "folder, the gradebook and every submission.")
    print("WARNING: grading without a sandbox; students' code runs with your rights.",
          file=sys.stderr)
