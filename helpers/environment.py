"""A plain-words check that this kernel has what the course needs."""
import importlib.metadata
import sys

# What each lesson needs, with the version the course is tested with.
REQUIRED = {
    "numpy": None,
    "matplotlib": None,
    "ipywidgets": "8.1",
    "torch": "2.13.0",
}
SETUP_HINT = (
    "From the course folder run `bash scripts/lab.sh`: it installs everything into the "
    "course's own environment and opens JupyterLab with the right kernel."
)


def problems():
    """A list of plain sentences, one per thing that is missing or wrong."""
    found = []
    if not (3, 11) <= sys.version_info[:2] <= (3, 13):
        found.append(f"This kernel runs Python {sys.version.split()[0]}; the course needs "
                     "Python 3.11, 3.12 or 3.13.")
    for package, version in REQUIRED.items():
        try:  # read the installed version without importing: importing torch takes seconds
            installed = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            found.append(f"The package `{package}` is not installed in this kernel.")
            continue
        if version and not installed.startswith(version):
            found.append(f"`{package}` is version {installed}; the course expects {version}.")
    try:
        importlib.metadata.version("jupyterlab_widgets")
    except importlib.metadata.PackageNotFoundError:
        found.append("The JupyterLab widgets extension (`jupyterlab_widgets`) is missing, "
                     "so sliders and buttons will show as plain text.")
    return found


def check_environment():
    """Print what is missing and how to fix it, or that everything is ready."""
    found = problems()
    if not found:
        print("Everything this course needs is installed. You are ready to go.")
        return True
    print("Some things this course needs are missing:")
    for problem in found:
        print(f"  - {problem}")
    print(SETUP_HINT)
    return False
