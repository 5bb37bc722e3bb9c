"""Statistics behind the knowledge tests of training conferences: item analysis and learning gain.

Pure numpy (no Django): the functions take score matrices and return frozen dataclasses, so they can be
used from views, background tasks, management commands and benchmarks alike.

Item analysis (:func:`item_analysis`)
    Follows the definitions of Moodle's quiz statistics report ("Quiz statistics calculations" in the
    Moodle documentation; written from memory of that page and of Moodle's ``question/classes/statistics``
    calculator, so the two places where memory and the brief disagree are flagged below). Notation:
    ``P`` participants (attempts), ``I`` items, ``x_i`` the score on item ``i``, ``T = sum_i x_i`` the
    total, ``X_i = T - x_i`` the *rest of the test*. All variances and covariances use the sample
    divisor ``P - 1``, as Moodle does.

    * facility ``F_i = 100 * mean(x_i) / max_i`` (%);
    * standard deviation ``SD_i = 100 * sqrt(V(x_i)) / max_i`` (% of the item's maximum);
    * random guess score ``100 / n_options`` (%) for single-answer items with a known number of options;
    * intended weight ``100 * max_i / sum_j max_j`` (%);
    * effective weight (Moodle) ``100 * sqrt(C(x_i, T)) / sum_j sqrt(C(x_j, T))`` over the items whose
      covariance with the total is non-negative; an item with ``C(x_i, T) < 0`` gets ``None`` (Moodle
      prints a "negative covariance" warning there);
    * variance share ``100 * C(x_i, T) / V(T) = 100 * (V(x_i) + C(x_i, X_i)) / V(T)`` (%) — the
      decomposition of the total-score variance into item shares (they sum to exactly 100). The brief
      called this "Moodle's effective weight"; Moodle's formula (as remembered) takes square roots, so both
      are reported;
    * discrimination index ``D_i = 100 * r(x_i, X_i)`` (%): Pearson correlation with the rest of the test;
    * discriminative efficiency ``DE_i = 100 * C(x_i, X_i) / C_max(x_i, X_i)`` (%), where
      ``C_max = 1/(P-1) * sum_s (x_i,(s) - mean x_i) * (X_i,(s) - mean X_i)`` with ``x_i,(s)`` and
      ``X_i,(s)`` the two columns *each sorted ascending independently*: pairing the order statistics gives
      the largest covariance any pairing of these two marginal distributions can reach (rearrangement
      inequality), so ``DE`` says how close the item gets to the best discrimination it could possibly
      achieve given its own score distribution. Hence ``DE <= 100``; it has the sign of ``D`` and, for a
      negatively discriminating item, can fall below ``-100`` (the anti-sorted minimum is not ``-C_max``);
    * item–total (point-biserial for 0/1 items) correlation ``r(x_i, T)``, a fraction in [-1, 1];
    * upper–lower index ``(mean x_i in the top 27 % − mean x_i in the bottom 27 %) / max_i`` (Kelley's
      groups by total score, a fraction in [-1, 1]);
    * distractor counts: how many participants chose each option, overall and within the top and bottom
      27 % groups; non-responses (NaN scores).

    Test level: attempts, mean, median, sample SD, skewness ``G1 = k3 / k2^(3/2)`` and excess kurtosis
    ``G2 = k4 / k2^2`` (the unbiased k-statistic forms that Moodle, Excel ``SKEW``/``KURT`` and
    ``scipy.stats.skew/kurtosis(bias=False)`` use), Cronbach's alpha
    ``alpha = I/(I-1) * (1 - sum_i V(x_i) / V(T))`` (Moodle's coefficient of internal consistency is
    ``100 * alpha``), error ratio ``ER = 100 * sqrt(1 - alpha)`` (%) and standard error of measurement
    ``SEM = ER/100 * SD(T)`` (marks).

    Standard error of alpha: the normal-theory asymptotic standard error of van Zyl, Neudecker & Nel
    (2000, *Psychometrika* 65, 271–280), popularised by Duhachek & Iacobucci (2004, *J. Applied
    Psychology* 89, 792–808). With ``S`` the ``I x I`` item covariance matrix and ``j`` the vector of ones,

        ``Q = 2 I^2 / ((I-1)^2 (j'Sj)^3) * [ (j'Sj) (tr S^2 + (tr S)^2) - 2 (tr S) (j'S^2 j) ]``,
        ``SE(alpha) = sqrt(Q / P)``.

    It makes no compound-symmetry assumption; under compound symmetry (equal variances and covariances)
    it reduces to ``SE = sqrt(2 I (1 - alpha)^2 / ((I - 1) P))`` — note ``I`` and ``I - 1``, not their
    squares. The test suite checks this reduction and compares the formula with a Monte-Carlo simulation.

Undefined values
    Whatever cannot be computed is ``None`` in the result dataclasses (and NaN in numpy arrays): a
    correlation or efficiency when either variable has zero variance (an item everyone answered alike, a
    rest-of-test that is constant — e.g. ``I = 1`` — or a single participant); SDs with fewer than two
    participants; skewness with fewer than three and kurtosis with fewer than four; alpha and its SE,
    error ratio and SEM with one item or a constant total; effective weights when no item covaries
    positively with the total. A total or rest-of-test whose sample variance is below
    ``(1e-9 * maximum total)^2`` is constant up to floating-point rounding and treated as constant.
    Nothing raises on such inputs; invalid inputs (shapes, scores outside
    ``[0, max]``, option indices out of range) raise ``ValueError``.

Non-responses
    A NaN score means "not answered"; it counts as 0 in every statistic (as an unanswered question
    scores 0 in Moodle) and is counted in ``ItemStats.non_responses``.

Learning gain (:func:`learning_gain`, :func:`aggregate_gain`, :func:`topic_scores`)
    Hake's normalised gain per participant ``g = (post - pre) / (max - pre)``: the fraction of the possible
    improvement that was achieved (``g <= 1``; negative when the participant did worse; unbounded below
    when ``pre`` is close to ``max``). It is undefined (NaN) when ``pre == max`` (nothing left to gain) or
    when either test is missing (NaN). Group summaries use only *paired* participants (both tests present)
    and report the mean of individual gains (ignoring undefined ones) and the class-average gain
    ``<g> = (mean post - mean pre) / (max - mean pre)`` (Hake 1998, *Am. J. Phys.* 66, 64–74).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "GROUP_FRACTION",
    "GainResult",
    "GroupGain",
    "ItemStats",
    "TestAnalysis",
    "TestSummary",
    "TopicScores",
    "aggregate_gain",
    "cronbach_alpha_se",
    "item_analysis",
    "learning_gain",
    "topic_scores",
]

GROUP_FRACTION = 0.27
"""Kelley's upper/lower group size, as a fraction of the participants."""

