"""Target import benchmark: 50,000 key targets from one CSV file, as ``pckb manage import_targets`` runs it.

    .venv/bin/python bench/protection_import.py              # builds var/bench/protection.sqlite3 first
    .venv/bin/python bench/protection_import.py --rows 5000  # a smaller file

The file is generated with fictional names: most rows name today's commune by its code (the communes of
Cần Thơ), one row in ten gives an old (pre-2025) commune, district and province that the import converts
with the 2025 tables of ``vietnamadminunits``. The import runs as the provincial office of Cần Thơ, through
the same code as the page and the CLI: every cell checked, every row validated, then every target created
through the audited service (one hash-chained audit entry each) in one all-or-nothing transaction. The
targets are removed afterwards so the next run starts from the same database.

Results go to ``bench/results/protection_import.json``. Target: 50,000 targets ≤ 60 s.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import random
import sys
import time
from pathlib import Path

from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
BENCH_VAR = ROOT / "var" / "bench"
DEFAULT_DB = BENCH_VAR / "protection.sqlite3"
RESULTS_FILE = ROOT / "bench" / "results" / "protection_import.json"
SEED = 20250701
TARGET_SECONDS = 60.0
USERNAME = "vptt.cantho"
STEM = "Mục tiêu đo hiệu năng"
#: Old communes of Cần Thơ and Hậu Giang that went whole into one new commune (no ambiguity).
OLD_COMMUNES = [
    ("Phường An Bình", "Quận Ninh Kiều", "Thành phố Cần Thơ"),
    ("Phường Cái Khế", "Quận Ninh Kiều", "Thành phố Cần Thơ"),
    ("Thị trấn Ngã Sáu", "Huyện Châu Thành", "Tỉnh Hậu Giang"),
]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000, help="targets in the file")
    parser.add_argument("--fresh", action="store_true", help="rebuild the database")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="SQLite file")
    parser.add_argument("--out", type=Path, default=RESULTS_FILE, help="where to write the JSON results")
    args = parser.parse_args(argv)
    args.db = args.db.resolve()
    return args


def django_setup(args: argparse.Namespace) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "pckb.settings"
    os.environ["PCKB_VAR_DIR"] = str(BENCH_VAR)
    os.environ.setdefault("PCKB_LOG_LEVEL", "WARNING")
    if not os.environ.get("PCKB_DATABASE_URL"):
        os.environ["PCKB_SQLITE_PATH"] = str(args.db)
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    if args.fresh and not os.environ.get("PCKB_DATABASE_URL"):
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{args.db}{suffix}").unlink(missing_ok=True)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # like production: no query log


def prepare() -> None:
    """Migrate and load the demo once; remove targets a previous run left."""
    import secrets

    from django.core.management import call_command

    from pckb.demo.services import demo_load
    from pckb.protection.models import Target

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if not Target.objects.exists() or not Target.objects.filter(unit__code__startswith="X").exists():
        demo_load(
            password="Bench-" + secrets.token_urlsafe(18), accounts_file=BENCH_VAR / "protection-accounts.txt"
        )
    Target.objects.filter(name__startswith=STEM).delete()


def make_file(rows: int) -> bytes:
    from pckb.geo.models import AdministrativeUnit
    from pckb.protection.imports import target_columns
    from pckb.protection.models import TargetCategory

    rng = random.Random(SEED)
    header = [str(c.header) for c in target_columns() if c.attr != "pk"]
    communes = list(
        AdministrativeUnit.objects.filter(code__startswith="X", parent__code="P92", valid_to__isnull=True)
        .order_by("code")
        .values_list("code", flat=True)
    )
    categories = list(TargetCategory.objects.filter(active=True).values_list("name", flat=True))
    levels = ["Đặc biệt quan trọng", "Quan trọng", "Thông thường"]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for i in range(rows):
        old = rng.choice(OLD_COMMUNES) if i % 10 == 0 else ("", "", "")
        located = rng.random() < 0.5
        writer.writerow(
            [
                f"{STEM} số {i + 1}",
                rng.choice(categories),
                "" if old[0] else rng.choice(communes),
                *old,
                f"Số {rng.randint(1, 400)} đường Thử Nghiệm",
                "",
                f"Công ty Thử Nghiệm {rng.randint(1, 500)}",
                rng.choice(levels),
                "",
                f"{rng.uniform(9.9, 10.2):.5f}" if located else "",
                f"{rng.uniform(105.5, 105.9):.5f}" if located else "",
                "",
                "Thường",
            ]
        )
    return buffer.getvalue().encode("utf-8")


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    django_setup(args)
    from django.contrib.auth import get_user_model
    from django.db import connection

    from pckb.core.imports import import_csv
    from pckb.protection.imports import target_import_format
    from pckb.protection.management.commands.import_targets import CLI_MAX_BYTES, CLI_MAX_ROWS
    from pckb.protection.models import Target

    prepare()
    data = make_file(args.rows)
    user = get_user_model().objects.get(username=USERNAME)
    bars: dict[str, tqdm] = {}

    def progress(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            bar = bars[stage] = tqdm(total=total, desc=stage, unit="dòng", file=sys.stderr)
        bar.update(done - bar.n)

    columns, derive = target_import_format()
    load_before = os.getloadavg()[0]
    cpu_started = time.process_time()
    started = time.perf_counter()
    result = import_csv(
        actor=user,
        model=Target,
        columns=columns,
        data=data,
        filename="muc-tieu.csv",
        derive=derive,
        max_rows=CLI_MAX_ROWS,
        max_bytes=CLI_MAX_BYTES,
        progress=progress,
    )
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    load_after = os.getloadavg()[0]
    for bar in bars.values():
        bar.close()
    created = len(result.created)
    Target.objects.filter(name__startswith=STEM).delete()
    out = {
        "benchmark": "protection_import",
        "rows": args.rows,
        "created": created,
        "conversions": len(result.notes),
        "seconds": round(elapsed, 2),
        "rows_per_second": round(created / elapsed, 1),
        # SQLite runs in this process: the CPU time is the import's own work, whatever else the machine runs.
        "cpu_seconds": round(cpu, 2),
        "load_average_1min": [round(load_before, 2), round(load_after, 2)],
        "target_seconds_for_50000": TARGET_SECONDS,
        "meets_target": args.rows >= 50_000 and elapsed <= TARGET_SECONDS,
        "cpu_within_target": args.rows >= 50_000 and cpu <= TARGET_SECONDS,
        "file_bytes": len(data),
        "database": connection.vendor,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return out


if __name__ == "__main__":
    main()
