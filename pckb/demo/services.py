"""Build the demo: national, Cần Thơ, TP.HCM and one sector committee, ~60 fictional officials, and one
account per role. Idempotent: a second run keeps the data and only issues fresh demo passwords."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from pckb.accounts.choices import Role
from pckb.accounts.models import User
from pckb.audit.choices import AuditAction
from pckb.audit.services import audit_record
from pckb.core.choices import Classification
from pckb.demo import coordination as coordination_demo
from pckb.demo import deployment as deployment_demo
from pckb.demo import documents as documents_demo
from pckb.demo import plans as plans_demo
from pckb.demo import protection as protection_demo
from pckb.demo import reports as reports_demo
from pckb.demo import response as response_demo
from pckb.demo import training as training_demo
from pckb.demo.names import NameGenerator
from pckb.directory.choices import AgencyKind as K
from pckb.directory.choices import CommitteeLevel
from pckb.directory.choices import CommitteeRole as R
from pckb.directory.models import Agency, Committee, Decision, Membership, Person, Position
from pckb.geo.models import AdministrativeUnit
from pckb.geo.services import units_load
from pckb.training.models import Conference

# (role, post, agency name, agency kind, rank of the holder)
NATIONAL_SEATS = [
    (R.HEAD, "Bộ trưởng Bộ Công an", "Bộ Công an", K.MINISTRY, "Đại tướng"),
    (R.PERMANENT_DEPUTY, "Thứ trưởng Bộ Công an", "Bộ Công an", K.MINISTRY, "Thượng tướng"),
    (R.DEPUTY, "Thứ trưởng Bộ Quốc phòng", "Bộ Quốc phòng", K.MINISTRY, "Thượng tướng"),
    (R.MEMBER, "Thứ trưởng Bộ Ngoại giao", "Bộ Ngoại giao", K.MINISTRY, ""),
    (R.MEMBER, "Thứ trưởng Bộ Xây dựng", "Bộ Xây dựng", K.MINISTRY, ""),
    (R.MEMBER, "Thứ trưởng Bộ Y tế", "Bộ Y tế", K.MINISTRY, ""),
    (R.MEMBER, "Thứ trưởng Bộ Tài chính", "Bộ Tài chính", K.MINISTRY, ""),
    (R.MEMBER, "Phó Thống đốc Ngân hàng Nhà nước Việt Nam", "Ngân hàng Nhà nước Việt Nam", K.BANK, ""),
    (
        R.MEMBER,
        "Phó Tư lệnh Bộ đội Biên phòng",
        "Bộ Tư lệnh Bộ đội Biên phòng",
        K.BORDER_GUARD,
        "Thiếu tướng",
    ),
    (
        R.STANDING_MEMBER,
        "Cục trưởng Cục An ninh nội địa",
        "Cục An ninh nội địa, Bộ Công an",
        K.POLICE,
        "Trung tướng",
    ),
    (R.SECRETARY, "Phó Chánh Văn phòng Thường trực", "Cục An ninh nội địa, Bộ Công an", K.POLICE, "Đại tá"),
]


def provincial_seats(province: str, city: bool) -> list[tuple]:
    ubnd = f"Ủy ban nhân dân {province}"
    ca = f"Công an {province}"
    return [
        (R.HEAD, f"Chủ tịch {ubnd}", ubnd, K.PEOPLES_COMMITTEE, ""),
        (R.PERMANENT_DEPUTY, f"Giám đốc {ca}", ca, K.POLICE, "Thiếu tướng"),
        (
            R.DEPUTY,
            f"Chỉ huy trưởng Bộ Chỉ huy Quân sự {province}",
            f"Bộ Chỉ huy Quân sự {province}",
            K.MILITARY,
            "Đại tá",
        ),
        (R.DEPUTY, f"Phó Chủ tịch {ubnd}", ubnd, K.PEOPLES_COMMITTEE, ""),
        (R.STANDING_MEMBER, f"Phó Giám đốc {ca}", ca, K.POLICE, "Đại tá"),
        (
            R.MEMBER,
            f"Chỉ huy trưởng Bộ Chỉ huy Bộ đội Biên phòng {province}",
            f"Bộ Chỉ huy Bộ đội Biên phòng {province}",
            K.BORDER_GUARD,
            "Đại tá",
        ),
        (R.MEMBER, "Giám đốc Sở Ngoại vụ", f"Sở Ngoại vụ {province}", K.DEPARTMENT, ""),
        (R.MEMBER, "Giám đốc Sở Xây dựng", f"Sở Xây dựng {province}", K.DEPARTMENT, ""),
        (R.MEMBER, "Giám đốc Sở Y tế", f"Sở Y tế {province}", K.DEPARTMENT, ""),
        (R.MEMBER, "Giám đốc Sở Tài chính", f"Sở Tài chính {province}", K.DEPARTMENT, ""),
        (
            R.MEMBER,
            "Giám đốc Sở Văn hóa, Thể thao và Du lịch",
            f"Sở Văn hóa, Thể thao và Du lịch {province}",
            K.DEPARTMENT,
            "",
        ),
        (
            R.MEMBER,
            "Giám đốc Sở Khoa học và Công nghệ",
            f"Sở Khoa học và Công nghệ {province}",
            K.DEPARTMENT,
            "",
        ),
        (
            R.MEMBER,
            "Giám đốc Cảng hàng không" if city else "Giám đốc Cảng vụ đường thủy nội địa",
            f"Cảng hàng không {province}" if city else f"Cảng vụ đường thủy nội địa {province}",
            K.PORT_AUTHORITY,
            "",
        ),
        (R.SECRETARY, "Trưởng phòng An ninh nội địa", f"Phòng An ninh nội địa, {ca}", K.POLICE, "Thượng tá"),
    ]


SECTOR_SEATS = [
    (R.HEAD, "Thứ trưởng Bộ Xây dựng", "Bộ Xây dựng", K.MINISTRY, ""),
    (R.PERMANENT_DEPUTY, "Chánh Văn phòng Bộ Xây dựng", "Văn phòng Bộ Xây dựng", K.MINISTRY, ""),
    (R.MEMBER, "Cục trưởng Cục Hàng không Việt Nam", "Cục Hàng không Việt Nam", K.MINISTRY, ""),
    (
        R.MEMBER,
        "Cục trưởng Cục Hàng hải và Đường thủy Việt Nam",
        "Cục Hàng hải và Đường thủy Việt Nam",
        K.MINISTRY,
        "",
    ),
    (R.MEMBER, "Cục trưởng Cục Đường sắt Việt Nam", "Cục Đường sắt Việt Nam", K.MINISTRY, ""),
    (R.SECRETARY, "Chuyên viên Văn phòng Bộ", "Văn phòng Bộ Xây dựng", K.MINISTRY, ""),
]


@dataclass
class DemoAccount:
    username: str
    password: str
    role: str
    scope: str


class _Builder:
    def __init__(self):
        self.names = NameGenerator()
        self.agencies: dict[tuple[str, int], Agency] = {}
        self.people: list[Person] = []

    def agency(self, name: str, kind: str, unit: AdministrativeUnit, **extra) -> Agency:
        key = (name, unit.pk)
        if key not in self.agencies:
            existing = Agency.objects.filter(name=name, unit=unit).first()
            self.agencies[key] = existing or _save(Agency(name=name, kind=kind, unit=unit, **extra))
        return self.agencies[key]

    def person(self, agency: Agency, title: str, rank: str = "", **extra) -> Person:
        person = _save(
            Person(
                full_name=self.names(),
                title=title,
                rank=rank,
                agency=agency,
                office_phone=self.names.phone(),
                **extra,
            )
        )
        self.people.append(person)
        return person

    def committee(
        self,
        *,
        name,
        level,
        unit,
        host,
        standing,
        office,
        seats,
        decision_no,
        decision_date,
        parent=None,
        sector="",
    ) -> tuple[Committee, list[Position], Decision]:
        committee = _save(
            Committee(
                name=name,
                level=level,
                unit=unit,
                parent=parent,
                host_authority=host,
                standing_agency=standing,
                standing_office=office,
                sector=sector,
            )
        )
        decision = _save(
            Decision(
                committee=committee,
                number=decision_no,
                date=decision_date,
                issuer=host.name,
                signer=self.names(),
                subject=f"Về việc kiện toàn {name}",
            )
        )
        positions = []
        for order, (role, post, agency_name, kind, rank) in enumerate(seats, start=1):
            agency = self.agency(agency_name, kind, unit)
            position = _save(Position(committee=committee, role=role, post=post, agency=agency, order=order))
            holder = self.person(agency, post, rank)
            _save(Membership(position=position, person=holder, decision=decision, valid_from=decision_date))
            positions.append(position)
        return committee, positions, decision


def _save(obj):
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def demo_build() -> dict:
    """Create the demo organisation. Returns what the accounts need (units, people)."""
    units_load()
    vn = AdministrativeUnit.objects.get(code="VN")
    can_tho = AdministrativeUnit.objects.get(code="P92")
    hcm = AdministrativeUnit.objects.get(code="P79")
    hau_giang = AdministrativeUnit.objects.get(code="L93")
    ninh_kieu = AdministrativeUnit.objects.get(code="X31135")
    b = _Builder()

    government = b.agency("Chính phủ nước Cộng hòa xã hội chủ nghĩa Việt Nam", K.OTHER, vn)
    mps = b.agency("Bộ Công an", K.MINISTRY, vn, short_name="BCA")
    national, _, _ = b.committee(
        name="Ban Chỉ đạo Phòng, chống khủng bố quốc gia",
        level=CommitteeLevel.NATIONAL,
        unit=vn,
        host=government,
        standing=mps,
        office="Văn phòng Thường trực Ban Chỉ đạo PCKB quốc gia, Cục An ninh nội địa, Bộ Công an",
        seats=NATIONAL_SEATS,
        decision_no="901/QĐ-TTg-DEMO",
        decision_date=dt.date(2024, 3, 12),
    )
    construction = b.agency("Bộ Xây dựng", K.MINISTRY, vn)
    b.committee(
        name="Ban Chỉ đạo Phòng, chống khủng bố Bộ Xây dựng",
        level=CommitteeLevel.SECTOR,
        unit=vn,
        host=construction,
        standing=b.agency("Văn phòng Bộ Xây dựng", K.MINISTRY, vn),
        office="Văn phòng Bộ Xây dựng",
        seats=SECTOR_SEATS,
        decision_no="455/QĐ-BXD-DEMO",
        decision_date=dt.date(2025, 9, 4),
        parent=national,
        sector="Xây dựng, giao thông vận tải",
    )

    ct_name = "thành phố Cần Thơ"
    ct, ct_positions, _ = b.committee(
        name="Ban Chỉ đạo Phòng, chống khủng bố thành phố Cần Thơ",
        level=CommitteeLevel.PROVINCE,
        unit=can_tho,
        host=b.agency(f"Ủy ban nhân dân {ct_name}", K.PEOPLES_COMMITTEE, can_tho),
        standing=b.agency(f"Công an {ct_name}", K.POLICE, can_tho),
        office="Văn phòng Thường trực đặt tại Phòng An ninh nội địa, Công an thành phố Cần Thơ",
        seats=provincial_seats(ct_name, city=True),
        decision_no="1520/QĐ-UBND-DEMO",
        decision_date=dt.date(2025, 7, 15),
        parent=national,
    )
    hcm_name = "Thành phố Hồ Chí Minh"
    b.committee(
        name="Ban Chỉ đạo Phòng, chống khủng bố Thành phố Hồ Chí Minh",
        level=CommitteeLevel.PROVINCE,
        unit=hcm,
        host=b.agency(f"Ủy ban nhân dân {hcm_name}", K.PEOPLES_COMMITTEE, hcm),
        standing=b.agency(f"Công an {hcm_name}", K.POLICE, hcm),
        office="Văn phòng Thường trực đặt tại Phòng An ninh nội địa, Công an Thành phố Hồ Chí Minh",
        seats=provincial_seats(hcm_name, city=True),
        decision_no="2210/QĐ-UBND-DEMO",
        decision_date=dt.date(2025, 8, 1),
        parent=national,
    )

    # The pre-2025 Hậu Giang police, merged into Cần Thơ's: old records keep their name.
    hg_police = b.agency(
        "Công an tỉnh Hậu Giang",
        K.POLICE,
        hau_giang,
        merged_into=b.agencies[(f"Công an {ct_name}", can_tho.pk)],
        merged_on=dt.date(2025, 7, 1),
    )
    b.person(hg_police, "Trưởng phòng An ninh nội địa (trước 01/7/2025)", "Thượng tá")

    # A commune police station and ward People's Committee for the commune officer.
    nk_police = b.agency("Công an phường Ninh Kiều", K.POLICE, ninh_kieu)
    b.person(nk_police, "Trưởng Công an phường", "Trung tá")
    b.person(
        b.agency("Ủy ban nhân dân phường Ninh Kiều", K.PEOPLES_COMMITTEE, ninh_kieu),
        "Phó Chủ tịch Ủy ban nhân dân phường",
    )

    # Classified records in Cần Thơ: a liaison officer (Mật) and a decision (Mật).
    ct_police = b.agencies[(f"Công an {ct_name}", can_tho.pk)]
    b.person(
        ct_police,
        "Cán bộ liên lạc Văn phòng Thường trực",
        "Thiếu tá",
        classification=Classification.CONFIDENTIAL,
    )
    assistant = b.person(ct_police, "Cán bộ Văn phòng Thường trực", "Đại úy")
    secret_decision = _save(
        Decision(
            committee=ct,
            number="77/QĐ-BCĐ-DEMO",
            date=dt.date(2025, 10, 2),
            issuer="Ban Chỉ đạo PCKB thành phố Cần Thơ",
            subject="Về việc phân công nhiệm vụ thành viên",
            classification=Classification.CONFIDENTIAL,
        )
    )
    # The Mật decision appoints an ordinary (Thường) member: readers cleared only for Thường see the member
    # on the official list, but not the decision's number.
    seat = _save(
        Position(
            committee=ct,
            role=R.MEMBER,
            post="Cán bộ giúp việc Ban Chỉ đạo",
            agency=ct_police,
            order=len(ct_positions) + 1,
        )
    )
    _save(
        Membership(position=seat, person=assistant, decision=secret_decision, valid_from=dt.date(2025, 10, 2))
    )

    # A national liaison officer whose record is Tối mật: only the national office's clearance reaches it.
    b.person(
        b.agencies[("Cục An ninh nội địa, Bộ Công an", vn.pk)],
        "Cán bộ liên lạc",
        "Trung tá",
        classification=Classification.SECRET,
    )

    # Standing-office staff who do the day-to-day work (drafting, consolidating, following up).
    for agency_key, count in (
        ((f"Công an {ct_name}", can_tho.pk), 2),
        ((f"Công an {hcm_name}", hcm.pk), 3),
        (("Cục An ninh nội địa, Bộ Công an", vn.pk), 2),
    ):
        for _i in range(count):
            b.person(b.agencies[agency_key], "Cán bộ Văn phòng Thường trực", "Thiếu tá")

    # A later reconstitution in Cần Thơ: two seats change hands on 01/10/2025, so the list on an earlier
    # date differs from today's.
    from pckb.directory.services import SeatChange, committee_reconstitute

    focal = b.people[[p.agency.name for p in b.people].index(f"Sở Y tế {ct_name}")]
    seat_changes = []
    for position in (ct_positions[3], ct_positions[7]):
        seat_changes.append(SeatChange(position=position, person=b.person(position.agency, position.post)))
    system = _system_actor(vn)
    committee_reconstitute(
        actor=system,
        committee=ct,
        decision=Decision(
            number="2041/QĐ-UBND-DEMO",
            date=dt.date(2025, 9, 25),
            issuer=f"Ủy ban nhân dân {ct_name}",
            signer=b.names(),
            subject="Về việc kiện toàn Ban Chỉ đạo Phòng, chống khủng bố thành phố Cần Thơ",
        ),
        effective=dt.date(2025, 10, 1),
        changes=seat_changes,
    )
    ctx = {"vn": vn, "can_tho": can_tho, "hcm": hcm, "ninh_kieu": ninh_kieu, "focal": focal}
    training_demo.build(b, ctx)
    audit_record(
        actor=None,
        action=AuditAction.IMPORT,
        object_type="demo",
        username="system",
        object_repr=f"Nạp dữ liệu mẫu: {len(b.people)} cán bộ, {len(b.agencies)} cơ quan",
        unit_path="/VN/",
    )
    return ctx


def _system_actor(vn: AdministrativeUnit) -> User:
    """The demo loader acts as the national standing office's system account."""
    user, _ = User.objects.get_or_create(
        username="he-thong",
        defaults={
            "role": Role.NATIONAL_OFFICE,
            "scope_unit": vn,
            "clearance": Classification.SECRET,
            "is_active": False,
            "first_name": "Tài khoản hệ thống (nạp dữ liệu)",
        },
    )
    user.is_active = True  # acts in memory while loading; the stored account stays disabled (no login)
    return user


