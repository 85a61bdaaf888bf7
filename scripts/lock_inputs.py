"""Print the digest of what requirements/lock.txt is made from: pyproject.toml's Python range,
dependencies and extras. scripts/lock.sh writes it into the lock's header; a test compares."""
import hashlib
import json
import sys
import tomllib
from pathlib import Path

HEADER = "# pyproject inputs sha256: "


def inputs_digest(pyproject):
    project = tomllib.loads(Path(pyproject).read_text())["project"]
    inputs = {key: project.get(key) for key in
              ("requires-python", "dependencies", "optional-dependencies")}
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


if __name__ == "__main__":
    print(HEADER + inputs_digest(sys.argv[1] if len(sys.argv) > 1 else "pyproject.toml"))
