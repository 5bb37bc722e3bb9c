"""Item analysis and learning gain (pckb.training.analysis): hand-computed examples, an independent
plain-Python implementation, brute-force and Monte-Carlo checks, properties and degenerate inputs."""

import dataclasses
import itertools
import math
import statistics

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from pckb.training.analysis import (
    aggregate_gain,
    cronbach_alpha_se,
    item_analysis,
    learning_gain,
    topic_scores,
)

# 5 participants x 3 one-mark items; totals 3, 2, 1, 1, 0.
SMALL = np.array([[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 1, 0], [0, 0, 0]], dtype=float)


def close(a, b, tol=1e-9):
    if a is None or b is None:
        return a is b
    if isinstance(a, tuple):
        return len(a) == len(b) and all(close(u, v, tol) for u, v in zip(a, b, strict=True))
    return math.isclose(a, b, rel_tol=tol, abs_tol=tol)


def assert_same(x, y, tol=1e-9):
    for f in dataclasses.fields(x):
        assert close(getattr(x, f.name), getattr(y, f.name), tol), (
            f.name,
            getattr(x, f.name),
            getattr(y, f.name),
        )


# --------------------------------------------------------------------------------------------------------
# hand-computed


def test_small_matrix_by_hand():
    r = item_analysis(SMALL, [1, 1, 1])
    s = r.summary
    # V(x1) = V(x2) = 1.2/4 = 0.3, V(x3) = 0.8/4 = 0.2, V(T) = 5.2/4 = 1.3
    assert s.n_attempts == 5 and s.n_items == 3 and s.max_total == 3
    assert s.mean == pytest.approx(1.4) and s.median == 1.0
    assert s.sd == pytest.approx(math.sqrt(1.3))
    assert s.cronbach_alpha == pytest.approx(15 / 26)  # 3/2 * (1 - 0.8/1.3)
    assert s.internal_consistency_pct == pytest.approx(1500 / 26)
    assert s.error_ratio_pct == pytest.approx(100 * math.sqrt(11 / 26))
    assert s.standard_error == pytest.approx(math.sqrt(11 / 26) * math.sqrt(1.3))
    assert r.column("facility_pct") == pytest.approx([60, 60, 20])
    assert r.column("sd_pct") == pytest.approx(
        [100 * math.sqrt(0.3), 100 * math.sqrt(0.3), 100 * math.sqrt(0.2)]
    )
    # item 1: C(x1, X1) = 0.6/4 = 0.15, V(X1) = 0.7 -> r = 0.15/sqrt(0.21)
    # item 3: C(x3, X3) = 0.8/4 = 0.2,  V(X3) = 0.7 -> r = 0.2/sqrt(0.14)
    assert r.column("discrimination_pct") == pytest.approx(
        [150 / math.sqrt(21), 150 / math.sqrt(21), 20 / math.sqrt(0.14)]
    )
    # sorted pairing: item 1 -> C_max = 1.6/4 = 0.4 (DE 37.5 %); item 3 is already perfectly ordered.
    assert r.column("discriminative_efficiency_pct") == pytest.approx([37.5, 37.5, 100])
    # C(x_i, T) = V(x_i) + C(x_i, X_i): 0.45, 0.45, 0.4 over V(T) = 1.3
    assert r.column("variance_share_pct") == pytest.approx([4500 / 130, 4500 / 130, 4000 / 130])
    root = np.sqrt([0.45, 0.45, 0.4])
    assert r.column("effective_weight_pct") == pytest.approx(100 * root / root.sum())
    assert r.column("intended_weight_pct") == pytest.approx([100 / 3] * 3)
    assert r.column("item_total_r") == pytest.approx(
        [0.45 / math.sqrt(0.3 * 1.3)] * 2 + [0.4 / math.sqrt(0.26)]
    )
    # top/bottom 27 % of 5 = 1 participant each (totals 3 and 0)
    assert s.group_size == 1
    assert r.column("upper_lower_index") == pytest.approx([1, 1, 1])
    assert list(r.totals) == [3, 2, 1, 1, 0]


