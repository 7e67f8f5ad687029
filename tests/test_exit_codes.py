"""Exit codes follow one rule, for every command.

0: success.  1: an input is invalid -- a file, a pack, or a name that must
be found in one (a pack id, a profile).  2: the command line is wrong -- a
missing or unknown argument, a value outside its choices or range, or an
output that would replace one of the command's inputs.
"""

from __future__ import annotations

import argparse
import io
import shutil
from pathlib import Path

import pytest

from maturity_core import cli


EXAMPLE = Path(__file__).parents[1] / "examples" / "db12t1073-discrete.json"

OK, INVALID, USAGE = 0, 1, 2
M = "missing.json"

TABLE = [
    # packs
    (USAGE, ["packs", "--format", "nope"]),
    (OK, ["packs"]),
    # template
    (USAGE, ["template"]),
    (INVALID, ["template", "no-such-pack"]),
    (INVALID, ["template", "db12t1073", "--profile", "nope"]),
    (OK, ["template", "db12t1073"]),
    # score
    (USAGE, ["score"]),
    (INVALID, ["score", M]),
    (INVALID, ["score", "a.json", "--profile", "nope"]),
    (USAGE, ["score", "a.json", "-o", "a.json"]),
    (OK, ["score", "a.json"]),
    # validate
    (USAGE, ["validate"]),
    (INVALID, ["validate", M]),
    (OK, ["validate", "a.json"]),
    # batch
    (USAGE, ["batch"]),
    (INVALID, ["batch", M, "--pack", "db12t1073", "--out", "out.csv"]),
    # crosswalk
    (USAGE, ["crosswalk", "a.json"]),
    (INVALID, ["crosswalk", M, "--to", "gbt39116"]),
    (
        USAGE,
        ["crosswalk", "p.csv", "--to", "gbt39116", "--out", "c.csv"],
    ),
    # synth
    (USAGE, ["synth", "db12t1073"]),
    (INVALID, ["synth", "no-such-pack", "--rows", "1", "--out", "p.csv"]),
    (USAGE, ["synth", "db12t1073", "--rows", "1", "--out", "p.txt"]),
    # population
    (USAGE, ["population", "p.csv"]),
    (INVALID, ["population", "missing.csv", "--pack", "db12t1073"]),
    # group
    (USAGE, ["group"]),
    (INVALID, ["group", M]),
    # status
    (USAGE, ["status"]),
    (INVALID, ["status", M]),
    # verify
    (USAGE, ["verify", "r.json"]),
    (INVALID, ["verify", M, "a.json"]),
    # pack and its tools
    (USAGE, ["pack"]),
    (USAGE, ["pack", "new"]),
    (INVALID, ["pack", "new", "Bad Id!"]),
    (USAGE, ["pack", "check"]),
    (INVALID, ["pack", "check", "nodir"]),
    (USAGE, ["pack", "doc"]),
    (INVALID, ["pack", "doc", "no-such-pack"]),
    (USAGE, ["pack", "diff", "db12t1073"]),
    (INVALID, ["pack", "diff", "no-such-pack", "db12t1073"]),
    # report
    (USAGE, ["report"]),
    (INVALID, ["report", M]),
    (USAGE, ["report", "a.json", "--target", "9"]),
    (USAGE, ["report", "a.json", "--target", "-1"]),
    (USAGE, ["report", "a.json", "-o", "a.json"]),
    # plan
    (USAGE, ["plan"]),
    (INVALID, ["plan", M]),
    (USAGE, ["plan", "a.json", "--target", "9"]),
    (USAGE, ["plan", "a.json", "--target", "-1"]),
    # consolidate
    (USAGE, ["consolidate"]),
    (INVALID, ["consolidate", M, M]),
    (USAGE, ["consolidate", "a.json", "a.json", "-o", "a.json"]),
    # compare
    (USAGE, ["compare", "a.json"]),
    (INVALID, ["compare", M, "a.json"]),
    # migrate
    (USAGE, ["migrate"]),
    (INVALID, ["migrate", M]),
    (USAGE, ["migrate", "a.json", "-o", "a.json"]),
    # change
    (USAGE, ["change", M, "a.json"]),
    (USAGE, ["change", M, "a.json", "--request", "promotion"]),
    (INVALID, ["change", M, "a.json", "--request", "upgrade"]),
    # no command, or an unknown one
    (USAGE, []),
    (USAGE, ["nope"]),
]


def _commands() -> set[str]:
    """Every command path of the parser ("score", "pack new")."""
    found = set()

    def walk(parser: argparse.ArgumentParser, prefix: tuple[str, ...]):
        for action in parser._actions:  # noqa: SLF001
            if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
                for name, sub in action.choices.items():
                    found.add(" ".join((*prefix, name)))
                    walk(sub, (*prefix, name))

    walk(cli._parser(), ())  # noqa: SLF001
    return found


@pytest.mark.parametrize(
    ("expected", "argv"), TABLE, ids=[" ".join(a) or "-" for _, a in TABLE]
)
def test_exit_status_follows_the_rule(expected, argv, tmp_path, monkeypatch):
    """Each command exits 0, 1 (invalid input) or 2 (usage) by the rule."""
    shutil.copy(EXAMPLE, tmp_path / "a.json")
    monkeypatch.chdir(tmp_path)
    err = io.StringIO()

    status = cli.run(argv, stdout=io.StringIO(), stderr=err)

    assert expected == status, err.getvalue()


@pytest.mark.parametrize(("expected", "argv"), [r for r in TABLE if r[0]])
def test_a_refusal_says_why_without_a_traceback(
    expected, argv, tmp_path, monkeypatch
):
    """A refused command explains itself and shows no traceback."""
    shutil.copy(EXAMPLE, tmp_path / "a.json")
    monkeypatch.chdir(tmp_path)
    out, err = io.StringIO(), io.StringIO()

    cli.run(argv, stdout=out, stderr=err)
    said = out.getvalue() + err.getvalue()

    assert "Traceback" not in said
    assert said.strip()


def test_the_table_covers_every_command():
    """Every command of the parser has a refused row in the table."""
    refused = {
        " ".join(a for a in argv[:2] if not a.endswith(".json"))
        for status, argv in TABLE
        if status != OK
    }
    refused |= {argv[0] for status, argv in TABLE if status != OK and argv}

    assert set() == _commands() - refused
