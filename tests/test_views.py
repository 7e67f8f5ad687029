"""repr() of a result, an assessment and a plan is one line; rich prints
the full view."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

import maturity_core as mc
from maturity_core import analysis, cli


EXAMPLE = Path(__file__).parents[1] / "examples" / "db12t1073-discrete.json"


@pytest.fixture(scope="module")
def assessment() -> mc.Assessment:
    return mc.Assessment.from_path(EXAMPLE)


@pytest.fixture(scope="module")
def result(assessment: mc.Assessment) -> mc.Result:
    return mc.score(mc.load_pack("db12t1073"), assessment)


@pytest.fixture(scope="module")
def plan(result: mc.Result) -> analysis.Plan:
    return analysis.improvement_plan(result.pack, result)


def _printed(value: object, *, markup: bool = True) -> str:
    out = io.StringIO()
    Console(file=out, width=110, markup=markup, soft_wrap=True).print(value)
    return out.getvalue()


class TestRepr:
    @pytest.mark.parametrize("name", ["assessment", "result", "plan"])
    def test_repr_is_one_line(self, name, request):
        """repr() is one line of fewer than 200 characters."""
        text = repr(request.getfixturevalue(name))

        assert ([text], True) == (text.splitlines(), len(text) < 200)

    def test_plan_repr_names_its_target(self, plan):
        """repr() of a plan says the level it reaches for."""
        assert repr(plan).startswith(f"<Plan to level {plan.target}:")


class TestResultView:
    def test_rich_prints_the_level_score_table(self, result):
        """The full view holds one row per level with its exact score."""
        text = _printed(result)

        assert [] == [
            lv.number
            for lv, x in zip(result.pack.levels, result.level_scores)
            if str(x) not in text
        ]

    def test_rich_prints_the_score_and_the_trace(self, result):
        """The view ends with S, the level and every trace step."""
        text = _printed(result)

        assert [] == [s.message for s in result.trace if s.message not in text]
        assert f"exact {result.score})" in text

    def test_the_view_is_what_maturity_score_prints(self, result):
        """maturity score prints the view (in the pack's language)."""
        out = io.StringIO()
        cli.run(["score", str(EXAMPLE)], stdout=out)

        assert out.getvalue() == _printed(result, markup=False)

    def test_the_view_takes_a_language(self, result):
        """view(lang) names the levels in that language."""
        name = result.pack.levels[0].name.get("en")

        assert name in _printed(result.view("en"))

    def test_brackets_in_names_are_not_markup(self, assessment):
        """An organisation called "[bold]x" prints as it is."""
        data = assessment.to_dict()
        data["metadata"]["organisation"] = "[bold]x[/bold]"
        marked = mc.score(
            mc.load_pack("db12t1073"), mc.Assessment.from_dict(data)
        )

        assert "Organisation: [bold]x[/bold]" in _printed(marked)


class TestAssessmentView:
    def test_rich_prints_every_rating(self, assessment):
        """The view holds one row per rated requirement."""
        text = _printed(assessment)

        assert [] == [
            r.requirement
            for r in assessment.ratings
            if r.requirement not in text
        ]

    def test_rich_counts_the_rated_requirements(self, assessment):
        """The ratings table's title counts the rated requirements."""
        rated = sum(1 for r in assessment.ratings if r.rating is not None)

        assert f"Ratings ({rated}/{len(assessment.ratings)} rated)" in (
            _printed(assessment)
        )


class TestPlanView:
    def test_rich_prints_every_upgrade(self, plan):
        """The view holds one row per upgrade, with where it goes."""
        text = _printed(plan)

        assert [] == [
            u.requirement for u in plan.upgrades if u.requirement not in text
        ]

    def test_rich_prints_the_predicted_score(self, plan):
        """The view states the exact predicted S."""
        assert f"(exact {plan.score})" in _printed(plan)
