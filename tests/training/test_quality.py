"""Flags on weak items and on the test, as a standing office reads them after a conference."""

import numpy as np

from pckb.training.analysis import item_analysis
from pckb.training.quality import grade_distribution, item_flags, summary_flags


def analyse(scores):
    scores = np.asarray(scores, dtype=float)
    return item_analysis(scores, np.ones(scores.shape[1]))


def codes(flags):
    return [f.code for f in flags]


# 12 participants, ordered from weakest to strongest on items 0–2; item 3 is answered right only by the weak
# (a wrong key), item 4 by everybody, item 5 by nobody but the strongest.
STRONG = np.array(
    [
        [0, 0, 0],
        [0, 0, 0],
        [1, 0, 0],
        [0, 1, 0],
        [1, 1, 0],
        [1, 0, 1],
        [1, 1, 0],
        [1, 1, 1],
        [1, 1, 1],
        [1, 1, 1],
        [1, 1, 1],
        [1, 1, 1],
    ]
)
WRONG_KEY = np.array([1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0])
ALL_RIGHT = np.ones(12)
ONLY_BEST = np.array([0] * 11 + [1])
SCORES = np.column_stack([STRONG, WRONG_KEY, ALL_RIGHT, ONLY_BEST])


def test_a_wrong_key_is_flagged_as_negative_discrimination_first():
    result = analyse(SCORES)
    flags = item_flags(result.items[3])
    assert flags[0].code == "negative-discrimination" and flags[0].level == "danger"
    assert "đáp án" in str(flags[0].interpretation)


def test_very_easy_and_very_hard_items_are_flagged():
    result = analyse(SCORES)
    assert "very-easy" in codes(item_flags(result.items[4]))
    assert "very-hard" in codes(item_flags(result.items[5]))


def test_a_good_item_has_no_flag():
    result = analyse(SCORES)
    assert item_flags(result.items[0]) == []


def test_low_reliability_and_few_attempts_are_flagged_on_the_test():
    rng = np.random.default_rng(7)
    noise = (rng.random((8, 10)) < 0.5).astype(float)  # answers unrelated to each other: alpha near 0
    flags = codes(summary_flags(analyse(noise).summary))
    assert "low-alpha" in flags and "few-attempts" in flags


def test_a_consistent_test_has_no_test_flag():
    ability = np.linspace(0, 1, 40)
    difficulty = np.linspace(0.1, 0.9, 10)
    scores = (ability[:, None] > difficulty[None, :]).astype(float)  # a perfect Guttman scale
    assert summary_flags(analyse(scores).summary) == []


def test_grade_distribution_counts_each_tenth_and_leaves_out_absences():
    bins = grade_distribution([0, 5, 10, 55, 100, 100, float("nan")])
    assert [b.count for b in bins] == [2, 1, 0, 0, 0, 1, 0, 0, 0, 2]
    assert (bins[0].low, bins[-1].high) == (0.0, 100.0)
    assert sum(b.count for b in bins) == 6


# --- On the pages -----------------------------------------------------------------------------------------
def test_test_page_shows_flags_and_the_grade_distribution(client, login):
    from django.urls import reverse

    from pckb.training.reports import test_statistics
    from tests.training.test_services import hau_giang

    user = login("vptt.cantho")
    test = hau_giang().tests.order_by("kind").first()
    body = client.get(reverse("training:test", args=[test.pk])).content.decode()
    assert "Phổ điểm" in body and "0–10%" in body and "90–100%" in body
    flagged = test_statistics(user, test)["flagged"]
    if flagged:
        assert "Câu cần xem lại" in body
        for row in flagged:
            assert f"Câu {row.number}" in body and str(row.flags[0].interpretation) in body
    else:
        assert "Không có câu nào bị gắn cờ" in body


def test_results_page_links_each_tests_item_analysis(client, login):
    from django.urls import reverse

    from tests.training.test_services import hau_giang

    login("vptt.cantho")
    conference = hau_giang()
    body = client.get(reverse("training:results", args=[conference.pk])).content.decode()
    for test in conference.tests.all():
        assert test.get_absolute_url() in body


def test_a_test_page_leads_back_to_its_conference_by_name(client, login):
    from django.urls import reverse

    from tests.training.test_services import hau_giang

    login("vptt.cantho")
    conference = hau_giang()
    test = conference.tests.first()
    body = client.get(reverse("training:test", args=[test.pk])).content.decode()
    crumbs = body.split('class="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert conference.get_absolute_url() in crumbs and conference.title in crumbs
