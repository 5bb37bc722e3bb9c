from django.urls import path

from pckb.core.routes import object_urls
from pckb.protection import map_views, views
from pckb.protection.fields import INSPECTION, PROTECTED_EVENT, PROTECTION_PLAN, TARGET, TARGET_CATEGORY

app_name = "protection"
urlpatterns = [
    path("ban-do/", map_views.MapView.as_view(), name="map"),
    path("ban-do/du-lieu.geojson", map_views.MapDataView.as_view(), name="map_data"),
    path("ban-do/tai-ve.geojson", map_views.MapExportView.as_view(), name="map_export"),
    path("ban-do/nen.pmtiles", map_views.BasemapView.as_view(), name="map_basemap"),
    path("muc-tieu/qua-han-danh-gia/", views.OverdueReviewView.as_view(), name="target_overdue"),
    *object_urls(
        "muc-tieu",
        "target",
        fields=TARGET,
        list_view=views.TargetListView,
        detail=views.TargetDetailView,
        edit=views.TargetEditView,
        import_view=views.TargetImportView,
    ),
    # Assessments are only added: no edit or delete page (history is kept).
    path("danh-gia-rui-ro/", views.RiskAssessmentListView.as_view(), name="riskassessment_list"),
    path("danh-gia-rui-ro/them/", views.RiskAssessmentAddView.as_view(), name="riskassessment_add"),
    path("danh-gia-rui-ro/<int:pk>/", views.RiskAssessmentDetailView.as_view(), name="riskassessment"),
    *object_urls("loai-muc-tieu", "targetcategory", fields=TARGET_CATEGORY),
    path("su-kien/lich.ics", views.ProtectedEventCalendarView.as_view(), name="protectedevent_calendar"),
    *object_urls(
        "su-kien",
        "protectedevent",
        fields=PROTECTED_EVENT,
        list_view=views.ProtectedEventListView,
        detail=views.ProtectedEventDetailView,
        edit=views.ProtectedEventEditView,
    ),
    path("su-kien/<int:pk>/bao-cao/", views.EventStatusReportView.as_view(), name="protectedevent_report"),
    # The children of an event are shown on its page; each has an add, edit and delete form.
    path("nhiem-vu/them/", views.EventTaskEditView.as_view(), name="eventtask_add"),
    path("nhiem-vu/<int:pk>/sua/", views.EventTaskEditView.as_view(), name="eventtask_edit"),
    path("nhiem-vu/<int:pk>/xoa/", views.EventTaskDeleteView.as_view(), name="eventtask_delete"),
    path("nhiem-vu/<int:pk>/hoan-thanh/", views.EventTaskDoneView.as_view(), name="eventtask_done"),
    path("diem-dung/them/", views.EventStopEditView.as_view(), name="eventstop_add"),
    path("diem-dung/<int:pk>/sua/", views.EventStopEditView.as_view(), name="eventstop_edit"),
    path("diem-dung/<int:pk>/xoa/", views.EventStopDeleteView.as_view(), name="eventstop_delete"),
    path("tinh-hinh/them/", views.EventStatusEditView.as_view(), name="eventstatus_add"),
    path("tinh-hinh/<int:pk>/sua/", views.EventStatusEditView.as_view(), name="eventstatus_edit"),
    path("tinh-hinh/<int:pk>/xoa/", views.EventStatusDeleteView.as_view(), name="eventstatus_delete"),
    # Protection plans: versioned, approved by the committee leader, with files and the NĐ30 document.
    path("phuong-an/qua-han-ra-soat/", views.PlanReviewOverdueView.as_view(), name="protectionplan_overdue"),
    *object_urls(
        "phuong-an",
        "protectionplan",
        fields=PROTECTION_PLAN,
        list_view=views.ProtectionPlanListView,
        detail=views.ProtectionPlanDetailView,
        edit=views.ProtectionPlanEditView,
        delete=views.ProtectionPlanDeleteView,
    ),
    path(
        "phuong-an/<int:pk>/phe-duyet/",
        views.ProtectionPlanApproveView.as_view(),
        name="protectionplan_approve",
    ),
    path(
        "phuong-an/<int:pk>/phien-ban-moi/",
        views.ProtectionPlanNewVersionView.as_view(),
        name="protectionplan_new_version",
    ),
    path(
        "phuong-an/<int:pk>/van-ban.<str:kind>",
        views.ProtectionPlanDocumentView.as_view(),
        name="protectionplan_document",
    ),
    path("tep-phuong-an/them/", views.PlanFileAddView.as_view(), name="planfile_add"),
    path("tep-phuong-an/<int:pk>/tai/", views.PlanFileDownloadView.as_view(), name="planfile_download"),
    path("tep-phuong-an/<int:pk>/xoa/", views.PlanFileDeleteView.as_view(), name="planfile_delete"),
    # Inspections of a target; their findings and corrective actions are shown on the inspection's page.
    path("kiem-tra/khac-phuc-qua-han/", views.FindingOverdueView.as_view(), name="finding_overdue"),
    *object_urls(
        "kiem-tra",
        "inspection",
        fields=INSPECTION,
        list_view=views.InspectionListView,
        detail=views.InspectionDetailView,
        edit=views.InspectionEditView,
    ),
    path("ton-tai/them/", views.FindingEditView.as_view(), name="finding_add"),
    path("ton-tai/<int:pk>/sua/", views.FindingEditView.as_view(), name="finding_edit"),
    path("ton-tai/<int:pk>/xoa/", views.FindingDeleteView.as_view(), name="finding_delete"),
    path("ton-tai/<int:pk>/khac-phuc-xong/", views.FindingCloseView.as_view(), name="finding_close"),
]
