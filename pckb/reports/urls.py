from django.urls import path

from pckb.core.routes import object_urls
from pckb.reports import views
from pckb.reports.fields import REPORT, SCHEDULE

app_name = "reports"
urlpatterns = [
    path("bang-dieu-khien/", views.DashboardView.as_view(), name="dashboard"),
    path("tong-hop/", views.RollupView.as_view(), name="rollup"),
    path("bao-cao/<int:pk>/gui/", views.ReportSubmitView.as_view(), name="periodicreport_submit"),
    path("bao-cao/<int:pk>/tiep-nhan/", views.ReportAcceptView.as_view(), name="periodicreport_accept"),
    path("bao-cao/<int:pk>/tra-lai/", views.ReportReturnView.as_view(), name="periodicreport_return"),
    path(
        "bao-cao/<int:pk>/tai/<str:kind>/", views.ReportDocumentView.as_view(), name="periodicreport_document"
    ),
    *object_urls(
        "lich",
        "reportschedule",
        fields=SCHEDULE,
        list_view=views.ScheduleListView,
        detail=views.ScheduleDetailView,
    ),
    *object_urls(
        "bao-cao",
        "periodicreport",
        fields=REPORT,
        list_view=views.ReportListView,
        detail=views.ReportDetailView,
        edit=views.ReportEditView,
    ),
]
