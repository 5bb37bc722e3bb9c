from django.urls import path, re_path

from pckb.training import public_views, views

app_name = "training"
urlpatterns = [
    path("chuyen-de/", views.TopicListView.as_view(), name="topic_list"),
    path("chuyen-de/them/", views.TopicEditView.as_view(), name="topic_add"),
    path("chuyen-de/<int:pk>/", views.TopicDetailView.as_view(), name="topic"),
    path("chuyen-de/<int:pk>/sua/", views.TopicEditView.as_view(), name="topic_edit"),
    path("chuyen-de/<int:pk>/xoa/", views.TopicDeleteView.as_view(), name="topic_delete"),
    path("tai-lieu/them/", views.TopicMaterialEditView.as_view(), name="topicmaterial_add"),
    path("tai-lieu/<int:pk>/sua/", views.TopicMaterialEditView.as_view(), name="topicmaterial_edit"),
    path("cau-hoi/them/", views.QuestionEditView.as_view(), name="question_add"),
    re_path(
        r"^(?P<model>tai-lieu|phien)/(?P<pk>\d+)/tep/$",
        views.MaterialDownloadView.as_view(),
        name="material_download",
    ),
    path("hoi-nghi/", views.ConferenceListView.as_view(), name="conference_list"),
    path("hoi-nghi/them/", views.ConferenceEditView.as_view(), name="conference_add"),
    path("hoi-nghi/lich.ics", views.CalendarView.as_view(), name="calendar"),
    path("hoi-nghi/<int:pk>/", views.ConferenceDetailView.as_view(), name="conference"),
    path("hoi-nghi/<int:pk>/sua/", views.ConferenceEditView.as_view(), name="conference_edit"),
    path("hoi-nghi/<int:pk>/xoa/", views.ConferenceDeleteView.as_view(), name="conference_delete"),
    path("hoi-nghi/<int:pk>/trang-thai/", views.ConferenceAdvanceView.as_view(), name="conference_advance"),
    path("hoi-nghi/<int:pk>/diem-danh/", views.CheckinView.as_view(), name="checkin"),
    path("hoi-nghi/<int:pk>/the-dai-bieu.pdf", views.BadgesView.as_view(), name="badges"),
    path("hoi-nghi/<int:pk>/gui-ma/", views.CodesSendView.as_view(), name="codes_send"),
    path("hoi-nghi/<int:pk>/lich-su/", views.ConferenceHistoryView.as_view(), name="conference_history"),
    path(
        "hoi-nghi/<int:pk>/nhap-dai-bieu/", views.ParticipantImportView.as_view(), name="participant_import"
    ),
    path("hoi-nghi/<int:pk>/bai-kiem-tra/them/", views.TestBuildView.as_view(), name="test_add"),
    path("hoi-nghi/<int:pk>/ket-qua/", views.ResultsView.as_view(), name="results"),
    path(
        "hoi-nghi/<int:pk>/chung-nhan/cap/", views.CertificatesIssueView.as_view(), name="certificates_issue"
    ),
    path("hoi-nghi/<int:pk>/tai/<str:kind>", views.ConferenceFileView.as_view(), name="conference_file"),
    path("phien/them/", views.SessionEditView.as_view(), name="session_add"),
    path("phien/<int:pk>/sua/", views.SessionEditView.as_view(), name="session_edit"),
    path("phien/<int:pk>/xoa/", views.SessionDeleteView.as_view(), name="session_delete"),
    path("giay-moi/them/", views.InvitationEditView.as_view(), name="invitation_add"),
    path("giay-moi/<int:pk>/sua/", views.InvitationEditView.as_view(), name="invitation_edit"),
    path("giay-moi/<int:pk>/xoa/", views.InvitationDeleteView.as_view(), name="invitation_delete"),
    path("giay-moi/<int:pk>/gui/", views.InvitationSendView.as_view(), name="invitation_send"),
    path("giay-moi/<int:pk>/giay-moi.docx", views.InvitationLetterView.as_view(), name="invitation_letter"),
    path("giay-moi/<int:pk>/cu-dai-bieu/", views.NominateView.as_view(), name="nominate"),
    path("dai-bieu/<int:pk>/", views.ParticipantDetailView.as_view(), name="participant"),
    path("dai-bieu/<int:pk>/xoa/", views.ParticipantDeleteView.as_view(), name="participant_delete"),
    path("chung-nhan/<int:pk>/thu-hoi/", views.CertificateRevokeView.as_view(), name="certificate_revoke"),
    path("bai-kiem-tra/<int:pk>/", views.TestDetailView.as_view(), name="test"),
    path("do-bao-phu/", views.CoverageView.as_view(), name="coverage"),
]

#: Reached without an account, with a personal or verification code.
public_urlpatterns = [
    path("ma/", public_views.CodeEntryView.as_view(), name="public_entry"),
    path("ma/<str:code>/", public_views.PublicHomeView.as_view(), name="public_home"),
    path("ma/<str:code>/bai/<str:kind>/", public_views.TakeTestView.as_view(), name="public_test"),
    path(
        "ma/<str:code>/bai/<str:kind>/xem-lai/",
        public_views.ReviewAttemptView.as_view(),
        name="public_review",
    ),
    path(
        "ma/<str:code>/chung-nhan.pdf", public_views.OwnCertificateView.as_view(), name="public_certificate"
    ),
    path("xac-minh/<str:code>/", public_views.CertificateVerifyView.as_view(), name="verify"),
]
urlpatterns += public_urlpatterns