def _accounts_spec(ctx: dict) -> list[tuple]:
    # username, role, scope unit, clearance, full name, person
    return [
        ("quantri", Role.ADMIN, None, Classification.NORMAL, "Quản trị hệ thống", None),
        ("vptt.quocgia", Role.NATIONAL_OFFICE, ctx["vn"], Classification.SECRET, "VPTT quốc gia", None),
        (
            "vptt.cantho",
            Role.PROVINCIAL_OFFICE,
            ctx["can_tho"],
            Classification.CONFIDENTIAL,
            "VPTT Cần Thơ",
            None,
        ),
        ("vptt.hcm", Role.PROVINCIAL_OFFICE, ctx["hcm"], Classification.CONFIDENTIAL, "VPTT TP.HCM", None),
        (
            "lanhdao.cantho",
            Role.COMMITTEE_LEADER,
            ctx["can_tho"],
            Classification.CONFIDENTIAL,
            "Lãnh đạo BCĐ Cần Thơ",
            None,
        ),
        (
            "daumoi.cantho",
            Role.AGENCY_FOCAL,
            ctx["can_tho"],
            Classification.NORMAL,
            "Đầu mối Sở Y tế Cần Thơ",
            ctx.get("focal"),
        ),
        (
            "xa.ninhkieu",
            Role.COMMUNE_OFFICER,
            ctx["ninh_kieu"],
            Classification.NORMAL,
            "Cán bộ phường Ninh Kiều",
            None,
        ),
        ("thanhtra", Role.INSPECTOR, ctx["vn"], Classification.CONFIDENTIAL, "Thanh tra", None),
        (
            "tiepnhan.cantho",
            Role.INTAKE_OFFICER,
            ctx["can_tho"],
            Classification.CONFIDENTIAL,
            "Tiếp nhận tin báo Cần Thơ",
            None,
        ),
        (
            "vanthu.cantho",
            Role.RECORDS_CLERK,
            ctx["can_tho"],
            Classification.NORMAL,
            "Văn thư BCĐ Cần Thơ",
            None,
        ),
    ]


