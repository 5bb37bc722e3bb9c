import os
import tempfile
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Biên dịch các tệp .po thành .mo (không cần gói gettext của hệ điều hành)."

    def handle(self, *args, **options):
        count = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in Path(locale_dir).rglob("*.po"):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue  # up to date
                # Written beside and moved into place: a test run or server reading the catalogue at the same
                # moment (two test runs side by side) never reads half a file.
                handle, temporary = tempfile.mkstemp(dir=mo_path.parent, suffix=".mo.tmp")
                os.close(handle)
                try:
                    polib.pofile(str(po_path)).save_as_mofile(temporary)
                    os.replace(temporary, mo_path)
                finally:
                    if os.path.exists(temporary):
                        os.unlink(temporary)
                count += 1
        self.stdout.write(f"Đã biên dịch {count} tệp bản dịch.")
