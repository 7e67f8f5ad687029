"""The CLI is a package of thin clients: a table of commands, formatters,
the public API only, and a re-entrant run()."""

from __future__ import annotations

import ast
import io
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from maturity_core import cli
from maturity_core.cli import _options, _output, _table


CLI = Path(cli.__file__).parent
EXAMPLE = Path(__file__).parents[1] / "examples" / "db12t1073-discrete.json"


def _private_imports(path: Path) -> list[str]:
    """The modules *path* imports that are private to another package."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
            names += [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        found += [
            name
            for name in names
            if name.startswith("maturity_core.")
            and not name.startswith("maturity_core.cli")
            and any(
                part.startswith("_") and not part.endswith("__")
                for part in name.split(".")[1:]
            )
        ]
    return found


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = cli.run(argv, stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


class TestBoundary:
    @pytest.mark.parametrize(
        "path", sorted(CLI.glob("*.py")), ids=lambda p: p.name
    )
    def test_the_cli_imports_no_private_module_of_the_core(self, path):
        """A CLI module imports public names of maturity_core only."""
        assert [] == _private_imports(path)

    def test_the_check_sees_a_private_import(self, tmp_path):
        """The check finds an import of a private kernel module."""
        module = tmp_path / "m.py"
        module.write_text(
            "from maturity_core._packs import load_pack\n"
            "from maturity_core.analysis import _gaps\n",
            encoding="utf-8",
        )

        assert [
            "maturity_core._packs",
            "maturity_core._packs.load_pack",
            "maturity_core.analysis._gaps",
        ] == _private_imports(module)


    def test_importing_the_cli_loads_no_wing_nor_extra(self):
        """The command modules import their wings when a command runs."""
        code = (
            "import maturity_core.cli, sys; print(sorted(m for m in "
            "sys.modules if m.split('.')[0] in ('numpy', 'pandas', "
            "'pyarrow', 'matplotlib', 'openpyxl', 'dask') or m.split('.')"
            "[:2] in [['maturity_core', w] for w in ('batch', 'analysis', "
            "'report', 'questionnaire', 'authoring')]))"
        )

        out = subprocess.run(
            [sys.executable, "-c", code],
            check=True,
            capture_output=True,
            text=True,
        ).stdout

        assert "[]\n" == out


class TestTable:
    def test_every_command_of_the_table_is_a_command_of_the_parser(self):
        """The parser has exactly the table's commands, in its order."""
        parser = cli._parser()  # noqa: SLF001
        sub = next(
            a
            for a in parser._actions  # noqa: SLF001
            if a.dest == "command"
        )

        assert [c.name for c in _table.COMMANDS] == list(sub.choices)

    def test_a_command_is_one_entry_and_one_function(self):
        """A table with one more entry gives a parser that runs it."""

        def hello(args):
            return _output.Outcome({"greeting": f"hello {args.name}"})

        extra = _options.Command(
            "hello",
            "say hello",
            hello,
            (_options.option("name"), _options.FORMAT),
        )
        parser = _options.build_parser((*_table.COMMANDS, extra))
        args = parser.parse_args(["hello", "world", "--format", "json"])

        outcome = args.command_entry.run(args)

        assert '{\n  "greeting": "hello world"\n}\n' == (
            _output.formatter_for(args).format(extra, outcome.value, args)
        )

    def test_a_shared_option_adapted_keeps_its_other_settings(self):
        """Option.but() replaces the named settings only."""
        option = _options.UNRATED.but(help="other")

        assert ("error", "other") == (
            dict(option.settings)["default"],
            dict(option.settings)["help"],
        )


class TestFormatters:
    def test_json_writes_the_data_of_an_api_object(self):
        """The JSON formatter writes to_dict() of the value."""

        class Value:
            def to_dict(self):
                return {"score": "3/4"}

        command = _options.Command("x", "x", lambda args: _output.Outcome())

        text = _output.JsonFormatter().format(command, Value(), None)

        assert {"score": "3/4"} == json.loads(text)

    def test_text_removes_terminal_control_sequences(self):
        """The text formatter drops what would drive a terminal."""
        command = _options.Command(
            "x",
            "x",
            lambda args: _output.Outcome(),
            text=lambda value, args, out: out.write(value),
        )

        text = _output.TextFormatter().format(
            command, "a\x1b[2Jb\n", None
        )

        assert "ab\n" == text


class TestReentrant:
    def test_interleaved_runs_give_the_results_of_runs_one_by_one(self):
        """Scoring runs in threads print what they print one at a time."""
        argvs = [
            ["score", str(EXAMPLE), "--format", "json"],
            ["score", str(EXAMPLE)],
            ["validate", str(EXAMPLE), "--format", "json"],
            ["plan", str(EXAMPLE), "--format", "json"],
            ["score", str(EXAMPLE), "--unrated", "nope"],
        ]
        alone = [_run(argv) for argv in argvs]

        with ThreadPoolExecutor(max_workers=4) as pool:
            together = list(pool.map(_run, argvs * 4))

        assert alone * 4 == together

    def test_a_run_changes_no_state_of_the_table(self):
        """Append options start empty again in the next run."""
        first = cli._parser().parse_args(  # noqa: SLF001
            ["score", "a.json", "--overlay", "o.json"]
        )
        second = cli._parser().parse_args(["score", "a.json"])  # noqa: SLF001

        assert ([Path("o.json")], []) == (first.overlay, second.overlay)
