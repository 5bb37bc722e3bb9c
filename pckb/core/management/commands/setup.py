from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Chuẩn bị cài đặt: migrate, bảng cache, bản dịch, danh mục đơn vị hành chính, tệp tĩnh (production)."
    )

    def handle(self, *args, **options):
        verbosity = options.get("verbosity", 1)
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
        call_command("createcachetable", verbosity=max(verbosity - 1, 0))
        call_command("compile_translations", verbosity=verbosity)
        call_command("load_units", verbosity=verbosity)
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=max(verbosity - 1, 0))
