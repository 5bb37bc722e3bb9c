from django.urls import path

from pckb.accounts import views

app_name = "accounts"
urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-nhap/xac-thuc/", views.OtpView.as_view(), name="otp"),
    path("dang-xuat/", views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", views.PasswordChangeView.as_view(), name="password_change"),
    path("xac-thuc-hai-lop/", views.TotpSetupView.as_view(), name="totp"),
    path("ma-truy-cap/", views.ApiTokenListView.as_view(), name="api_tokens"),
    path("nguoi-dung/", views.UserListView.as_view(), name="user_list"),
    path("nguoi-dung/them/", views.UserEditView.as_view(), name="user_add"),
    path("nguoi-dung/<int:pk>/", views.UserDetailView.as_view(), name="user"),
    path("nguoi-dung/<int:pk>/sua/", views.UserEditView.as_view(), name="user_edit"),
    path(
        "nguoi-dung/<int:pk>/dat-lai-mat-khau/", views.UserPasswordResetView.as_view(), name="user_password"
    ),
    path("nguoi-dung/<int:pk>/bao-mat/", views.UserSecurityView.as_view(), name="user_security"),
]