def reference(scores, max_marks):
    """Straightforward per-item implementation with Python lists and the statistics module."""
    rows = [[0.0 if math.isnan(v) else v for v in row] for row in scores.tolist()]
    n_items = len(max_marks)
    totals = [sum(row) for row in rows]
    out = []
    for i in range(n_items):
        col = [row[i] for row in rows]
        rest = [t - c for t, c in zip(totals, col, strict=True)]
        cov_rest = statistics.covariance(col, rest)
        best = statistics.covariance(sorted(col), sorted(rest))
        out.append(
            {
                "facility_pct": 100 * statistics.mean(col) / max_marks[i],
                "sd_pct": 100 * statistics.stdev(col) / max_marks[i],
                "discrimination_pct": 100 * statistics.correlation(col, rest),
                "discriminative_efficiency_pct": 100 * cov_rest / best,
                "item_total_r": statistics.correlation(col, totals),
                "variance_share_pct": 100 * statistics.covariance(col, totals) / statistics.variance(totals),
                "non_responses": sum(math.isnan(row[i]) for row in scores.tolist()),
            }
        )
    item_var = sum(statistics.variance([row[i] for row in rows]) for i in range(n_items))
    alpha = n_items / (n_items - 1) * (1 - item_var / statistics.variance(totals))
    return out, alpha


def test_matches_independent_implementation():
    rng = np.random.default_rng(7)
    max_marks = [1.0, 2.0, 0.5, 3.0]
    scores = np.column_stack([rng.integers(0, 2 * m + 1, 9) / 2 for m in max_marks])
    scores[[1, 4], [2, 0]] = np.nan
    r = item_analysis(scores, max_marks)
    expected, alpha = reference(scores, max_marks)
    assert r.summary.cronbach_alpha == pytest.approx(alpha)
    for item, exp in zip(r.items, expected, strict=True):
        for key, value in exp.items():
            assert getattr(item, key) == pytest.approx(value), (item.index, key)


def test_sorted_pairing_is_the_maximum_covariance():
    """Brute force over all pairings: C_max really is the largest achievable covariance."""
    scores = np.array([[2, 1, 0], [1, 1, 1], [0, 0, 1], [2, 0, 0], [1, 1, 1], [0, 1, 0]], dtype=float)
    r = item_analysis(scores, [2, 1, 1])
    totals = scores.sum(axis=1)
    for i, item in enumerate(r.items):
        col, rest = scores[:, i].tolist(), (totals - scores[:, i]).tolist()
        best = max(statistics.covariance(col, list(p)) for p in itertools.permutations(rest))
        assert item.discriminative_efficiency_pct == pytest.approx(
            100 * statistics.covariance(col, rest) / best
        )


def test_skewness_and_kurtosis_match_scipy_unbiased_forms():
    rng = np.random.default_rng(3)
    scores = (rng.random((40, 6)) < rng.random(6)).astype(float)
    s = item_analysis(scores, np.ones(6)).summary
    totals = scores.sum(axis=1)
    assert s.skewness == pytest.approx(sps.skew(totals, bias=False))
    assert s.kurtosis == pytest.approx(sps.kurtosis(totals, fisher=True, bias=False))
    assert s.median == np.median(totals)


def test_effective_weight_is_none_for_negative_covariance():
    # item 3 is answered right exactly by those who fail the others
    scores = np.array([[1, 1, 0], [1, 1, 0], [1, 0, 0], [0, 0, 1], [0, 0, 1], [1, 1, 0]], dtype=float)
    r = item_analysis(scores, [1, 1, 1])
    cov_t = [statistics.covariance(scores[:, i].tolist(), scores.sum(axis=1).tolist()) for i in range(3)]
    assert cov_t[2] < 0
    assert r.items[2].effective_weight_pct is None
    roots = [math.sqrt(c) for c in cov_t[:2]]
    assert r.items[0].effective_weight_pct == pytest.approx(100 * roots[0] / sum(roots))
    assert r.column("variance_share_pct").sum() == pytest.approx(100)
    assert r.items[2].discrimination_pct < 0


