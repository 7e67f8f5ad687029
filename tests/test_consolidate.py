"""Consolidating several assessors' ratings, against hand computation."""

# ruff: noqa: SIM300
# SIM300: the expected value comes first (house style H12).

from __future__ import annotations

from fractions import Fraction

import pytest

import maturity_core as mc
from maturity_core.analysis._consolidate import (
    AgreementStats,
    Disagreement,
    agreement_statistics,
    consolidate,
)


#: Five requirements of the tiny pack, one per row of the tables below.
FIVE = ("a1.x.1", "a1.y.1", "a2.z.1", "b1.w.1", "a1.x.2")


def _assessment(
    name: str | None, ratings: dict[str, str | None], **extra
) -> mc.Assessment:
    metadata = extra.pop("metadata", {})
    if name is not None:
        metadata = {**metadata, "assessors": [{"name": name}]}
    return mc.Assessment.from_dict(
        {
            "pack": "tiny",
            "metadata": metadata,
            "ratings": [{"id": k, "rating": v} for k, v in ratings.items()],
            **extra,
        }
    )


def _team(*columns: tuple[str | None, ...]) -> list[mc.Assessment]:
    """One assessment per column of ratings, rating FIVE in order."""
    names = ("Ann", "Bo", "Cy", "Di")
    return [
        _assessment(name, dict(zip(FIVE, column, strict=True)))
        for name, column in zip(names, columns, strict=False)
    ]


#: 3 assessors × 5 requirements (rows: requirements; columns: assessors).
#:
#:   requirement  Ann   Bo       Cy       | n_full n_most n_part n_none n_na
#:   a1.x.1       full  full     full     |   3      0      0      0     0
#:   a1.y.1       full  full     most     |   2      1      0      0     0
#:   a2.z.1       most  partial  partial  |   0      1      2      0     0
#:   b1.w.1       none  none     none     |   0      0      0      3     0
#:   a1.x.2       na    na       partial  |   0      0      1      0     2
#:   column sums                          |   5      2      3      3     2
THREE_RATERS = (
    ("full", "full", "most", "none", "na"),
    ("full", "full", "partial", "none", "na"),
    ("full", "most", "partial", "none", "partial"),
)

#: 2 assessors × 5 requirements.
#:
#:   requirement  Ann      Bo
#:   a1.x.1       full     full
#:   a1.y.1       full     most
#:   a2.z.1       most     most
#:   b1.w.1       none     none
#:   a1.x.2       partial  none
TWO_RATERS = (
    ("full", "full", "most", "none", "partial"),
    ("full", "most", "most", "none", "none"),
)


