from django.urls import path

from pckb.coordination import views
from pckb.coordination.fields import FUNCTION, REGULATION
from pckb.core.routes import object_urls

app_name = "coordination"
urlpatterns = [
    path("quy-che/<int:pk>/ma-tran/", views.MatrixEditView.as_view(), name="regulation_matrix"),
    path("quy-che/<int:pk>/ban-hanh/", views.RegulationPutInForceView.as_view(), name="regulation_in_force"),
    path(
        "quy-che/<int:pk>/phien-ban-moi/",
        views.RegulationNewVersionView.as_view(),
        name="regulation_new_version",
    ),
    path("trach-nhiem/", views.AgencyDutiesView.as_view(), name="agency_duties"),
    path("su-kien/<int:pk>/dien-san/", views.EventPrefillView.as_view(), name="event_prefill"),
    path("phuong-an/<int:pk>/dien-san/", views.PlanPrefillView.as_view(), name="plan_prefill"),
    *object_urls(
        "quy-che",
        "regulation",
        fields=REGULATION,
        detail=views.RegulationDetailView,
        edit=views.RegulationEditView,
    ),
    *object_urls(
        "noi-dung",
        "function",
        fields=FUNCTION,
        detail=views.FunctionDetailView,
        edit=views.FunctionEditView,
    ),
]
