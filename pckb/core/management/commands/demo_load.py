from django.core.management.base import BaseCommand

from pckb.demo.services import demo_load


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu (người và số quyết định đều hư cấu) và cấp tài khoản mẫu cho từng vai trò."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="Dùng một mật khẩu chung cho mọi tài khoản mẫu (chỉ để thử).")

    def handle(self, *args, password=None, **options):
        accounts = demo_load(password=password)
        self.stdout.write("Tài khoản mẫu (cũng ghi trong var/demo-accounts.txt):")
        for a in accounts:
            self.stdout.write(f"  {a.username:16} {a.password:16} {a.role:18} {a.scope}")
