from django.urls import path

from pckb.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.NotificationListView.as_view(), name="list"),
    path("<int:pk>/da-doc/", views.NotificationReadView.as_view(), name="read"),
    path("chua-doc/", views.NotificationBadgeView.as_view(), name="badge"),
    path("da-doc-het/", views.NotificationReadAllView.as_view(), name="read_all"),
]
