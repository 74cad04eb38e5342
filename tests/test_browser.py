"""Notebook 3 in a real JupyterLab, driven in headless Chromium by Playwright.

Needs Debian's ``chromium`` (``/usr/bin/chromium``); ``.ci/run`` installs it.  Without it the
test is skipped, unless ``TOOLKIT_REQUIRE_BROWSER=1`` (set by CI) makes that a failure.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from toolkit import report

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def jupyterlab(tmp_path):
    if not Path(CHROMIUM).exists():
        if os.environ.get("TOOLKIT_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium is required but not found at {CHROMIUM}")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    root = tmp_path / "lab"
    # regular files and folders only (a running kernel may leave its sockets there)
    shutil.copytree(
        report.notebooks_dir(),
        root,
        ignore=lambda folder, names: [
            n for n in names if not (Path(folder, n).is_file() or Path(folder, n).is_dir())
        ],
    )
    # render every cell (JupyterLab otherwise renders only the cells in view)
    settings = tmp_path / "user-settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    news = tmp_path / "user-settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    env_mpl = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    # port 0: the server takes a free port itself and records it in its runtime file, so two
    # tests starting JupyterLab at once (parallel test processes) never share a port
    token = "toolkit-test-token"
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
            "--ServerApp.port=0",
            "--ServerApp.port_retries=0",
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
    deadline = time.time() + 60
    base = None
    while time.time() < deadline:
        if base is None:
            found = sorted((tmp_path / "runtime").glob(f"jpserver-{proc.pid}.json"))
            if found:
                try:
                    base = f"http://127.0.0.1:{json.loads(found[0].read_text())['port']}"
                except (ValueError, KeyError):
                    base = None  # written but not yet complete
            if base is None:
                time.sleep(0.5)
                continue
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


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _run_all_cells(page, shot: Path, timeout: int = 180_000) -> None:
    """Wait for the notebook and its kernel, run all cells, and wait until every code cell
    has an execution number (or one failed)."""
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=60_000)
    # wait for the kernel, then run all cells (the same command as Run ▸ Run All Cells)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
    page.wait_for_function("() => window.jupyterapp !== undefined", timeout=30_000)
    page.click(".jp-NotebookPanel .jp-Cell")  # make the notebook the current widget
    started = """() => [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]
                     .some(e => e.textContent.trim() !== '[ ]:')"""
    for _attempt in range(5):  # the command is ignored while the session still connects
        # started, not awaited: the command's promise settles only when every cell has run,
        # and page.evaluate has no time limit of its own
        page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
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
            timeout=timeout,
        )
    except Exception:
        page.screenshot(path=str(shot), full_page=False)
        prompts = page.eval_on_selector_all(
            ".jp-CodeCell .jp-InputArea-prompt", "els => els.map(e => e.textContent)"
        )
        status = page.eval_on_selector(".jp-Notebook-ExecutionIndicator", "e => e.dataset.status")
        pytest.fail(f"cells did not finish: prompts {prompts}, kernel {status}; see {shot}")


@pytest.mark.slow
def test_notebook_3_runs_in_jupyterlab(jupyterlab, tmp_path):
    from playwright.sync_api import sync_playwright

    base, token = jupyterlab
    url = f"{base}/lab/tree/03-keyword-in-context.ipynb?token={token}"
    shot = Path(os.environ.get("TOOLKIT_SCREENSHOT_DIR", tmp_path)) / "notebook-3.png"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url)
        _run_all_cells(page, shot)
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


def _reference_lines(corpus, word: str):
    """doc_id, left and right context (5 tokens) and R1 of every hit of ``word``, from
    tk.tokenize on each text (not the token index)."""
    import toolkit as tk

    lines = []
    for doc_id, text in zip(corpus.doc_ids, corpus.texts(), strict=True):
        toks = tk.tokenize(text)
        for i, t in enumerate(toks):
            if t.lower() == word:
                r1 = toks[i + 1] if i + 1 < len(toks) else ""
                lines.append((doc_id, toks[max(i - 5, 0) : i], t, toks[i + 1 : i + 6], r1))
    return lines


EXPLORE_NOTEBOOK = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "metadata": {},
            "outputs": [],
            "source": [
                "import toolkit as tk\n",
                "corpus = tk.load_sample()\n",
                'conc = tk.kwic(corpus, "nuclear", window=5)\n',
                'tk.explore(conc, columns=["country", "year"])',
            ],
        },
        {
            "cell_type": "code",
            "execution_count": None,
            "metadata": {},
            "outputs": [],
            "source": [
                'k = tk.keyness(corpus, by="country", target="RUS", reference="USA")\n',
                "tk.explore(k.head(500), bundle=False)",
            ],
        },
    ],
    "metadata": {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}


@pytest.mark.slow
def test_explore_in_jupyterlab(jupyterlab, tmp_path):
    """tk.explore in JupyterLab: every line, sort by R1, filter, a click opens the paragraph;
    the table fits a 1280 px window with the file browser open."""
    from playwright.sync_api import sync_playwright

    import toolkit as tk

    un = tk.load_sample()
    hits = len(tk.kwic(un, "nuclear"))  # the kernel then finds the token index cached
    reference = _reference_lines(un, "nuclear")
    assert len(reference) == hits
    base, token = jupyterlab
    (tmp_path / "lab" / "explore.ipynb").write_text(json.dumps(EXPLORE_NOTEBOOK))
    shots = tmp_path / "explore-shots"
    shots.mkdir()

    copy_to = os.environ.get("TOOLKIT_SCREENSHOT_DIR")

    def snap(page, name):
        page.screenshot(path=str(shots / name), full_page=False)
        if copy_to:
            shutil.copy(shots / name, Path(copy_to) / name)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/lab/tree/explore.ipynb?token={token}")
        t0 = time.monotonic()
        _run_all_cells(page, shots / "failed.png")
        print(f"cells ran in {time.monotonic() - t0:.1f} s", file=sys.stderr)
        page.evaluate("() => { window.jupyterapp.commands.execute('filebrowser:activate'); }")
        page.wait_for_selector(".jp-FileBrowser", state="visible", timeout=10_000)
        errors = page.locator("[data-mime-type='application/vnd.jupyter.stderr']")
        assert errors.count() == 0, errors.first.inner_text()[:3000]
        # both tables became interactive (the second one uses the library of the first)
        page.wait_for_function(
            "() => document.querySelectorAll('.tk-explore .dt-container').length === 2",
            timeout=30_000,
        )
        box = page.locator(".tk-explore").first
        box.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        snap(page, "1-concordance.png")
        info = box.locator(".dt-info")
        total = f"{len(reference):,}"
        assert f"of {total}" in info.inner_text()

        # not cut off: the table's box lies inside the notebook, the right context in view
        panel = page.locator(".jp-NotebookPanel").first.bounding_box()
        outer = box.bounding_box()
        assert outer["x"] + outer["width"] <= panel["x"] + panel["width"] + 1
        header = box.locator(".dt-scroll-head th")
        right = header.filter(has_text=re.compile(r"^right$")).bounding_box()
        assert right["x"] + right["width"] <= panel["x"] + panel["width"]
        # lines never wrap: every row is one line high
        heights = box.locator(".dt-scroll-body tbody tr").evaluate_all(
            "rows => rows.map(r => r.getBoundingClientRect().height)"
        )
        assert len(heights) == 25 and max(heights) < 1.6 * min(heights)

        # sort by R1: the first rows hold the smallest R1 words (case-insensitively)
        names = header.evaluate_all("ths => ths.map(t => t.textContent.trim())")
        assert names[:4] == ["left", "keyword", "right", "doc_id"]
        col = names.index("R1")
        header.nth(col).click()
        page.wait_for_timeout(300)
        rows = box.locator(".dt-scroll-body tbody tr")
        r1 = rows.evaluate_all(f"rs => rs.map(r => r.cells[{col}].textContent)")
        expected = sorted((line[4] for line in reference), key=str.lower)[: len(r1)]
        assert [w.lower() for w in r1] == [w.lower() for w in expected]
        snap(page, "2-sorted-by-R1.png")

        # filter: only lines with the word remain, and the count says how many
        word = "testing"
        matching = [
            line
            for line in reference
            if word in " ".join([line[0], *line[1], line[2], *line[3]]).lower()
        ]
        assert 0 < len(matching) < len(reference)
        box.locator(".dt-search input").fill(word)
        page.wait_for_timeout(500)
        texts = rows.evaluate_all("rs => rs.map(r => r.textContent.toLowerCase())")
        assert texts and all(word in t for t in texts)
        assert len(texts) == min(25, len(matching))
        assert f"of {len(matching):,} (filtered from {total})" in info.inner_text()
        snap(page, "3-filtered.png")

        # a click on a line shows its paragraph, the keyword highlighted
        first = rows.first
        doc_id = first.evaluate("r => r.cells[3].textContent")
        first.click()
        para = box.locator(".tk-para").first
        para.wait_for(state="visible", timeout=5_000)
        assert para.locator("mark.tk-hit").inner_text().lower() == "nuclear"
        shown = para.inner_text().split(":", 1)[1].replace("…", " ")
        text = " ".join(un.text(doc_id).split())
        assert all(piece in text for piece in [" ".join(shown.split())])
        pbox = para.bounding_box()
        assert pbox["x"] + pbox["width"] <= panel["x"] + panel["width"]
        snap(page, "4-paragraph.png")

        # the keyness table: sortable, numbers rounded to 3 decimals
        table2 = page.locator(".tk-explore").nth(1)
        table2.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        cells = table2.locator(".dt-scroll-body tbody tr").first.evaluate(
            "r => [...r.cells].map(c => c.textContent)"
        )
        assert any(re.fullmatch(r"-?[\d,]+\.\d{3}", c) for c in cells), cells
        snap(page, "5-keyness.png")
        browser.close()
    assert (shots / "4-paragraph.png").stat().st_size > 10_000
