"""
Every path follows one semantics: on generated packs of every shape
(depths, weights, rubrics with and without ``na``, both aggregations,
every built-in rule, pack rules with and without a vectorised fold),
random assessments and tailorings, these agree exactly with
:func:`maturity_core.score`: :func:`score_many`, the gap analysis's
claimed gains, the plan's resulting level, population node statistics
and weight sensitivity.  Plans stay minimal against brute force.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import attrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import maturity_core as mc

from . import strategies as gen


pytestmark = pytest.mark.property
law = settings(deadline=None)


def _load(data, raw):
    pack = mc.load_pack(data)
    assessment = mc.Assessment.from_dict(raw)
    return pack, assessment


def _compiled(pack, result):
    """The batch model of *result*'s profile, rule and tailoring."""
    return mc.batch.compile_model(
        pack,
        result.profile,
        rule=result.rule,
        tailoring=result.assessment.tailoring,
    )


def _rescored(pack, result, changes):
    return mc.score(
        pack,
        result.assessment.with_ratings(changes),
        profile=result.profile,
        rule=result.rule,
    )


@law
@given(gen.general_packs_and_assessments())
def test_batch_equals_scalar_on_every_shape(pair):
    """score_many gives score()'s X, S, level and counted levels."""
    pack, assessment = _load(*pair)
    result = mc.score(pack, assessment)
    model = _compiled(pack, result)
    batch = mc.batch.score_many(model, [assessment.ratings_by_id])

    assert (
        result.level_scores,
        result.score,
        result.level,
        result.counted_levels,
    ) == (
        batch.level_scores(0),
        batch.score(0),
        batch.level(0),
        int(batch.counted[0]),
    )


def _population_case(case):
    data, raw, population = case
    pack, assessment = _load(data, raw)
    result = mc.score(pack, assessment)
    model = _compiled(pack, result)
    return pack, assessment, result, model, population


@law
@given(gen.general_packs_and_populations())
def test_batch_equals_scalar_on_populations_with_na(case):
    """Row by row, a population with many na cells scores in batch as
    score() scores each assessment: X, S, level and counted levels."""
    pack, assessment, result, model, population = _population_case(case)
    batch = mc.batch.score_many(model, population)
    expected = []
    for ratings in population:
        row = mc.score(
            pack,
            assessment.with_ratings(ratings),
            profile=result.profile,
            rule=result.rule,
        )
        expected.append(
            (row.level_scores, row.score, row.level, row.counted_levels)
        )

    assert expected == [
        (
            batch.level_scores(i),
            batch.score(i),
            batch.level(i),
            int(batch.counted[i]),
        )
        for i in range(len(population))
    ]


@law
@given(gen.general_packs_and_populations())
def test_na_rows_stay_off_the_exact_path(case):
    """With a rule that has a vectorised fold and reads no node scores,
    no row (na or not) is scored one by one."""
    _, _, _, model, population = _population_case(case)
    rule = model.semantics.rule
    assume(rule.vector_fold is not None and not rule.sees_nodes)

    assert mc.batch.score_many(model, population).rows_on_exact_path == 0


@law
@given(gen.general_packs_and_populations())
def test_batch_frame_equals_exact_scores_with_na(case):
    """to_pandas shows each row's exact S and X, na rows included."""
    _, _, _, model, population = _population_case(case)
    batch = mc.batch.score_many(model, population)
    frame = batch.to_pandas()

    columns = ["score", *(f"X{k}" for k in model.levels)]

    assert [
        [batch.score(i), *batch.level_scores(i)]
        for i in range(len(population))
    ] == [
        [Fraction(text) for text in row]
        for row in frame[columns].to_numpy().tolist()
    ]


@law
@given(gen.general_packs_and_assessments())
def test_node_statistics_equal_scalar_node_scores(pair):
    """Population node scores equal the result's node scores."""
    pack, assessment = _load(*pair)
    result = mc.score(pack, assessment)
    model = _compiled(pack, result)
    codes = model.encode(assessment.ratings_by_id)[None, :]
    nodes = list(result.nodes)
    per_node = mc.batch.node_scores(model, codes, nodes)

    for node in nodes:
        assert dict(result.nodes[node]) == {
            k: per_node.score(node, 0, k)
            for k in pack.level_numbers
            if per_node.score(node, 0, k) is not None
        }


