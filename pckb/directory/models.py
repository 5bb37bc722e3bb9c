"""The directory: steering committees, member agencies, officials, positions and memberships."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pckb.core.models import ClassifiedMixin, PckbModel, classification_via
from pckb.core.text import person_sort_key
from pckb.directory.choices import AgencyKind, CommitteeLevel, CommitteeRole


def _unit_current(path: str) -> Q:
    """The administrative unit at ``path`` is still in force today."""
    return Q(**{f"{path}__valid_to__isnull": True}) | Q(**{f"{path}__valid_to__gte": timezone.localdate()})


class Agency(PckbModel):
    """A member agency or any body that sends people to committees (cơ quan, đơn vị)."""

    name = models.CharField(_("tên cơ quan"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=64, blank=True)
    kind = models.CharField(_("loại cơ quan"), max_length=32, choices=AgencyKind.choices)
    unit = models.ForeignKey(
        "geo.AdministrativeUnit", verbose_name=_("địa bàn"), on_delete=models.PROTECT, related_name="agencies"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("đã hợp nhất vào"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    merged_on = models.DateField(_("ngày hợp nhất"), null=True, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)

    scope_path = "unit"
    search_fields = ("name", "short_name")
    sort_source = "name"

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = pgettext_lazy("số nhiều", "cơ quan")
        ordering = ("sort_key", "id")
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="agency_unique_name_per_unit"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.merged_into_id and self.merged_into_id == self.pk:
            raise ValidationError({"merged_into": _("Cơ quan không thể hợp nhất vào chính nó.")})
        if self.merged_into_id and not self.merged_on:
            raise ValidationError({"merged_on": _("Cần nhập ngày hợp nhất.")})

    def get_absolute_url(self) -> str:
        return reverse("directory:agency", args=[self.pk])

    @classmethod
    def current_choices_q(cls) -> Q:
        """What forms offer for a new record: not an agency merged into another, nor one of a unit that no
        longer exists (the agencies of Hậu Giang after 01/07/2025)."""
        return Q(merged_into__isnull=True) & _unit_current("unit")


class Committee(PckbModel):
    """A steering committee (Ban Chỉ đạo PCKB): national, sector or provincial."""

    name = models.CharField(_("tên Ban Chỉ đạo"), max_length=255)
    level = models.CharField(_("cấp"), max_length=16, choices=CommitteeLevel.choices)
    unit = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("địa bàn"),
        on_delete=models.PROTECT,
        related_name="committees",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Ban Chỉ đạo cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    host_authority = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan thành lập"),
        on_delete=models.PROTECT,
        related_name="hosted_committees",
        help_text=_("Cơ quan ra quyết định thành lập (Chính phủ, Bộ, UBND tỉnh)."),
    )
    standing_agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan thường trực"),
        on_delete=models.PROTECT,
        related_name="standing_for_committees",
    )
    standing_office = models.CharField(
        _("Văn phòng Thường trực"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Văn phòng Thường trực đặt tại Phòng An ninh nội địa, Công an tỉnh."),
    )
    sector = models.CharField(_("bộ, ngành"), max_length=255, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)

    scope_path = "unit"
    search_fields = ("name", "sector", "standing_office")
    sort_source = "name"

    class Meta:
        verbose_name = _("Ban Chỉ đạo")
        verbose_name_plural = pgettext_lazy("số nhiều", "Ban Chỉ đạo")
        ordering = ("level", "sort_key", "id")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.level == CommitteeLevel.SECTOR and not self.sector:
            raise ValidationError({"sector": _("Ban Chỉ đạo bộ, ngành cần ghi rõ bộ, ngành.")})
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("Ban Chỉ đạo không thể trực thuộc chính nó.")})

    def get_absolute_url(self) -> str:
        return reverse("directory:committee", args=[self.pk])

    @classmethod
    def current_choices_q(cls) -> Q:
        """What forms offer for a new record: not the committee of a unit that no longer exists."""
        return _unit_current("unit")


class Person(ClassifiedMixin, PckbModel):
    """An official (cán bộ) who may hold committee positions. Only work identity and work contacts."""

    full_name = models.CharField(_("họ và tên"), max_length=120)
    rank = models.CharField(_("cấp bậc, hàm"), max_length=64, blank=True, help_text=_("Ví dụ: Đại tá."))
    title = models.CharField(_("chức vụ"), max_length=255, help_text=_("Chức vụ tại cơ quan công tác."))
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan công tác"), on_delete=models.PROTECT, related_name="people"
    )
    office_phone = models.CharField(_("điện thoại cơ quan"), max_length=32, blank=True)
    mobile = models.CharField(_("điện thoại di động"), max_length=32, blank=True)
    email = models.EmailField(_("thư điện tử công vụ"), blank=True)

    scope_path = "agency__unit"
    search_fields = ("full_name", "title", "rank")

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = pgettext_lazy("số nhiều", "cán bộ")
        ordering = ("sort_key", "id")

    def __str__(self) -> str:
        return self.full_name

    def compute_sort_key(self) -> str:
        return person_sort_key(self.full_name)[:400]

    def get_absolute_url(self) -> str:
        return reverse("directory:person", args=[self.pk])


class Decision(ClassifiedMixin, PckbModel):
    """A decision (quyết định) that sets up or reconstitutes a committee."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("Ban Chỉ đạo"), on_delete=models.PROTECT, related_name="decisions"
    )
    number = models.CharField(_("số, ký hiệu"), max_length=64, help_text=_("Ví dụ: 123/QĐ-UBND."))
    date = models.DateField(_("ngày ban hành"))
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255)
    signer = models.CharField(_("người ký"), max_length=120, blank=True)
    subject = models.CharField(_("trích yếu"), max_length=500)

    scope_path = "committee__unit"
    search_fields = ("number", "subject", "signer")

    class Meta:
        verbose_name = _("quyết định")
        verbose_name_plural = pgettext_lazy("số nhiều", "quyết định")
        ordering = ("-date", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "number"], name="decision_unique_number_per_committee"
            )
        ]

    def __str__(self) -> str:
        return _("Quyết định số {number} ngày {date}").format(
            number=self.number, date=self.date.strftime("%d/%m/%Y") if self.date else ""
        )

    def get_absolute_url(self) -> str:
        return reverse("directory:decision", args=[self.pk])


