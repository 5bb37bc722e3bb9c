"""Directory benchmark: national-scale synthetic data, page latency against a bare Django view, query counts.

    .venv/bin/python bench/directory.py                # full scale (≈6k agencies, 40k people, 1M audit rows)
    .venv/bin/python bench/directory.py --quick        # scale 0.05, fewer requests
    .venv/bin/python bench/directory.py --fresh        # rebuild the generated database

The benchmark uses its own database: SQLite at ``var/bench/directory.sqlite3`` (``--db`` to change), or the
PostgreSQL database named by ``PCKB_DATABASE_URL`` (use a dedicated, empty database: ``--fresh`` flushes it).
Results go to ``bench/results/directory.json``; see ``bench/directory.md`` for what is measured and why.
All names are fictional (drawn from ``pckb.demo.names``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
import types
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_VAR = ROOT / "var" / "bench"
DEFAULT_DB = BENCH_VAR / "directory.sqlite3"
RESULTS_FILE = ROOT / "bench" / "results" / "directory.json"
SEED = 20250701
TARGET_P95_MS = 100.0
TARGET_RATIO = 5.0
MARKER_USER = "bench.quocgia"


# --- Command line and Django set-up ---------------------------------------------------------------------
def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="data size factor (1.0 = national scale)")
    parser.add_argument("--quick", action="store_true", help="scale 0.05, 30 requests per page")
    parser.add_argument("--fresh", action="store_true", help="rebuild the generated data")
    parser.add_argument("--requests", type=int, default=60, help="timed requests per page (after warm-up)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests per page first")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="SQLite file (ignored with PostgreSQL)")
    parser.add_argument("--out", type=Path, default=RESULTS_FILE, help="where to write the JSON results")
    parser.add_argument("--small-scale", type=float, default=0.02,
                        help="scale of the second, small SQLite database used to compare query counts "
                             "(0 to skip)")
    parser.add_argument("--counts-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-verify", action="store_true", help="skip timing audit_verify()")
    args = parser.parse_args(argv)
    if args.quick:
        args.scale = 0.05 if args.scale == 1.0 else args.scale
        args.requests = min(args.requests, 30)
    if args.scale <= 0:
        parser.error("--scale must be positive")
    args.db = args.db.resolve()
    return args


def django_setup(args: argparse.Namespace) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pckb.settings")
    os.environ["PCKB_VAR_DIR"] = str(BENCH_VAR)
    os.environ.setdefault("PCKB_LOG_LEVEL", "WARNING")
    if not os.environ.get("PCKB_DATABASE_URL"):
        os.environ["PCKB_SQLITE_PATH"] = str(args.db)
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    if args.fresh and not os.environ.get("PCKB_DATABASE_URL"):
        _remove_sqlite(args.db)
    import django

    django.setup()
    from django.conf import settings

    # Measure like production: no per-query logging in connection.queries, no template debug info.
    # (CaptureQueriesContext forces the debug cursor itself when counting.)
    settings.DEBUG = False


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


# --- Sizes ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Plan:
    scale: float
    agencies: int  # lower bound: committees need their own agencies (≈540) whatever the scale
    people: int
    audit: int
    committees: int = 1 + 20 + 34

    @classmethod
    def for_scale(cls, scale: float) -> Plan:
        return cls(scale=scale, agencies=round(6000 * scale), people=max(2000, round(40000 * scale)),
                   audit=max(10000, round(1_000_000 * scale)))


# Sector committees: (host ministry, sector description). Institutions, not people.
SECTORS = [
    ("Bộ Quốc phòng", "Quốc phòng"), ("Bộ Ngoại giao", "Ngoại giao"),
    ("Bộ Xây dựng", "Xây dựng, giao thông vận tải"), ("Bộ Y tế", "Y tế"), ("Bộ Tài chính", "Tài chính"),
    ("Bộ Công Thương", "Công thương, năng lượng"),
    ("Bộ Nông nghiệp và Môi trường", "Nông nghiệp, môi trường"),
    ("Bộ Khoa học và Công nghệ", "Khoa học, công nghệ, bưu chính"),
    ("Bộ Văn hóa, Thể thao và Du lịch", "Văn hóa, thể thao, du lịch"),
    ("Bộ Giáo dục và Đào tạo", "Giáo dục"), ("Bộ Nội vụ", "Nội vụ"), ("Bộ Tư pháp", "Tư pháp"),
    ("Bộ Dân tộc và Tôn giáo", "Dân tộc, tôn giáo"), ("Ngân hàng Nhà nước Việt Nam", "Ngân hàng"),
    ("Thanh tra Chính phủ", "Thanh tra"), ("Đài Truyền hình Việt Nam", "Truyền hình"),
    ("Đài Tiếng nói Việt Nam", "Phát thanh"), ("Thông tấn xã Việt Nam", "Thông tấn"),
    ("Tập đoàn Điện lực Việt Nam", "Điện lực"), ("Tổng công ty Hàng không Việt Nam", "Hàng không dân dụng"),
]
MINISTRY_UNITS = ["An ninh", "Kế hoạch", "Pháp chế", "Hợp tác quốc tế", "Tổ chức cán bộ", "Thanh tra",
                  "Công nghệ thông tin", "Quản lý chất lượng", "Tài chính", "Hành chính", "Truyền thông",
                  "Quản lý đầu tư", "Kiểm tra", "Tổng hợp"]
PROVINCE_EXTRA = ["Sở Nội vụ", "Sở Tư pháp", "Sở Công Thương", "Sở Giáo dục và Đào tạo",
                  "Sở Nông nghiệp và Môi trường", "Sở Dân tộc và Tôn giáo", "Thanh tra", "Kho bạc Nhà nước",
                  "Thuế", "Đài Phát thanh và Truyền hình", "Bệnh viện Đa khoa",
                  "Ban Quản lý các khu công nghiệp"]
COMMUNE_AGENCIES = ["Công an", "Ủy ban nhân dân", "Trạm Y tế", "Ban Chỉ huy Quân sự"]
TITLES = ["Chuyên viên", "Chuyên viên chính", "Phó Trưởng phòng", "Trưởng phòng", "Cán bộ",
          "Phó Chánh Văn phòng", "Thanh tra viên", "Kiểm soát viên", "Phó Giám đốc", "Cán bộ đầu mối"]
POLICE_RANKS = ["Thiếu úy", "Trung úy", "Thượng úy", "Đại úy", "Thiếu tá", "Trung tá", "Thượng tá", "Đại tá"]
EXTRA_GIVEN = ["Anh", "Bảo", "Châu", "Diệp", "Duy", "Hân", "Hiền", "Hoa", "Huy", "Khoa", "Lộc", "Minh", "My",
               "Ngân", "Nhi", "Oanh", "Phát", "Quân", "Sang", "Tài", "Thư", "Toàn", "Tú", "Vy"]


# --- Data generation ------------------------------------------------------------------------------------
class Generator:
    """Builds the synthetic directory with bulk_create; every derived field is filled explicitly."""

    def __init__(self, plan: Plan, bar):
        from pckb.demo.names import GIVEN, MIDDLE, SURNAMES

        self.plan = plan
        self.bar = bar
        self.rng = random.Random(SEED)
        self.surnames, self.middle, self.given = SURNAMES, MIDDLE, GIVEN + EXTRA_GIVEN
        self.timings: dict[str, float] = {}

    # helpers
    def name(self) -> str:
        rng = self.rng
        middle = rng.choice(self.middle)
        if rng.random() < 0.35:
            middle += " " + rng.choice(self.middle)
        return f"{rng.choice(self.surnames)} {middle} {rng.choice(self.given)}"

    def phone(self) -> str:
        return f"0{self.rng.choice([2, 9, 8, 3])}{self.rng.randrange(10**8):08d}"

    @staticmethod
    def derive(obj):
        obj.search_text = obj.compute_search_text()
        obj.sort_key = obj.compute_sort_key()
        return obj

    def step(self, label: str, started: float) -> None:
        self.timings[label] = round(time.perf_counter() - started, 2)

    def run(self) -> dict[str, float]:
        from django.db import transaction

        with transaction.atomic():
            self.units()
            self.agencies()
            self.committees()
            self.people_and_memberships()
            self.users()
        self.audit()
        return self.timings

    # steps
    def units(self) -> None:
        from pckb.geo.models import AdministrativeUnit
        from pckb.geo.services import units_load

        started = time.perf_counter()
        units_load()
        self.step("units_load", started)
        self.bar.set_description("units")
        self.vn = AdministrativeUnit.objects.get(code="VN")
        self.provinces = list(AdministrativeUnit.objects.filter(level="province", valid_to__isnull=True)
                              .order_by("code"))
        communes = AdministrativeUnit.objects.filter(level="commune").order_by("code")
        self.communes: dict[int, list] = {p.pk: [] for p in self.provinces}
        for commune in communes:
            self.communes[commune.parent_id].append(commune)
        # Skewed province sizes: the biggest has ~10x the people of the smallest.
        order = sorted(self.provinces, key=lambda p: -len(self.communes[p.pk]))
        self.province_weight = {p.pk: (1.0 / (rank + 1) ** 0.75) for rank, p in enumerate(order)}
        self.big_province, self.small_province = order[0], order[-1]
        self.bar.update(1)

    def _province_label(self, province) -> tuple[str, bool]:
        city = province.division_type.startswith("thành phố")
        name = province.name
        if city:
            return ("thành phố" + name[len("Thành phố"):]) if name.startswith("Thành phố") else name, True
        return f"tỉnh {name}", False

    def agencies(self) -> None:
        from pckb.demo.services import provincial_seats
        from pckb.directory.choices import AgencyKind as K
        from pckb.directory.models import Agency

        started = time.perf_counter()
        self.bar.set_description("agencies")
        rows: dict[tuple[str, int], Agency] = {}

        def add(name: str, kind: str, unit) -> None:
            key = (name, unit.pk)
            if key not in rows:
                rows[key] = Agency(name=name, kind=kind, unit=unit, phone=self.phone(),
                                   address=f"Số {self.rng.randrange(1, 300)}, {unit.name}")

        vn = self.vn
        add("Chính phủ", K.OTHER, vn)
        for name in ("Bộ Công an", "Cục An ninh nội địa, Bộ Công an", "Bộ Tư lệnh Bộ đội Biên phòng"):
            add(name, K.MINISTRY, vn)
        for ministry, _sector in SECTORS:
            add(ministry, K.MINISTRY, vn)
            add(f"Văn phòng {ministry}", K.MINISTRY, vn)
            for unit_name in MINISTRY_UNITS[: 6 + len(ministry) % 6]:
                add(f"Cục {unit_name}, {ministry}", K.MINISTRY, vn)
        self.seats: dict[int, list[tuple]] = {}
        for province in self.provinces:
            label, city = self._province_label(province)
            seats = provincial_seats(label, city)
            self.seats[province.pk] = seats
            for _role, _post, agency_name, kind, _rank in seats:
                add(agency_name, kind, province)
        core = len(rows)
        extra_wanted = max(0, self.plan.agencies - core)
        candidates = []
        for extra in PROVINCE_EXTRA:
            for province in self.provinces:
                label, _city = self._province_label(province)
                candidates.append((f"{extra} {label}", K.DEPARTMENT, province))
        all_communes = [c for p in self.provinces for c in self.communes[p.pk]]
        self.rng.shuffle(all_communes)
        commune_kinds = [K.POLICE, K.PEOPLES_COMMITTEE, K.OTHER, K.MILITARY]
        for prefix, kind in zip(COMMUNE_AGENCIES, commune_kinds, strict=True):
            candidates.extend((f"{prefix} {c.name}", kind, c) for c in all_communes)
        for name, kind, unit in candidates[:extra_wanted]:
            add(name, kind, unit)
        objs = [self.derive(a) for a in rows.values()]
        Agency.objects.bulk_create(objs, batch_size=2000)
        self.agency_by_key = {(a.name, a.unit_id): a for a in objs}
        self.agency_list = objs
        self.step("agencies", started)
        self.bar.update(1)

    def committees(self) -> None:
        from pckb.demo.services import NATIONAL_SEATS
        from pckb.directory.choices import CommitteeLevel
        from pckb.directory.choices import CommitteeRole as R
        from pckb.directory.models import Committee, Decision, Position

        started = time.perf_counter()
        self.bar.set_description("committees")
        vn = self.vn
        agency = self.agency_by_key

        def committee(name, level, unit, host, standing, office, sector=""):
            return self.derive(Committee(
                name=name, level=level, unit=unit, host_authority=agency[(host, unit.pk)],
                standing_agency=agency[(standing, unit.pk)], standing_office=office, sector=sector,
                phone=self.phone(),
            ))

        national = committee("Ban Chỉ đạo Phòng, chống khủng bố quốc gia", CommitteeLevel.NATIONAL, vn,
                             "Chính phủ", "Bộ Công an",
                             "Văn phòng Thường trực, Cục An ninh nội địa, Bộ Công an")
        national.save()
        specs = []  # (committee, seats)
        # The national committee is the biggest: its seats plus one member from every sector host.
        national_seats = list(NATIONAL_SEATS)
        for ministry, _sector in SECTORS[4:18]:
            national_seats.append((R.MEMBER, f"Lãnh đạo {ministry}", ministry, "ministry", ""))
        specs.append((national, national_seats))
        others = []
        for ministry, sector in SECTORS:
            office = f"Văn phòng {ministry}"
            c = committee(f"Ban Chỉ đạo Phòng, chống khủng bố {ministry}", CommitteeLevel.SECTOR, vn,
                          ministry, office, office, sector=sector)
            c.parent = national
            seats = [(R.HEAD, f"Lãnh đạo {ministry}", ministry, "ministry", ""),
                     (R.PERMANENT_DEPUTY, f"Chánh Văn phòng {ministry}", office, "ministry", "")]
            for unit_name in MINISTRY_UNITS[: 6 + len(ministry) % 6]:
                seats.append((R.MEMBER, f"Cục trưởng Cục {unit_name}", f"Cục {unit_name}, {ministry}",
                              "ministry", ""))
            seats.append((R.SECRETARY, "Chuyên viên Văn phòng", office, "ministry", ""))
            others.append((c, seats))
        for province in self.provinces:
            label, _city = self._province_label(province)
            seats = self.seats[province.pk]
            c = committee(f"Ban Chỉ đạo Phòng, chống khủng bố {label}", CommitteeLevel.PROVINCE, province,
                          seats[0][2], seats[1][2],
                          f"Văn phòng Thường trực đặt tại Phòng An ninh nội địa, Công an {label}")
            c.parent = national
            others.append((c, seats))
        Committee.objects.bulk_create([c for c, _seats in others])
        specs.extend(others)

        decisions, positions = [], []
        self.position_specs = []  # (position, holder agency, rank, reconstituted?)
        for index, (c, seats) in enumerate(specs):
            subject = f"Về việc kiện toàn {c.name}"
            first = self.derive(Decision(
                committee=c, number=f"{100 + index}/QĐ-BENCH", date=dt.date(2024, 3, 1) + dt.timedelta(index),
                issuer=c.host_authority.name, signer=self.name(), subject=subject))
            second = self.derive(Decision(
                committee=c, number=f"{900 + index}/QĐ-BENCH",
                date=dt.date(2025, 9, 1) + dt.timedelta(index % 20),
                issuer=c.host_authority.name, signer=self.name(), subject=f"{subject} (lần 2)"))
            decisions += [first, second]
            for order, (role, post, agency_name, _kind, rank) in enumerate(seats, start=1):
                a = agency[(agency_name, c.unit_id)]
                p = self.derive(Position(committee=c, role=role, post=post, agency=a, order=order))
                positions.append(p)
                self.position_specs.append((p, a, rank, first, second, self.rng.random() < 0.3))
        Decision.objects.bulk_create(decisions, batch_size=1000)
        Position.objects.bulk_create(positions, batch_size=1000)
        self.committee_list = [c for c, _seats in specs]
        self.decision_list = decisions
        self.step("committees", started)
        self.bar.update(1)

    def _person(self, agency, title: str, rank: str = ""):
        from pckb.directory.models import Person

        roll = self.rng.random()
        classification = 2 if roll < 0.005 else 1 if roll < 0.03 else 0
        if not rank and agency.kind in ("police", "military", "border_guard") and self.rng.random() < 0.8:
            rank = self.rng.choice(POLICE_RANKS)
        return self.derive(Person(full_name=self.name(), rank=rank, title=title, agency=agency,
                                  office_phone=self.phone(), mobile=self.phone() if roll > 0.5 else "",
                                  classification=classification))

    def people_and_memberships(self) -> None:
        from pckb.directory.models import Membership, Person

        started = time.perf_counter()
        self.bar.set_description("people")
        holders = []  # (position, person, first, second, is_current)
        people = []
        for position, agency, rank, first, second, changed in self.position_specs:
            current = self._person(agency, position.post, rank)
            people.append(current)
            if changed:
                former = self._person(agency, f"Nguyên {position.post[:1].lower()}{position.post[1:]}", rank)
                people.append(former)
                holders.append((position, former, first, second, False))
                holders.append((position, current, second, None, True))
            else:
                holders.append((position, current, first, None, True))
        province_of = {p.pk: p.pk for p in self.provinces}
        unit_province = {}
        for pid, communes in self.communes.items():
            for c in communes:
                unit_province[c.pk] = pid
        level_factor = {"national": 3.0, "province": 2.0, "commune": 0.4}
        weights = []
        for a in self.agency_list:
            pid = province_of.get(a.unit_id) or unit_province.get(a.unit_id)
            w = self.province_weight.get(pid, 0.5) if pid else 0.6
            weights.append(w * level_factor[a.unit.level])
        rest = max(0, self.plan.people - len(people))
        for agency in self.rng.choices(self.agency_list, weights=weights, k=rest):
            people.append(self._person(agency, self.rng.choice(TITLES)))
        Person.objects.bulk_create(people, batch_size=2000)
        memberships = []
        for position, person, decision, end_decision, is_current in holders:
            if is_current:
                valid_from, valid_to = decision.date, None
            else:
                valid_from, valid_to = decision.date, end_decision.date - dt.timedelta(days=1)
            memberships.append(Membership(
                position=position, person=person, decision=decision, end_decision=end_decision,
                valid_from=valid_from, valid_to=valid_to))
        Membership.objects.bulk_create(memberships, batch_size=2000)
        self.people = people
        self.step("people", started)
        self.bar.update(1)

    def users(self) -> None:
        from pckb.accounts.choices import Role
        from pckb.accounts.models import User

        specs = [
            (MARKER_USER, Role.NATIONAL_OFFICE, self.vn, 2),
            ("bench.tinh.lon", Role.PROVINCIAL_OFFICE, self.big_province, 1),
            ("bench.tinh.nho", Role.PROVINCIAL_OFFICE, self.small_province, 1),
        ]
        self.user_list = []
        for username, role, unit, clearance in specs:
            user = User(username=username, role=role, scope_unit=unit, clearance=clearance,
                        first_name=f"Bench {username}")
            user.set_unusable_password()
            user.save()
            self.user_list.append(user)

    def audit(self) -> None:
        """1M entries with a valid chain, hashed with ``compute_hash`` exactly as ``audit_record`` would.

        Rows go in with ``executemany`` in batches of 10,000, values adapted by the backend's own operations.
        (``bulk_create`` was ~14x slower here: on SQLite it splits into 55-row statements and builds a model
        instance per row; at 1M rows that alone took >5 minutes on a 2-core box.)
        """
        from django.db import connection, transaction

        from pckb.audit.models import GENESIS_HASH, AuditChainHead, AuditEntry
        from pckb.audit.services import compute_hash

        started = time.perf_counter()
        self.bar.set_description("audit")
        rng = self.rng
        unit_path = {u.pk: u.path for u in [self.vn, *self.provinces]}
        for communes in self.communes.values():
            unit_path.update({c.pk: c.path for c in communes})
        agency_path = {a.pk: unit_path[a.unit_id] for a in self.agency_list}
        pool = []  # (object_type, object_id, repr, unit_path, classification)
        for p in self.people:
            pool.append(("directory.person", str(p.pk), p.full_name, agency_path[p.agency_id],
                         p.classification))
        for a in self.agency_list:
            pool.append(("directory.agency", str(a.pk), a.name[:300], agency_path[a.pk], 0))
        committee_objs = [("directory.committee", str(c.pk), c.name, unit_path[c.unit_id], 0)
                          for c in self.committee_list]
        decision_objs = [("directory.decision", str(d.pk), str(d.number), unit_path[d.committee.unit_id], 0)
                         for d in self.decision_list]
        users = [(u.pk, u.username, u.scope_path) for u in self.user_list]
        actions = ["update"] * 40 + ["create"] * 20 + ["login"] * 15 + ["view"] * 10 + ["logout"] * 8 + \
                  ["export"] * 3 + ["delete"] * 2 + ["login_failed"] * 2
        n = self.plan.audit
        moment = dt.datetime(2025, 7, 1, tzinfo=dt.UTC)  # UTC: what the database gives back to audit_verify
        span = (dt.datetime(2026, 1, 1, tzinfo=dt.UTC) - moment).total_seconds()
        step_us = max(1, int(span * 1_000_000 / n))

        fields = [f for f in AuditEntry._meta.concrete_fields if not f.primary_key]
        names = [f.attname for f in fields]
        quote = connection.ops.quote_name
        sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - quoted model identifiers
            quote(AuditEntry._meta.db_table), ", ".join(quote(f.column) for f in fields),
            ", ".join(["%s"] * len(fields)))
        ops = connection.ops
        adapters = {
            "time": ops.adapt_datetimefield_value,
            "before": lambda v: None if v is None else ops.adapt_json_value(v, None),
            "after": lambda v: None if v is None else ops.adapt_json_value(v, None),
        }
        plain = lambda v: v  # noqa: E731
        adapt = [adapters.get(name, plain) for name in names]
        entry = _Entry()
        prev = GENESIS_HASH
        batch: list[tuple] = []
        self.bar.reset(total=n)
        for seq in range(1, n + 1):
            moment += dt.timedelta(microseconds=rng.randrange(1, 2 * step_us))
            action = rng.choice(actions)
            user_id, username, scope = rng.choice(users)
            before = after = None
            if action in ("login", "logout", "login_failed"):
                obj = ("accounts.user", str(user_id), username, scope, 0)
            else:
                roll = rng.random()
                obj = (rng.choice(committee_objs) if roll < 0.03 else rng.choice(decision_objs) if roll < 0.06
                       else rng.choice(pool))
                if action == "update":
                    before, after = {"office_phone": self.phone()}, {"office_phone": self.phone()}
                elif action == "create":
                    after = {"name": obj[2]}
            entry.__init__(
                seq=seq, time=moment, user_id=user_id, username=username,
                ip=f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
                request_id=f"{rng.getrandbits(128):032x}", source="api" if rng.random() < 0.15 else "web",
                action=action, object_type=obj[0], object_id=obj[1], object_repr=obj[2], unit_path=obj[3],
                classification=obj[4], before=before, after=after, prev_hash=prev,
            )
            entry.hash = prev = compute_hash(prev, entry)
            batch.append(tuple(f(getattr(entry, name)) for f, name in zip(adapt, names, strict=True)))
            if len(batch) == 10000 or seq == n:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.executemany(sql, batch)
                self.bar.update(len(batch))
                batch = []
        AuditChainHead.objects.update_or_create(pk=1, defaults={"seq": n, "hash": prev})
        self.step("audit", started)


class _Entry:
    """The attributes ``compute_hash`` reads, without a model instance per row."""

    __slots__ = ("seq", "time", "user_id", "username", "ip", "request_id", "source", "action", "object_type",
                 "object_id", "object_repr", "unit_path", "classification", "before", "after", "prev_hash",
                 "hash")

    def __init__(self, **values):
        for name, value in values.items():
            setattr(self, name, value)


META_KEY = "bench:directory:meta"


def current_counts(audit_upto: int) -> dict[str, int]:
    from pckb.audit.models import AuditEntry
    from pckb.directory.models import Agency, Committee, Membership, Person

    return {"agencies": Agency.objects.count(), "people": Person.objects.count(),
            "committees": Committee.objects.count(), "memberships": Membership.objects.count(),
            "audit": AuditEntry.objects.filter(seq__lte=audit_upto).count()}


def existing_matches(plan: Plan) -> tuple[bool, str]:
    """Whether the database holds what ``plan`` generates (the generator stores its plan and counts in the
    database's own cache table, with no expiry)."""
    from django.core.cache import cache

    from pckb.accounts.models import User
    from pckb.audit.models import AuditChainHead

    if not User.objects.filter(username=MARKER_USER).exists():
        return False, "no generated data"
    meta = cache.get(META_KEY)
    if not meta or meta.get("plan") != plan.__dict__:
        return False, f"generated with another plan ({meta and meta.get('plan')})"
    actual = current_counts(plan.audit)
    head = AuditChainHead.objects.filter(pk=1).first()
    if actual != meta["counts"] or head is None or head.seq < plan.audit:
        return False, f"counts differ: have {actual}, want {meta['counts']}"
    return True, "row counts match"


def remember_plan(plan: Plan) -> None:
    from django.core.cache import cache

    cache.set(META_KEY, {"plan": plan.__dict__, "counts": current_counts(plan.audit)}, timeout=None)


# --- Measurement ----------------------------------------------------------------------------------------
def percentile(values: list[float], pct: int) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def bare_urlconf() -> str:
    """A bench-only urlconf: the project's URLs plus a trivial view, behind the same middleware stack."""
    from django.http import HttpResponse
    from django.template import engines
    from django.urls import include, path

    template = engines["django"].from_string("<!doctype html><title>{{ title }}</title><p>{{ user }}</p>")

    def bare(request):
        return HttpResponse(template.render({"title": "bare", "user": request.user.get_username()}, request))

    module = types.ModuleType("bench_directory_urls")
    module.urlpatterns = [path("__bench__/bare/", bare), path("", include("pckb.urls"))]
    sys.modules[module.__name__] = module
    return module.__name__


def timed(client, urls: list[str], n: int, warmup: int, headers: dict) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i in range(warmup):
        response = client.get(urls[i % len(urls)], **headers)
        if response.status_code != 200:
            raise RuntimeError(f"{urls[i % len(urls)]} answered {response.status_code}")
    gc.collect()
    times = []
    for i in range(n):
        url = urls[i % len(urls)]
        started = time.perf_counter()
        response = client.get(url, **headers)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(urls[0], **headers)
    slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]
    return {
        "url": urls[0], "n": n,
        "p50_ms": round(percentile(times, 50), 2), "p95_ms": round(percentile(times, 95), 2),
        "mean_ms": round(statistics.fmean(times), 2), "max_ms": round(max(times), 2),
        "queries": len(queries.captured_queries), "bytes": len(response.content),
        "slowest_sql": [{"ms": round(float(q["time"]) * 1000, 2), "sql": q["sql"][:600]} for q in slowest],
    }


