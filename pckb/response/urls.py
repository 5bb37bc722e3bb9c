from django.urls import path

from pckb.core.routes import object_urls
from pckb.response import ack_views, cap_views, map_views, views
from pckb.response.fields import (
    CORRECTIVE_ACTION,
    PLAN_PHASE,
    PLAN_STEP,
    REPORT,
    REPORT_FORWARDING,
    SCENARIO_PLAN,
)

app_name = "response"
urlpatterns = [
    path(
        "phuong-an/<int:pk>/phe-duyet/", views.ScenarioPlanApproveView.as_view(), name="scenarioplan_approve"
    ),
    path(
        "phuong-an/<int:pk>/phien-ban-moi/",
        views.ScenarioPlanNewVersionView.as_view(),
        name="scenarioplan_new_version",
    ),
    *object_urls(
        "phuong-an",
        "scenarioplan",
        fields=SCENARIO_PLAN,
        detail=views.ScenarioPlanDetailView,
        edit=views.ScenarioPlanEditView,
    ),
    *object_urls(
        "giai-doan",
        "planphase",
        fields=PLAN_PHASE,
        detail=views.PlanPhaseDetailView,
        edit=views.PlanPhaseEditView,
    ),
    *object_urls(
        "buoc-xu-ly",
        "planstep",
        fields=PLAN_STEP,
        detail=views.PlanStepDetailView,
        edit=views.PlanStepEditView,
    ),
    path("tin-bao/<int:pk>/nguoi-bao-tin/", views.ReportRevealView.as_view(), name="report_reveal"),
    path("tin-bao/<int:pk>/dong/", views.ReportCloseView.as_view(), name="report_close"),
    path("tin-bao/nhap-cap/", cap_views.CapImportView.as_view(), name="report_cap_import"),
    path("su-co/<int:pk>/cap/", cap_views.IncidentCapView.as_view(), name="incident_cap"),
    path("su-co/<int:pk>/ban-do/", map_views.IncidentMapView.as_view(), name="incident_map"),
    path(
        "su-co/<int:pk>/ban-do/du-lieu.geojson",
        map_views.IncidentMapDataView.as_view(),
        name="incident_map_data",
    ),
    path("bao-cao-nhanh/them/", views.SituationReportAddView.as_view(), name="situationreport_add"),
    path(
        "bao-cao-nhanh/<int:pk>/<slug:kind>/",
        views.SituationReportFileView.as_view(),
        name="situationreport_file",
    ),
    path("tin-bao/<int:pk>/mo-su-co/", views.ReportOpenIncidentView.as_view(), name="report_open_incident"),
    path("tin-bao/<int:pk>/gop-su-co/", views.ReportAttachView.as_view(), name="report_attach"),
    *object_urls(
        "tin-bao",
        "report",
        fields=REPORT,
        list_view=cap_views.ReportListView,
        detail=views.ReportDetailView,
        edit=views.ReportEditView,
    ),
    *object_urls(
        "chuyen-tin-bao",
        "reportforwarding",
        fields=REPORT_FORWARDING,
        detail=views.ForwardingDetailView,
        edit=views.ForwardingEditView,
    ),
    # Incidents: no delete page (an incident is a record); closed through its own action.
    path("su-co/", views.IncidentListView.as_view(), name="incident_list"),
    path("su-co/them/", views.IncidentEditView.as_view(), name="incident_add"),
    path("su-co/<int:pk>/", views.IncidentDetailView.as_view(), name="incident"),
    path("su-co/<int:pk>/sua/", views.IncidentEditView.as_view(), name="incident_edit"),
    path("su-co/<int:pk>/kich-hoat/", views.IncidentActivateView.as_view(), name="incident_activate"),
    path("su-co/<int:pk>/ket-thuc/", views.IncidentCloseView.as_view(), name="incident_close"),
    path("su-co/<int:pk>/danh-gia/", views.IncidentReviewView.as_view(), name="incident_review"),
    path("su-co/<int:pk>/phan/<slug:region>/", views.IncidentRegionView.as_view(), name="incident_region"),
    # Checklist items: made by activation, changed only by their two verbs.
    path("viec-su-co/", views.ChecklistItemListView.as_view(), name="checklistitem_list"),
    path(
        "viec-su-co/<int:pk>/xac-nhan/",
        views.ChecklistActionView.as_view(verb="ack"),
        name="checklistitem_ack",
    ),
    path(
        "viec-su-co/<int:pk>/da-xong/",
        views.ChecklistActionView.as_view(verb="done"),
        name="checklistitem_done",
    ),
    # The one-time acknowledgement link from an e-mail (the token is the only key; no sign-in).
    path("xac-nhan/<str:token>/", ack_views.AckLinkView.as_view(), name="ack_link"),
    # The significant-events log: append-only (no edit, no delete).
    path("nhat-ky-su-co/", views.LogEntryListView.as_view(), name="incidentlogentry_list"),
    path("nhat-ky-su-co/them/", views.LogEntryAddView.as_view(), name="incidentlogentry_add"),
    path("nhat-ky-su-co/<int:pk>/", views.LogEntryDetailView.as_view(), name="incidentlogentry"),
    *object_urls(
        "khac-phuc",
        "correctiveaction",
        fields=CORRECTIVE_ACTION,
        list_view=views.CorrectiveActionListView,
        detail=views.CorrectiveActionDetailView,
        edit=views.CorrectiveActionEditView,
    ),
]
