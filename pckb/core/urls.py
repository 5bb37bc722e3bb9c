from django.urls import path

from pckb.core import agenda_views, views

app_name = "core"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("lich/", agenda_views.AgendaView.as_view(), name="agenda"),
]
