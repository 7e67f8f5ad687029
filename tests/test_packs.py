"""Discovering, loading and validating packs."""

from __future__ import annotations

import json
from importlib.metadata import EntryPoint

import pytest

import maturity_core as mc


def _ep(name: str, value: str) -> EntryPoint:
    return EntryPoint(name=name, value=value, group="maturity_core.packs")


class TestDiscovery:
    def test_injected_entry_points_are_listed(self):
        """discover_packs accepts entry points instead of installed ones."""
        infos = mc.discover_packs(entry_points=[_ep("x", "pkg_x")])

        assert [("x", "pkg_x")] == [(i.id, i.entry_point) for i in infos]

    def test_environment_variable_turns_discovery_off(self, monkeypatch):
        """MATURITY_CORE_NO_PLUGINS=1 hides every installed pack."""
        monkeypatch.setenv("MATURITY_CORE_NO_PLUGINS", "1")

        assert () == mc.discover_packs()

    def test_unknown_id_lists_installed_packs(self):
        """PackNotFoundError names the installed packs."""
        with pytest.raises(mc.exceptions.PackNotFoundError, match="db12t1073"):
            mc.load_pack("no-such-pack")

    def test_entry_point_name_must_equal_pack_id(self):
        """A pack registered under another name is rejected."""
        ep = _ep("other", "maturity_pack_db12t1073")

        with pytest.raises(
            mc.exceptions.InvalidPackError, match="must equal the pack id"
        ):
            mc.load_pack("other", entry_points=[ep])

    def test_installed_pack_is_cached(self):
        """Loading an installed pack twice returns the same object."""
        assert mc.load_pack("db12t1073") is mc.load_pack("db12t1073")


class TestLoading:
    def test_directory_and_file_paths_load(self, tiny_dir):
        """A pack loads from its directory or its pack.json."""
        by_dir = mc.load_pack(tiny_dir)
        by_file = mc.load_pack(str(tiny_dir / "pack.json"))

        assert by_dir.content_hash == by_file.content_hash
        assert not by_dir.trusted

    def test_content_hash_ignores_key_order(self, tiny_dir):
        """The hash is of canonical JSON, not of the file's bytes."""
        data = json.loads((tiny_dir / "pack.json").read_text("utf-8"))
        reordered = dict(reversed(list(data.items())))

        assert mc.load_pack(data).content_hash == (
            mc.load_pack(reordered).content_hash
        )

    def test_tree_indexes(self, tiny):
        """Nodes, parents and ancestors are indexed."""
        assert "a" == tiny.parents["a1"]
        assert ["a"] == list(tiny.ancestors("a1"))
        assert {"a1", "a2", "b1"} == {
            n.id for n in tiny.nodes.values() if n.is_leaf
        }


class TestProblems:
    def test_valid_pack_has_no_problems(self, tiny_dir):
        """The fixture pack is valid."""
        data = json.loads((tiny_dir / "pack.json").read_text("utf-8"))

        assert [] == list(mc.iter_pack_problems(data))

    def test_all_problems_are_reported_together(self, tiny_dir):
        """Two independent faults give two problems with their paths."""
        data = json.loads((tiny_dir / "pack.json").read_text("utf-8"))
        data["profiles"][0]["weights"]["a"] = "0.5"
        data["requirements"][1]["id"] = "a1.x.1"
        paths = {p.json_path for p in mc.iter_pack_problems(data)}

        assert {"$.profiles[0].weights", "$.requirements[1].id"} <= paths

    def test_non_object_is_a_problem_not_an_exception(self):
        """iter_pack_problems never raises."""
        assert ["schema"] == [p.code for p in mc.iter_pack_problems([1, 2])]

    def test_weight_for_excluded_node_is_a_problem(self, tiny_dir):
        """A profile may not weigh a node it excludes."""
        data = json.loads((tiny_dir / "pack.json").read_text("utf-8"))
        data["profiles"][1]["weights"]["a2"] = "0"
        codes = [p.code for p in mc.iter_pack_problems(data)]

        assert "excluded-node" in codes

    def test_in_scope_leaf_without_requirements_is_a_problem(self, tiny_dir):
        """Every in-scope leaf needs requirements."""
        data = json.loads((tiny_dir / "pack.json").read_text("utf-8"))
        data["requirements"] = [
            r for r in data["requirements"] if r["node"] != "b1"
        ]
        codes = [p.code for p in mc.iter_pack_problems(data)]

        assert "empty-leaf" in codes

    def test_unknown_rule_is_a_problem(self, tiny_dir):
        """The method must name a registered rule."""
        data = json.loads((tiny_dir / "pack.json").read_text("utf-8"))
        data["method"]["rule"] = "majority-vote"
        problems = list(mc.iter_pack_problems(data))

        assert ["$.method.rule"] == [p.json_path for p in problems]


class TestTestingHelpers:
    def test_assessment_strategy_gives_scorable_assessments(self):
        """maturity_core.testing.assessments draws valid, complete assessments."""
        from hypothesis import given, settings

        from maturity_core.testing import assessments

        pack = mc.load_pack("bcgrading")
        seen = []

        @settings(max_examples=15, deadline=None)
        @given(assessments(pack))
        def check(assessment):
            result = mc.score(pack, assessment)
            seen.append(result.level)
            assert 0 <= result.level <= 5

        check()
        assert 15 == len(seen)