_TOL = 1e-9


@dataclass(frozen=True, slots=True)
class ItemStats:
    """Statistics of one item. Percentages are on a 0–100 scale; ``None`` means undefined."""

    index: int
    max_mark: float
    mean: float | None
    """Mean score in marks (non-responses count 0)."""
    facility_pct: float | None
    sd_pct: float | None
    random_guess_pct: float | None
    intended_weight_pct: float
    effective_weight_pct: float | None
    variance_share_pct: float | None
    discrimination_pct: float | None
    discriminative_efficiency_pct: float | None
    item_total_r: float | None
    upper_lower_index: float | None
    non_responses: int
    option_counts: tuple[int, ...]
    """Participants choosing option ``k`` (empty for items that are not single-answer)."""
    upper_option_counts: tuple[float, ...]
    """The same within the top 27 % by total score (fractional when ties straddle the cut-off)."""
    lower_option_counts: tuple[float, ...]
    """The same within the bottom 27 % by total score."""


@dataclass(frozen=True, slots=True)
class TestSummary:
    """Test-level statistics (marks unless the field name says ``_pct``)."""

    n_attempts: int
    n_items: int
    max_total: float
    mean: float | None
    median: float | None
    sd: float | None
    skewness: float | None
    kurtosis: float | None
    """Excess kurtosis (0 for a normal distribution)."""
    cronbach_alpha: float | None
    """Fraction, at most 1 (may be negative)."""
    internal_consistency_pct: float | None
    """Moodle's CIC, ``100 * alpha``."""
    alpha_se: float | None
    """Asymptotic standard error of alpha (fraction), van Zyl et al. (2000)."""
    error_ratio_pct: float | None
    standard_error: float | None
    """Standard error of measurement, ``sqrt(1 - alpha) * SD``, in marks."""
    group_size: int
    """Size of each of Kelley's upper and lower groups (27 %, at least 1 when there is any attempt)."""


