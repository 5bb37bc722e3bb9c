from django.urls import path

from pckb.core.routes import object_urls
from pckb.directory import views

app_name = "directory"


urlpatterns = [
    *object_urls(
        "ban-chi-dao",
        "committee",
        list_view=views.CommitteeListView,
        detail=views.CommitteeDetailView,
        edit=views.CommitteeEditView,
        delete=views.CommitteeDeleteView,
    ),
    path(
        "ban-chi-dao/<int:pk>/kien-toan/",
        views.CommitteeReconstituteView.as_view(),
        name="committee_reconstitute",
    ),
    *object_urls(
        "co-quan",
        "agency",
        list_view=views.AgencyListView,
        detail=views.AgencyDetailView,
        edit=views.AgencyEditView,
        delete=views.AgencyDeleteView,
        import_view=views.AgencyImportView,
    ),
    *object_urls(
        "can-bo",
        "person",
        list_view=views.PersonListView,
        detail=views.PersonDetailView,
        edit=views.PersonEditView,
        delete=views.PersonDeleteView,
        import_view=views.PersonImportView,
    ),
    *object_urls(
        "quyet-dinh",
        "decision",
        list_view=views.DecisionListView,
        detail=views.DecisionDetailView,
        edit=views.DecisionEditView,
        delete=views.DecisionDeleteView,
    ),
    path("vi-tri/them/", views.PositionEditView.as_view(), name="position_add"),
    path("vi-tri/<int:pk>/sua/", views.PositionEditView.as_view(), name="position_edit"),
    path("vi-tri/<int:pk>/xoa/", views.PositionDeleteView.as_view(), name="position_delete"),
]