class TestFleissKappa:
    def test_hand_computed_three_raters(self, tiny):
        """
        Fleiss' kappa of THREE_RATERS is 14/29, computed by hand.

        n = 3 raters, N = 5 subjects; n(n − 1) = 6.
        P_i = (Σ_j n_ij² − n) / 6:
          a1.x.1: (9 − 3) / 6         = 1
          a1.y.1: (4 + 1 − 3) / 6     = 1/3
          a2.z.1: (1 + 4 − 3) / 6     = 1/3
          b1.w.1: (9 − 3) / 6         = 1
          a1.x.2: (1 + 4 − 3) / 6     = 1/3
        P̄ = (1 + 1/3 + 1/3 + 1 + 1/3) / 5 = 3 / 5.
        p_j = column sum / (N n) = /15:
          full 5/15 = 1/3, most 2/15, partial 3/15 = 1/5,
          none 3/15 = 1/5, na 2/15.
        P̄_e = 1/9 + 4/225 + 1/25 + 1/25 + 4/225
            = (25 + 4 + 9 + 9 + 4) / 225 = 51/225 = 17/75.
        κ = (3/5 − 17/75) / (1 − 17/75) = (28/75) / (58/75) = 14/29.
        """
        stats = agreement_statistics(tiny, _team(*THREE_RATERS))

        assert Fraction(14, 29) == stats.fleiss_kappa

    def test_intermediate_terms(self, tiny):
        """P̄ = 3/5 and P̄_e = 17/75 for THREE_RATERS, as derived above."""
        stats = agreement_statistics(tiny, _team(*THREE_RATERS))

        assert (Fraction(3, 5), Fraction(17, 75)) == (
            stats.mean_agreement,
            stats.chance_agreement,
        )

    def test_category_proportions_include_na(self, tiny):
        """p_j is given per rating id in rubric order, na as a category."""
        stats = agreement_statistics(tiny, _team(*THREE_RATERS))

        assert (
            ("full", Fraction(1, 3)),
            ("most", Fraction(2, 15)),
            ("partial", Fraction(1, 5)),
            ("none", Fraction(1, 5)),
            ("na", Fraction(2, 15)),
        ) == stats.proportions

    def test_observed_is_the_share_all_agree_on(self, tiny):
        """All three agree on a1.x.1 and b1.w.1: 2 of 5."""
        stats = agreement_statistics(tiny, _team(*THREE_RATERS))

        assert (5, 3, Fraction(2, 5)) == (
            stats.subjects,
            stats.raters,
            stats.observed,
        )

    def test_no_cohen_kappa_for_three_raters(self, tiny):
        """Cohen's kappa is defined for two raters only."""
        stats = agreement_statistics(tiny, _team(*THREE_RATERS))

        assert None is stats.cohen_kappa

    def test_subjects_are_requirements_rated_by_all(self, tiny):
        """A requirement one assessor left unrated is not a subject."""
        ann, bo = _team(
            ("full", "full", "most", "none", "na"),
            ("full", "full", "most", "none", None),
        )

        stats = agreement_statistics(tiny, [ann, bo])

        assert (4, Fraction(1)) == (stats.subjects, stats.observed)

    def test_kappa_is_none_when_chance_agreement_is_one(self, tiny):
        """Everyone rating everything full gives P̄_e = 1: kappa undefined."""
        columns = [("full",) * 5] * 3

        stats = agreement_statistics(tiny, _team(*columns))

        assert (Fraction(1), None, Fraction(1)) == (
            stats.chance_agreement,
            stats.fleiss_kappa,
            stats.observed,
        )

    def test_no_subjects(self, tiny):
        """With nothing rated by all, every statistic is None."""
        ann, bo = _team((None,) * 5, ("full",) * 5)

        assert AgreementStats(0, 2, None, None) == agreement_statistics(
            tiny, [ann, bo]
        )


class TestCohenKappa:
    def test_hand_computed_two_raters(self, tiny):
        """
        Cohen's kappa of TWO_RATERS is 9/19, computed by hand.

        N = 5; they agree on a1.x.1, a2.z.1, b1.w.1: p_o = 3/5.
        Marginals: Ann full 2, most 1, none 1, partial 1;
                   Bo  full 1, most 2, none 2.
        p_e = Σ_j (a_j / 5)(b_j / 5) = (2·1 + 1·2 + 1·2 + 1·0) / 25
            = 6/25.
        κ = (3/5 − 6/25) / (1 − 6/25) = (9/25) / (19/25) = 9/19.
        """
        stats = agreement_statistics(tiny, _team(*TWO_RATERS))

        assert Fraction(9, 19) == stats.cohen_kappa

    def test_fleiss_pools_the_marginals(self, tiny):
        """
        Fleiss' kappa of TWO_RATERS is 4/9, not Cohen's 9/19.

        With n = 2, P_i is 1 where they agree and 0 elsewhere: P̄ = 3/5.
        Pooled p_j over 10 ratings: full 3/10, most 3/10, none 3/10,
        partial 1/10; P̄_e = (9 + 9 + 9 + 1) / 100 = 7/25.
        κ = (3/5 − 7/25) / (1 − 7/25) = (8/25) / (18/25) = 4/9.
        """
        stats = agreement_statistics(tiny, _team(*TWO_RATERS))

        assert Fraction(4, 9) == stats.fleiss_kappa

    def test_cohen_is_none_when_chance_agreement_is_one(self, tiny):
        """Both rating everything full leaves Cohen's kappa undefined."""
        stats = agreement_statistics(tiny, _team(("full",) * 5, ("full",) * 5))

        assert None is stats.cohen_kappa