@dataclass(frozen=True, slots=True, eq=False)
class TestAnalysis:
    """Result of :func:`item_analysis`. ``totals`` is each participant's total score (NaN counted 0)."""

    summary: TestSummary
    items: tuple[ItemStats, ...]
    totals: NDArray[np.float64]

    def column(self, field: str) -> NDArray[np.float64]:
        """One numeric item field as a float array, ``None`` becoming NaN (handy for plots and tests)."""
        return np.array([np.nan if (v := getattr(it, field)) is None else v for it in self.items], float)


@dataclass(frozen=True, slots=True)
class GroupGain:
    """Pre/post summary of one group; means over the *paired* participants only."""

    n_paired: int
    n_gain: int
    """Paired participants whose individual gain is defined (``pre < max``)."""
    mean_pre: float | None
    mean_post: float | None
    mean_gain: float | None
    """Mean of the individual normalised gains (undefined ones ignored)."""
    hake_gain: float | None
    """Class-average gain ``(mean post - mean pre) / (max - mean pre)``."""


@dataclass(frozen=True, slots=True, eq=False)
class GainResult:
    """Result of :func:`learning_gain`: individual gains (NaN where undefined) and their summary."""

    gain: NDArray[np.float64]
    paired: NDArray[np.bool_]
    summary: GroupGain


class TopicScores(NamedTuple):
    """Per-topic sub-scores (``P x T``, NaN for a participant who answered nothing at all), the maximum of
    each topic, and the topic labels in column order (sorted)."""

    scores: NDArray[np.float64]
    max_marks: NDArray[np.float64]
    topics: tuple[Hashable, ...]


# --------------------------------------------------------------------------------------------------------
# helpers


def _opt(x: float) -> float | None:
    x = float(x)
    return None if np.isnan(x) else x


def _div(num: NDArray[np.float64] | float, den: NDArray[np.float64] | float) -> NDArray[np.float64]:
    """``num / den`` with NaN where ``den`` is 0 or NaN (no warnings)."""
    num_a, den_a = np.broadcast_arrays(np.asarray(num, float), np.asarray(den, float))
    out = np.full(num_a.shape, np.nan)
    ok = np.isfinite(den_a) & (den_a != 0)
    np.divide(num_a, den_a, out=out, where=ok)
    return out


def cronbach_alpha_se(cov: ArrayLike, n_participants: int) -> float:
    """Asymptotic standard error of Cronbach's alpha under multivariate normality.

    van Zyl, Neudecker & Nel (2000), as used by Duhachek & Iacobucci (2004)::

        Q  = 2 I^2 / ((I-1)^2 (j'Sj)^3) * [ (j'Sj)(tr S^2 + (tr S)^2) - 2 (tr S)(j'S^2 j) ]
        SE = sqrt(Q / n)

    ``cov`` is the ``I x I`` item covariance matrix (its scale does not matter: ``Q`` is homogeneous of
    degree 0). Returns NaN for ``I < 2``, ``n < 2`` or a zero total variance.
    """
    s = np.asarray(cov, float)
    n_items = s.shape[0]
    if n_items < 2 or n_participants < 2:
        return float("nan")
    row = s.sum(axis=1)  # S j
    jsj = float(row.sum())
    if not jsj > 0:
        return float("nan")
    tr = float(np.trace(s))
    tr2 = float(np.einsum("ij,ji->", s, s))
    js2j = float(row @ row)
    q = 2 * n_items**2 / ((n_items - 1) ** 2 * jsj**3) * (jsj * (tr2 + tr * tr) - 2 * tr * js2j)
    return float(np.sqrt(max(q, 0.0) / n_participants))


