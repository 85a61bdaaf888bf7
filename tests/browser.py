"""A real JupyterLab on loopback and Debian's Chromium driven by Playwright, as a student uses them."""
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.support import reserved_port

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-output" / "browser"
# Chromium's background services try to reach Google; this machine's network refuses them.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
LAB_SETTINGS = {
    # The "get notified about Jupyter news?" pop-up would cover the page.
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
    # Every cell stays in the page, so a test can read any cell's prompt and output.
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


class Lab:
    """`jupyter lab` serving `root` on 127.0.0.1 with a token of its own; stop() ends it all."""

    def __init__(self, root, settings, launcher=None, lab_settings=LAB_SETTINGS):
        """`launcher` starts JupyterLab on `root` (default: this Python's `jupyter lab`); the
        loopback address, a reserved port and a token of its own are added to it. `lab_settings`
        are written as the user's JupyterLab settings (none: a student's first start)."""
        self.root, self.port, self.token = Path(root), reserved_port(), secrets.token_hex(16)
        for name, values in lab_settings.items():
            path = Path(settings) / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        Path(settings).mkdir(parents=True, exist_ok=True)
        self.log_path = Path(settings) / "jupyter-lab.log"
        self.log = open(self.log_path, "w")
        if launcher is None:
            launcher = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={self.root}"]
            if os.geteuid() == 0:
                launcher.append("--allow-root")
        command = [*launcher, "--no-browser", "--ServerApp.ip=127.0.0.1",
                   f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
                   f"--IdentityProvider.token={self.token}"]
        bin_dir = str(Path(sys.executable).parent)
        self.process = subprocess.Popen(
            command, cwd=self.root, stdout=self.log, stderr=subprocess.STDOUT,
            env={**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(settings),
                 "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")},
            start_new_session=True)
        self.url = f"http://127.0.0.1:{self.port}"
        self._wait_until_ready()

    def _wait_until_ready(self, seconds=120):
        deadline = time.monotonic() + seconds
        while True:
            try:
                with urllib.request.urlopen(self.api("status"), timeout=5):
                    return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("JupyterLab did not start; its log:\n" + self.read_log())
                time.sleep(0.5)

    def api(self, path):
        return f"{self.url}/api/{path}?token={self.token}"

    def page_url(self, path=""):
        # reset: open only this document, not the tabs the last test left in the workspace
        where = f"/tree/{path}" if path else ""
        return f"{self.url}/lab{where}?reset&token={self.token}"

    def read_log(self):
        return self.log_path.read_text()

    def stop(self):
        """End the server and every kernel it started (they share its process group)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # kernels left in the group
        except ProcessLookupError:
            pass
        self.log.close()


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


# JavaScript run in the page --------------------------------------------------------------

ALL_CELLS_RAN = """() => {
    const NOTEBOOK = '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook';
    const prompts = [...document.querySelectorAll(`${NOTEBOOK} .jp-CodeCell .jp-InputPrompt`)];
    return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
}"""

CELL_RAN = """(index) => {
    const NOTEBOOK = '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook';
    const cell = document.querySelectorAll(`${NOTEBOOK} .jp-Cell`)[index];
    const prompt = cell.querySelector('.jp-InputPrompt');
    return !cell.classList.contains('jp-CodeCell') || /\\[\\d+\\]/.test(prompt.textContent);
}"""

# What a widget shows, leaving out the controls' own read-outs.
WIDGET_DRAWING = """(area) => {
    const images = [...area.querySelectorAll('img')].map(i => i.src);
    const texts = [...area.querySelectorAll('.widget-html, .widget-label, .widget-textarea, pre')]
        .filter(e => !e.closest('.widget-readout')).map(e => e.innerText);
    return JSON.stringify([images, texts]);
}"""


class Notebook:
    """One notebook open in JupyterLab in a Playwright page."""

    def __init__(self, page, lab, path):
        self.page, self.lab, self.path = page, lab, path
        page.goto(lab.page_url(path))
        page.wait_for_selector("#jupyterlab-splash", state="detached", timeout=60_000)
        self.cells.first.wait_for(timeout=60_000)
        self.wait_for_idle_kernel()

    @property
    def panel(self):
        return self.page.locator(".jp-NotebookPanel:visible")

    @property
    def cells(self):
        return self.panel.locator(".jp-Notebook .jp-Cell")

    def wait_for_idle_kernel(self, timeout=60_000):
        self.page.wait_for_selector("#jp-main-statusbar >> text=Idle", timeout=timeout)

    def run_all(self, timeout=300_000):
        """Run > Run All Cells, then wait until every code cell has its execution count."""
        self.page.click("text=Run", timeout=10_000)
        self.page.click(".lm-Menu-item:has-text('Run All Cells')")
        self.page.wait_for_function(ALL_CELLS_RAN, timeout=timeout)
        self.wait_for_idle_kernel()

    def run_cell_by_cell(self, timeout_per_cell=120_000):
        """Shift+Enter through every cell, waiting for each: unlike Run All, an error in one
        cell does not keep the later cells from running (as a student working along does)."""
        count = self.cells.count()
        self.cells.first.click(position={"x": 2, "y": 2})
        self.page.keyboard.press("Escape")
        for index in range(count):
            self.page.keyboard.press("Shift+Enter")
            self.page.wait_for_function(CELL_RAN, arg=index, timeout=timeout_per_cell)
        self.wait_for_idle_kernel()

    def save(self):
        self.page.keyboard.press("Control+s")
        self.page.wait_for_function(
            "() => !document.querySelector('.jp-NotebookPanel-toolbar .jp-mod-dirty')",
            timeout=30_000)
        time.sleep(0.5)

    def widget_areas(self):
        """The output areas that hold a rendered widget."""
        return self.panel.locator(".jp-OutputArea-output:has(.jupyter-widgets)")

    def drawing(self, area):
        return area.evaluate(WIDGET_DRAWING)

    def move_slider(self, area, timeout=20):
        """Move the first slider in `area` by one step (back if it sits at its end) and wait for
        the kernel to redraw. Returns True when what the widget shows changed."""
        before = self.drawing(area)
        handle = area.locator(".widget-slider .noUi-handle").first
        for key in ("ArrowRight", "ArrowLeft", "ArrowLeft"):
            handle.focus()
            self.page.keyboard.press(key)
            deadline = time.monotonic() + timeout / 3
            while time.monotonic() < deadline:
                if self.drawing(area) != before:
                    self._wait_until_still(area)
                    return True
                time.sleep(0.2)
        return False

    def _wait_until_still(self, area, quiet=1.0, timeout=20):
        """Wait until what `area` shows stops changing (text and picture arrive apart)."""
        last, since, deadline = self.drawing(area), time.monotonic(), time.monotonic() + timeout
        while time.monotonic() - since < quiet and time.monotonic() < deadline:
            time.sleep(0.2)
            now = self.drawing(area)
            if now != last:
                last, since = now, time.monotonic()

    def validate(self, timeout=180_000):
        """Press nbgrader's Validate button; return ("success" or "failed", the dialog's text)."""
        self.panel.locator(".jp-ToolbarButtonComponent-label", has_text="Validate").click()
        message = self.page.locator("#validation-message")
        message.wait_for(timeout=timeout)
        classes = message.get_attribute("class") or ""
        outcome = ("success" if "validation-success" in classes else
                   "failed" if "validation-failed" in classes else "error")
        text = message.inner_text()
        self.page.locator(".jp-Dialog-footer button").last.click()
        message.wait_for(state="detached")
        return outcome, text
