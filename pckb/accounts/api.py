import datetime as dt

from ninja import Router, Schema
from ninja.errors import HttpError

from pckb.accounts import services

router = Router()


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    expires: dt.datetime


@router.post(
    "/token",
    auth=None,
    response=TokenOut,
    tags=["Xác thực"],
    operation_id="auth_token",
    summary="Đổi tên đăng nhập và mật khẩu lấy mã truy cập (Bearer)",
)
def issue_token(request, payload: TokenIn):
    try:
        user = services.login_check_password(username=payload.username, password=payload.password)
    except services.LoginFailed as exc:
        raise HttpError(401, str(exc)) from exc
    if user.totp_enabled:
        raise HttpError(401, "Tài khoản bật xác thực hai lớp: hãy tạo mã truy cập trên giao diện web.")
    key, token = services.api_token_issue(user=user)
    return TokenOut(token=key, expires=token.expires)
