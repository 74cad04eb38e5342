"""Notebook 3 in a real JupyterLab, driven in headless Chromium by Playwright.

Needs Debian's ``chromium`` (``/usr/bin/chromium``); ``.ci/run`` installs it.  Without it the
test is skipped, unless ``TOOLKIT_REQUIRE_BROWSER=1`` (set by CI) makes that a failure.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from toolkit import report

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def jupyterlab(tmp_path):
    if not Path(CHROMIUM).exists():
        if os.environ.get("TOOLKIT_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium is required but not found at {CHROMIUM}")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    root = tmp_path / "lab"
    shutil.copytree(report.notebooks_dir(), root)
    # render every cell (JupyterLab otherwise renders only the cells in view)
    settings = tmp_path / "user-settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    news = tmp_path / "user-settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    env_mpl = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    port, token = _free_port(), "toolkit-test-token"
    env = dict(
        env_mpl,
        JUPYTER_CONFIG_DIR=str(tmp_path / "cfg"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--allow-root",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root}",
            f"--LabApp.user_settings_dir={tmp_path / 'user-settings'}",
            "--LabApp.news_url=None",
            "--LabApp.expose_app_in_browser=True",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "lab.log", "w"),
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("JupyterLab did not start:\n" + (tmp_path / "lab.log").read_text()[-3000:])
    yield base, token
    proc.terminate()
    proc.wait(timeout=20)


@pytest.mark.slow
def test_notebook_3_runs_in_jupyterlab(jupyterlab, tmp_path):
    from playwright.sync_api import sync_playwright

    base, token = jupyterlab
    url = f"{base}/lab/tree/03-keyword-in-context.ipynb?token={token}"
    shot = Path(os.environ.get("TOOLKIT_SCREENSHOT_DIR", tmp_path)) / "notebook-3.png"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url)
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=60_000)
        # wait for the kernel, then run all cells (the same command as Run ▸ Run All Cells)
        page.wait_for_selector(
            ".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000
        )
        page.wait_for_function("() => window.jupyterapp !== undefined", timeout=30_000)
        page.click(".jp-NotebookPanel .jp-Cell")  # make the notebook the current widget
        started = """() => [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]
                         .some(e => e.textContent.trim() !== '[ ]:')"""
        for _attempt in range(5):  # the command is ignored while the session still connects
            page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
            try:
                page.wait_for_function(started, timeout=10_000)
                break
            except Exception:
                continue
        # done when every code cell has an execution number ("[n]:"), or a cell failed
        try:
            page.wait_for_function(
                """() => {
                    const err = document.querySelector(
                        "[data-mime-type='application/vnd.jupyter.stderr']");
                    if (err && err.textContent.includes('Error')) return true;
                    const prompts = [...document.querySelectorAll(
                        '.jp-CodeCell .jp-InputArea-prompt')].map(e => e.textContent.trim());
                    return prompts.length > 0 && prompts.every(t => /^\\[\\d+\\]:$/.test(t));
                }""",
                timeout=180_000,
            )
        except Exception:
            page.screenshot(path=str(shot), full_page=False)
            prompts = page.eval_on_selector_all(
                ".jp-CodeCell .jp-InputArea-prompt", "els => els.map(e => e.textContent)"
            )
            status = page.eval_on_selector(
                ".jp-Notebook-ExecutionIndicator", "e => e.dataset.status"
            )
            pytest.fail(f"cells did not finish: prompts {prompts}, kernel {status}; see {shot}")
        page.wait_for_timeout(1000)
        page.screenshot(path=str(shot), full_page=False)
        errors = page.locator(
            ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
            ":has-text('Error')"
        )
        assert errors.count() == 0, errors.first.inner_text()[:3000]
        conc = page.locator(".jp-OutputArea-output table.tk-conc")
        assert conc.count() >= 1, "no concordance table was rendered"
        assert conc.first.locator("mark").count() > 0  # keywords highlighted
        assert page.locator(".jp-OutputArea-output img").count() >= 1, "no figure rendered"
        conc.first.scroll_into_view_if_needed()
        page.screenshot(path=str(shot), full_page=False)
        browser.close()
    assert shot.stat().st_size > 10_000
