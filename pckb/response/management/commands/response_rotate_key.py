"""Rotate the reporter-contact key: a new key encrypts, every stored contact is re-encrypted, the old key is
dropped. With ``PCKB_REPORTER_KEY`` set, put the new key first (``new,old``), run this, then drop the old.
"""

from cryptography.fernet import Fernet
from django.core.management.base import BaseCommand
from django.db import transaction

from pckb.response import crypto
from pckb.response.models import Report


class Command(BaseCommand):
    help = "Đổi khóa mã hóa thông tin người báo tin và mã hóa lại mọi tin báo."

    def handle(self, *args, **options):
        from_env = bool(crypto.env_keys())
        old = crypto.keys()
        new = old if from_env else [Fernet.generate_key().decode(), *old]
        if not from_env:
            crypto.key_file_write(new)  # new first: rows not yet re-encrypted stay readable with the old key
        cipher = crypto.cipher(new)
        count = 0
        with transaction.atomic():
            for report in (
                Report.objects.exclude(reporter_contact_token="")
                .select_for_update()
                .only("pk", "reporter_contact_token")
            ):
                token = cipher.rotate(report.reporter_contact_token.encode("ascii")).decode("ascii")
                Report.objects.filter(pk=report.pk).update(reporter_contact_token=token)
                count += 1
        if not from_env:
            crypto.key_file_write(new[:1])
        self.stdout.write(f"Đã mã hóa lại {count} tin báo bằng khóa mới.")