# --------------------------------------------------------------------------------------------------------
# standard error of alpha


def test_alpha_se_reduces_to_compound_symmetry_formula():
    for n_items, rho, n in [(5, 0.3, 100), (12, 0.6, 40), (2, 0.1, 1000)]:
        cov = 4.0 * ((1 - rho) * np.eye(n_items) + rho * np.ones((n_items, n_items)))
        alpha = n_items * rho / (1 + (n_items - 1) * rho)
        expected = math.sqrt(2 * n_items * (1 - alpha) ** 2 / ((n_items - 1) * n))
        assert cronbach_alpha_se(cov, n) == pytest.approx(expected)


def test_alpha_se_agrees_with_monte_carlo():
    """Simulated sampling distribution of alpha for a non-compound-symmetric covariance."""
    rng = np.random.default_rng(11)
    loadings = np.array([0.9, 0.7, 0.6, 0.5, 0.3, 0.8])
    cov = np.outer(loadings, loadings) + np.diag([0.4, 0.6, 0.5, 1.0, 0.9, 0.3])
    n, reps, k = 400, 3000, len(loadings)
    data = rng.multivariate_normal(np.zeros(k), cov, size=(reps, n))
    c = data - data.mean(axis=1, keepdims=True)
    item_var = (c**2).sum(axis=1)
    total_var = c.sum(axis=2) ** 2
    alphas = k / (k - 1) * (1 - item_var.sum(axis=1) / total_var.sum(axis=1))
    se = cronbach_alpha_se(cov, n)
    assert np.std(alphas, ddof=1) == pytest.approx(se, rel=0.1)
    # and the value item_analysis reports is the formula applied to the sample covariance
    sample = data[0]
    shifted = sample - sample.min(axis=0)
    r = item_analysis(shifted, shifted.max(axis=0))
    assert r.summary.alpha_se == pytest.approx(cronbach_alpha_se(np.cov(shifted.T), n))
    assert r.summary.alpha_se == pytest.approx(se, rel=0.2)


def test_alpha_se_undefined_cases():
    assert math.isnan(cronbach_alpha_se(np.eye(1), 50))
    assert math.isnan(cronbach_alpha_se(np.eye(3), 1))
    assert math.isnan(cronbach_alpha_se(np.zeros((3, 3)), 50))


# --------------------------------------------------------------------------------------------------------
# degenerate inputs


@pytest.mark.filterwarnings("error")
def test_single_participant():
    r = item_analysis([[1, 0.5, np.nan]], [1, 1, 1])
    s = r.summary
    assert (s.n_attempts, s.mean, s.median, s.group_size) == (1, 1.5, 1.5, 1)
    assert s.sd is s.skewness is s.kurtosis is s.cronbach_alpha is s.alpha_se is s.standard_error is None
    assert r.column("facility_pct") == pytest.approx([100, 50, 0])
    assert all(it.discrimination_pct is None and it.sd_pct is None for it in r.items)
    assert r.items[2].non_responses == 1


@pytest.mark.filterwarnings("error")
def test_item_everyone_got_right_has_no_correlations():
    scores = SMALL.copy()
    scores[:, 1] = 1
    r = item_analysis(scores, [1, 1, 1])
    easy = r.items[1]
    assert easy.facility_pct == 100 and easy.sd_pct == 0
    assert easy.discrimination_pct is None and easy.discriminative_efficiency_pct is None
    assert easy.item_total_r is None
    assert easy.variance_share_pct == 0 and easy.effective_weight_pct == 0
    assert r.items[0].discrimination_pct is not None and r.summary.cronbach_alpha is not None


@pytest.mark.filterwarnings("error")
def test_all_scores_zero():
    r = item_analysis(np.zeros((6, 4)), [1, 2, 1, 1])
    s = r.summary
    assert s.mean == 0 and s.sd == 0
    assert s.cronbach_alpha is None and s.error_ratio_pct is None and s.skewness is None
    assert all(it.facility_pct == 0 and it.discrimination_pct is None for it in r.items)
    assert all(it.effective_weight_pct is None for it in r.items)