def count_queries(client, url: str, headers: dict | None = None) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, **(headers or {}))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **(headers or {}))
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return len(queries.captured_queries)


def bench_context() -> dict:
    """Users, clients, token and the URLs under test."""
    from django.db.models import Count
    from django.test import Client

    from pckb.accounts.models import User
    from pckb.accounts.services import api_token_issue
    from pckb.directory.models import Committee

    users = {u.username: u for u in User.objects.filter(username__startswith="bench.")}
    ctx = {"users": users, "clients": {}, "api": {}, "detail": {}}
    for key, username in (("national", MARKER_USER), ("province", "bench.tinh.lon"),
                          ("province_small", "bench.tinh.nho")):
        user = users[username]
        client = Client()
        client.force_login(user)
        ctx["clients"][key] = client
        token, _obj = api_token_issue(user=user)
        ctx["api"][key] = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        committee = (Committee.objects.restrict(user).annotate(n=Count("positions"))
                     .order_by("-n", "pk").first())
        ctx["detail"][key] = f"/to-chuc/ban-chi-dao/{committee.pk}/"
    return ctx


SEARCHES = ["Nguyễn Văn", "tran thi", "Lê Minh Hùng", "hoang", "đức", "pham quoc"]


def pages(ctx: dict, who: str) -> dict[str, tuple[list[str], str]]:
    """Page name → (URLs to cycle through, header set). ``api`` uses a bearer token and no session."""
    search_urls = [f"/to-chuc/can-bo/?q={q.replace(' ', '+')}" for q in SEARCHES]
    return {
        "bare": (["/__bench__/bare/"], "session"),
        "committee_list": (["/to-chuc/ban-chi-dao/"], "session"),
        "committee_detail": ([ctx["detail"][who]], "session"),
        "person_search": (search_urls, "session"),
        "person_list_p2": (["/to-chuc/can-bo/?page=2"], "session"),
        "api_people_p2": (["/api/v1/people/?page=2"], "api"),
        "audit_list (extra)": (["/nhat-ky/"], "session"),
    }