class TestConsensus:
    def test_unanimous_ratings_are_kept(self, tiny):
        """Requirements every assessor rated alike keep that rating."""
        same = ("full", "most", "partial", "none", "na")

        result = consolidate(tiny, _team(same, same, same))

        assert dict(zip(FIVE, same, strict=True)) == dict(
            result.assessment.ratings_by_id
        )

    def test_disagreement_fails_and_is_listed(self, tiny):
        """The error lists every disagreeing requirement with its ratings."""
        with pytest.raises(mc.AssessmentError) as info:
            consolidate(tiny, _team(*TWO_RATERS))

        assert [
            ("$[0].ratings[1].rating", "disagreement"),
            ("$[0].ratings[4].rating", "disagreement"),
        ] == [(p.json_path, p.code) for p in info.value.problems]
        assert "a1.y.1: Ann full, Bo most" in str(info.value)
        assert "a1.x.2: Ann partial, Bo none" in str(info.value)

    def test_allowed_disagreements_are_left_unrated(self, tiny):
        """With allow_disagreement, disagreeing requirements are unrated."""
        result = consolidate(tiny, _team(*TWO_RATERS), allow_disagreement=True)

        assert {
            "a1.x.1": "full",
            "a1.y.1": None,
            "a2.z.1": "most",
            "b1.w.1": "none",
            "a1.x.2": None,
        } == dict(result.assessment.ratings_by_id)

    def test_allowed_disagreements_are_reported(self, tiny):
        """The disagreements name each assessor's rating, in pack order."""
        result = consolidate(tiny, _team(*TWO_RATERS), allow_disagreement=True)

        assert (
            Disagreement("a1.y.1", (("Ann", "full"), ("Bo", "most"))),
            Disagreement("a1.x.2", (("Ann", "partial"), ("Bo", "none"))),
        ) == result.disagreements

    def test_one_assessor_leaving_it_unrated_is_a_disagreement(self, tiny):
        """A rating some assessors did not give is not agreed."""
        ann, bo = _team(("full",) * 5, ("full", "full", "full", "full", None))

        result = consolidate(tiny, [ann, bo], allow_disagreement=True)

        assert (
            (Disagreement("a1.x.2", (("Ann", "full"), ("Bo", None))),),
            None,
        ) == (result.disagreements, result.assessment.rating_of("a1.x.2"))