@pytest.mark.filterwarnings("error")
def test_single_item():
    r = item_analysis(SMALL[:, :1], [1])
    assert r.summary.cronbach_alpha is None and r.summary.alpha_se is None
    assert r.items[0].facility_pct == 60
    assert r.items[0].discrimination_pct is None  # the rest of the test is empty (constant)
    assert r.items[0].item_total_r == pytest.approx(1)
    assert r.items[0].variance_share_pct == pytest.approx(100) and r.items[0].effective_weight_pct == 100


@pytest.mark.filterwarnings("error")
def test_rest_constant_up_to_rounding_counts_as_constant():
    # rest of item 0 is (x0 + 1) - x0, which is 1 only up to rounding for these decimals
    x = np.array([[0.1, 1], [0.3, 1], [0.7, 1], [0.9, 1], [0.2, 1]])
    assert np.ptp(x.sum(axis=1)[:, None] - x, axis=0)[0] > 0  # the premise: rounding noise exists
    r = item_analysis(x, [1, 1])
    assert r.items[0].discrimination_pct is None and r.items[0].discriminative_efficiency_pct is None
    assert r.items[0].item_total_r == pytest.approx(1)
    assert r.summary.cronbach_alpha == pytest.approx(0)  # 2 * (1 - V(x0) / V(x0))


@pytest.mark.filterwarnings("error")
def test_no_attempts():
    r = item_analysis(np.zeros((0, 2)), [1, 1], np.zeros((0, 2), int), [4, 0])
    assert r.summary.n_attempts == 0 and r.summary.mean is None and r.summary.group_size == 0
    assert r.items[0].facility_pct is None and r.items[0].option_counts == (0, 0, 0, 0)


def test_invalid_inputs_are_rejected():
    with pytest.raises(ValueError, match="outside"):
        item_analysis([[2.0]], [1])
    with pytest.raises(ValueError, match="outside"):
        item_analysis([[-0.5]], [1])
    with pytest.raises(ValueError, match="max_marks"):
        item_analysis([[1, 1]], [1])
    with pytest.raises(ValueError, match="responses"):
        item_analysis([[1]], [1], [[4]], [4])
    with pytest.raises(ValueError, match="responses"):
        item_analysis([[1]], [1], [[0, 1]], [4])


# --------------------------------------------------------------------------------------------------------
# distractors


def test_distractor_counts_overall_and_by_group():
    # 10 participants, item 0: 3 options (option 1 correct), item 1: free-text (no options)
    resp = np.array([1, 1, 1, 0, 1, 2, -1, 0, 2, 0])
    other = np.array([5, 4, 4, 3, 3, 3, 2, 1, 1, 0], dtype=float)  # marks on a 5-mark item
    scores = np.column_stack([(resp == 1).astype(float), other])
    scores[6, 0] = np.nan
    responses = np.column_stack([resp, np.full(10, 7)])  # ignored on the non-MCQ item
    r = item_analysis(scores, [1, 5], responses, [3, 0])
    item = r.items[0]
    assert item.option_counts == (3, 4, 2)
    assert item.random_guess_pct == pytest.approx(100 / 3)
    assert item.non_responses == 1
    # totals 6 5 5 3 4 2 2 1 1 0; 27 % of 10 -> 3 per group.
    assert r.summary.group_size == 3
    assert item.upper_option_counts == pytest.approx((0, 3, 0))  # participants 0, 1, 2
    # bottom: total 0 (p9, option 0) and 1 (p7 option 0, p8 option 2); strict, no ties at the cut
    assert item.lower_option_counts == pytest.approx((2, 0, 1))
    assert r.items[1].option_counts == () and r.items[1].random_guess_pct is None
    assert item.upper_lower_index == pytest.approx(1.0)


