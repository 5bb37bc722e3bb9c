"""What notifications add to the product: the notification centre page and its API."""

from pckb.core.registry import Registration

registration = Registration(
    urls=("thong-bao/", "pckb.notifications.urls"),
    api=("/", "pckb.notifications.api.router"),
)
