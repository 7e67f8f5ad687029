"""run() is re-entrant: each call writes only to its own streams."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor

from maturity_core import cli


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = cli.run(argv, stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def test_a_run_leaves_no_streams_behind():
    """After a run, a later run's usage error goes to the later streams."""
    first = _run(["score"])
    second = _run(["template"])

    assert (2, 2) == (first[0], second[0])
    assert "template" in second[2]
    assert "template" not in first[2]


def test_help_goes_to_the_run_s_own_stdout():
    """--help writes to the stdout passed to run(), nothing to stderr."""
    status, out, err = _run(["--help"])

    assert (0, "") == (status, err)
    assert out.startswith("usage: maturity")


def test_concurrent_runs_keep_their_output_apart():
    """Runs in threads each see only their own usage messages."""
    argvs = [["score"], ["template"], ["plan"], ["compare"]] * 8

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(_run, argvs))

    assert [] == [
        (argv, err)
        for argv, (_, _, err) in zip(argvs, results, strict=True)
        if f"maturity {argv[0]}:" not in err
        or any(
            f"maturity {other}:" in err
            for other in ("score", "template", "plan", "compare")
            if other != argv[0]
        )
    ]
