from django.urls import path

from pckb.core.routes import object_urls
from pckb.deployment import views
from pckb.deployment.fields import PLANNING_RUN, TEAM_TYPE

app_name = "deployment"
urlpatterns = [
    *object_urls(
        "loai-to-doi",
        "teamtype",
        fields=TEAM_TYPE,
        detail=views.TeamTypeDetailView,
        edit=views.TeamTypeEditView,
    ),
    # A run is computed, not edited: the planner form adds one; a run can be deleted.
    *[
        p
        for p in object_urls(
            "phuong-an",
            "planningrun",
            fields=PLANNING_RUN,
            list_view=views.PlanningRunListView,
            detail=views.PlanningRunDetailView,
            edit=views.PlanningRunCreateView,
        )
        if p.name != "planningrun_edit"
    ],
    path("phuong-an/<int:pk>/lenh.docx", views.OrdersView.as_view(), {"kind": "docx"}, name="orders_docx"),
    path("phuong-an/<int:pk>/lenh.pdf", views.OrdersView.as_view(), {"kind": "pdf"}, name="orders_pdf"),
]