@law
@given(gen.general_packs_and_assessments())
def test_claimed_gains_equal_rescoring(pair):
    """Each gap's level gain and gain are what re-scoring shows."""
    pack, assessment = _load(*pair)
    result = mc.score(pack, assessment)
    assume(pack.has_levels)
    analysis = mc.analysis.gap_analysis(pack, result)

    for gap in analysis.gaps[:4]:
        after = _rescored(pack, result, {gap.requirement: gap.top})
        k = gap.level - 1

        assert after.level_scores[k] - result.level_scores[k] == gap.level_gain
        assert after.score - result.score == gap.gain


@law
@given(gen.general_packs_and_assessments())
def test_plan_level_equals_rescoring(pair):
    """A plan's level is the re-scored level, and it reaches the target."""
    pack, assessment = _load(*pair)
    result = mc.score(pack, assessment)
    assume(pack.has_levels and result.semantics.rule.monotone)
    try:
        plan = mc.analysis.improvement_plan(pack, result)
    except mc.ScoringError as e:
        assert "cannot be reached" in str(e) or "needs S ≥" in str(e)
        return
    after = _rescored(pack, result, {u.requirement: u.to for u in plan.upgrades})

    assert (after.score, after.level) == (plan.score, plan.level)
    assert (after.level or 0) >= plan.target


@law
@given(gen.general_packs_and_assessments())
def test_sensitivity_crossings_change_the_level(pair):
    """Just inside a reported distance the level holds; at it or just
    past it, re-scoring shows the reported level."""
    pack, assessment = _load(*pair)
    result = mc.score(pack, assessment)

    def level(node, delta):
        moved = _with_weight(pack, result.profile, node, delta)
        return mc.score(
            moved, assessment, profile=result.profile, rule=result.rule
        ).level

    for entry in mc.analysis.weight_sensitivity(pack, result)[:2]:
        for sign, distance, reported in (
            (-1, entry.down, entry.level_down),
            (1, entry.up, entry.level_up),
        ):
            if distance is None or not entry.exact:
                continue
            # The distance may be an infimum the level reaches only past it.
            assert result.level == level(
                entry.node, sign * distance * (1 - EPSILON)
            )
            at = level(entry.node, sign * distance)
            if at == result.level:
                at = level(entry.node, sign * (distance + EPSILON))

            assert reported == at


#: How far "just inside" and "just past" a crossing are, relatively.
EPSILON = Fraction(1, 2**40)


def _with_weight(pack, profile_id, node, delta):
    profile = pack.profiles[profile_id]
    weights = dict(profile.weights)
    w = weights[node]
    for child in pack.nodes[pack.parents[node]].children:
        if child.id != node and child.id in weights:
            weights[child.id] = weights[child.id] * (1 - w - delta) / (1 - w)
    weights[node] = w + delta
    prof = attrs.evolve(profile, weights=weights)
    return attrs.evolve(pack, profiles={**pack.profiles, prof.id: prof})


@st.composite
def small_cases(draw):
    data, raw = draw(gen.general_packs_and_assessments(tailor=False))
    assume(len(raw["ratings"]) <= 9)
    return data, raw


@law
@given(small_cases())
def test_plan_is_minimal_against_brute_force(case):
    """No smaller set of upgrades to the top reaches the plan's target."""
    pack, assessment = _load(*case)
    result = mc.score(pack, assessment)
    assume(pack.has_levels and result.semantics.rule.monotone)
    try:
        plan = mc.analysis.improvement_plan(pack, result)
    except mc.ScoringError:
        return
    if not plan.upgrades:
        return
    candidates = [
        g.requirement for g in mc.analysis.gap_analysis(pack, result, target=max(
            pack.level_numbers
        )).gaps
    ]
    tops = {
        r.id: pack.rubric_of(r).top.id
        for r in pack.requirements
        if r.id in candidates
    }
    for size in range(len(plan.upgrades)):
        for subset in itertools.combinations(candidates, size):
            after = _rescored(pack, result, {rid: tops[rid] for rid in subset})

            assert (after.level or 0) < plan.target