@transaction.atomic
def demo_accounts(ctx: dict, *, password: str | None = None) -> list[DemoAccount]:
    """Create or refresh one account per role with a fresh random password (or ``password``)."""
    accounts = []
    for username, role, unit, clearance, full_name, person in _accounts_spec(ctx):
        user, created = User.objects.get_or_create(username=username)
        user.role, user.scope_unit, user.clearance, user.first_name = role, unit, clearance, full_name
        if person is not None:
            user.person = person
        secret = password or secrets.token_urlsafe(9)
        user.set_password(secret)
        user.is_active, user.must_change_password, user.failed_logins, user.locked_until = (
            True,
            False,
            0,
            None,
        )
        user.save()
        audit_record(
            actor=None,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            obj=user,
            username="system",
            unit_path=user.scope_path,
            after={"role": role, "demo": True, "password": "set"},
        )
        accounts.append(DemoAccount(username, secret, role, unit.code if unit else "-"))
    User.objects.filter(username="he-thong").update(is_active=False)
    return accounts


def demo_context() -> dict:
    focal = Person.objects.filter(agency__name="Sở Y tế thành phố Cần Thơ").order_by("pk").first()
    return {
        "vn": AdministrativeUnit.objects.get(code="VN"),
        "can_tho": AdministrativeUnit.objects.get(code="P92"),
        "hcm": AdministrativeUnit.objects.get(code="P79"),
        "ninh_kieu": AdministrativeUnit.objects.get(code="X31135"),
        "focal": focal,
    }


def demo_load(*, password: str | None = None, accounts_file: Path | None = None) -> list[DemoAccount]:
    """Load the demo (once) and (re)issue demo accounts; writes ``var/demo-accounts.txt``."""
    if not Committee.objects.exists():
        ctx = demo_build()
    else:
        units_load()
        ctx = demo_context()
        if not Conference.objects.exists():  # an install from before the training module
            with transaction.atomic():
                training_demo.build(_Builder(), ctx)
    with transaction.atomic():
        protection_demo.ensure(ctx)
        plans_demo.ensure(ctx)
        response_demo.ensure(ctx)
        coordination_demo.ensure(ctx)
        deployment_demo.ensure(ctx)
        documents_demo.ensure(ctx)
    accounts = demo_accounts(ctx, password=password)
    with transaction.atomic():
        # After the accounts: the sent reports' figures are compiled as their offices would.
        reports_demo.ensure(ctx)
    target = accounts_file or (Path(settings.VAR_DIR) / "demo-accounts.txt")
    target.write_text(
        "".join(f"{a.username} {a.password} {a.role} {a.scope}\n" for a in accounts), encoding="utf-8"
    )
    target.chmod(0o600)
    return accounts