def measure_all(ctx: dict, args) -> dict:
    from django.test import Client

    api_client = Client()
    results = {}
    for who in ("national", "province"):
        results[who] = {}
        for page, (urls, kind) in pages(ctx, who).items():
            client = api_client if kind == "api" else ctx["clients"][who]
            headers = ctx["api"][who] if kind == "api" else {}
            print(f"  {who:9} {page:20} …", end="", flush=True)
            r = timed(client, urls, args.requests, args.warmup, headers)
            print(f" p50 {r['p50_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms  {r['queries']:3d} queries")
            results[who][page] = r
        bare = results[who]["bare"]
        for page, r in results[who].items():
            if page == "bare":
                continue
            r["ratio_p50"] = round(r["p50_ms"] / bare["p50_ms"], 2)
            r["ratio_p95"] = round(r["p95_ms"] / bare["p95_ms"], 2)
            r["pass_p95"] = r["p95_ms"] <= TARGET_P95_MS
            r["pass_ratio"] = r["ratio_p95"] <= TARGET_RATIO
            r["pass"] = r["pass_p95"] and r["pass_ratio"]
    return results


def query_counts(ctx: dict) -> dict:
    """Query counts that must not depend on data size: per page and user, page 1 vs 5, big vs small
    province."""
    from django.test import Client

    api_client = Client()
    counts: dict[str, dict[str, int]] = {}
    for who in ("national", "province", "province_small"):
        counts[who] = {}
        for page, (urls, kind) in pages(ctx, who).items():
            client = api_client if kind == "api" else ctx["clients"][who]
            counts[who][page] = count_queries(client, urls[0], ctx["api"][who] if kind == "api" else None)
        for page_no in (1, 5):
            counts[who][f"person_list_p{page_no}"] = count_queries(ctx["clients"][who],
                                                                   f"/to-chuc/can-bo/?page={page_no}")
    return counts