@law
@given(gen.general_packs_and_assessments())
def test_node_totals_fold_node_level_scores(pair):
    """A node's total is the rule applied to its own level scores."""
    pack, assessment = _load(*pair)
    result = mc.score(pack, assessment)
    rule = mc.get_rule(result.rule)
    for node, scores in result.nodes.items():
        xs = tuple(scores.get(k, Fraction(0)) for k in pack.level_numbers)

        assert rule(xs, pack.method.gate, result.nodes).score == (
            result.node_totals[node]
        )


@law
@given(gen.general_packs_and_assessments())
def test_batch_node_totals_equal_the_results(pair):
    """node_totals gives every node's total and level as score() does."""
    pack, assessment = _load(*pair)
    result = mc.score(pack, assessment)
    model = _compiled(pack, result)
    codes = model.encode(assessment.ratings_by_id)[None, :]
    totals = mc.batch.node_totals(model, codes)

    for node, total in result.node_totals.items():
        level = int(totals.levels[node][0])

        assert (total, result.node_levels[node]) == (
            totals.total(node, 0),
            None if level < 0 else level,
        )


def _write_population(path, model, rows):
    """*rows* (requirement id → rating or None) as a wide file with a key."""
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.csv as pacsv  # noqa: PLC0415
    import pyarrow.parquet as pq  # noqa: PLC0415

    columns = {"org": [f"o{i}" for i in range(len(rows))]}
    for rid in model.requirement_ids:
        columns[rid] = [row.get(rid) for row in rows]
    table = pa.table(
        {k: pa.array(v, pa.string()) for k, v in columns.items()}
    )
    if path.suffix == ".csv":
        pacsv.write_csv(table, path)
    else:
        pq.write_table(table, path)


@law
@given(
    gen.general_packs_and_populations(),
    st.sampled_from([".parquet", ".csv"]),
    st.integers(min_value=1, max_value=3),
    st.data(),
)
def test_file_path_equals_score_many_and_scalar(case, suffix, chunk, data):
    """
    A population written to a file and scored by score_file (two
    workers, small chunks, unrated cells under unrated='none') equals
    score_many on the same rows and score() row by row: exact S, X,
    level and counted levels; the float columns are the exact values
    rounded; the rows scored one by one are counted alike.
    """
    import tempfile  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    import pyarrow.parquet as pq  # noqa: PLC0415

    pack, assessment, result, model, population = _population_case(case)
    cells = [
        (i, rid)
        for i in range(len(population))
        for rid in model.requirement_ids
    ]
    dropped = data.draw(st.sets(st.sampled_from(cells), max_size=4))
    rows = [
        {
            rid: (None if (i, rid) in dropped else rating)
            for rid, rating in row.items()
        }
        for i, row in enumerate(population)
    ]
    expected = []
    for row in rows:
        scored = mc.score(
            pack,
            attrs.evolve(
                assessment,
                ratings=tuple(
                    mc.RatingEntry(rid, rating)
                    for rid, rating in row.items()
                    if rating is not None
                ),
            ),
            profile=result.profile,
            rule=result.rule,
            unrated="none",
        )
        expected.append(
            [
                str(scored.score),
                *(str(x) for x in scored.level_scores),
                scored.counted_levels,
                float(scored.score),
            ]
        )
    batch = mc.batch.score_many(model, rows, unrated="none")
    with tempfile.TemporaryDirectory() as tmp:
        source, out = Path(tmp) / f"in{suffix}", Path(tmp) / "out.parquet"
        _write_population(source, model, rows)
        summary = mc.batch.score_file(
            model,
            source,
            out,
            keys=["org"],
            unrated="none",
            chunk_rows=chunk,
            workers=2,
            floats=True,
        )
        frame = pq.read_table(out).to_pandas()
    xs = [f"X{k}" for k in model.levels]

    assert expected == [
        [
            str(batch.score(i)),
            *(str(x) for x in batch.level_scores(i)),
            int(batch.counted[i]),
            float(batch.score(i)),
        ]
        for i in range(len(rows))
    ]
    assert expected == [
        [row["score"], *(row[x] for x in xs), row["counted_levels"],
         row["score_float"]]
        for row in frame.to_dict("records")
    ]  # fmt: skip
    if pack.has_levels:
        assert [
            -1 if (lv := batch.level(i)) is None else lv
            for i in range(len(rows))
        ] == frame["level"].tolist()
    assert batch.rows_on_exact_path == summary.rows_on_exact_path
