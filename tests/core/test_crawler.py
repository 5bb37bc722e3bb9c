"""The crawler: log in as every demo role, visit every page and API endpoint, and prove that no object
outside the role's scope or clearance ever appears — not on a list, a detail page, a form's choices, an
export, a history panel, nor in the API — and that every such object answers 404."""

import json
import re
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from pckb.coordination.models import Function, Regulation, Responsibility
from pckb.core import access
from pckb.core.models import PckbModel
from pckb.deployment.models import AttackerType, PlanningRun, TeamType
from pckb.directory.models import Agency, Committee, Decision, Person
from pckb.documents.models import (
    Conclusion,
    Document,
    DocumentFile,
    Meeting,
    MeetingAttendance,
    RegisterEntry,
)
from pckb.plans.models import Plan, PlanItem, ProgressUpdate, Task
from pckb.protection.models import (
    EventStatus,
    EventStop,
    EventTask,
    Finding,
    Inspection,
    PlanFile,
    ProtectedEvent,
    ProtectionPlan,
    RiskAssessment,
    Target,
    TargetCategory,
)
from pckb.reports.models import PeriodicReport, ReportSchedule
from pckb.response.models import (
    ChecklistItem,
    CorrectiveAction,
    Incident,
    IncidentLogEntry,
    PlanPhase,
    PlanStep,
    Report,
    ReportForwarding,
    ScenarioPlan,
    SituationReport,
)
from pckb.training.models import (
    Certificate,
    Choice,
    Conference,
    Invitation,
    KnowledgeTest,
    Participant,
    Question,
    Session,
    Topic,
    TopicMaterial,
)
from tests.support.demo import ROLES


@dataclass(frozen=True)
class Named:
    """A model whose names are checked for leaks: the attribute that names an object (or ``str``), its API
    detail prefix, and whether ``get_absolute_url`` is the object's own page (a child shown on its parent's
    page has none: its name is checked, its parent's page answers for it)."""

    model: type
    name: str | None  # None: str(obj)
    api: str | None = None
    own_page: bool = True
    #: Detail pages visited per model and role (all of them when None).
    visit: int | None = None

    def names(self, objects) -> set[str]:
        return {str(getattr(o, self.name) if self.name else o) for o in objects} - {""}