def _group_weights(totals: NDArray[np.float64], size: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Membership weights of the top and bottom ``size`` participants by total score.

    Participants strictly inside a group weigh 1; those tied at the cut-off share the remaining places
    equally, so each group weighs exactly ``size`` and the result does not depend on participant order.
    """
    n = totals.size
    if n == 0 or size == 0:
        return np.zeros(n), np.zeros(n)
    ordered = np.sort(totals)
    top_cut, bottom_cut = ordered[n - size], ordered[size - 1]
    weights = []
    for cut, inside in ((top_cut, totals > top_cut), (bottom_cut, totals < bottom_cut)):
        tied = totals == cut
        w = inside.astype(float)
        w[tied] = (size - inside.sum()) / tied.sum()
        weights.append(w)
    return weights[0], weights[1]


def _validate_scores(
    scores: ArrayLike, max_marks: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    x = np.asarray(scores, dtype=float)
    m = np.asarray(max_marks, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"scores must be a participants x items matrix, got shape {x.shape}")
    if m.shape != (x.shape[1],):
        raise ValueError(f"max_marks must have shape ({x.shape[1]},), got {m.shape}")
    if x.shape[1] == 0:
        raise ValueError("a test needs at least one item")
    if not np.all(np.isfinite(m) & (m > 0)):
        raise ValueError("max_marks must be positive and finite")
    with np.errstate(invalid="ignore"):
        bad = (x < 0) | (x > m * (1 + _TOL)) | np.isinf(x)
    if bad.any():
        p, i = np.argwhere(bad)[0]
        raise ValueError(f"score {x[p, i]} of participant {p} on item {i} is outside [0, {m[i]}]")
    return x, m


# --------------------------------------------------------------------------------------------------------
# item analysis


def item_analysis(
    scores: ArrayLike,
    max_marks: ArrayLike,
    responses: ArrayLike | None = None,
    n_options: ArrayLike | None = None,
) -> TestAnalysis:
    """Moodle-style item and test statistics of a knowledge test (see the module docstring for formulas).

    :param scores: ``P x I`` marks, each in ``[0, max_marks[i]]``; NaN = not answered (counts as 0).
    :param max_marks: ``(I,)`` maximum mark of each item (positive).
    :param responses: optional ``P x I`` integers, the index of the option chosen on single-answer items
        (``-1`` = none); used for the distractor counts. Ignored on items with ``n_options[i] <= 0``.
    :param n_options: optional ``(I,)`` number of options of each single-answer item, ``0`` (or less) for
        any other kind of item. Gives the random guess score and the shape of the distractor counts.
    :raises ValueError: on shapes that do not match, scores outside their range, option indices outside
        ``[-1, n_options[i])``, or responses given without ``n_options``.
    """
    x, max_m = _validate_scores(scores, max_marks)
    n_p, n_i = x.shape
    nan = np.isnan(x)
    non_resp = nan.sum(axis=0)
    x = np.where(nan, 0.0, x)

    opts = np.zeros(n_i, dtype=np.int64)
    if n_options is not None:
        opts = np.asarray(n_options, dtype=np.int64)
        if opts.shape != (n_i,):
            raise ValueError(f"n_options must have shape ({n_i},), got {opts.shape}")
        opts = np.maximum(opts, 0)

    totals = x.sum(axis=1)
    group_size = max(1, int(np.floor(GROUP_FRACTION * n_p + 0.5))) if n_p else 0
    w_top, w_bot = _group_weights(totals, group_size)

    # --- moments (sample divisor P - 1; NaN when P < 2) ---------------------------------------------
    dof = n_p - 1
    mean_i = x.mean(axis=0) if n_p else np.full(n_i, np.nan)
    mean_t = float(totals.mean()) if n_p else np.nan
    rest = totals[:, None] - x
    mean_r = mean_t - mean_i
    xc = x - mean_i
    tc = totals - mean_t
    rc = rest - mean_r
    if dof > 0:
        cov = xc.T @ xc / dof
        var_i = np.diag(cov).copy()
        var_t = float(tc @ tc) / dof
        var_r = np.einsum("pi,pi->i", rc, rc) / dof
        cov_it = xc.T @ tc / dof
        cov_ir = np.einsum("pi,pi->i", xc, rc) / dof
    else:
        cov = np.full((n_i, n_i), np.nan)
        var_i, var_r, cov_it, cov_ir = (np.full(n_i, np.nan) for _ in range(4))
        var_t = np.nan
    # Constant columns have zero variance; totals and rests are sums, so a constant one may differ by
    # rounding only: a variance below (1e-9 * maximum total)^2 is treated as zero.
    noise = (1e-9 * float(max_m.sum())) ** 2
    constant_i = (x.max(axis=0) == x.min(axis=0)) if n_p else np.ones(n_i, bool)
    constant_t = bool(n_p == 0 or totals.max() == totals.min() or var_t <= noise)
    constant_r = (var_r <= noise) | (rest.max(axis=0) == rest.min(axis=0)) if n_p else np.ones(n_i, bool)
    if dof > 0:
        var_i[constant_i] = 0.0
        var_r[constant_r] = 0.0
        cov_ir[constant_i | constant_r] = 0.0
        cov_it[constant_i] = 0.0
        if constant_t:
            var_t, cov_it = 0.0, np.zeros(n_i)

    item_total_r = _div(cov_it, np.sqrt(var_i * var_t))
    discrimination = 100 * _div(cov_ir, np.sqrt(var_i * var_r))
    item_total_r[constant_i | constant_t] = np.nan
    discrimination[constant_i | constant_r] = np.nan

    # discriminative efficiency: covariance of the independently sorted columns is the maximum
    if dof > 0:
        xs = np.sort(x, axis=0) - mean_i
        rs = np.sort(rest, axis=0) - mean_r
        cmax = np.einsum("pi,pi->i", xs, rs) / dof
        cmax[constant_i | constant_r] = 0.0
    else:
        cmax = np.full(n_i, np.nan)
    efficiency = 100 * _div(cov_ir, cmax)

    facility = 100 * mean_i / max_m
    sd_pct = 100 * np.sqrt(var_i) / max_m
    intended = 100 * max_m / max_m.sum()
    variance_share = 100 * _div(cov_it, var_t)
    # A covariance within floating-point rounding of zero is zero (its sign would depend on the order of the
    # participants): the same tolerance as a constant total, (1e-9 * maximum total)^2.
    rounding = (1e-9 * float(max_m.sum())) ** 2
    settled = np.where(np.abs(cov_it) <= rounding, 0.0, cov_it)
    root = np.sqrt(np.where(settled >= 0, settled, np.nan))
    effective = 100 * _div(root, np.nansum(root) if np.any(np.isfinite(root)) else np.nan)
    guess = 100 * _div(1.0, np.where(opts > 0, opts, 0).astype(float))
    upper_lower = _div((w_top @ x) - (w_bot @ x), group_size * max_m) if group_size else np.full(n_i, np.nan)

    counts, upper, lower = _distractors(responses, opts, (n_p, n_i), w_top, w_bot)

    # --- test level -----------------------------------------------------------------------------------
    sd_t = np.sqrt(var_t) if dof > 0 else np.nan
    skew = kurt = np.nan
    if not constant_t:
        m2 = float(tc @ tc) / n_p
        m3 = float(np.sum(tc**3)) / n_p
        m4 = float(np.sum(tc**4)) / n_p
        k2 = n_p * m2 / (n_p - 1)
        if n_p >= 3:
            skew = n_p**2 * m3 / ((n_p - 1) * (n_p - 2)) / k2**1.5
        if n_p >= 4:
            k4 = n_p**2 * ((n_p + 1) * m4 - 3 * (n_p - 1) * m2**2) / ((n_p - 1) * (n_p - 2) * (n_p - 3))
            kurt = k4 / k2**2
    alpha = alpha_se = np.nan
    if n_i >= 2 and dof > 0 and var_t > 0:
        alpha = n_i / (n_i - 1) * (1 - float(var_i.sum()) / var_t)
        alpha_se = cronbach_alpha_se(cov, n_p)
    error_ratio = 100 * np.sqrt(1 - alpha) if alpha <= 1 else np.nan
    if alpha > 1:  # only by rounding (alpha <= 1 by Cauchy-Schwarz)
        error_ratio = 0.0

    summary = TestSummary(
        n_attempts=n_p,
        n_items=n_i,
        max_total=float(max_m.sum()),
        mean=_opt(mean_t),
        median=_opt(np.median(totals)) if n_p else None,
        sd=_opt(sd_t),
        skewness=_opt(skew),
        kurtosis=_opt(kurt),
        cronbach_alpha=_opt(alpha),
        internal_consistency_pct=_opt(100 * alpha),
        alpha_se=_opt(alpha_se),
        error_ratio_pct=_opt(error_ratio),
        standard_error=_opt(error_ratio / 100 * sd_t),
        group_size=group_size,
    )
    cols = [mean_i, facility, sd_pct, guess, effective, variance_share, discrimination, efficiency]
    cols += [item_total_r, upper_lower]
    rows = zip(*(c.tolist() for c in cols), strict=True)
    items = tuple(
        ItemStats(
            index=i,
            max_mark=float(max_m[i]),
            mean=_opt(r[0]),
            facility_pct=_opt(r[1]),
            sd_pct=_opt(r[2]),
            random_guess_pct=_opt(r[3]),
            intended_weight_pct=float(intended[i]),
            effective_weight_pct=_opt(r[4]),
            variance_share_pct=_opt(r[5]),
            discrimination_pct=_opt(r[6]),
            discriminative_efficiency_pct=_opt(r[7]),
            item_total_r=_opt(r[8]),
            upper_lower_index=_opt(r[9]),
            non_responses=int(non_resp[i]),
            option_counts=tuple(counts[i, : opts[i]].tolist()),
            upper_option_counts=tuple(upper[i, : opts[i]].tolist()),
            lower_option_counts=tuple(lower[i, : opts[i]].tolist()),
        )
        for i, r in enumerate(rows)
    )
    return TestAnalysis(summary=summary, items=items, totals=totals)


def _distractors(
    responses: ArrayLike | None,
    opts: NDArray[np.int64],
    shape: tuple[int, int],
    w_top: NDArray[np.float64],
    w_bot: NDArray[np.float64],
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]:
    """Option counts per item (``I x K``): overall, and weighted by upper/lower group membership."""
    n_p, n_i = shape
    k = int(opts.max()) if n_i else 0
    if responses is None or k == 0:
        if responses is not None and np.asarray(responses).shape != shape:
            raise ValueError(f"responses must have shape {shape}")
        return np.zeros((n_i, k), np.int64), np.zeros((n_i, k)), np.zeros((n_i, k))
    resp = np.asarray(responses)
    if resp.shape != shape:
        raise ValueError(f"responses must have shape {shape}, got {resp.shape}")
    if not np.issubdtype(resp.dtype, np.integer):
        raise ValueError("responses must be integers (-1 = no option chosen)")
    resp = resp.astype(np.int64, copy=False)
    mcq = opts > 0
    chosen = (resp >= 0) & mcq
    if np.any(resp[:, mcq] < -1) or np.any(resp[chosen] >= np.broadcast_to(opts, shape)[chosen]):
        raise ValueError("responses must lie in [-1, n_options[i]) on single-answer items")
    flat = (np.arange(n_i, dtype=np.int64) * k + resp)[chosen]
    size = n_i * k
    counts = np.bincount(flat, minlength=size).reshape(n_i, k)
    upper = np.bincount(flat, weights=np.broadcast_to(w_top[:, None], shape)[chosen], minlength=size)
    lower = np.bincount(flat, weights=np.broadcast_to(w_bot[:, None], shape)[chosen], minlength=size)
    return counts, upper.reshape(n_i, k), lower.reshape(n_i, k)


# --------------------------------------------------------------------------------------------------------
# learning gain


def _gain_arrays(
    pre: ArrayLike, post: ArrayLike, max_score: float
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_]]:
    a = np.asarray(pre, dtype=float)
    b = np.asarray(post, dtype=float)
    if a.ndim != 1 or a.shape != b.shape:
        raise ValueError(f"pre and post must be 1-D and aligned, got {a.shape} and {b.shape}")
    m = float(max_score)
    if not (np.isfinite(m) and m > 0):
        raise ValueError("max_score must be positive")
    with np.errstate(invalid="ignore"):
        if np.any((a < 0) | (a > m * (1 + _TOL))) or np.any((b < 0) | (b > m * (1 + _TOL))):
            raise ValueError(f"pre and post scores must lie in [0, {m}]")
    paired = np.isfinite(a) & np.isfinite(b)
    gain = np.full(a.shape, np.nan)
    ok = paired & (a < m)
    gain[ok] = (b[ok] - a[ok]) / (m - a[ok])
    return a, b, gain, paired


def _summarise(
    sum_pre: float, sum_post: float, n: int, sum_gain: float, n_gain: int, max_score: float
) -> GroupGain:
    if n == 0:
        return GroupGain(0, 0, None, None, None, None)
    mean_pre, mean_post = sum_pre / n, sum_post / n
    hake = (mean_post - mean_pre) / (max_score - mean_pre) if mean_pre < max_score else None
    return GroupGain(
        n_paired=n,
        n_gain=n_gain,
        mean_pre=mean_pre,
        mean_post=mean_post,
        mean_gain=sum_gain / n_gain if n_gain else None,
        hake_gain=hake,
    )


def learning_gain(pre: ArrayLike, post: ArrayLike, max_score: float) -> GainResult:
    """Hake's normalised gain of each participant and of the whole class.

    :param pre: ``(P,)`` pre-test scores, NaN where the participant missed the pre-test.
    :param post: ``(P,)`` post-test scores aligned with ``pre``, NaN where missed.
    :param max_score: the maximum score of both tests (same test, or same topic sub-score).
    :returns: ``gain[p] = (post - pre) / (max - pre)``, NaN when either score is missing or ``pre == max``
        (no room to improve: the gain is undefined, not 0 or 1); ``paired`` marks participants with both
        scores; ``summary`` as in :func:`aggregate_gain` for the whole set.
    """
    a, b, gain, paired = _gain_arrays(pre, post, max_score)
    defined = np.isfinite(gain)
    sums = (float(a[paired].sum()), float(b[paired].sum()), int(paired.sum()))
    summary = _summarise(*sums, float(gain[defined].sum()), int(defined.sum()), float(max_score))
    return GainResult(gain=gain, paired=paired, summary=summary)


def aggregate_gain(
    pre: ArrayLike, post: ArrayLike, max_score: float, groups: ArrayLike | Sequence[Hashable]
) -> dict[Hashable, GroupGain]:
    """Pre/post summary per group (e.g. agency id or conference), computed without a loop over people.

    :param groups: ``(P,)`` group label of each participant.
    :returns: ``{label: GroupGain}`` in sorted label order, for every label present in ``groups`` (a group
        with no paired participant has ``n_paired = 0`` and ``None`` means).
    """
    a, b, gain, paired = _gain_arrays(pre, post, max_score)
    g = np.asarray(groups)
    if g.shape != a.shape:
        raise ValueError(f"groups must have shape {a.shape}, got {g.shape}")
    labels, inv = np.unique(g, return_inverse=True)
    n_g = labels.size
    defined = np.isfinite(gain)

    def per_group(values: NDArray[np.float64], mask: NDArray[np.bool_]) -> NDArray[np.float64]:
        return np.bincount(inv[mask], weights=values[mask], minlength=n_g)

    n_pair = np.bincount(inv[paired], minlength=n_g)
    n_gain = np.bincount(inv[defined], minlength=n_g)
    s_pre, s_post, s_gain = per_group(a, paired), per_group(b, paired), per_group(gain, defined)
    return {
        label.item() if isinstance(label, np.generic) else label: _summarise(
            float(s_pre[j]),
            float(s_post[j]),
            int(n_pair[j]),
            float(s_gain[j]),
            int(n_gain[j]),
            float(max_score),
        )
        for j, label in enumerate(labels)
    }


def topic_scores(
    scores: ArrayLike, item_topics: ArrayLike | Sequence[Hashable], max_marks: ArrayLike
) -> TopicScores:
    """Split a test into per-topic sub-scores, so gains can be computed topic by topic.

    :param scores: ``P x I`` marks, NaN = not answered. A NaN inside an attempt counts 0; a participant
        whose row is entirely NaN (did not sit the test) gets NaN for every topic, so that
        :func:`learning_gain` treats them as missing.
    :param item_topics: ``(I,)`` topic label of each item.
    :param max_marks: ``(I,)`` maximum mark of each item (needed for the topic maxima).
    :returns: ``TopicScores(scores P x T, max_marks (T,), topics)`` with topics in sorted label order.
    """
    x, m = _validate_scores(scores, max_marks)
    t = np.asarray(item_topics)
    if t.shape != (x.shape[1],):
        raise ValueError(f"item_topics must have shape ({x.shape[1]},), got {t.shape}")
    labels, inv = np.unique(t, return_inverse=True)
    onehot = np.zeros((x.shape[1], labels.size))
    onehot[np.arange(x.shape[1]), inv] = 1.0
    nan = np.isnan(x)
    sub = np.where(nan, 0.0, x) @ onehot
    sub[nan.all(axis=1)] = np.nan
    topics = tuple(v.item() if isinstance(v, np.generic) else v for v in labels)
    return TopicScores(scores=sub, max_marks=m @ onehot, topics=topics)
