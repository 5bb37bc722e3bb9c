import time

from django.core.management.base import BaseCommand

from pckb.geo.services import units_load


class Command(BaseCommand):
    help = "Nạp danh mục đơn vị hành chính (34 tỉnh, 3.321 xã, các tỉnh cũ trước 01/7/2025)."

    def handle(self, *args, **options):
        start = time.perf_counter()
        counts = units_load()
        elapsed = time.perf_counter() - start
        self.stdout.write(
            "Đã nạp: {province} tỉnh/thành, {commune} đơn vị cấp xã, "
            "{retired} tỉnh cũ ({sec:.2f} giây).".format(sec=elapsed, **counts)
        )
