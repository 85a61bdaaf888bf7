"""An nbgrader Execute step that survives what a submission can do to its kernel.

Stock nbgrader drops a whole submission when its kernel dies. This step instead records
what happened in the cell where it happened, marks every later cell as not run (so those
tests score 0 rather than pass), and keeps the grades earned before. It also caps memory
and processes (SandboxedKernelManager, which runs every kernel in a bubblewrap sandbox),
output per cell, and time per notebook.
"""
import asyncio
import os
import subprocess
import sys
import time
from queue import Empty

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import ensure_async
from nbclient.exceptions import DeadKernelError
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer, default

from course.grading import sandbox

HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
METADATA_KEY = "course_grading"  # in cells and the notebook: what feedback may trust
# Runs in the kernel after each test cell: puts back the student's functions that the cell
# swapped for known-right ones, even when a failed check skipped the cell's own restore().
RESTORE_SUBSTITUTIONS = (
    "__import__('sys').modules['helpers.checks'].Substitution.restore_all() "
    "if 'helpers.checks' in __import__('sys').modules else None")


def is_test_cell(cell):
    nbgrader = cell.metadata.get("nbgrader", {})
    return cell.cell_type == "code" and bool(nbgrader.get("grade")) and not nbgrader.get("solution")


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
        try:
            command, kw = await super()._async_pre_start_kernel(**kw)
        except BaseException:
            self._sandbox.close()
            self._sandbox = None
            raise
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
    """Execute with a kernel-death record, an output cap and a time budget per notebook.

    It also keeps what feedback may show apart from what it may not: once a cell with hidden
    tests has been sent to the kernel, every later output may carry their source (the kernel
    remembers every cell), so each cell from then on is marked `after_hidden` in its metadata,
    and updates to earlier cells' displays are refused. Notices the grader itself writes are
    kept in cell metadata too, where the kernel cannot forge them (course/grading/feedback.py).
    """

    notebook_timeout = Integer(
        600, help="Seconds for a whole notebook; cells after the budget are not run.").tag(config=True)
    max_output_bytes = Integer(
        1_000_000, help="Output kept per cell; past it the cell is interrupted.").tag(config=True)
    kill_after_interrupt = Integer(
        5, help="Seconds a cell may go on after the interrupt at its time limit; then its "
                "kernel is killed and the grades of earlier cells are kept.").tag(config=True)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", SandboxedKernelManager)
        kwargs.setdefault("store_widget_state", False)  # widget state is kernel-written text
        super().__init__(*args, **kwargs)

    def preprocess(self, nb, resources=None, km=None):
        self._deadline = time.monotonic() + self.notebook_timeout
        self._cell_timeout = self.timeout
        self._stopped = None  # why the remaining cells are not run
        self._killed = None  # why the grader killed the kernel, if it did
        self._hidden_from = None  # index of the first cell whose hidden tests reached the kernel
        self._output_bytes = {}
        nb.metadata.pop(METADATA_KEY, None)  # only this step writes these marks
        for cell in nb.cells:
            cell.metadata.pop(METADATA_KEY, None)
        nb, resources = super().preprocess(nb, resources, km)
        nb.metadata[METADATA_KEY] = {"outputs_before_hidden_frozen": True}
        return nb, resources

    def preprocess_cell(self, cell, resources, index):
        cell, resources = self.run_cell(cell, resources, index)
        if is_test_cell(cell) and self._stopped is None:
            self._restore_substitutions(cell)
        return cell, resources

    def run_cell(self, cell, resources, index):
        """Run one cell in the kernel, within the notebook's budget (JudgedExecute also
        judges a test cell's hidden blocks here, while its substitutions are in place)."""
        if cell.cell_type != "code" or not cell.source.strip():
            return cell, resources
        if self._hidden_from is None and HIDDEN_BEGIN in cell.source:
            self._hidden_from = index
        cell.metadata[METADATA_KEY] = {"after_hidden": self._hidden_from is not None}
        remaining = self._deadline - time.monotonic()
        if self._stopped is None and remaining <= 0:
            self._stopped = (f"the notebook used up its time limit of {self.notebook_timeout} s "
                             "before this cell")
        if self._stopped is not None:
            cell.outputs = []
            self._notice(cell, "NotRun", f"This cell was not run: {self._stopped}.")
            return cell, resources
        self.timeout = max(1, min(self._cell_timeout, int(remaining)))
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
            self._drop_results_of_tests(cell)
            return cell, resources
        except DeadKernelError:
            if self._killed:
                self._notice(cell, "KernelKilled", self._killed)
            else:
                self._notice(cell, "KernelDied", (
                    "The kernel died while running this cell: the code ended the Python "
                    f"process or went past the memory limit ({self.memory_limit_text()}). "
                    "Grades of earlier cells are kept."))
            self._stopped = f"the kernel died in an earlier cell (cell {index + 1})"
            return cell, resources
        finally:
            self.timeout = self._cell_timeout

    def _restore_substitutions(self, cell):
        """End of a test cell: every `helpers.checks.Substitution` still active is undone in
        the kernel, so a check that failed before the cell's own restore() cannot leave
        reference functions in place for the cells after it."""
        grade_id = cell.metadata["nbgrader"].get("grade_id")
        self.timeout = max(1, min(self._cell_timeout, int(self._deadline - time.monotonic())))
        try:
            msg_id = self.kc.execute(RESTORE_SUBSTITUTIONS, silent=True, store_history=False,
                                     allow_stdin=False, stop_on_error=False)
            reply = self.wait_for_reply(msg_id)
        except DeadKernelError:
            self._stopped = f"the kernel died after test cell {grade_id}"
            return
        finally:
            self.timeout = self._cell_timeout
        status = (reply or {}).get("content", {}).get("status")
        if status != "ok":
            self.log.warning("Could not restore the functions test cell %s substituted (%s)",
                             grade_id, status or "no answer in time")

    def _drop_results_of_tests(self, cell):
        """nbgrader reads a number shown by a test cell as partial credit. The course's tests
        pass or fail, so such a number can only come from the submission (a display hook):
        it is dropped, and the test is scored on its errors alone."""
        if is_test_cell(cell):
            kept = [o for o in cell.outputs if o.get("output_type") != "execute_result"]
            if len(kept) < len(cell.outputs):
                self.log.warning("Dropped a result shown by test cell %s (not partial credit)",
                                 cell.metadata["nbgrader"].get("grade_id"))
                cell.outputs = kept

    def _notice(self, cell, name, message):
        """A notice from the grader: shown in the cell, and recorded where feedback trusts it."""
        cell.outputs.append(self._error(name, message))
        cell.metadata.setdefault(METADATA_KEY, {}).setdefault("notices", []).append(message)

    async def _async_handle_timeout(self, timeout, cell=None):
        """Interrupt at the time limit; a kernel that does not answer soon after is killed."""
        reply = await super()._async_handle_timeout(timeout, cell)
        try:
            await ensure_async(self.kc.shell_channel.get_msg(timeout=self.kill_after_interrupt))
        except Empty:
            self._killed = (
                f"This cell ran past its time limit of {timeout} s and did not stop when "
                f"interrupted, so the grader stopped its kernel (and every process it "
                "started). Grades of earlier cells are kept.")
            self.log.warning("Killing a kernel that ignored the interrupt at its time limit")
            await ensure_async(self.km.shutdown_kernel(now=True))
            raise DeadKernelError("killed after ignoring the interrupt") from None
        return reply

    def _update_display_id(self, display_id, msg):
        if self._hidden_from is not None:  # outputs feedback may show are final by now
            targets = self._display_id_map.get(display_id, {})
            for index in [i for i in targets if i < self._hidden_from]:
                del targets[index]
        super()._update_display_id(display_id, msg)

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
            notice = (f"[The grader stopped this cell: its output passed "
                      f"{self.max_output_bytes:,} bytes.]")
            outs.append(new_output("stream", name="stdout", text=f"\n{notice}\n"))
            self.nb.cells[cell_index].metadata.setdefault(METADATA_KEY, {}).setdefault(
                "notices", []).append(notice)
            asyncio.ensure_future(self._interrupt())
        return None

    async def _interrupt(self):
        result = self.km.interrupt_kernel()
        if asyncio.iscoroutine(result):
            await result

    @staticmethod
    def _error(name, message):
        return new_output("error", ename=name, evalue=message, traceback=[f"{name}: {message}"])
