"""Where pip should get torch: prints PyTorch's CPU index when it should be used, else nothing
(pip's default index). Says on stderr what was chosen and why. Run by scripts/environment.sh.

    COURSE_TORCH=auto   (default) on Linux the CPU build from PyTorch's CPU index if it can be
                        reached, else the default index (on Linux x86-64: the CUDA build)
    COURSE_TORCH=cpu    the CPU build from PyTorch's CPU index, or stop with a message
    COURSE_TORCH=cuda   the default index: on Linux the CUDA build, for an NVIDIA GPU
    COURSE_TORCH_INDEX  another CPU index (a mirror); COURSE_TORCH_TIMEOUT seconds to wait for it
"""
import os
import platform
import re
import sys
import urllib.request

CPU_INDEX = "https://download.pytorch.org/whl/cpu"
# Measured from the wheels of torch 2.13.0 for Linux x86-64 (README, "What you download").
SIZE_NOTE = ("the CUDA build: about 2.7 GB to download and a 5 GB environment, "
             "instead of 0.3 GB and 1.4 GB for the CPU build")


def cpu_wheel_listed(index, version, timeout):
    """True when `index` lists torch `version`+cpu for this Python and machine; else the reason."""
    tag = f"cp{sys.version_info.major}{sys.version_info.minor}"
    wheel = re.compile(rf"torch-{re.escape(version)}\+cpu-{tag}-{tag}-\w*linux\w*_{platform.machine()}\.whl")
    page_url = f"{index.rstrip('/')}/torch/"
    if page_url.startswith("file:"):
        page_url += "index.html"  # a simple index on disk, as pip reads one
    try:
        with urllib.request.urlopen(page_url, timeout=timeout) as page:
            listing = page.read().decode("utf-8", "replace")
    except (OSError, ValueError) as error:
        return f"it cannot be reached ({getattr(error, 'reason', error)})"
    if not wheel.search(listing):
        return f"it has no torch {version}+cpu wheel for {tag} on {platform.machine()}"
    return True


def choose(version, environ=os.environ, system=None):
    """The index URL to install torch `version` from, or None for pip's default index."""
    choice = environ.get("COURSE_TORCH", "auto").lower()
    index = environ.get("COURSE_TORCH_INDEX", CPU_INDEX)
    if choice not in {"auto", "cpu", "cuda"}:
        sys.exit(f"COURSE_TORCH={choice} is not a choice: use auto, cpu or cuda.")
    if choice == "cuda":
        print("COURSE_TORCH=cuda: torch from pip's default index (on Linux, " + SIZE_NOTE + ").",
              file=sys.stderr)
        return None
    if (system or platform.system()) != "Linux":
        return None  # macOS and Windows: the default index's torch is the CPU build
    found = cpu_wheel_listed(index, version, float(environ.get("COURSE_TORCH_TIMEOUT", "10")))
    if found is True:
        print(f"torch {version}: the CPU build, from {index}", file=sys.stderr)
        return index
    if choice == "cpu":
        sys.exit(f"COURSE_TORCH=cpu asks for torch's CPU build from {index}, but {found}. "
                 "Check the network (or set COURSE_TORCH_INDEX to a mirror) and run again, "
                 "or unset COURSE_TORCH to accept pip's default index.")
    print(f"PyTorch's CPU index {index}: {found}.\n"
          f"Installing torch from pip's default index instead. On Linux x86-64 that is usually "
          f"{SIZE_NOTE}. To insist on the CPU build, set COURSE_TORCH=cpu and run again when "
          "the index can be reached.", file=sys.stderr)
    return None


if __name__ == "__main__":
    chosen = choose(sys.argv[1])
    print(chosen or "")