# --- Other timings --------------------------------------------------------------------------------------
def time_units_load() -> float:
    from pckb.geo.services import units_load

    started = time.perf_counter()
    units_load()
    return round(time.perf_counter() - started, 2)


def time_audit_verify() -> dict:
    from tqdm import tqdm

    from pckb.audit.models import AuditEntry
    from pckb.audit.services import audit_verify

    total = AuditEntry.objects.count()
    with tqdm(total=total, unit="entry", desc="audit_verify", unit_scale=True, leave=False) as bar:
        started = time.perf_counter()
        result = audit_verify(progress=bar.update)
        seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 2), "ok": result.ok, "checked": result.checked,
            "message": result.message, "entries_per_second": round(result.checked / seconds)}


# --- Reporting ------------------------------------------------------------------------------------------
def machine_info() -> dict:
    import django
    from django.db import connection

    cpu_model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
        else:
            cursor.execute("show server_version")
        db_version = cursor.fetchone()[0]
    return {"cpu_count": os.cpu_count(), "cpu_model": cpu_model, "platform": platform.platform(),
            "python": platform.python_version(), "django": django.get_version(),
            "db_vendor": connection.vendor, "db_version": db_version}


def data_sizes() -> dict:
    from pckb.audit.models import AuditEntry
    from pckb.directory.models import Agency, Committee, Decision, Membership, Person, Position
    from pckb.geo.models import AdministrativeUnit

    return {
        "provinces": AdministrativeUnit.objects.filter(level="province", valid_to__isnull=True).count(),
        "communes": AdministrativeUnit.objects.filter(level="commune").count(),
        "agencies": Agency.objects.count(), "people": Person.objects.count(),
        "committees": Committee.objects.count(), "positions": Position.objects.count(),
        "memberships": Membership.objects.count(), "decisions": Decision.objects.count(),
        "audit_entries": AuditEntry.objects.count(),
    }


