"""
Local Sphinx extension for the maturity-core documentation.

- ``maturity-cli`` directive: the usage line and a table of the arguments
  of one ``maturity`` command, read from the real argparse parser, so the
  reference cannot drift from the code.  The prose around it is written by
  hand in reference/cli.md.
- ``maturity-problem-codes`` directive: the table of every problem code in
  ``maturity_core.exceptions.PROBLEM_CODES`` with its meaning.
- Consistency checks, reported as warnings (errors under ``-W``): every
  command of the parser has a ``maturity-cli`` block, every shipped JSON
  Schema is included (reference/schemas.md), and every name
  in the ``__all__`` of ``maturity_core`` and of its public subpackages and
  modules is documented (reference/api.md).
"""

# ruff: noqa: INP001 -- a local Sphinx extension, not a package

from __future__ import annotations

import argparse
import importlib
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective


logger = logging.getLogger(__name__)

# Modules whose __all__ must be fully documented.
PUBLIC_MODULES = (
    "maturity_core",
    "maturity_core.analysis",
    "maturity_core.authoring",
    "maturity_core.batch",
    "maturity_core.exceptions",
    "maturity_core.questionnaire",
    "maturity_core.report",
    "maturity_core.testing",
    "maturity_core.typing",
)

# Meanings for arguments that the parser leaves without a help text: first
# "COMMAND ARGUMENT", then "ARGUMENT" alone.  (--format is handled below.)
FALLBACK_HELP = {
    "report assessment": "assessment JSON file, or an XLSX/CSV questionnaire",
    "plan assessment": "assessment JSON file, or an XLSX/CSV questionnaire",
    "consolidate assessments": "one assessment per assessor (JSON, XLSX or "
    "CSV), of one organisation",
    "consolidate --rule": "``consensus`` keeps a rating only where every "
    "assessor gave it; ``median`` takes the lower median rating",
    "compare before": "the earlier assessment (JSON, XLSX or CSV)",
    "compare after": "the later assessment, of the same pack",
    "compare --allow-profile-change": "compare assessments scored under "
    "different profiles",
    "migrate assessment": "assessment JSON file made for an earlier version",
    "verify --overlay": "an overlay the result was scored with (repeatable)",
    "--lang": "language of names and texts in the output",
    "-o": "write the output to this file (atomically) instead of stdout",
    "--overlay": "apply an overlay file to the pack (repeatable)",
    "--chunk-rows": "rows read, scored and written at a time",
    "--unrated": "how to treat unrated requirements: ``error`` refuses them, "
    "``none`` scores them as the rubric's lowest value",
    "--request": "the kind of level-change request to check",
    "assessment": "assessment JSON file",
    "files": "assessment or pack.json files",
}

USAGE_WIDTH = 80


def _parser() -> argparse.ArgumentParser:
    # The parser is private to the CLI; the docs read it so the option
    # tables always match the installed code.
    from maturity_core import cli  # noqa: PLC0415

    return cli._parser()  # noqa: SLF001


def _subcommands(
    parser: argparse.ArgumentParser,
) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:  # noqa: SLF001
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            return dict(action.choices)
    return {}


def _walk(
    parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()
) -> dict[str, argparse.ArgumentParser]:
    out = {}
    for name, sub in _subcommands(parser).items():
        path = (*prefix, name)
        out[" ".join(path)] = sub
        out |= _walk(sub, path)
    return out


def all_commands() -> dict[str, argparse.ArgumentParser]:
    """Every command path (``"score"``, ``"pack new"``) and its parser."""
    return _walk(_parser())


def _usage(parser: argparse.ArgumentParser) -> str:
    formatter = argparse.HelpFormatter(parser.prog, width=USAGE_WIDTH)
    formatter.add_usage(
        parser.usage,
        parser._actions,  # noqa: SLF001
        parser._mutually_exclusive_groups,  # noqa: SLF001
    )
    return formatter.format_help().strip()