class TestMedian:
    def test_odd_count_takes_the_middle(self, tiny):
        """full, most, partial: the median is most."""
        ann, bo, cy = _team(("full",) * 5, ("most",) * 5, ("partial",) * 5)

        result = consolidate(tiny, [ann, bo, cy], rule="median")

        assert "most" == result.assessment.rating_of("a1.x.1")

    def test_even_count_takes_the_lower_middle(self, tiny):
        """full, most, partial, none: values 0, 0.5, 0.8, 1; lower is 0.5."""
        team = _team(
            ("full",) * 5, ("most",) * 5, ("partial",) * 5, ("none",) * 5
        )

        result = consolidate(tiny, team, rule="median")

        assert "partial" == result.assessment.rating_of("a1.x.1")

    def test_even_count_of_two_takes_the_lower(self, tiny):
        """full and most between two assessors consolidate to most."""
        result = consolidate(tiny, _team(*TWO_RATERS), rule="median")

        assert {
            "a1.x.1": "full",
            "a1.y.1": "most",
            "a2.z.1": "most",
            "b1.w.1": "none",
            "a1.x.2": "none",
        } == dict(result.assessment.ratings_by_id)

    def test_ratings_are_ordered_by_value_not_by_name(self, tiny):
        """none, full, partial: the median by value is partial."""
        team = _team(("none",) * 5, ("full",) * 5, ("partial",) * 5)

        result = consolidate(tiny, team, rule="median")

        assert "partial" == result.assessment.rating_of("b1.w.1")

    def test_strict_majority_of_na_is_na(self, tiny):
        """na, na, full: two of three say not applicable."""
        team = _team(("na",) * 5, ("na",) * 5, ("full",) * 5)

        result = consolidate(tiny, team, rule="median")

        assert "na" == result.assessment.rating_of("a1.x.1")

    def test_half_na_is_not_a_majority(self, tiny):
        """na, na, most, partial: na is set aside; lower of 0.5, 0.8."""
        team = _team(("na",) * 5, ("na",) * 5, ("most",) * 5, ("partial",) * 5)

        result = consolidate(tiny, team, rule="median")

        assert "partial" == result.assessment.rating_of("a1.x.1")

    def test_minority_na_is_set_aside(self, tiny):
        """na, full, full: the na vote is ignored."""
        team = _team(("na",) * 5, ("full",) * 5, ("full",) * 5)

        result = consolidate(tiny, team, rule="median")

        assert "full" == result.assessment.rating_of("a1.x.1")

    def test_unrated_votes_are_set_aside(self, tiny):
        """Unrated, full, none: the median of full and none is none."""
        team = _team((None,) * 5, ("full",) * 5, ("none",) * 5)

        result = consolidate(tiny, team, rule="median")

        assert "none" == result.assessment.rating_of("a1.x.1")

    def test_disagreements_are_still_listed(self, tiny):
        """The median never fails, but reports where assessors differ."""
        result = consolidate(tiny, _team(*THREE_RATERS), rule="median")

        assert ("a1.y.1", "a1.x.2", "a2.z.1") == tuple(
            d.requirement for d in result.disagreements
        )

    def test_agreement_is_measured_too(self, tiny):
        """The consolidation carries the agreement statistics."""
        result = consolidate(tiny, _team(*THREE_RATERS), rule="median")

        assert Fraction(14, 29) == result.agreement.fleiss_kappa


