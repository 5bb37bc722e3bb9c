"""Fixtures: real SMTP and webhook peers on 127.0.0.1 and settings that point the outbox at them."""

import pytest

from tests.notifications.peers import SmtpReceiver, WebhookReceiver

WEBHOOK_SECRET = "khoa-ky-webhook-thu-nghiem-0123456789abcdef"


@pytest.fixture
def smtp_peer():
    peer = SmtpReceiver().start()
    yield peer
    peer.stop()


@pytest.fixture
def webhook_peer():
    peer = WebhookReceiver(WEBHOOK_SECRET).start()
    yield peer
    peer.stop()


@pytest.fixture
def peers(settings, smtp_peer, webhook_peer):
    """E-mail over the real SMTP backend to ``smtp_peer``; the webhook to ``webhook_peer``."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_peer.port
    settings.EMAIL_TIMEOUT = 5
    settings.PCKB_EMAIL_ENABLED = True
    settings.PCKB_WEBHOOK_URL = webhook_peer.url
    settings.PCKB_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.PCKB_WEBHOOK_TIMEOUT = 5
    return smtp_peer, webhook_peer
