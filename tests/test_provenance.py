"""
Every figure and claim of a first-party pack says where it comes from.

A provenance block is a mapping with a ``status`` among ``read``,
``derived``, ``inferred``, ``proposal`` and ``second-hand`` (plus source,
clause, table, seed, lines and note).  Wherever one appears, in the places
the pack schema checks or in free-form ``metadata``, its status must be
one of the five.

These places carry a figure or a claim about the standard, so they must
have provenance (a first-party pack that leaves one out fails):

- ``$.fidelity``, the pack as a whole (it holds its own ``status``);
- every level (names and descriptions), requirement and profile (weights,
  scope and mandatory nodes);
- ``$.rubric``, ``$.method`` and each band of the method;
- ``$.lifecycle`` if the pack has one, and each level-change restriction it
  declares (``renewal_window_months``, ``upgrade_after_months``,
  ``level_change_modes``) on its own, in ``$.lifecycle.field_provenance``:
  those are rules about the standard, not just durations;
- each validator (a rule the data cannot express): an entry of
  ``$.metadata.claims`` whose ``about`` is ``$.validators[i]``;
- each entry of ``$.metadata.claims``, the points a pack relies on that no
  table holds (an ``about`` JSON path, the ``claim`` in words and its
  ``provenance``); its ``about`` must name a place in the pack;
- each crosswalk the pack ships in its ``crosswalks/`` folder.

Nodes need none: the tree is a figure of the whole pack, covered by
``$.fidelity``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

import maturity_core as mc


STATUSES = {"read", "derived", "inferred", "proposal", "second-hand"}
RESTRICTIONS = (
    "renewal_window_months",
    "upgrade_after_months",
    "level_change_modes",
)
FIRST_PARTY = sorted(
    p.name
    for p in (Path(__file__).resolve().parents[1] / "packs").iterdir()
    if (p / "pyproject.toml").is_file()
)


def iter_bad_statuses(data: Any, path: str = "$") -> Iterator[str]:
    """JSON paths of provenance blocks without a known status, anywhere."""
    if isinstance(data, Mapping):
        for key, value in data.items():
            where = f"{path}.{key}"
            if key == "provenance":
                yield from _bad_status(value, where)
            elif key == "field_provenance" and isinstance(value, Mapping):
                for name, block in value.items():
                    yield from _bad_status(block, f"{where}.{name}")
            elif key == "fidelity":
                yield from _bad_status(value, where)
            yield from iter_bad_statuses(value, where)
    elif isinstance(data, Sequence) and not isinstance(data, str):
        for i, value in enumerate(data):
            yield from iter_bad_statuses(value, f"{path}[{i}]")


def _bad_status(block: Any, where: str) -> Iterator[str]:
    if not isinstance(block, Mapping) or block.get("status") not in STATUSES:
        yield where


def iter_missing_provenance(  # noqa: C901, PLR0912 -- one check per place
    data: Mapping[str, Any],
) -> Iterator[str]:
    """JSON paths of figures and claims that carry no provenance."""
    if "fidelity" not in data:
        yield "$.fidelity"
    for key in ("levels", "requirements", "profiles"):
        for i, item in enumerate(data.get(key, [])):
            if "provenance" not in item:
                yield f"$.{key}[{i}].provenance"
    for key in ("rubric", "method"):
        if "provenance" not in data.get(key, {}):
            yield f"$.{key}.provenance"
    for i, band in enumerate(data.get("method", {}).get("bands", [])):
        if "provenance" not in band:
            yield f"$.method.bands[{i}].provenance"
    lifecycle = data.get("lifecycle")
    if lifecycle is not None:
        if "provenance" not in lifecycle:
            yield "$.lifecycle.provenance"
        own = lifecycle.get("field_provenance", {})
        for key in RESTRICTIONS:
            if key in lifecycle and key not in own:
                yield f"$.lifecycle.field_provenance.{key}"
    claims = _claims(data)
    for i, claim in enumerate(claims):
        if "provenance" not in claim:
            yield f"$.metadata.claims[{i}].provenance"
    described = {c.get("about") for c in claims}
    for i in range(len(data.get("validators", []))):
        if f"$.validators[{i}]" not in described:
            yield f"$.validators[{i}] (no metadata.claims entry about it)"


def iter_dangling_claims(data: Mapping[str, Any]) -> Iterator[str]:
    """``about`` paths of claims that name no place in the pack."""
    for claim in _claims(data):
        about = claim.get("about", "")
        if not _resolves(data, about):
            yield about


def _claims(data: Mapping[str, Any]) -> Sequence[Mapping[str, Any]]:
    return data.get("metadata", {}).get("claims", [])


def _resolves(data: Any, path: str) -> bool:
    if not path.startswith("$"):
        return False
    for name, index in re.findall(r"\.([A-Za-z0-9_-]+)|\[(\d+)\]", path[1:]):
        try:
            data = data[name] if name else data[int(index)]
        except (KeyError, IndexError, TypeError):
            return False
    return True


def _crosswalks() -> list[tuple[str, str, dict[str, Any]]]:
    infos = {info.id: info for info in mc.discover_packs()}
    found = []
    for pack_id in FIRST_PARTY:
        folder = files(infos[pack_id].entry_point).joinpath("crosswalks")
        if not folder.is_dir():
            continue
        found.extend(
            (pack_id, entry.name, json.loads(entry.read_text("utf-8")))
            for entry in sorted(folder.iterdir(), key=lambda e: e.name)
            if entry.name.endswith(".json")
        )
    return found


CROSSWALKS = _crosswalks()


@pytest.fixture(params=FIRST_PARTY)
def data(request) -> Mapping[str, Any]:
    return mc.load_pack(request.param).data


class TestFirstPartyPacks:
    def test_the_three_packs_are_checked(self):
        """The first-party packs are the folders of packs/, all installed."""
        assert ["bcgrading", "db12t1073", "gbt39116"] == FIRST_PARTY
        assert set(FIRST_PARTY) <= {i.id for i in mc.discover_packs()}

    def test_every_provenance_has_a_known_status(self, data):
        """No provenance block, anywhere in the pack, lacks a known status."""
        assert [] == list(iter_bad_statuses(data))

    def test_every_figure_and_claim_has_provenance(self, data):
        """Levels, requirements, profiles, rubric, method, bands, lifecycle
        restrictions, validators and claims all carry provenance."""
        assert [] == list(iter_missing_provenance(data))

    def test_every_claim_names_a_place_in_the_pack(self, data):
        """A claim's ``about`` resolves to a place in the pack's data."""
        assert [] == list(iter_dangling_claims(data))


class TestShippedCrosswalks:
    def test_gbt39116_ships_one(self):
        """The DB12 → GB/T crosswalk is among the checked ones."""
        assert [("gbt39116", "db12t1073-gbt39116.json")] == [
            (pack, name) for pack, name, _ in CROSSWALKS
        ]

    @pytest.mark.parametrize(
        "crosswalk", [c for _, _, c in CROSSWALKS], ids=lambda c: c["id"]
    )
    def test_has_provenance_with_a_known_status(self, crosswalk):
        """A crosswalk's provenance block exists and has a known status."""
        assert "provenance" in crosswalk
        assert [] == list(iter_bad_statuses(crosswalk))


