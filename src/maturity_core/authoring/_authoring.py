"""
Tools for pack authors: scaffold a pack distribution, check it, render it
as the standard's tables, and diff two versions.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs

from maturity_core import _files
from maturity_core._escape import md_cell, md_text
from maturity_core._model import ROOT, Node, Pack
from maturity_core.exceptions import (
    InputError,
    InvalidPackError,
    MaturityCoreError,
    OutputError,
    Problem,
)


_ID = re.compile(r"[a-z][a-z0-9]*")


# ---------------------------------------------------------------------------
# Scaffold


def _example_pack(pack_id: str) -> dict[str, Any]:
    levels = [
        {"number": 1, "name": {"en": "Level 1 (Initial)"}},
        {"number": 2, "name": {"en": "Level 2 (Managed)"}},
    ]
    prov = {
        "status": "proposal",
        "note": "Replace with the clause and table of your standard.",
    }
    requirements = [
        {
            "id": f"{area}.{item}.l{level}",
            "node": area,
            "level": level,
            "item": {"en": item.replace("-", " ").capitalize()},
            "text": {
                "en": f"The organisation shall … ({area}, {item}, L{level})."
            },
            "provenance": prov,
        }
        for area in ("area-a", "area-b")
        for item in ("first-item", "second-item")
        for level in (1, 2)
    ]
    return {
        "format": 1,
        "id": pack_id,
        "version": "0.1.0",
        "title": {"en": f"{pack_id} (new pack: replace this title)"},
        "standard": {"code": "STANDARD-CODE"},
        "fidelity": {
            "status": "proposal",
            "statement": {
                "en": "A scaffold: replace every requirement, weight and rule "
                "with the standard's content and record where each was read."
            },
        },
        "levels": levels,
        "nodes": [
            {"id": "area-a", "kind": "area", "name": {"en": "Area A"}},
            {"id": "area-b", "kind": "area", "name": {"en": "Area B"}},
        ],
        "requirements": requirements,
        "rubric": {
            "ratings": [
                {"id": "full", "value": "1", "name": {"en": "Fully met"}},
                {
                    "id": "partial",
                    "value": "0.5",
                    "name": {"en": "Partially met"},
                },
                {"id": "none", "value": "0", "name": {"en": "Not met"}},
            ],
            "na": {"allowed": False},
        },
        "profiles": [
            {
                "id": "default",
                "name": {"en": "Default"},
                "default": True,
                "weights": {"area-a": "0.5", "area-b": "0.5"},
            }
        ],
        "method": {
            "rule": "cumulative-gated",
            "gate": "0.8",
            "bands": [{"level": 1, "min": "0.8"}, {"level": 2, "min": "1.8"}],
        },
    }


def _example_vector() -> dict[str, Any]:
    return {
        "name": "01-all-full",
        "description": "Every requirement fully met.",
        "derivation": [
            "Every area scores 1 at both levels: X = 1, 1.",
            "Cumulative-gated: S = 1 + 1 = 2 -> level 2 (min 1.8).",
        ],
        "profile": "default",
        "rule": "cumulative-gated",
        "recipe": {"default": {"1": "full", "2": "full"}},
        "expected": {"score": "2", "level": 2},
    }


def scaffold_pack(pack_id: str, parent: Path) -> Path:
    """
    Create a working pack distribution ``maturity-pack-<id>`` in *parent*:
    pyproject.toml with the entry point, the package with pack.json and a
    test vector, a test, a README and a changelog.

    Raises:
        InputError: If *pack_id* is not a lower-case identifier or the
            folder exists.
        OutputError: If the folder cannot be created.

    .. versionadded:: 0.1.0
    """
    if not _ID.fullmatch(pack_id):
        raise InputError(
            None,
            "$",
            f"pack id {pack_id!r} must be lower-case letters and digits, "
            "starting with a letter (it becomes the import name "
            f"maturity_pack_{pack_id})",
        )
    root = parent / f"maturity-pack-{pack_id}"
    if root.exists():
        raise InputError(str(root), "$", "already exists; choose another id")
    package = root / "src" / f"maturity_pack_{pack_id}"
    try:
        (package / "vectors").mkdir(parents=True)
        (root / "tests").mkdir()
    except OSError as e:
        raise OutputError(str(root), f"cannot create: {e.strerror}") from None
    files = {
        root / "pyproject.toml": f"""[build-system]
requires = ["hatchling>=1.26"]
build-backend = "hatchling.build"

