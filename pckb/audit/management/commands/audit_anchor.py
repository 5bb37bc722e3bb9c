from django.core.management.base import BaseCommand

from pckb.audit.anchors import anchor_path, anchor_write, anchors_restart
from pckb.audit.services import audit_seal_queued


class Command(BaseCommand):
    help = (
        "Ghi mốc neo đầu chuỗi nhật ký (mục, mã băm, thời điểm, chữ ký HMAC) vào tệp ngoài cơ sở dữ liệu. "
        "Tiến trình nền làm việc này mỗi phút."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", help="Tệp mốc neo (mặc định: PCKB_AUDIT_ANCHOR_FILE).")
        parser.add_argument(
            "--after-restore",
            action="store_true",
            help="Sau khi khôi phục bản sao lưu có chủ đích: cất tệp mốc cũ sang bên và neo lại đầu chuỗi.",
        )

    def handle(self, *args, **options):
        path = anchor_path(options["file"])
        audit_seal_queued()
        if options["after_restore"]:
            moved = anchors_restart(path=path)
            if moved:
                self.stdout.write(f"Tệp mốc neo cũ được giữ tại {moved}.")
        anchor = anchor_write(path=path)
        if anchor is None and not options["after_restore"]:
            self.stdout.write(f"Đầu chuỗi chưa thay đổi kể từ mốc neo cuối ({path}).")
            return
        self.stdout.write(f"Đã neo đầu chuỗi vào {path}.")