def test_ties_at_the_group_cutoff_share_the_places():
    # totals: 3, 2, 2, 2, 1, 1, 1, 1, 0, 0 ... group size round(2.7) = 3
    totals = [3, 2, 2, 2, 1, 1, 1, 1, 0, 0]
    resp = np.array([0, 1, 1, 2, 0, 0, 0, 0, 1, 2])
    scores = np.array([[min(t, 3)] for t in totals], dtype=float)
    r = item_analysis(scores, [3], resp[:, None], [3])
    # top: participant 0 fully, then 2 places shared by the three 2s (2/3 each): options 1, 1, 2
    assert r.items[0].upper_option_counts == pytest.approx((1, 4 / 3, 2 / 3))
    # bottom: both zeros fully (options 1, 2), 1 place shared by the four 1s (all option 0)
    assert r.items[0].lower_option_counts == pytest.approx((1, 1, 1))
    assert sum(r.items[0].upper_option_counts) == pytest.approx(3)


# --------------------------------------------------------------------------------------------------------
# properties


@st.composite
def score_tables(draw, min_items=1):
    n_p = draw(st.integers(2, 25))
    n_i = draw(st.integers(min_items, 6))
    max_marks = draw(st.lists(st.integers(1, 4), min_size=n_i, max_size=n_i))
    cells = st.one_of(st.integers(0, 10).map(lambda v: v / 10), st.just(math.nan))  # not exact in binary
    fractions = draw(st.lists(st.lists(cells, min_size=n_i, max_size=n_i), min_size=n_p, max_size=n_p))
    scores = np.array(fractions) * np.array(max_marks, dtype=float)
    n_options = np.array(draw(st.lists(st.integers(0, 4), min_size=n_i, max_size=n_i)))
    seed = draw(st.integers(0, 2**32 - 1))
    responses = np.random.default_rng(seed).integers(-1, np.maximum(n_options, 1), (n_p, n_i))
    return scores, np.array(max_marks, dtype=float), responses, n_options


@settings(max_examples=60, deadline=None)
@given(score_tables())
def test_facility_and_alpha_are_bounded(case):
    r = item_analysis(*case)
    f = r.column("facility_pct")
    assert np.all((f >= -1e-9) & (f <= 100 + 1e-9))
    if r.summary.cronbach_alpha is not None:
        assert r.summary.cronbach_alpha <= 1 + 1e-9
        assert r.summary.error_ratio_pct >= 0
    d = r.column("discrimination_pct")
    assert np.all(np.isnan(d) | (np.abs(d) <= 100 + 1e-7))
    # DE <= 100 % (the sorted pairing is the maximum), with the sign of D; it can fall below -100 %
    e = r.column("discriminative_efficiency_pct")
    assert np.all(np.isnan(e) | (e <= 100 + 1e-7))
    both = ~np.isnan(e) & ~np.isnan(d) & (np.abs(d) > 1e-6)
    assert np.array_equal(np.sign(e[both]), np.sign(d[both]))
    share = r.column("variance_share_pct")
    if not np.isnan(share).all():
        assert share.sum() == pytest.approx(100)


@settings(max_examples=40, deadline=None)
@given(score_tables())
def test_adding_a_constant_item_changes_no_other_item(case):
    scores, max_marks, responses, n_options = case
    base = item_analysis(scores, max_marks)
    const = np.full((scores.shape[0], 1), 1.0)
    more = item_analysis(np.hstack([scores, const]), np.append(max_marks, 2.0))
    for a, b in zip(base.items, more.items[:-1], strict=False):
        for field in ("facility_pct", "sd_pct", "discrimination_pct", "discriminative_efficiency_pct"):
            assert close(getattr(a, field), getattr(b, field), 1e-7), field
    assert more.items[-1].facility_pct == 50 and more.items[-1].discrimination_pct is None