[project]
name = "maturity-pack-{pack_id}"
version = "0.1.0"
description = "maturity-core model pack {pack_id}"
readme = "README.md"
requires-python = ">=3.11"
dependencies = ["maturity-core"]

[project.optional-dependencies]
tests = ["pytest", "hypothesis"]

[project.entry-points."maturity_core.packs"]
{pack_id} = "maturity_pack_{pack_id}"

[tool.hatch.build.targets.wheel]
packages = ["src/maturity_pack_{pack_id}"]
""",
        package
        / "__init__.py": f'"""The {pack_id} model pack; the data is pack.json."""\n',
        package / "pack.json": json.dumps(
            _example_pack(pack_id), ensure_ascii=False, indent=2
        )
        + "\n",
        package / "vectors" / "01-all-full.json": json.dumps(
            _example_vector(), indent=2
        )
        + "\n",
        root
        / "tests"
        / "test_pack.py": f'''"""The {pack_id} pack is valid and its vectors pass."""

import maturity_core as mc
from maturity_core.testing import check_vectors


def test_pack_is_installed_and_valid():
    """The entry point {pack_id} loads a valid pack."""
    assert "{pack_id}" in [i.id for i in mc.discover_packs()]
    assert "{pack_id}" == mc.load_pack("{pack_id}").id


def test_vectors_pass():
    """Every hand-computed vector gives its expected result."""
    assert check_vectors(mc.load_pack("{pack_id}")) >= 1
''',
        root / "README.md": f"""# maturity-pack-{pack_id}

A maturity-core model pack.

maturity-core is not on a package index yet: install it first from a
checkout of its repository (`pip install /path/to/maturity-core`) or from a
wheel built there with `nox -s build`, then:

    pip install -e .[tests] && pytest
    maturity packs
    maturity template {pack_id} -o assessment.json

Record the source of every requirement, weight and rule in its
`provenance`, and state the pack's fidelity honestly in `pack.json`.
""",
        root / "CHANGELOG.md": """# Changelog

A major version means scores are not comparable with the previous major.

## 0.1.0 — Unreleased

- First version.
""",
    }
    for path, text in files.items():
        _files.write_text(path, text)
    return root


# ---------------------------------------------------------------------------
# Tables in the shape of the standard


def _leaves(node: Node) -> Iterator[Node]:
    for n in node.walk():
        if n.is_leaf and n.id != ROOT:
            yield n


def _items(pack: Pack, leaf: str) -> list[tuple[str, dict[int, str]]]:
    rows: dict[str, dict[int, str]] = {}
    for req in pack.requirements:
        if req.node != leaf:
            continue
        key = req.item.get("zh") or req.item.get("en") or req.id
        rows.setdefault(key, {})[req.level] = req.text.get("zh")
    return list(rows.items())


def _pct(value: Fraction) -> str:
    pct = value * 100
    if pct.denominator == 1:
        return f"{pct.numerator} %"
    return f"{float(pct):.2f} % ({value})"


def _weight_rows(pack: Pack, profile: str) -> list[tuple[str, str, str]]:
    prof = pack.profiles[profile]
    rows = []
    for node in pack.root.walk():
        if node.id == ROOT or node.id not in prof.scope:
            continue
        depth = len(list(pack.ancestors(node.id)))
        rows.append(
            (
                "  " * depth + node.name.get("zh"),
                node.kind,
                _pct(prof.weights[node.id]),
            )
        )
    return rows


#: The heading of the item column of requirement tables (an item is the
#: row a requirement belongs to in a standard's table).
_ITEM = "分项 / item"


def _leaf_tier(pack: Pack) -> str:
    """The name of the pack's leaf tier, in its main language."""
    return pack.tier(pack.max_depth).name.get(pack.language)


