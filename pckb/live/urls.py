from django.urls import path

from pckb.live import views

app_name = "live"
urlpatterns = [
    path("toi/", views.user_stream_view, name="mine"),
    path("<slug:app_label>/<slug:model>/<int:pk>/", views.object_stream, name="object"),
]