class TestTheChecks:
    """The checks above find what they look for."""

    @pytest.fixture
    def copy(self) -> dict[str, Any]:
        text = files("maturity_pack_bcgrading").joinpath("pack.json")
        return json.loads(text.read_text("utf-8"))

    def test_a_status_outside_the_five_is_reported(self, copy):
        """A made-up status is as bad as none."""
        copy["requirements"][3]["provenance"]["status"] = "guessed"
        del copy["rubric"]["provenance"]["status"]

        assert [
            "$.requirements[3].provenance",
            "$.rubric.provenance",
        ] == list(iter_bad_statuses(copy))

    def test_a_status_in_free_form_metadata_is_checked(self, copy):
        """Provenance inside metadata is held to the same statuses."""
        copy["metadata"]["extra"] = {"provenance": {"source": "somewhere"}}

        assert ["$.metadata.extra.provenance"] == list(
            iter_bad_statuses(copy)
        )

    def test_a_profile_without_provenance_is_reported(self, copy):
        """Weights need provenance like requirements do."""
        del copy["profiles"][0]["provenance"]

        assert ["$.profiles[0].provenance"] == list(
            iter_missing_provenance(copy)
        )

    def test_a_restriction_without_its_own_provenance_is_reported(
        self, copy
    ):
        """The lifecycle block's provenance does not cover a restriction."""
        del copy["lifecycle"]["field_provenance"]["level_change_modes"]

        assert ["$.lifecycle.field_provenance.level_change_modes"] == list(
            iter_missing_provenance(copy)
        )

    def test_a_validator_without_a_claim_is_reported(self, copy):
        """A rule in code is a claim too."""
        copy["metadata"]["claims"] = []

        assert ["$.validators[0] (no metadata.claims entry about it)"] == (
            list(iter_missing_provenance(copy))
        )

    def test_a_claim_about_nothing_is_reported(self, copy):
        """An ``about`` path that resolves nowhere is reported."""
        copy["metadata"]["claims"][0]["about"] = "$.validators[7]"

        assert ["$.validators[7]"] == list(iter_dangling_claims(copy))