def pack_markdown(pack: Pack, lang: str = "zh") -> str:
    """
    The pack as Markdown: one requirement table per top-level node (rows
    are leaves and items, named by the pack's leaf tier; columns the
    levels), then the weight table of each profile, the rubric and the
    bands.

    .. versionadded:: 0.1.0
    """
    del lang
    out = [f"# {md_text(pack.title.get('zh'))}", ""]
    std = pack.metadata.get("standard", {})
    out += [
        f"{md_text(std.get('code', pack.id))} — pack `{pack.id}` "
        f"{md_text(pack.version)}",
        "",
    ]
    fidelity = pack.metadata.get("fidelity")
    if fidelity:
        statement = fidelity["statement"]
        out += [
            f"**Fidelity: {md_text(fidelity['status'])}.** "
            f"{md_text(statement.get('en') or statement.get('zh'))}",
            "",
        ]
    levels = [md_cell(lv.name.get("zh")) for lv in pack.levels]
    for top in pack.root.children:
        out += [
            f"## {md_text(top.name.get('zh'))} ({md_text(top.name.get('en'))})",
            "",
        ]
        out.append(
            f"| {md_cell(_leaf_tier(pack))} | {_ITEM} | "
            + " | ".join(levels)
            + " |"
        )
        out.append("|" + "---|" * (len(levels) + 2))
        for leaf in _leaves(top):
            for item, cells in _items(pack, leaf.id):
                row = [leaf.name.get("zh"), item] + [
                    cells.get(lv.number, "") for lv in pack.levels
                ]
                out.append("| " + " | ".join(map(md_cell, row)) + " |")
        out.append("")
    for prof_id, prof in pack.profiles.items():
        out += [f"## 权重 {md_text(prof.name.get('zh'))} (`{prof_id}`)", ""]
        out += ["| 节点 | 类别 | 权重 |", "|---|---|---|"]
        for name, kind, w in _weight_rows(pack, prof_id):
            # The indent shows the depth; a table cell trims plain spaces.
            indent = len(name) - len(name.lstrip(" "))
            out.append(
                f"| {'&nbsp;' * indent}{md_cell(name)} | {md_cell(kind)} "
                f"| {md_cell(w)} |"
            )
        out.append("")
    out += ["## 得分对应 (rubric)", "", "| rating | value |", "|---|---|"]
    out += [
        f"| {md_cell(o.name.get('zh'))} (`{o.id}`) | {o.value} |"
        for o in pack.rubric.options
    ]
    out += ["", "## 分数与等级 (bands)", "", "| level | S ≥ |", "|---|---|"]
    out += [f"| {b.level} | {b.min} |" for b in pack.method.bands]
    out += [
        "",
        f"Level rule: `{pack.method.rule}`, gate {pack.method.gate}.",
        "",
    ]
    return "\n".join(out)


def pack_html(pack: Pack) -> str:
    """
    The same tables as :func:`pack_markdown` (requirements, weights,
    rubric and bands), as a self-contained HTML page.

    With the ``report`` extra the page embeds the glyphs it uses of the
    reports' CJK font, so Chinese renders on a machine without CJK fonts;
    without it the page says so in a comment and names system CJK fonts.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 The rubric and band sections; the embedded
       CJK font.
    """
    from maturity_core.report._fonts import (  # noqa: PLC0415
        css_font_stack,
        font_face_css,
    )

    e = html.escape
    parts = [
        "<!doctype html><html lang='zh'><head><meta charset='utf-8'>",
        f"<title>{e(pack.title.get('zh'))}</title><style>@@FONT@@",
        f"body{{font-family:{css_font_stack()};margin:2em}}"
        "table{border-collapse:collapse;margin:1em 0}"
        "td,th{border:1px solid #999;padding:.3em .5em;vertical-align:top}"
        "th{background:#eee}",
        "</style></head><body>",
        f"<h1>{e(pack.title.get('zh'))}</h1>",
        f"<p>{e(pack.metadata.get('standard', {}).get('code', pack.id))} — "
        f"pack <code>{e(pack.id)}</code> {e(pack.version)}</p>",
    ]
    fidelity = pack.metadata.get("fidelity")
    if fidelity:
        statement = fidelity["statement"].get("en") or fidelity[
            "statement"
        ].get("zh")
        parts.append(
            f"<p><strong>Fidelity: {e(fidelity['status'])}.</strong> {e(statement)}</p>"
        )
    for top in pack.root.children:
        parts.append(
            f"<h2>{e(top.name.get('zh'))} ({e(top.name.get('en'))})</h2>"
        )
        parts.append(
            f"<table><tr><th>{e(_leaf_tier(pack))}</th><th>{_ITEM}</th>"
        )
        parts += [f"<th>{e(lv.name.get('zh'))}</th>" for lv in pack.levels]
        parts.append("</tr>")
        for leaf in _leaves(top):
            items = _items(pack, leaf.id)
            for i, (item, cells) in enumerate(items):
                parts.append("<tr>")
                if i == 0:
                    parts.append(
                        f"<td rowspan='{len(items)}'>{e(leaf.name.get('zh'))}</td>"
                    )
                parts.append(f"<td>{e(item)}</td>")
                parts += [
                    f"<td>{e(cells.get(lv.number, ''))}</td>"
                    for lv in pack.levels
                ]
                parts.append("</tr>")
        parts.append("</table>")
    for prof_id, prof in pack.profiles.items():
        parts.append(
            f"<h2>权重 {e(prof.name.get('zh'))} (<code>{e(prof_id)}</code>)</h2>"
        )
        parts.append("<table><tr><th>节点</th><th>类别</th><th>权重</th></tr>")
        for name, kind, w in _weight_rows(pack, prof_id):
            indent = len(name) - len(name.lstrip(" "))
            parts.append(
                f"<tr><td style='padding-left:{indent}em'>{e(name.strip())}</td>"
                f"<td>{e(kind)}</td><td>{e(w)}</td></tr>"
            )
        parts.append("</table>")
    parts.append("<h2 id='rubric'>得分对应 (rubric)</h2>")
    parts.append("<table><tr><th>rating</th><th>value</th></tr>")
    parts += [
        f"<tr><td>{e(o.name.get('zh'))} (<code>{e(o.id)}</code>)</td>"
        f"<td>{e(str(o.value))}</td></tr>"
        for o in pack.rubric.options
    ]
    parts.append("</table><h2 id='bands'>分数与等级 (bands)</h2>")
    parts.append("<table><tr><th>level</th><th>S ≥</th></tr>")
    parts += [
        f"<tr><td>{b.level}</td><td>{e(str(b.min))}</td></tr>"
        for b in pack.method.bands
    ]
    parts.append(
        f"</table><p>Level rule: <code>{e(pack.method.rule)}</code>, "
        f"gate {e(str(pack.method.gate))}.</p>"
    )
    parts.append("</body></html>")
    page = "\n".join(parts)
    try:
        face = font_face_css(page)
    except MaturityCoreError:
        face = (
            "/* fonts: system CJK fonts; pip install 'maturity-core[report]' "
            "embeds a CJK font subset */"
        )
    return page.replace("@@FONT@@", face, 1)


