"""Real headless Chromium for tests: find it, and measure a page in it.

Under ``CI=true`` a missing browser fails the test; elsewhere the test is
skipped with the reason (``python3 tools/system_deps.py`` installs it).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest


#: Appended to a copy of the page under test: once the page and its
#: fonts have loaded, write what the tests measure into the DOM.
_PROBE = """<script>
window.addEventListener("load", async () => {
  await document.fonts.ready;
  const out = document.createElement("pre");
  out.id = "probe";
  out.textContent = JSON.stringify({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    fonts: [...document.fonts].map(f => [f.family, f.status]),
  });
  document.body.append(out);
});
</script>"""


def chromium() -> str:
    """The Chromium executable, or skip (fail under CI) without one."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CI"):
        pytest.fail("CI must provide Chromium (tools/system_deps.py)")
    pytest.skip(
        "Chromium is not installed here; `python3 tools/system_deps.py` "
        "installs it (CI always runs this test)"
    )


def flags(tmp_path: Path, width: int, height: int) -> list[str]:
    """Headless flags: no network, a fresh profile, the window size."""
    return [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        f"--window-size={width},{height}", "--virtual-time-budget=10000",
    ]  # fmt: skip


def measure(page: str, tmp_path: Path, width: int) -> dict:
    """Load *page* at *width* CSS pixels; its widths and font states."""
    path = tmp_path / f"probe-{width}.html"
    path.write_text(page.replace("</body>", _PROBE + "</body>", 1), "utf-8")
    dom = subprocess.run(
        [chromium(), *flags(tmp_path, width, 900), "--dump-dom",
         path.as_uri()],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout  # fmt: skip
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.DOTALL)
    assert found, "the probe did not run"
    return json.loads(found[1].replace("&quot;", '"').replace("&amp;", "&"))
