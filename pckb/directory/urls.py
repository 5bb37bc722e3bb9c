from django.urls import path

from pckb.directory import views

app_name = "directory"


def crud(prefix: str, base: str, list_view, detail, edit, delete, import_view=None) -> list:
    patterns = [
        path(f"{prefix}/", list_view.as_view(), name=f"{base}_list"),
        path(f"{prefix}/them/", edit.as_view(), name=f"{base}_add"),
        path(f"{prefix}/<int:pk>/", detail.as_view(), name=base),
        path(f"{prefix}/<int:pk>/sua/", edit.as_view(), name=f"{base}_edit"),
        path(f"{prefix}/<int:pk>/xoa/", delete.as_view(), name=f"{base}_delete"),
    ]
    if import_view:
        patterns.append(path(f"{prefix}/nhap/", import_view.as_view(), name=f"{base}_import"))
    return patterns


urlpatterns = [
    *crud(
        "ban-chi-dao",
        "committee",
        views.CommitteeListView,
        views.CommitteeDetailView,
        views.CommitteeEditView,
        views.CommitteeDeleteView,
    ),
    path(
        "ban-chi-dao/<int:pk>/kien-toan/",
        views.CommitteeReconstituteView.as_view(),
        name="committee_reconstitute",
    ),
    *crud(
        "co-quan",
        "agency",
        views.AgencyListView,
        views.AgencyDetailView,
        views.AgencyEditView,
        views.AgencyDeleteView,
        views.AgencyImportView,
    ),
    *crud(
        "can-bo",
        "person",
        views.PersonListView,
        views.PersonDetailView,
        views.PersonEditView,
        views.PersonDeleteView,
        views.PersonImportView,
    ),
    *crud(
        "quyet-dinh",
        "decision",
        views.DecisionListView,
        views.DecisionDetailView,
        views.DecisionEditView,
        views.DecisionDeleteView,
    ),
    path("vi-tri/them/", views.PositionEditView.as_view(), name="position_add"),
    path("vi-tri/<int:pk>/sua/", views.PositionEditView.as_view(), name="position_edit"),
    path("vi-tri/<int:pk>/xoa/", views.PositionDeleteView.as_view(), name="position_delete"),
]
