from django.urls import path

from pckb.core.routes import object_urls
from pckb.response import cap_views, views
from pckb.response.fields import PLAN_PHASE, PLAN_STEP, REPORT, REPORT_FORWARDING, SCENARIO_PLAN

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
]