# ---------------------------------------------------------------------------
# Diff


@attrs.frozen
class PackDiff:
    """
    What changed between two versions of a pack, and whether their scores
    stay comparable.

    .. versionadded:: 0.1.0
    """

    old: str
    new: str
    nodes_added: tuple[str, ...]
    nodes_removed: tuple[str, ...]
    nodes_renamed: tuple[str, ...]
    requirements_added: tuple[str, ...]
    requirements_removed: tuple[str, ...]
    requirements_reworded: tuple[str, ...]
    requirements_moved: tuple[str, ...]
    weights_changed: tuple[tuple[str, str, str | None, str | None], ...]
    rubric_changed: bool
    method_changed: tuple[str, ...]

    @property
    def comparable(self) -> bool:
        """Whether scores under both versions mean the same thing."""
        return not (
            self.nodes_added
            or self.nodes_removed
            or self.requirements_added
            or self.requirements_removed
            or self.requirements_moved
            or self.weights_changed
            or self.rubric_changed
            or self.method_changed
        )

    @property
    def verdict(self) -> str:
        """A sentence on comparability."""
        if not self.comparable:
            return (
                "scores are NOT comparable: the structure, requirements, "
                "weights, rubric or rule changed (a new major version)"
            )
        if self.requirements_reworded or self.nodes_renamed:
            return (
                "scores are comparable; wording changed, so review ratings "
                "of reworded requirements"
            )
        return "scores are comparable"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        data = attrs.asdict(self)
        data["weights_changed"] = [
            {"profile": p, "node": n, "old": o, "new": w}
            for p, n, o, w in self.weights_changed
        ]
        return data | {"comparable": self.comparable, "verdict": self.verdict}