def print_summary(report: dict) -> None:
    m = report["machine"]
    print()
    print(f"PCKB Hub directory bench — scale {report['scale']} — {m['db_vendor']} {m['db_version']}, "
          f"{m['cpu_count']} CPU, Python {m['python']}, Django {m['django']}")
    print("data: " + ", ".join(f"{k} {v:,}" for k, v in report["data"].items()))
    gen = report.get("generation")
    if gen and gen.get("generated"):
        steps = ", ".join(f"{k} {v}s" for k, v in gen["steps"].items())
        print(f"generation: {gen['seconds']:.1f} s ({steps})")
    elif gen:
        print("generation: reused existing database")
    small = report.get("query_counts_small_scale") or {}
    for who, rows in report["pages"].items():
        print()
        print(f"{who} user ({report['users'][who]})")
        head = f"{'page':22} {'p50 ms':>8} {'p95 ms':>8} {'×bare p95':>9} {'queries':>8} {'small':>6}  result"
        print(head)
        print("-" * len(head))
        for page, r in rows.items():
            ratio = "" if page == "bare" else f"{r['ratio_p95']:.1f}"
            verdict = "" if page == "bare" else ("PASS" if r["pass"] else "FAIL" + (
                "" if r["pass_p95"] else " (p95 > 100 ms)") + ("" if r["pass_ratio"] else " (> 5× bare)"))
            small_q = small.get(who, {}).get(page, "")
            print(f"{page:22} {r['p50_ms']:8.1f} {r['p95_ms']:8.1f} {ratio:>9} {r['queries']:8d} "
                  f"{small_q!s:>6}  {verdict}")
    qc = report["query_counts"]
    print()
    print("query counts (same user type must match whatever the data size):")
    for who, rows in qc.items():
        print(f"  {who:15} " + ", ".join(f"{k}={v}" for k, v in rows.items()))
    if small:
        print(f"  small scale ({report['small_scale']}, national/province): " + "; ".join(
            f"{who}: " + ", ".join(f"{k}={v}" for k, v in rows.items()) for who, rows in small.items()))
    other = report["other"]
    print()
    print(f"units_load(): {other['units_load_s']} s (re-run on loaded units; first load "
          f"{other.get('units_load_first_s', 'n/a')} s) — target < 5 s: "
          f"{'PASS' if other['units_load_s'] < 5 else 'FAIL'}")
    av = other.get("audit_verify")
    if av:
        print(f"audit_verify(): {av['seconds']} s for {av['checked']:,} entries "
              f"({av['entries_per_second']:,}/s) — {'OK' if av['ok'] else 'BROKEN'}: {av['message']}")
    print(f"\nresults: {report['results_file']}")


