"""An nbgrader Execute step that survives what a submission can do to its kernel.

Stock nbgrader drops a whole submission when its kernel dies. This step instead records
what happened in the cell where it happened, marks every later cell as not run (so those
tests score 0 rather than pass), and keeps the grades earned before. It also caps memory
(the kernel runs under an address-space limit), output per cell, and time per notebook.
"""
import asyncio
import sys
import time

from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import DeadKernelError
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from traitlets import Integer


class LimitedKernelManager(AsyncKernelManager):
    """Starts the kernel under an address-space limit, so runaway memory fails in the kernel."""

    memory_limit_mb = Integer(
        4096, help="Address-space limit for a grading kernel, in MiB (0: none).").tag(config=True)

    def format_kernel_cmd(self, extra_arguments=None):
        command = super().format_kernel_cmd(extra_arguments)
        if self.memory_limit_mb <= 0:
            return command
        return [sys.executable, "-m", "course.grading.limit_memory",
                str(self.memory_limit_mb), "--", *command]


class GuardedExecute(Execute):
    """Execute with a kernel-death record, an output cap and a time budget per notebook."""

    notebook_timeout = Integer(
        600, help="Seconds for a whole notebook; cells after the budget are not run.").tag(config=True)
    max_output_bytes = Integer(
        1_000_000, help="Output kept per cell; past it the cell is interrupted.").tag(config=True)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", LimitedKernelManager)
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
        limit = LimitedKernelManager(config=self.config).memory_limit_mb
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
