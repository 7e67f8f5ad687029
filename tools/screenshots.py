"""Screenshots of the bundled example reports for the documentation.

Renders the HTML report of the DB12 example assessment (Chinese) and of a
bcgrading test vector in headless Chromium, at a narrow (800 px) and a
wide (1280 px) window, and writes PNGs to docs/_static/.  Run it again
whenever the report's content or styles change:

    python3 tools/screenshots.py

Needs the report extra (``pip install -e '.[report]'``), the bundled packs
installed, and Chromium (``python3 tools/system_deps.py``).  Each PNG must
stay under 300 KB.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

import maturity_core as mc
import maturity_core.testing


ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "_static"
WIDTHS = (800, 1280)
HEIGHT = 1000
LIMIT = 300_000


def reports() -> dict[str, mc.report.Report]:
    db12 = mc.load_pack("db12t1073")
    example = mc.Assessment.from_path(ROOT / "examples" / "db12t1073-discrete.json")
    bc = mc.load_pack("bcgrading")
    vector = next(iter(mc.testing.iter_vectors(bc)))
    return {
        "report-db12t1073": mc.report.build_report(db12, mc.score(db12, example)),
        "report-bcgrading": mc.report.build_report(
            bc, mc.testing.run_vector(bc, vector).result
        ),
    }


def shoot(chromium: str, page: Path, width: int, work: Path) -> bytes:
    shot = work / "shot.png"
    subprocess.run(
        [
            chromium, "--headless", "--no-sandbox", "--disable-gpu",
            "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync",
            "--hide-scrollbars", f"--user-data-dir={work / 'profile'}",
            f"--window-size={width},{HEIGHT}", "--virtual-time-budget=10000",
            f"--screenshot={shot}", page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )  # fmt: skip
    return shot.read_bytes()


def small_png(png: bytes) -> bytes:
    """The image recompressed, its colours kept (the chart's lines)."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def main() -> int:
    chromium = next(
        (p for n in ("chromium", "chromium-browser", "google-chrome")
         if (p := shutil.which(n))),
        None,
    )  # fmt: skip
    if chromium is None:
        sys.exit("screenshots need Chromium: python3 tools/system_deps.py")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name, report in reports().items():
            page = work / f"{name}.html"
            page.write_text(mc.report.to_html(report), "utf-8")
            for width in WIDTHS:
                png = small_png(shoot(chromium, page, width, work))
                target = OUT / f"{name}-{width}.png"
                target.write_bytes(png)
                print(f"{target.relative_to(ROOT)}: {len(png)} bytes")
                if len(png) > LIMIT:
                    sys.exit(f"{target} is over {LIMIT} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
