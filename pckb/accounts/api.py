import datetime as dt

from ninja import Path, Router, Schema, Status
from ninja.errors import HttpError

from pckb.accounts import selectors, services
from pckb.accounts.models import ApiToken

router = Router()


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    expires: dt.datetime


class TokenInfo(Schema):
    id: int
    created: dt.datetime
    expires: dt.datetime
    last_used: dt.datetime | None
    current: bool


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
    try:
        key, token = services.api_token_issue(user=user)
    except services.PasswordChangeRequired as exc:
        raise HttpError(403, str(exc)) from exc
    return TokenOut(token=key, expires=token.expires)


@router.delete(
    "/token",
    response={204: None},
    tags=["Xác thực"],
    operation_id="auth_token_revoke",
    summary="Thu hồi mã truy cập đang dùng (gửi kèm trong Authorization)",
)
def revoke_current_token(request):
    token = getattr(request, "api_token", None)
    if token is None:
        raise HttpError(400, "Không có mã truy cập nào trong yêu cầu (cần 'Authorization: Bearer <mã>').")
    services.api_token_revoke(actor=request.user, user=request.user, token_id=token.pk)
    return Status(204, None)


@router.get(
    "/tokens",
    response=list[TokenInfo],
    tags=["Xác thực"],
    operation_id="auth_token_list",
    summary="Các mã truy cập còn hiệu lực của tài khoản đang dùng",
)
def list_tokens(request):
    current = getattr(getattr(request, "api_token", None), "pk", None)
    return [
        TokenInfo(
            id=t.pk, created=t.created, expires=t.expires, last_used=t.last_used, current=t.pk == current
        )
        for t in selectors.api_tokens_of(request.user)
    ]


@router.delete(
    "/tokens/{token_id}",
    response={204: None},
    tags=["Xác thực"],
    operation_id="auth_token_revoke_by_id",
    summary="Thu hồi một mã truy cập của tài khoản đang dùng",
)
def revoke_token(request, token_id: int = Path(..., ge=1, le=2**63 - 1)):
    try:
        services.api_token_revoke(actor=request.user, user=request.user, token_id=token_id)
    except ApiToken.DoesNotExist as exc:
        raise HttpError(404, "Không tìm thấy mã truy cập này.") from exc
    return Status(204, None)