def diff_packs(old: Pack, new: Pack) -> PackDiff:
    """
    Compare two versions of a pack.

    .. versionadded:: 0.1.0
    """
    old_nodes = {k: v for k, v in old.nodes.items() if k != ROOT}
    new_nodes = {k: v for k, v in new.nodes.items() if k != ROOT}
    old_reqs, new_reqs = old.requirements_by_id, new.requirements_by_id
    weights = []
    for pid in sorted(set(old.profiles) | set(new.profiles)):
        ow = old.profiles[pid].weights if pid in old.profiles else {}
        nw = new.profiles[pid].weights if pid in new.profiles else {}
        for node in sorted(set(ow) | set(nw)):
            a, b = ow.get(node), nw.get(node)
            if a != b:
                weights.append(
                    (
                        pid,
                        node,
                        None if a is None else str(a),
                        None if b is None else str(b),
                    )
                )
    method = []
    if old.method.rule != new.method.rule:
        method.append(f"rule {old.method.rule} -> {new.method.rule}")
    if old.method.gate != new.method.gate:
        method.append(f"gate {old.method.gate} -> {new.method.gate}")
    if old.method.bands != new.method.bands:
        method.append("bands changed")
    if old.level_numbers != new.level_numbers:
        method.append("levels changed")
    rubric = [(o.id, o.value) for o in old.rubric.options] != [
        (o.id, o.value) for o in new.rubric.options
    ] or old.rubric.na_allowed != new.rubric.na_allowed
    return PackDiff(
        old=f"{old.id} {old.version}",
        new=f"{new.id} {new.version}",
        nodes_added=tuple(sorted(set(new_nodes) - set(old_nodes))),
        nodes_removed=tuple(sorted(set(old_nodes) - set(new_nodes))),
        nodes_renamed=tuple(
            sorted(
                n
                for n in set(old_nodes) & set(new_nodes)
                if old_nodes[n].name != new_nodes[n].name
            )
        ),
        requirements_added=tuple(sorted(set(new_reqs) - set(old_reqs))),
        requirements_removed=tuple(sorted(set(old_reqs) - set(new_reqs))),
        requirements_reworded=tuple(
            sorted(
                r
                for r in set(old_reqs) & set(new_reqs)
                if old_reqs[r].text != new_reqs[r].text
                or old_reqs[r].item != new_reqs[r].item
            )
        ),
        requirements_moved=tuple(
            sorted(
                r
                for r in set(old_reqs) & set(new_reqs)
                if (old_reqs[r].node, old_reqs[r].level)
                != (new_reqs[r].node, new_reqs[r].level)
            )
        ),
        weights_changed=tuple(weights),
        rubric_changed=rubric,
        method_changed=tuple(method),
    )


# ---------------------------------------------------------------------------
# Check


@attrs.frozen
class PackCheck:
    """
    Everything ``maturity pack check`` found: the pack's problems, how
    many of its test vectors ran, how many failed (could not be read or
    scored, or missed an expectation) and why.
    """

    pack: str
    source: str
    trusted: bool
    problems: tuple[Problem, ...]
    vectors_run: int
    vectors_failed: int
    vector_failures: tuple[str, ...]

    @property
    def valid(self) -> bool:
        """Whether the pack has no problem and every vector passed."""
        return not self.problems and not self.vector_failures

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "pack": self.pack,
            "source": self.source,
            "trusted": self.trusted,
            "valid": self.valid,
            "problems": [p.to_dict() for p in self.problems],
            "vectors_run": self.vectors_run,
            "vectors_failed": self.vectors_failed,
            "vector_failures": list(self.vector_failures),
        }


def check_pack_path(path: Path, *, trust_code: bool = False) -> PackCheck:
    """
    Load the pack at *path* (a distribution root, a package folder or a
    ``pack.json``) as :func:`load_pack` does, collect its problems, and
    run every test vector, reading each strictly.

    Raises:
        InputError: If *path* holds no pack or its ``pack.json`` cannot be
            read.
        IncompatiblePackError: If the pack's format is newer than the core's.
    """
    from maturity_core._packs import load_pack, locate_pack_json  # noqa: PLC0415
    from maturity_core.testing import read_vector, run_vector, vector_files  # noqa: PLC0415

    try:
        pack = load_pack(path, trust_code=trust_code)
    except InvalidPackError as e:
        return PackCheck(
            pack=str(path),
            source=e.source or str(locate_pack_json(path)[0]),
            trusted=trust_code,
            problems=e.problems,
            vectors_run=0,
            vectors_failed=0,
            vector_failures=(),
        )
    ran = failed = 0
    failures: list[str] = []
    for entry in vector_files(pack):
        try:
            vector = read_vector(entry)
        except MaturityCoreError as e:
            failed += 1
            failures.append(str(e))
            continue
        try:
            outcome = run_vector(pack, vector)
        except MaturityCoreError as e:
            failed += 1
            failures.append(f"{vector.name}: {e}")
            continue
        ran += 1
        failed += not outcome.passed
        failures += [f"{vector.name}: {m}" for m in outcome.mismatches]
    return PackCheck(
        pack=str(path),
        source=pack.source,
        trusted=pack.trusted,
        problems=(),
        vectors_run=ran,
        vectors_failed=failed,
        vector_failures=tuple(failures),
    )
