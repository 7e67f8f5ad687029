"""Install the system programs the test suite uses for real.

Chromium (headless) renders the HTML report in tests, and WeasyPrint,
which prints PDF reports, loads the Pango library. On Debian or Ubuntu as
root this installs the distribution's packages; elsewhere it says what to
install and exits 0, and the tests that need a browser are skipped with
that reason (under CI they fail instead).

    python3 tools/system_deps.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from ctypes.util import find_library


PACKAGES = {"chromium": "chromium"}
LIBRARIES = {"pango-1.0": "libpango-1.0-0", "pangoft2-1.0": "libpangoft2-1.0-0"}


def main() -> int:
    missing = [pkg for cmd, pkg in PACKAGES.items() if not shutil.which(cmd)]
    missing += [pkg for lib, pkg in LIBRARIES.items() if not find_library(lib)]
    if not missing:
        print("system dependencies: present")
        return 0
    can_install = shutil.which("apt-get") and os.geteuid() == 0
    if not can_install:
        print(
            "system dependencies: install "
            + ", ".join(missing)
            + " with your package manager to run the browser and PDF tests",
            file=sys.stderr,
        )
        return 0
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
        check=True,
        env=env,
    )
    print("system dependencies: installed " + ", ".join(missing))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
