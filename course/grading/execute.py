"""An nbgrader Execute step that survives what a submission can do to its kernel.

Stock nbgrader drops a whole submission when its kernel dies. This step instead records
what happened in the cell where it happened, marks every later cell as not run (so those
tests score 0 rather than pass), and keeps the grades earned before. It also caps memory
(the kernel runs under an address-space limit), output per cell, and time per notebook.
"""
import asyncio
import os
import subprocess
import sys
import time

from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import DeadKernelError
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer, default

from course.grading import sandbox


class SandboxedKernelManager(AsyncKernelManager):
    """Starts each grading kernel in a bubblewrap sandbox (course/grading/sandbox.py), with
    its memory, processes and scratch space capped, talking over Jupyter's IPC transport."""

    memory_limit_mb = Integer(
        4096, help="Memory for a grading kernel, in MiB (0: none): for its whole process tree "
                   "where a cgroup can be made, and as every process's address-space limit."
    ).tag(config=True)
    max_processes = Integer(
        256, help="Processes and threads a grading kernel may have at once.").tag(config=True)
    scratch_mb = Integer(
        512, help="Size of each writable tmpfs in the sandbox (the submission's folder, "
                  "/tmp, /dev/shm), in MiB; also the largest file the kernel may write."
    ).tag(config=True)
    run_unsandboxed = Bool(
        False, help="Grade without the sandbox: students' code then runs with your rights and "
                    "can read and change the course. Only for code you trust; warns every run."
    ).tag(config=True)

    _sandbox = None

    @default("transport")
    def _ipc_when_sandboxed(self):
        return "tcp" if self.run_unsandboxed else "ipc"

    async def _async_pre_start_kernel(self, **kw):
        if self.run_unsandboxed:
            sandbox.warn_unsandboxed(self.log)
            return await super()._async_pre_start_kernel(**kw)
        sandbox.check_bwrap()
        self._sandbox = sandbox.KernelSandbox(
            kw.get("cwd") or os.getcwd(), sys.executable,
            self.memory_limit_mb, self.max_processes, self.scratch_mb, self.log)
        self.connection_file = self._sandbox.connection_file
        self.ip = f"{sandbox.SOCKETS}/kernel"  # the kernel's view; the grader's is set at launch
        command, kw = await super()._async_pre_start_kernel(**kw)
        # Signals cannot cross into the sandbox's session; ipykernel interrupts itself on request.
        self.kernel_spec.interrupt_mode = "message"
        kw.update(env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")}, cwd=str(self._sandbox.folder),
                  pass_fds=(self._sandbox.info_write,),
                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return self._sandbox.command(command), kw

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        await super()._async_launch_kernel(kernel_cmd, **kw)
        if self._sandbox is None:
            return
        pid = self._sandbox.child_pid()
        for _ in range(3000):
            if not self.provisioner.has_process or sandbox.root_of(pid):
                break
            await asyncio.sleep(0.01)
        self.ip = f"/proc/{pid}/root{sandbox.SOCKETS}/kernel"

    def format_kernel_cmd(self, extra_arguments=None):
        command = super().format_kernel_cmd(extra_arguments)
        if self.run_unsandboxed and self.memory_limit_mb > 0:
            return ["prlimit", f"--as={self.memory_limit_mb * 1024 * 1024}", "--", *command]
        return command

    async def _async_cleanup_resources(self, restart=False):
        await super()._async_cleanup_resources(restart)
        if self._sandbox is not None:
            self._sandbox.close()
            self._sandbox = None


class GuardedExecute(Execute):
    """Execute with a kernel-death record, an output cap and a time budget per notebook."""

    notebook_timeout = Integer(
        600, help="Seconds for a whole notebook; cells after the budget are not run.").tag(config=True)
    max_output_bytes = Integer(
        1_000_000, help="Output kept per cell; past it the cell is interrupted.").tag(config=True)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", SandboxedKernelManager)
        super().__init__(*args, **kwargs)

    def preprocess(self, nb, resources=None, km=None):
        self._deadline = time.monotonic() + self.notebook_timeout
        self._cell_timeout = self.timeout
        self._stopped = None  # why the remaining cells are not run
        self._output_bytes = {}
        return super().preprocess(nb, resources, km)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code" or not cell.source.strip():
            return cell, resources
        remaining = self._deadline - time.monotonic()
        if self._stopped is None and remaining <= 0:
            self._stopped = (f"the notebook used up its time limit of {self.notebook_timeout} s "
                             "before this cell")
        if self._stopped is not None:
            cell.outputs = [self._error("NotRun", f"This cell was not run: {self._stopped}.")]
            return cell, resources
        self.timeout = max(1, min(self._cell_timeout, int(remaining)))
        try:
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            cell.outputs.append(self._error(
                "KernelDied",
                "The kernel died while running this cell: the code ended the Python process "
                f"or went past the memory limit ({self.memory_limit_text()}). Grades of "
                "earlier cells are kept."))
            self._stopped = f"the kernel died in an earlier cell (cell {index + 1})"
            return cell, resources
        finally:
            self.timeout = self._cell_timeout

    def memory_limit_text(self):
        limit = SandboxedKernelManager(config=self.config).memory_limit_mb
        return f"{limit} MiB" if limit > 0 else "none set"

    def output(self, outs, msg, display_id, cell_index):
        size = len(str(msg.get("content", "")))
        used = self._output_bytes.get(cell_index, 0)
        self._output_bytes[cell_index] = used + size
        if used + size <= self.max_output_bytes:
            return super().output(outs, msg, display_id, cell_index)
        if used <= self.max_output_bytes:  # first message over the cap: say so, stop the cell
            outs.append(new_output("stream", name="stdout", text=(
                f"\n[The grader stopped this cell: its output passed "
                f"{self.max_output_bytes:,} bytes.]\n")))
            asyncio.ensure_future(self._interrupt())
        return None

    async def _interrupt(self):
        result = self.km.interrupt_kernel()
        if asyncio.iscoroutine(result):
            await result

    @staticmethod
    def _error(name, message):
        return new_output("error", ename=name, evalue=message, traceback=[f"{name}: {message}"])