# --- Main -----------------------------------------------------------------------------------------------
def prepare_database(args, plan: Plan) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from tqdm import tqdm

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    ok, why = existing_matches(plan)
    generation = {"generated": False, "reason": why}
    if ok and not args.fresh:
        return generation
    if connection.vendor != "sqlite":
        from pckb.accounts.models import User
        from pckb.directory.models import Agency

        has_data = Agency.objects.exists()
        if has_data and not (args.fresh or User.objects.filter(username=MARKER_USER).exists()):
            sys.exit("The PostgreSQL database holds data that this bench did not generate; "
                     "use a dedicated database, or --fresh to flush it.")
        if has_data:
            call_command("flush", verbosity=0, interactive=False)
    elif why != "no generated data":
        # Generated at another scale: start again from an empty file.
        connection.close()
        _remove_sqlite(args.db)
        call_command("migrate", verbosity=0, interactive=False)
        call_command("createcachetable", verbosity=0)
    print(f"Generating data at scale {plan.scale} ({why}) …")
    started = time.perf_counter()
    with tqdm(total=6, unit="step", dynamic_ncols=True) as bar:
        steps = Generator(plan, bar).run()
    remember_plan(plan)
    generation.update(generated=True, seconds=round(time.perf_counter() - started, 1), steps=steps)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"Generated in {generation['seconds']} s.")
    return generation


