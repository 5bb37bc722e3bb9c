from django.urls import path

from pckb.core.routes import object_urls
from pckb.documents import views
from pckb.documents.fields import CONCLUSION, DOCUMENT, MEETING, REGISTER_ENTRY

app_name = "documents"
urlpatterns = [
    path("tat-ca/", views.AllDocumentsView.as_view(), name="all"),
    path("so-den/", views.IncomingRegisterView.as_view(), name="incoming"),
    path("so-di/", views.OutgoingRegisterView.as_view(), name="outgoing"),
    path("tep/them/", views.DocumentFileAddView.as_view(), name="documentfile_add"),
    path("tep/<int:pk>/", views.DocumentFileDownloadView.as_view(), name="documentfile_download"),
    path("hop/<int:pk>/diem-danh/", views.MeetingAttendanceView.as_view(), name="meeting_attendance"),
    path("hop/<int:pk>/giao-nhiem-vu/", views.MeetingAssignView.as_view(), name="meeting_assign"),
    *object_urls(
        "van-ban",
        "document",
        fields=DOCUMENT,
        list_view=views.DocumentListView,
        detail=views.DocumentDetailView,
        edit=views.DocumentEditView,
    ),
    # A register line is never deleted (its number is never given back): no delete page.
    *[
        p
        for p in object_urls(
            "vao-so",
            "registerentry",
            fields=REGISTER_ENTRY,
            list_view=views.RegisterListView,
            detail=views.RegisterEntryDetailView,
            edit=views.RegisterEntryEditView,
        )
        if p.name != "registerentry_delete"
    ],
    *object_urls(
        "hop", "meeting", fields=MEETING, list_view=views.MeetingListView, detail=views.MeetingDetailView
    ),
    *object_urls(
        "ket-luan",
        "conclusion",
        fields=CONCLUSION,
        detail=views.ConclusionDetailView,
        edit=views.ConclusionEditView,
    ),
]
