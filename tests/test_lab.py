"""The README's JupyterLab command really serves the course."""
import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

from support import LESSONS, ROOT, notebook_of


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url):
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.load(response)


@pytest.mark.slow
def test_lab_command_serves_the_lessons(tmp_path):
    port, token = free_port(), secrets.token_hex(16)
    settings = tmp_path / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        '{"fetchNews": "false", "checkForUpdates": false}')
    server = subprocess.Popen(
        ["bash", "scripts/lab.sh", "--no-browser", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
         f"--IdentityProvider.token={token}"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "settings")},
        start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                get(f"{base}/api/status?token={token}")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "JupyterLab did not answer within 120 s"
                time.sleep(0.5)
        listing = get(f"{base}/api/contents?token={token}")
        assert sorted(item["name"] for item in listing["content"]) == LESSONS
        lesson = LESSONS[0]
        path = f"{lesson}/{notebook_of(lesson).name}"
        notebook = get(f"{base}/api/contents/{path}?token={token}")
        sources = "".join("".join(c["source"]) for c in notebook["content"]["cells"])
        assert "raise NotImplementedError()" in sources and "BEGIN SOLUTION" not in sources
        assert "python3" in get(f"{base}/api/kernelspecs?token={token}")["kernelspecs"]
        with urllib.request.urlopen(f"{base}/lab?token={token}", timeout=5) as page:
            assert page.status == 200
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    assert server.returncode is not None