def _name(action: argparse.Action) -> str:
    if action.option_strings:
        return ", ".join(action.option_strings)
    if isinstance(action.metavar, str):
        return action.metavar
    return action.dest


def _values(action: argparse.Action) -> str:
    if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
        return " | ".join(action.choices)
    if action.nargs == 0:
        return "(flag)"
    if action.choices:
        return " | ".join(str(c) for c in action.choices)
    if action.option_strings:
        metavar = action.metavar or action.dest.upper()
        return str(metavar)
    if action.nargs in ("+", "*"):
        return "one or more"
    return ""


def _default(action: argparse.Action) -> str:
    default = action.default
    if default in (None, argparse.SUPPRESS, False, []) or action.required:
        return "required" if action.required and action.option_strings else ""
    if isinstance(default, Path):
        return str(default)
    return str(default)


def _format_help(choices: Any) -> str:
    names = ", ".join(f"``{c}``" for c in choices or ())
    text = f"output format: {names}" if names else "output format"
    if choices and "json" in choices and len(choices) > 1:
        text += "; ``json`` gives exact strings for every number"
    return text


def _help(path: str, action: argparse.Action) -> str:
    text = action.help
    keys = (*action.option_strings, action.dest)
    if not text and "--format" in action.option_strings:
        text = _format_help(action.choices)
    if not text:
        for key in [f"{path} {k}" for k in keys] + list(keys):
            if key in FALLBACK_HELP:
                text = FALLBACK_HELP[key]
                break
    if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
        text = "the tool to run (each is described below)"
    text = (text or "").replace("%(default)s", str(action.default))
    if isinstance(action, argparse._AppendAction) and "repeat" not in text:  # noqa: SLF001
        text = f"{text} (repeatable)".strip()
    return text


def _paragraph_with_literals(text: str) -> nodes.paragraph:
    """A paragraph where ``double-backquoted`` spans become literals."""
    para = nodes.paragraph()
    parts = text.split("``")
    for i, part in enumerate(parts):
        if not part:
            continue
        para += nodes.literal(part, part) if i % 2 else nodes.Text(part)
    return para


def _table(rows: list[tuple[str, str, str, str]]) -> nodes.table:
    headers = ("Argument", "Values", "Default", "Meaning")
    table = nodes.table(classes=["maturity-cli-options"])
    group = nodes.tgroup(cols=len(headers))
    table += group
    for width in (22, 22, 12, 44):
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    row = nodes.row()
    for title in headers:
        row += nodes.entry("", nodes.paragraph(text=title))
    head += row
    body = nodes.tbody()
    group += body
    for name, values, default, meaning in rows:
        row = nodes.row()
        entry = nodes.entry()
        entry += nodes.paragraph("", "", nodes.literal(name, name))
        row += entry
        entry = nodes.entry()
        if values:
            entry += nodes.paragraph("", "", nodes.literal(values, values))
        row += entry
        entry = nodes.entry()
        if default:
            literal = default != "required"
            para = nodes.paragraph()
            para += (
                nodes.literal(default, default)
                if literal
                else nodes.emphasis(default, default)
            )
            entry += para
        row += entry
        entry = nodes.entry()
        entry += _paragraph_with_literals(meaning)
        row += entry
        body += row
    return table


