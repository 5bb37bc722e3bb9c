import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from pckb.audit.keys import AuditKeyMissing
from pckb.audit.models import AuditEntry
from pckb.audit.services import audit_verify


class Command(BaseCommand):
    help = (
        "Kiểm tra toàn vẹn chuỗi nhật ký (HMAC với khóa ngoài cơ sở dữ liệu) và so đầu chuỗi với các "
        "mốc neo. Mã thoát 0: nguyên vẹn; 1: bị sửa/xóa/cắt cụt; 2: thiếu khóa."
    )

    def add_arguments(self, parser):
        parser.add_argument("--anchors", help="Tệp mốc neo (mặc định: PCKB_AUDIT_ANCHOR_FILE).")

    def handle(self, *args, **options):
        total = AuditEntry.objects.count()
        try:
            with tqdm(total=total, unit="mục", disable=not sys.stderr.isatty(), file=sys.stderr) as bar:
                result = audit_verify(progress=bar.update, anchor_file=options["anchors"])
        except AuditKeyMissing as exc:
            self.stderr.write(str(exc))
            sys.exit(2)
        if result.ok:
            self.stdout.write(result.message)
            return
        self.stderr.write(result.message)
        sys.exit(1)
