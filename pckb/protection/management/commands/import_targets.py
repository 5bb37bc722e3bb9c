"""``pckb manage import_targets FILE --user NAME``: key targets from a CSV or XLSX file, as that account.

The same import as the list page's (all or nothing, every fault with line and column, old communes
converted and each conversion listed), with progress bars for the check and the writes and the larger
limits a provincial register needs (up to 200,000 rows, 200 MB)."""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from pckb.core import context
from pckb.core.imports import ImportFailed, import_csv
from pckb.protection.imports import target_import_format
from pckb.protection.models import Target

CLI_MAX_ROWS = 200_000
CLI_MAX_BYTES = 200 * 1024 * 1024
STAGES = {"check": "Kiểm tra", "write": "Ghi"}


class Command(BaseCommand):
    help = (
        "Nhập mục tiêu trọng điểm từ tệp CSV/XLSX với quyền của một tài khoản: nhập toàn bộ hoặc không gì; "
        "địa bàn cũ (trước 01/7/2025) được chuyển sang xã, phường hiện nay."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp .csv (UTF-8) hoặc .xlsx, dòng đầu là tên cột như tệp mẫu.")
        parser.add_argument("--user", required=True, help="Tên đăng nhập của người nhập (quyền, phạm vi).")
        parser.add_argument("--quiet", action="store_true", help="Không vẽ thanh tiến độ.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không thấy tệp {path}.")
        user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"Không có tài khoản đang hoạt động “{options['user']}”.")
        bars: dict[str, tqdm] = {}
        hidden = options["quiet"] or not sys.stderr.isatty()

        def progress(stage: str, done: int, total: int) -> None:
            bar = bars.get(stage)
            if bar is None:
                bar = bars[stage] = tqdm(
                    total=total, desc=STAGES.get(stage, stage), unit="dòng", file=sys.stderr, disable=hidden
                )
            bar.update(done - bar.n)

        columns, derive = target_import_format()
        token = context.activate(context.RequestContext(source="cli"))  # the audit says "cli"
        try:
            result = import_csv(
                actor=user,
                model=Target,
                columns=columns,
                data=path.read_bytes(),
                filename=path.name,
                derive=derive,
                max_rows=CLI_MAX_ROWS,
                max_bytes=CLI_MAX_BYTES,
                progress=progress,
            )
        except ImportFailed as exc:
            for bar in bars.values():
                bar.close()
            for fault in exc.faults:
                self.stderr.write(str(fault))
            self.stderr.write(f"Tệp có {len(exc.faults)} lỗi; chưa dữ liệu nào được ghi.")
            sys.exit(1)
        finally:
            context.deactivate(token)
        for bar in bars.values():
            bar.close()
        for note in result.notes:
            self.stdout.write(note)
        self.stdout.write(
            f"Đã nhập: {len(result.created)} mục tiêu mới, {len(result.updated)} cập nhật, "
            f"{result.unchanged} không đổi; {len(result.notes)} địa bàn cũ đã chuyển đổi."
        )
