"""Print how long each solution notebook takes to run headless, beside a bare kernel start.

The difference is what the course itself costs a student (and the grader) per lesson. Wall
time swings with whatever else the machine runs; the kernel's CPU time (user + system, counted
once the kernel has exited) hardly does, so both are printed.
Run it with the course's environment: `.venv/bin/python -m benchmarks.notebook_runtime`
(`--repeats N`, default 3; name lessons to time only those: `... 04-optimizers`).
"""
import argparse
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import start_new_kernel
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def children_cpu_seconds():
    """User + system CPU time of this process's children that have exited (the kernels)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bare_kernel_seconds():
    """Start a kernel, run one empty cell, shut it down: (wall, kernel CPU) seconds."""
    started, cpu = time.perf_counter(), children_cpu_seconds()
    manager, client = start_new_kernel(kernel_name="python3")
    client.execute_interactive("pass", timeout=60)
    client.stop_channels()
    manager.shutdown_kernel(now=True)
    return time.perf_counter() - started, children_cpu_seconds() - cpu


def notebook_seconds(path):
    """Run a copy of the notebook's folder, so nothing is written into the course:
    (wall, kernel CPU) seconds."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / path.parent.name
        shutil.copytree(path.parent, copy)
        notebook = nbformat.read(str(copy / path.name), as_version=4)
        started, cpu = time.perf_counter(), children_cpu_seconds()
        NotebookClient(notebook, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(copy)}}).execute()
        return time.perf_counter() - started, children_cpu_seconds() - cpu


def medians(runs):
    return tuple(statistics.median(run[i] for run in runs) for i in range(2))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lessons", nargs="*", help="lesson folders to time (default: all)")
    parser.add_argument("--repeats", type=int, default=3)
    options = parser.parse_args()
    floor = medians([bare_kernel_seconds() for _ in range(options.repeats)])
    print(f"{'notebook':45s} {'median s':>9s} {'above bare kernel':>18s} {'kernel CPU s':>13s}")
    print(f"{'(bare kernel: start, one cell, stop)':45s} {floor[0]:9.2f} {0:18.2f} {floor[1]:13.2f}")
    for path in sorted((ROOT / "solutions").glob("*/*.ipynb")):
        if options.lessons and path.parent.name not in options.lessons:
            continue
        wall, cpu = medians([notebook_seconds(path) for _ in range(options.repeats)])
        print(f"{str(path.relative_to(ROOT)):45s} {wall:9.2f} {wall - floor[0]:18.2f} {cpu:13.2f}")


if __name__ == "__main__":
    main()