def small_scale_counts(args) -> dict | None:
    """Query counts from a second, small database (separate process: settings are per process)."""
    if args.counts_only or not args.small_scale or os.environ.get("PCKB_DATABASE_URL"):
        return None
    out = BENCH_VAR / "directory-small-counts.json"
    command = [sys.executable, str(Path(__file__).resolve()), "--scale", str(args.small_scale),
               "--db", str(BENCH_VAR / "directory-small.sqlite3"), "--counts-only", "--out", str(out),
               "--small-scale", "0"]
    print(f"Query counts at scale {args.small_scale} (separate database) …")
    subprocess.run(command, check=True)
    return json.loads(out.read_text())["query_counts"]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    django_setup(args)
    from django.conf import settings
    from django.urls import clear_url_caches

    plan = Plan.for_scale(args.scale)
    generation = prepare_database(args, plan)
    settings.ROOT_URLCONF = bare_urlconf()
    clear_url_caches()
    ctx = bench_context()
    counts = query_counts(ctx)
    if args.counts_only:
        args.out.write_text(json.dumps({"scale": args.scale, "data": data_sizes(), "query_counts": counts},
                                       ensure_ascii=False, indent=2))
        return 0
    small = small_scale_counts(args)
    print(f"Timing pages: {args.warmup} warm-up + {args.requests} timed requests each …")
    results = measure_all(ctx, args)
    other = {"units_load_s": time_units_load(),
             "units_load_first_s": generation.get("steps", {}).get("units_load")}
    if not args.no_verify:
        other["audit_verify"] = time_audit_verify()
    report = {
        "scale": args.scale, "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine_info(), "data": data_sizes(), "generation": generation,
        "users": {"national": "national office, scope VN",
                  "province": f"provincial office, scope {ctx['users']['bench.tinh.lon'].scope_unit.name}"},
        "targets": {"p95_ms": TARGET_P95_MS, "ratio_to_bare_p95": TARGET_RATIO},
        "pages": results, "query_counts": counts, "small_scale": args.small_scale,
        "query_counts_small_scale": small, "other": other, "results_file": str(args.out),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print_summary(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