class MaturityCLI(SphinxDirective):
    """``maturity-cli COMMAND``: usage and argument table of a command."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = False

    def run(self) -> list[nodes.Node]:
        path = " ".join(self.arguments[0].split())
        commands = all_commands()
        if path not in commands:
            logger.warning(
                "maturity-cli: no command %r (commands: %s)",
                path,
                ", ".join(commands),
                location=self.get_location(),
                type="maturity",
                subtype="cli",
            )
            return []
        documented = self.env.__dict__.setdefault("maturity_cli", {})
        documented[path] = self.env.docname
        parser = commands[path]
        usage = _usage(parser)
        out: list[nodes.Node] = [
            nodes.literal_block(usage, usage, language="text")
        ]
        rows = [
            (_name(a), _values(a), _default(a), _help(path, a))
            for a in parser._actions  # noqa: SLF001
            if not isinstance(a, argparse._HelpAction)  # noqa: SLF001
        ]
        if rows:
            out.append(_table(rows))
        return out


def _purge(_app: Any, env: Any, docname: str) -> None:
    documented = env.__dict__.get("maturity_cli", {})
    for path in [p for p, d in documented.items() if d == docname]:
        del documented[path]


def _merge(_app: Any, env: Any, _docnames: Any, other: Any) -> None:
    env.__dict__.setdefault("maturity_cli", {}).update(
        other.__dict__.get("maturity_cli", {})
    )


def _outdated(
    _app: Any, env: Any, _added: Any, _changed: Any, _removed: Any
) -> list[str]:
    # The tables come from the code, not the page: re-read the pages that
    # hold them on every build so an incremental build is never stale.
    return sorted(set(env.__dict__.get("maturity_cli", {}).values()))


def _check(app: Any, env: Any) -> None:
    documented = env.__dict__.get("maturity_cli", {})
    for path in all_commands():
        if path not in documented:
            logger.warning(
                "command `maturity %s` has no maturity-cli block in the "
                "CLI reference",
                path,
                type="maturity",
                subtype="cli",
            )
    _check_schemas(app, env)
    objects = env.get_domain("py").objects
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", ()):
            if f"{module_name}.{name}" not in objects:
                logger.warning(
                    "public name %s.%s is not documented in the API "
                    "reference (reference/api.md)",
                    module_name,
                    name,
                    type="maturity",
                    subtype="api",
                )


def _check_schemas(app: Any, env: Any) -> None:
    """Every shipped JSON Schema is included somewhere (reference/schemas)."""
    srcdir = Path(app.srcdir)
    # The schemas are included from the source tree (docs/../src/...), so
    # check that tree; fall back to the installed package elsewhere.
    folder = srcdir.parent / "src" / "maturity_core" / "schemas"
    if not folder.is_dir():
        import maturity_core  # noqa: PLC0415

        folder = Path(maturity_core.__file__).parent / "schemas"
    included = {
        (srcdir / dep).resolve()
        for deps in env.dependencies.values()
        for dep in deps
    }
    for schema in sorted(folder.glob("*.schema.json")):
        if schema.resolve() not in included:
            logger.warning(
                "schema %s is not included in the schema reference "
                "(reference/schemas.md)",
                schema.name,
                type="maturity",
                subtype="schema",
            )


class MaturityProblemCodes(SphinxDirective):
    """A table of every registered problem code and its meaning."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        from maturity_core.exceptions import PROBLEM_CODES  # noqa: PLC0415

        headers = ("Code", "Meaning")
        table = nodes.table(classes=["maturity-problem-codes"])
        group = nodes.tgroup(cols=len(headers))
        table += group
        for width in (25, 75):
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        group += head
        row = nodes.row()
        for title in headers:
            row += nodes.entry("", nodes.paragraph(text=title))
        head += row
        body = nodes.tbody()
        group += body
        for code in sorted(PROBLEM_CODES):
            row = nodes.row()
            row += nodes.entry(
                "", nodes.paragraph("", "", nodes.literal(code, code))
            )
            row += nodes.entry(
                "", nodes.paragraph(text=PROBLEM_CODES[code])
            )
            body += row
        return [table]


def setup(app: Any) -> dict[str, Any]:
    app.add_directive("maturity-cli", MaturityCLI)
    app.add_directive("maturity-problem-codes", MaturityProblemCodes)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-outdated", _outdated)
    app.connect("env-check-consistency", _check)
    return {"version": "1", "parallel_read_safe": True, "env_version": 1}
