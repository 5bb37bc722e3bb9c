"""Flags on weak test items and on the whole test, with a short interpretation; the grade distribution.

The thresholds are Moodle's quiz statistics guidance (docs.moodle.org, "Quiz statistics calculations"):

* facility index (% correct): below 20 % very hard, above 90 % very easy — either way the item separates few
  participants;
* discrimination index: negative means the stronger participants did worse than the weaker ones (a wrong key
  or a misleading wording); 0–20 % is weak; Moodle reads 30 % or more as good;
* internal consistency (Cronbach's alpha): below 0.64 the total score is not a reliable measure.

Pure functions over :mod:`pckb.training.analysis` results: no database, no request.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext_lazy as _

from pckb.training.analysis import ItemStats, TestSummary

VERY_HARD_PCT = 20.0
VERY_EASY_PCT = 90.0
WEAK_DISCRIMINATION_PCT = 20.0
LOW_ALPHA = 0.64
#: Fewer attempts than this and the statistics say little: flags are shown with that caveat.
FEW_ATTEMPTS = 10


@dataclass(frozen=True)
class Flag:
    """One finding: ``level`` is "danger" (act on it) or "warning" (look at it)."""

    code: str
    level: str
    label: str
    interpretation: str


def item_flags(item: ItemStats) -> list[Flag]:
    """What a standing-office officer should look at in one item, most serious first."""
    flags: list[Flag] = []
    d = item.discrimination_pct
    if d is not None and d < 0:
        flags.append(
            Flag(
                "negative-discrimination",
                "danger",
                _("Phân loại âm"),
                _(
                    "Người có tổng điểm cao làm câu này kém hơn người có tổng điểm thấp: kiểm tra lại đáp án "
                    "đúng và cách diễn đạt."
                ),
            )
        )
    elif d is not None and d < WEAK_DISCRIMINATION_PCT:
        flags.append(
            Flag(
                "weak-discrimination",
                "warning",
                _("Phân loại yếu"),
                _("Câu này gần như không phân biệt được người nắm vững và người chưa nắm vững nội dung."),
            )
        )
    f = item.facility_pct
    if f is not None and f < VERY_HARD_PCT:
        flags.append(
            Flag(
                "very-hard",
                "warning",
                _("Rất khó"),
                _(
                    "Dưới 20% trả lời đúng: nội dung có thể chưa được giảng, hoặc câu hỏi, đáp án chưa rõ."
                ),
            )
        )
    elif f is not None and f > VERY_EASY_PCT:
        flags.append(
            Flag(
                "very-easy",
                "warning",
                _("Rất dễ"),
                _("Trên 90% trả lời đúng: câu này ít giúp đánh giá mức độ tiếp thu."),
            )
        )
    return flags


def summary_flags(summary: TestSummary) -> list[Flag]:
    """Findings on the whole test: too few attempts to conclude, a total score that is not reliable."""
    flags: list[Flag] = []
    if 0 < summary.n_attempts < FEW_ATTEMPTS:
        flags.append(
            Flag(
                "few-attempts",
                "warning",
                _("Ít bài làm"),
                _("Dưới 10 bài làm: các chỉ số chỉ để tham khảo."),
            )
        )
    alpha = summary.cronbach_alpha
    if alpha is not None and alpha < LOW_ALPHA:
        flags.append(
            Flag(
                "low-alpha",
                "danger" if alpha < 0.5 else "warning",
                _("Độ tin cậy thấp"),
                _(
                    "Hệ số Cronbach alpha dưới 0,64: tổng điểm chưa đo ổn định mức độ nắm vững; "
                    "xem lại các câu bị gắn cờ."
                ),
            )
        )
    return flags


@dataclass(frozen=True)
class Bin:
    """One bar of the grade distribution: scores in ``[low, high)`` (the last bin includes ``high``)."""

    low: float
    high: float
    count: int


def grade_distribution(totals_pct: np.ndarray | list[float], bins: int = 10) -> list[Bin]:
    """How many participants scored in each tenth of the scale (0–100 %), as Moodle's overview report draws
    it. NaN (no attempt) is left out."""
    values = np.asarray(totals_pct, dtype=float)
    values = values[np.isfinite(values)]
    edges = np.linspace(0.0, 100.0, bins + 1)
    counts, _edges = np.histogram(np.clip(values, 0.0, 100.0), bins=edges)
    return [Bin(float(edges[i]), float(edges[i + 1]), int(counts[i])) for i in range(bins)]
