from django.urls import path

from pckb.core.routes import object_urls
from pckb.protection import views
from pckb.protection.fields import TARGET, TARGET_CATEGORY

app_name = "protection"
urlpatterns = [
    path("muc-tieu/qua-han-danh-gia/", views.OverdueReviewView.as_view(), name="target_overdue"),
    *object_urls(
        "muc-tieu",
        "target",
        fields=TARGET,
        list_view=views.TargetListView,
        detail=views.TargetDetailView,
        edit=views.TargetEditView,
    ),
    # Assessments are only added: no edit or delete page (history is kept).
    path("danh-gia-rui-ro/", views.RiskAssessmentListView.as_view(), name="riskassessment_list"),
    path("danh-gia-rui-ro/them/", views.RiskAssessmentAddView.as_view(), name="riskassessment_add"),
    path("danh-gia-rui-ro/<int:pk>/", views.RiskAssessmentDetailView.as_view(), name="riskassessment"),
    *object_urls("loai-muc-tieu", "targetcategory", fields=TARGET_CATEGORY),
]