#: Every model, children included. A model missing here fails ``test_every_model_is_crawled``.
NAMED = [
    Named(Person, "full_name", "people"),
    Named(Committee, "name", "committees"),
    Named(Agency, "name", "agencies"),
    Named(Decision, "number", "decisions"),
    Named(Conference, "title", "training/conferences"),
    Named(Session, "title", own_page=False),
    Named(Invitation, "letter_number", own_page=False),
    Named(Participant, "code", visit=8),  # the personal code is the delegate's key: it never leaks
    Named(KnowledgeTest, None),  # "Kiểm tra đầu vào — <conference>"
    Named(Certificate, "number", own_page=False),
    Named(Topic, "title", "training/topics"),
    Named(TopicMaterial, "title", own_page=False),
    Named(Question, "text", own_page=False),  # the bank holds the answers
    Named(Target, "name", "protection/targets"),
    Named(RiskAssessment, None, own_page=False),  # shown on its target's page
    Named(TargetCategory, "name", "protection/categories"),
    Named(ProtectedEvent, "title", "protection/events"),
    Named(EventTask, "task", "protection/events/tasks", own_page=False),
    Named(EventStop, "place", "protection/events/stops", own_page=False),
    Named(EventStatus, "text", "protection/events/statuses", own_page=False),
    Named(ProtectionPlan, "title", "protection/plans"),
    Named(PlanFile, "title", "protection/plans/files", own_page=False),
    Named(Inspection, None, "protection/inspections"),
    Named(Finding, "description", "protection/inspections/findings", own_page=False),
    Named(Plan, "title", "plans/plans"),
    Named(TeamType, "name", "deployment/team-types"),
    Named(PlanningRun, "title", "deployment/runs"),
    Named(AttackerType, "name", own_page=False),  # shown on its run's page
    Named(PlanItem, "title", "plans/items"),
    Named(Task, "title", "plans/tasks"),
    Named(ProgressUpdate, "text", own_page=False),  # shown on its task's page
    Named(ScenarioPlan, "title", "response/plans"),
    Named(PlanPhase, None, "response/phases", own_page=False),
    Named(PlanStep, "action", "response/steps", own_page=False),
    Named(Report, "summary", "response/reports"),
    Named(ReportForwarding, None, "response/forwardings", own_page=False),
    Named(Regulation, "title", "coordination/regulations"),
    Named(Function, "title", "coordination/functions"),
    Named(Responsibility, None, "coordination/responsibilities", own_page=False),
    Named(Incident, "title", "response/incidents"),
    # A checklist item is shown on its incident's page.
    Named(ChecklistItem, "action", "response/checklist-items", own_page=False),
    Named(IncidentLogEntry, "text", "response/log-entries"),
    Named(CorrectiveAction, "action", "response/corrective-actions"),
    Named(SituationReport, "situation", "response/situation-reports", own_page=False),
    Named(ReportSchedule, None, "reports/schedules"),
    Named(PeriodicReport, "title", "reports/reports"),  # drafts are never shown above their committee
    Named(Document, "subject", "documents/documents"),
    Named(DocumentFile, "note", "documents/files", own_page=False),  # listed on its document's page
    Named(RegisterEntry, "handling", "documents/entries"),
    Named(Meeting, "title", "documents/meetings"),
    Named(MeetingAttendance, None, own_page=False),  # a seat's attendance, on its meeting's page
    Named(Conclusion, "text", "documents/conclusions"),
]
#: Models with no name of their own, and why.
UNNAMED = {
    "geo.administrativeunit": "reference data, public",
    "directory.membership": "named by its person and decision, both checked above",
    "directory.position": "a post is a public title (Giám đốc Sở Y tế); its holder is checked as a person",
}
SKIP_PATTERNS = {"logout", "set_language", "javascript-catalog", "healthz"}


def static_urls() -> list[str]:
    """Every URL pattern that takes no argument (list pages, forms, start page, API lists)."""
    found = []

    def walk(patterns, prefix="", namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern) and p.name and p.name not in SKIP_PATTERNS:
                route = prefix + str(p.pattern)
                if "<" not in route and not re.search(r"[\^\$\(]", route):
                    found.append("/" + route)

    walk(get_resolver().url_patterns)
    return sorted(set(found))


def object_urls(obj, forms: bool = True) -> list[str]:
    label = obj._meta.model_name
    urls = [obj.get_absolute_url()]
    for suffix in ("edit", "delete") if forms else ():
        try:
            urls.append(reverse(f"{obj._meta.app_label}:{label}_{suffix}", args=[obj.pk]))
        except Exception:  # noqa: BLE001, S112 - the model has no such page
            continue
    return urls


def forbidden_and_visible(user) -> tuple[set[str], set[str]]:
    forbidden, visible = set(), set()
    for named in NAMED:
        shown = access.restrict(named.model.objects.all(), user, access.VIEW)
        visible |= named.names(shown)
        if named.model is Question:  # the options of a readable question are readable text too
            visible |= set(Choice.objects.filter(question__in=shown).values_list("text", flat=True))
        forbidden |= named.names(named.model.objects.exclude(pk__in=shown.values("pk")))
    # The one widened choice (``access.reference_choices``): a lower committee names the items of the higher
    # committees' plans it implements (and their plans), never more — e.g. nothing of another province.
    from pckb.plans.selectors import implementable_items

    chosen = implementable_items(user)
    visible |= {i.title for i in chosen} | {p.title for p in Plan.objects.filter(items__in=chosen)}
    # A hidden name that is part of a visible one (e.g. a short agency name) cannot be told apart.
    forbidden = {f for f in forbidden if len(f) >= 6 and not any(f in v for v in visible)}
    return forbidden, visible


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8-sig", "replace")
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode("utf-8", "replace")