class Position(PckbModel):
    """A seat on a committee, defined by role and the post that fills it (never hard-coded)."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("Ban Chỉ đạo"), on_delete=models.CASCADE, related_name="positions"
    )
    role = models.CharField(_("chức danh trong Ban"), max_length=32, choices=CommitteeRole.choices)
    post = models.CharField(
        _("chức vụ đảm nhiệm"), max_length=255, help_text=_("Ví dụ: Giám đốc Công an tỉnh.")
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan thành viên"), on_delete=models.PROTECT, related_name="positions"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)
    abolished_on = models.DateField(_("bãi bỏ từ ngày"), null=True, blank=True)

    scope_path = "committee__unit"
    search_fields = ("post",)

    class Meta:
        verbose_name = _("vị trí")
        verbose_name_plural = pgettext_lazy("số nhiều", "vị trí trong Ban")
        ordering = ("committee", "order", "id")

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.post}"

    def get_absolute_url(self) -> str:
        return reverse("directory:committee", args=[self.committee_id])


class Membership(PckbModel):
    """A person holding a position from a date (by a decision) until a date (by a later decision)."""

    position = models.ForeignKey(
        Position, verbose_name=_("vị trí"), on_delete=models.PROTECT, related_name="memberships"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("cán bộ"), on_delete=models.PROTECT, related_name="memberships"
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("theo quyết định"),
        on_delete=models.PROTECT,
        related_name="started_memberships",
    )
    end_decision = models.ForeignKey(
        Decision,
        verbose_name=_("thôi theo quyết định"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ended_memberships",
    )
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)

    scope_path = "position__committee__unit"
    #: Who holds a seat is as classified as the official's record; a vacant line is shown otherwise.
    classification_paths = classification_via("person", Person)
    #: The decisions are shown beside the member only to readers cleared for them (they may be Mật).
    guarded_relations = ("decision", "end_decision")
    search_fields = ()

    class Meta:
        verbose_name = _("thành viên")
        verbose_name_plural = pgettext_lazy("số nhiều", "thành viên Ban Chỉ đạo")
        ordering = ("position__order", "valid_from", "id")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="membership_dates_ordered",
                violation_error_message=_("Ngày kết thúc phải sau ngày bắt đầu."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.position}"

    def clean(self):
        if not self.position_id or not self.valid_from:
            return
        overlapping = Membership.objects.filter(position_id=self.position_id).exclude(pk=self.pk)
        overlapping = overlapping.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))
        if self.valid_to:
            overlapping = overlapping.filter(valid_from__lte=self.valid_to)
        if overlapping.exists():
            raise ValidationError(_("Vị trí này đã có người đảm nhiệm trong khoảng thời gian đã chọn."))

    def get_absolute_url(self) -> str:
        return reverse("directory:committee", args=[self.position.committee_id])
