"""Print how long each solution notebook takes to run headless, beside a bare kernel start.

The difference is what the course itself costs a student (and the grader) per lesson.
Run it with the course's environment: `.venv/bin/python benchmarks/notebook_runtime.py`.
"""
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import start_new_kernel
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
REPEATS = 3


def bare_kernel_seconds():
    """Start a kernel, run one empty cell, shut it down."""
    started = time.perf_counter()
    manager, client = start_new_kernel(kernel_name="python3")
    client.execute_interactive("pass", timeout=60)
    client.stop_channels()
    manager.shutdown_kernel(now=True)
    return time.perf_counter() - started


def notebook_seconds(path):
    """Run a copy of the notebook's folder, so nothing is written into the course."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / path.parent.name
        shutil.copytree(path.parent, copy)
        notebook = nbformat.read(str(copy / path.name), as_version=4)
        started = time.perf_counter()
        NotebookClient(notebook, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(copy)}}).execute()
        return time.perf_counter() - started


def main():
    floor = statistics.median(bare_kernel_seconds() for _ in range(REPEATS))
    print(f"{'notebook':45s} {'median s':>9s} {'above bare kernel':>18s}")
    print(f"{'(bare kernel: start, one cell, stop)':45s} {floor:9.2f} {0:18.2f}")
    for path in sorted((ROOT / "solutions").glob("*/*.ipynb")):
        seconds = statistics.median(notebook_seconds(path) for _ in range(REPEATS))
        print(f"{str(path.relative_to(ROOT)):45s} {seconds:9.2f} {seconds - floor:18.2f}")


if __name__ == "__main__":
    main()