class TestInputs:
    def test_fewer_than_two_assessments(self, tiny):
        """One assessment is nothing to consolidate."""
        with pytest.raises(mc.AssessmentError, match="at least two"):
            consolidate(tiny, _team(("full",) * 5))

    def test_unknown_rule(self, tiny):
        """The rule must be consensus or median."""
        with pytest.raises(ValueError, match="'mean'"):
            consolidate(tiny, _team(*TWO_RATERS), rule="mean")

    def test_different_pack(self, tiny):
        """An assessment of another pack is reported at its position."""
        other = mc.Assessment.from_dict({"pack": "db12t1073", "ratings": []})

        with pytest.raises(mc.AssessmentError) as info:
            consolidate(tiny, [*_team(("full",) * 5), other])

        assert "$[1].pack" == info.value.json_path

    def test_different_profile(self, tiny):
        """Assessors must score under one profile."""
        ann = _assessment("Ann", {"a1.x.1": "full"})
        bo = _assessment("Bo", {"a1.x.1": "full"}, profile="thirds")

        with pytest.raises(mc.AssessmentError, match="'thirds'") as info:
            consolidate(tiny, [ann, bo])

        assert "$[1].profile" == info.value.json_path

    def test_default_profile_named_or_not_is_the_same(self, tiny):
        """Naming the default profile matches leaving it out."""
        ann = _assessment("Ann", {"a1.x.1": "full"})
        bo = _assessment("Bo", {"a1.x.1": "full"}, profile="even")

        assert 1 == len(consolidate(tiny, [ann, bo]).assessment.ratings)

    def test_profile_argument_overrides(self, tiny):
        """An explicit profile applies to every assessment, as in score."""
        ann = _assessment("Ann", {"a1.x.1": "full"})
        bo = _assessment("Bo", {"a1.x.1": "full"}, profile="thirds")

        result = consolidate(tiny, [ann, bo], profile="even")

        assert "even" == result.assessment.profile

    def test_unknown_profile_in_an_assessment(self, tiny):
        """An assessment naming no profile of the pack is reported."""
        ann = _assessment("Ann", {"a1.x.1": "full"})
        bo = _assessment("Bo", {"a1.x.1": "full"}, profile="odd")

        with pytest.raises(mc.AssessmentError, match="'odd'") as info:
            consolidate(tiny, [ann, bo])

        assert "$[1].profile" == info.value.json_path

    def test_unknown_profile_argument(self, tiny):
        """An unknown profile argument is reported at the top."""
        with pytest.raises(mc.AssessmentError, match="'odd'") as info:
            consolidate(tiny, _team(*TWO_RATERS), profile="odd")

        assert "$" == info.value.json_path

    def test_different_rule(self, tiny):
        """Assessors must score by one level rule."""
        ann = _assessment("Ann", {"a1.x.1": "full"})
        bo = _assessment(
            "Bo", {"a1.x.1": "full"}, rule="cumulative-gated-unit"
        )

        with pytest.raises(mc.AssessmentError) as info:
            consolidate(tiny, [ann, bo])

        assert "$[1].rule" == info.value.json_path

    def test_different_tailoring(self, tiny):
        """Assessors must assess the same scope."""
        ann = _assessment("Ann", {"a1.x.1": "full"})
        bo = _assessment(
            "Bo",
            {"a1.x.1": "full"},
            tailoring=[{"node": "a2", "reason": "no such process"}],
        )

        with pytest.raises(mc.AssessmentError, match=r"\[a2\]") as info:
            consolidate(tiny, [ann, bo])

        assert "$[1].tailoring" == info.value.json_path

    def test_different_organisation(self, tiny):
        """Assessments of two organisations do not consolidate."""
        ann = _assessment(
            "Ann", {"a1.x.1": "full"}, metadata={"organisation": "X Co"}
        )
        bo = _assessment(
            "Bo", {"a1.x.1": "full"}, metadata={"organisation": "Y Co"}
        )

        with pytest.raises(mc.AssessmentError) as info:
            consolidate(tiny, [ann, bo])

        assert "$[1].metadata.organisation" == info.value.json_path

    def test_invalid_rating_is_reported_at_its_assessment(self, tiny):
        """Each assessment is checked against the pack, path prefixed."""
        ann = _assessment("Ann", {"a1.x.1": "full"})
        bo = _assessment("Bo", {"a1.x.1": "great"})

        with pytest.raises(mc.AssessmentError) as info:
            agreement_statistics(tiny, [ann, bo])

        assert "$[1].ratings[0].rating" == info.value.json_path