def related_api(model, pk) -> list[str]:
    """API endpoints of an object's children (they answer for the object's visibility too)."""
    if model is Conference:
        parts = ("sessions", "participants", "results")
        return [f"/api/v1/training/conferences/{pk}/{part}" for part in parts]
    if model is KnowledgeTest:
        return [f"/api/v1/training/tests/{pk}/statistics"]
    if model is Committee:
        return [f"/api/v1/committees/{pk}/members"]
    if model is ProtectedEvent:
        return [f"/api/v1/protection/events/{pk}/{part}" for part in ("tasks", "stops", "statuses")]
    if model is ProtectionPlan:
        return [f"/api/v1/protection/plans/{pk}/files"]
    if model is Inspection:
        return [f"/api/v1/protection/inspections/{pk}/findings"]
    return []


def test_every_model_is_crawled():
    from django.apps import apps

    crawled = {n.model._meta.label_lower for n in NAMED} | set(UNNAMED)
    models = {m._meta.label_lower for m in apps.get_models() if issubclass(m, PckbModel)}
    assert models <= crawled, f"add to NAMED: {sorted(models - crawled)}"


@pytest.mark.parametrize("username", ROLES)
def test_no_object_outside_scope_or_clearance_appears(client, users, username, api_client):
    user = users[username]
    client.force_login(user)
    api = api_client(username)
    forbidden, _visible = forbidden_and_visible(user)
    if username == "vptt.quocgia":
        assert not forbidden, "the national office sees everything"
    else:
        assert forbidden, "every other demo role has something it must not see"

    pages = static_urls()
    hidden_objects = []
    for named in NAMED:
        model = named.model
        shown_ids = set(access.restrict(model.objects.all(), user, access.VIEW).values_list("pk", flat=True))
        for n, obj in enumerate(model.objects.filter(pk__in=shown_ids).order_by("pk")):
            if named.own_page and (named.visit is None or n < named.visit):
                # Every detail page; the edit and delete forms of a few objects per model.
                pages += object_urls(obj, forms=n < 3)
            if named.api:
                pages.append(f"/api/v1/{named.api}/{obj.pk}")
            pages += related_api(model, obj.pk)
        hidden_objects += [(named, obj) for obj in model.objects.exclude(pk__in=shown_ids)]
    for committee in access.restrict(Committee.objects.all(), user):
        pages.append(f"{committee.get_absolute_url()}?ngay=20/09/2025")
    # The map's data as points (zoomed in), all events' stops, and its GeoJSON export (web and API).
    pages += [
        "/bao-ve/ban-do/du-lieu.geojson?zoom=16&su_kien=tat-ca",
        "/bao-ve/ban-do/tai-ve.geojson?su_kien=tat-ca",
        "/api/v1/protection/map?zoom=16&su_kien=tat-ca",
        "/api/v1/protection/map/export?su_kien=tat-ca",
    ]

    visited = 0
    for url in pages:
        response = (api if url.startswith("/api/") else client).get(url)
        assert response.status_code in {200, 302, 404, 405, 422}, (url, response.status_code)
        if response.status_code != 200:
            continue
        visited += 1
        text = body(response)
        leaked = [name for name in forbidden if name in text]
        assert not leaked, f"{username} sees {leaked[:3]} on {url}"
    assert visited > 10

    for n, (named, obj) in enumerate(hidden_objects):
        if named.own_page:
            for url in object_urls(obj, forms=n % 10 == 0):
                assert client.get(url).status_code == 404, (username, url)
        if named.api:
            assert api.get(f"/api/v1/{named.api}/{obj.pk}").status_code == 404
        for url in related_api(named.model, obj.pk):
            assert api.get(url).status_code in {404, 422}, (username, url)
