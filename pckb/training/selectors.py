"""Reads of the training module: attendance, test results as matrices, learning gain, training coverage."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from django.db.models import Count, Q
from django.utils import timezone

from pckb.core import access
from pckb.directory.models import Agency
from pckb.geo.models import AdministrativeUnit
from pckb.training.choices import TestKind
from pckb.training.models import Answer, Attempt, Conference, KnowledgeTest, Participant, TestItem


def attendance_by_agency(conference: Conference) -> list[dict]:
    """Per invited (or attending) agency: quota, registered, checked in — for the live check-in board."""
    rows: dict[int, dict] = {}
    for inv in conference.invitations.select_related("agency"):
        rows[inv.agency_id] = {
            "agency": inv.agency.name,
            "invited": inv.quota,
            "registered": 0,
            "attended": 0,
        }
    counts = conference.participants.values("person__agency_id", "person__agency__name").annotate(
        registered=Count("pk"), attended=Count("pk", filter=Q(checked_in_at__isnull=False))
    )
    for row in counts:
        entry = rows.setdefault(
            row["person__agency_id"],
            {"agency": row["person__agency__name"], "invited": 0, "registered": 0, "attended": 0},
        )
        entry["registered"], entry["attended"] = row["registered"], row["attended"]
    return sorted(rows.values(), key=lambda r: r["agency"])


@dataclass
class TestMatrix:
    test: KnowledgeTest
    participants: list[Participant]
    items: list[TestItem]
    scores: np.ndarray  # P × I, NaN where unanswered
    responses: np.ndarray  # P × I option index for single-answer items, −1 otherwise
    n_options: np.ndarray  # I
    totals: np.ndarray  # P


def test_matrix(test: KnowledgeTest) -> TestMatrix:
    """Submitted attempts of a test as a participants × items score matrix (for item analysis)."""
    items = list(test.items.select_related("question").prefetch_related("question__choices"))
    attempts = list(test.attempts.exclude(submitted_at=None).select_related("participant__person__agency"))
    col = {item.question_id: j for j, item in enumerate(items)}
    row = {a.pk: i for i, a in enumerate(attempts)}
    option_index = {
        item.question_id: {c.pk: k for k, c in enumerate(item.question.choices.all())} for item in items
    }
    scores = np.full((len(attempts), len(items)), np.nan)
    responses = np.full((len(attempts), len(items)), -1, dtype=np.int64)
    for attempt_id, qid, score, selected in Answer.objects.filter(attempt__in=attempts).values_list(
        "attempt_id", "question_id", "score", "selected"
    ):
        i, j = row[attempt_id], col[qid]
        scores[i, j] = score if selected else np.nan
        if len(selected) == 1:
            responses[i, j] = option_index[qid].get(selected[0], -1)
    # Distractor counts apply to single-answer questions; a multiple-answer item has no single option chosen.
    n_options = np.array(
        [len(option_index[item.question_id]) if item.question.kind == "single" else 0 for item in items],
        dtype=np.int64,
    )
    for j, item in enumerate(items):
        if item.question.kind != "single":
            responses[:, j] = -1
    return TestMatrix(
        test,
        [a.participant for a in attempts],
        items,
        scores,
        responses,
        n_options,
        np.nan_to_num(scores).sum(axis=1),
    )


def paired_scores(conference: Conference) -> dict:
    """Pre and post percentages per participant (NaN where a test was not taken), with agency and topic
    splits, ready for ``analysis.learning_gain`` / ``aggregate_gain``."""
    tests = {t.kind: t for t in conference.tests.all()}
    participants = list(conference.participants.select_related("person__agency").order_by("person__sort_key"))
    index = {p.pk: i for i, p in enumerate(participants)}
    pre = np.full(len(participants), np.nan)
    post = np.full(len(participants), np.nan)
    topic_pre: dict[str, np.ndarray] = {}
    topic_post: dict[str, np.ndarray] = {}
    for kind, target, topic_target in ((TestKind.PRE, pre, topic_pre), (TestKind.POST, post, topic_post)):
        test = tests.get(kind)
        if test is None:
            continue
        for attempt in test.attempts.exclude(score=None):
            target[index[attempt.participant_id]] = 100 * attempt.score / attempt.max_score
        per_topic: dict[tuple[int, str], list[float]] = defaultdict(list)
        for attempt_id, topic, score in Answer.objects.filter(attempt__test=test).values_list(
            "attempt__participant_id", "question__topic__title", "score"
        ):
            per_topic[(attempt_id, topic)].append(score)
        for (pid, topic), values in per_topic.items():
            arr = topic_target.setdefault(topic, np.full(len(participants), np.nan))
            arr[index[pid]] = 100 * sum(values) / len(values)
    return {
        "participants": participants,
        "pre": pre,
        "post": post,
        "agencies": [p.person.agency.name for p in participants],
        "topic_pre": topic_pre,
        "topic_post": topic_post,
    }


@dataclass
class CoverageRow:
    unit: AdministrativeUnit
    agencies: int
    trained_agencies: int
    trained_people: int
    by_topic: dict[str, int]


def training_coverage(user, *, since: dt.date | None = None, province: AdministrativeUnit | None = None):
    """Who has been trained on which topic since ``since`` (default: the last 12 months), per unit.

    Counts people who were checked in at a conference whose agenda had the topic. Returns rows per
    province (national scope) or per commune-level unit and the province itself (provincial scope), plus the
    agencies with no trained official.
    """
    since = since or (timezone.localdate() - dt.timedelta(days=365))
    agencies = access.restrict(Agency.objects.all(), user).select_related("unit")
    if province is not None:
        agencies = agencies.filter(unit__path__startswith=province.path)
    attended = (
        access.restrict(Participant.objects.all(), user)
        .filter(checked_in_at__isnull=False, conference__start__date__gte=since)
        .values_list("person_id", "person__agency_id", "conference__sessions__topic__title")
        .distinct()
    )
    trained_agencies: set[int] = set()
    people_by_agency: dict[int, set[int]] = defaultdict(set)
    topic_people: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for person_id, agency_id, topic in attended:
        trained_agencies.add(agency_id)
        people_by_agency[agency_id].add(person_id)
        if topic:
            topic_people[agency_id][topic].add(person_id)
    level_depth = 2 if province is None and user.has_national_scope else 3
    groups: dict[str, list[Agency]] = defaultdict(list)
    for agency in agencies:
        parts = agency.unit.path.strip("/").split("/")
        key = "/" + "/".join(parts[:level_depth]) + "/"
        groups[key].append(agency)
    units = {u.path: u for u in AdministrativeUnit.objects.filter(path__in=list(groups))}
    rows = []
    for path, members in groups.items():
        by_topic: dict[str, set[int]] = defaultdict(set)
        people: set[int] = set()
        for agency in members:
            people |= people_by_agency.get(agency.pk, set())
            for topic, ids in topic_people.get(agency.pk, {}).items():
                by_topic[topic] |= ids
        unit = units.get(path)
        if unit is None:
            continue
        rows.append(
            CoverageRow(
                unit,
                len(members),
                sum(1 for a in members if a.pk in trained_agencies),
                len(people),
                {t: len(ids) for t, ids in by_topic.items()},
            )
        )
    rows.sort(key=lambda r: r.unit.sort_key)
    untrained = [a for a in agencies if a.pk not in trained_agencies and a.merged_into_id is None]
    return rows, untrained, since


def upcoming_conferences(user):
    return access.restrict(Conference.objects.all(), user).filter(end__gte=timezone.now()).order_by("start")


def attempts_of(participant: Participant, *, user=None):
    """A delegate's attempts and scores. Staff (``user`` given) read them only with the right to read test
    results — an agency focal point manages its delegates but does not see their scores. Without ``user``
    it is the delegate's own page, reached with the personal code."""
    qs = Attempt.objects.filter(participant=participant).select_related("test").order_by("test__kind")
    if user is not None and not access.has_action(user, KnowledgeTest, access.VIEW):
        return qs.none()
    return qs