class TestConsolidatedAssessment:
    def test_assessors_are_the_union_in_order(self, tiny):
        """Ann+Bo and Bo+Cy consolidate to Ann, Bo, Cy."""
        pair = {"assessors": [{"name": "Ann", "role": "lead"}, {"name": "Bo"}]}
        ab = _assessment(None, {"a1.x.1": "full"}, metadata=pair)
        bc = _assessment(
            None,
            {"a1.x.1": "full"},
            metadata={"assessors": [{"name": "Bo"}, {"name": "Cy"}]},
        )

        result = consolidate(tiny, [ab, bc])

        assert (
            mc.Assessor("Ann", "lead"),
            mc.Assessor("Bo"),
            mc.Assessor("Cy"),
        ) == result.assessment.metadata.assessors

    def test_metadata_is_kept_with_the_latest_date(self, tiny):
        """Organisation and mode are kept; the date is the latest."""
        ann = _assessment(
            "Ann",
            {"a1.x.1": "full"},
            metadata={"organisation": "X Co", "date": "2024-03-02"},
        )
        bo = _assessment(
            "Bo",
            {"a1.x.1": "full"},
            metadata={"date": "2024-03-05", "mode": "external"},
        )

        meta = consolidate(tiny, [ann, bo]).assessment.metadata

        assert ("X Co", "2024-03-05", "external") == (
            meta.organisation,
            meta.date,
            meta.mode,
        )

    def test_evidence_and_notes_are_merged(self, tiny):
        """Every assessor's evidence is kept, and notes carry their names."""
        ann = mc.Assessment.from_dict(
            {
                "pack": "tiny",
                "metadata": {"assessors": [{"name": "Ann"}]},
                "ratings": [
                    {
                        "id": "a1.x.1",
                        "rating": "full",
                        "evidence": "SOP-1",
                        "note": "seen",
                    }
                ],
            }
        )
        bo = _assessment("Bo", {"a1.x.1": "full"})

        entry = consolidate(tiny, [ann, bo]).assessment.ratings[0]

        assert ((mc.Evidence("SOP-1"),), "Ann: seen") == (
            entry.evidence,
            entry.note,
        )

    def test_unnamed_assessors_are_numbered(self, tiny):
        """Without names, assessors are known by position."""
        a = _assessment(None, {"a1.x.1": "full"})
        b = _assessment(None, {"a1.x.1": "most"})

        result = consolidate(tiny, [a, b], rule="median")

        assert (("#1", "full"), ("#2", "most")) == result.disagreements[
            0
        ].ratings

    def test_assessor_named_on_every_rating(self, tiny):
        """Without metadata, the assessor every rating names is used."""
        a = mc.Assessment.from_dict(
            {
                "pack": "tiny",
                "ratings": [
                    {"id": "a1.x.1", "rating": "full", "assessor": "Ann"}
                ],
            }
        )
        b = _assessment("Bo", {"a1.x.1": "most"})

        result = consolidate(tiny, [a, b], rule="median")

        assert (("Ann", "Bo"), (mc.Assessor("Ann"), mc.Assessor("Bo"))) == (
            result.assessors,
            result.assessment.metadata.assessors,
        )

    def test_same_name_twice_is_told_apart(self, tiny):
        """Two assessments by one name are numbered by position."""
        a = _assessment("Ann", {"a1.x.1": "full"})
        b = _assessment("Ann", {"a1.x.1": "most"})

        result = consolidate(tiny, [a, b], rule="median")

        assert ("Ann #1", "Ann #2") == result.assessors

    def test_consolidated_assessment_scores(self, tiny):
        """The consolidated assessment is an ordinary, scorable one."""
        everything = {r.id: "full" for r in tiny.requirements}
        ann = _assessment("Ann", everything)
        bo = _assessment("Bo", {**everything, "b1.w.3": "most"})

        merged = consolidate(tiny, [ann, bo], rule="median").assessment

        result = mc.score(tiny, merged)

        # X = (1, 1, 0.6 × 1 + 0.4 × 0.8 = 0.92): S = 2.92.
        assert Fraction(73, 25) == result.score


class TestReport:
    def test_to_dict_has_exact_strings(self, tiny):
        """Agreement figures are exact strings in the report."""
        report = consolidate(tiny, _team(*THREE_RATERS), rule="median")

        data = report.to_dict()

        assert ("median", "14/29", "2/5", None) == (
            data["rule"],
            data["agreement"]["fleiss_kappa"],
            data["agreement"]["observed"],
            data["agreement"]["cohen_kappa"],
        )

    def test_to_dict_lists_disagreements(self, tiny):
        """Each disagreement names every assessor's rating."""
        report = consolidate(tiny, _team(*TWO_RATERS), allow_disagreement=True)

        assert {
            "requirement": "a1.y.1",
            "ratings": [
                {"assessor": "Ann", "rating": "full"},
                {"assessor": "Bo", "rating": "most"},
            ],
        } == report.to_dict()["disagreements"][0]

    def test_to_dict_includes_the_assessment(self, tiny):
        """The report carries the consolidated assessment, re-readable."""
        report = consolidate(tiny, _team(*TWO_RATERS), rule="median")

        again = mc.Assessment.from_dict(report.to_dict()["assessment"])

        assert report.assessment.ratings_by_id == again.ratings_by_id
