"""Without --format, the output file's suffix chooses the format."""

from __future__ import annotations

import io
import json
from pathlib import Path

from maturity_core import cli


EXAMPLE = Path(__file__).parent.parent / "examples" / "db12t1073-discrete.json"


def _run(*argv: object) -> int:
    out, err = io.StringIO(), io.StringIO()
    return cli.run([str(a) for a in argv], stdout=out, stderr=err)


def test_report_to_an_html_file_is_html(tmp_path):
    """report -o report.html writes the HTML page, not Markdown."""
    target = tmp_path / "report.html"

    assert 0 == _run("report", EXAMPLE, "-o", target)
    assert target.read_text(encoding="utf-8").startswith("<!doctype html>")


def test_score_to_a_json_file_is_json(tmp_path):
    """score -o result.json writes the JSON result."""
    target = tmp_path / "result.json"

    assert 0 == _run("score", EXAMPLE, "-o", target)
    assert "170795803/75000000" == json.loads(target.read_text())["score"]


def test_an_explicit_format_wins_over_the_suffix(tmp_path):
    """--format md -o report.html writes Markdown as asked."""
    target = tmp_path / "report.html"

    assert 0 == _run("report", EXAMPLE, "--format", "md", "-o", target)
    assert not target.read_text(encoding="utf-8").startswith("<!doctype")


def test_an_abbreviated_format_option_counts_as_given(tmp_path):
    """--form md (an abbreviation argparse accepts) also wins."""
    target = tmp_path / "report.html"

    assert 0 == _run("report", EXAMPLE, "--form=md", "-o", target)
    assert not target.read_text(encoding="utf-8").startswith("<!doctype")


def test_a_suffix_the_command_does_not_offer_keeps_the_default(tmp_path):
    """report -o report.txt writes the default Markdown."""
    target = tmp_path / "report.txt"

    assert 0 == _run("report", EXAMPLE, "-o", target)
    assert target.read_text(encoding="utf-8").startswith('<a id="cover">')