@settings(max_examples=40, deadline=None)
@given(score_tables(), st.randoms(use_true_random=False))
def test_permuting_participants_changes_nothing(case, random):
    scores, max_marks, responses, n_options = case
    order = list(range(scores.shape[0]))
    random.shuffle(order)
    a = item_analysis(scores, max_marks, responses, n_options)
    b = item_analysis(scores[order], max_marks, responses[order], n_options)
    # Summing in another order moves a quantity at rounding level (~1e-14); a square root of it moves by
    # ~1e-7. Statistics are shown to three decimals, so agreement to 1e-6 is what a reader can notice.
    assert_same(a.summary, b.summary, 1e-6)
    for x, y in zip(a.items, b.items, strict=True):
        assert_same(x, y, 1e-6)
    assert np.array_equal(a.totals[order], b.totals)


# --------------------------------------------------------------------------------------------------------
# learning gain


def test_learning_gain_per_participant():
    pre = [2, 5, 10, np.nan, 4, 10]
    post = [6, 10, 10, 7, 2, 8]
    r = learning_gain(pre, post, 10)
    # (6-2)/8, (10-5)/5, pre == max -> undefined, missing pre, (2-4)/6, pre == max -> undefined
    np.testing.assert_allclose(r.gain, [0.5, 1.0, np.nan, np.nan, -1 / 3, np.nan])
    assert r.paired.tolist() == [True, True, True, False, True, True]
    s = r.summary
    assert s.n_paired == 5 and s.n_gain == 3
    assert s.mean_pre == pytest.approx(31 / 5) and s.mean_post == pytest.approx(36 / 5)
    assert s.mean_gain == pytest.approx((0.5 + 1 - 1 / 3) / 3)
    assert s.hake_gain == pytest.approx((36 / 5 - 31 / 5) / (10 - 31 / 5))


def test_learning_gain_everyone_at_maximum():
    r = learning_gain([5, 5], [5, 4], 5)
    assert np.isnan(r.gain).all()
    assert r.summary.n_gain == 0 and r.summary.mean_gain is None and r.summary.hake_gain is None
    assert learning_gain([np.nan], [3], 5).summary.n_paired == 0
    with pytest.raises(ValueError):
        learning_gain([6], [3], 5)
    with pytest.raises(ValueError):
        learning_gain([1, 2], [3], 5)


def test_aggregate_gain_by_group_matches_separate_calls():
    pre = np.array([2, 4, 6, np.nan, 8, 10, 0, 5])
    post = np.array([4, 7, 6, 9, np.nan, 10, 10, 5])
    groups = np.array(["b", "a", "a", "b", "c", "a", "b", "a"])
    out = aggregate_gain(pre, post, 10, groups)
    assert list(out) == ["a", "b", "c"]
    for label, summary in out.items():
        mask = groups == label
        assert_same(summary, learning_gain(pre[mask], post[mask], 10).summary)
    a = out["a"]  # pairs (4,7) (6,6) (10,10) (5,5)
    assert a.n_paired == 4 and a.n_gain == 3
    assert a.mean_gain == pytest.approx((3 / 6 + 0 + 0) / 3)
    assert a.hake_gain == pytest.approx((7 - 6.25) / (10 - 6.25))
    assert out["c"].n_paired == 0 and out["c"].mean_pre is None
    assert set(aggregate_gain(pre, post, 10, [7, 7, 3, 3, 3, 3, 3, 3])) == {3, 7}


def test_topic_scores_and_topic_gains():
    scores = np.array([[1, 0.5, 2, np.nan], [np.nan] * 4, [0, 1, 1, 1]])
    t = topic_scores(scores, ["law", "drill", "law", "drill"], [1, 1, 2, 3])
    assert t.topics == ("drill", "law")
    np.testing.assert_allclose(t.max_marks, [4, 3])
    np.testing.assert_allclose(t.scores, [[0.5, 3], [np.nan, np.nan], [2, 1]])
    post = np.array([[1, 1, 2, 3], [1, 1, 2, 3], [1, 1, 2, 0]])
    after = topic_scores(post, ["law", "drill", "law", "drill"], [1, 1, 2, 3])
    g = learning_gain(t.scores[:, 1], after.scores[:, 1], t.max_marks[1])
    np.testing.assert_allclose(g.gain, [np.nan, np.nan, 1.0])
