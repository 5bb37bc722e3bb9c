from django.urls import path

from pckb.geo import views

app_name = "geo"
urlpatterns = [
    path("", views.UnitListView.as_view(), name="unit_list"),
    path("<int:pk>/", views.UnitDetailView.as_view(), name="unit"),
    path("goi-y/", views.UnitSuggestView.as_view(), name="unit_suggest"),
]
