"""Administrative units: the nation, 34 provinces, 3,321 commune-level units, and retired pre-2025 units."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pckb.core.models import PckbModel
from pckb.geo.choices import UnitLevel


class AdministrativeUnit(PckbModel):
    """An administrative unit (đơn vị hành chính), current or retired.

    ``latitude``/``longitude`` is the unit's centroid (current provinces and communes, from the package
    ``vietnamadminunits``): a target without coordinates is shown there on the map, marked approximate.

    ``path`` is the materialised address used for scope checks. A retired unit (e.g. Hậu Giang, merged into
    Cần Thơ on 01/7/2025) sits under its successor in ``path`` so that the successor's users see the old
    records, while the records keep showing the original name.
    """

    code = models.CharField(_("mã"), max_length=16, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    division_type = models.CharField(_("loại đơn vị"), max_length=40)
    level = models.CharField(_("cấp"), max_length=16, choices=UnitLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("trực thuộc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("đường dẫn phạm vi"), max_length=64, unique=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    latitude = models.FloatField(
        _("vĩ độ trung tâm"),
        null=True,
        blank=True,
        help_text=_("Tọa độ trung tâm của đơn vị (gói vietnamadminunits): vị trí gần đúng trên bản đồ."),
    )
    longitude = models.FloatField(_("kinh độ trung tâm"), null=True, blank=True)

    search_fields = ("name", "code")
    sort_source = "name"

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = pgettext_lazy("số nhiều", "đơn vị hành chính")
        ordering = ("path",)

    def __str__(self) -> str:
        if self.valid_to and self.successor_id:
            return _("{name} (nay thuộc {successor})").format(name=self.name, successor=self.successor.name)
        return self.name

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    def current(self) -> "AdministrativeUnit":
        """Follow successor links to the unit in force today."""
        unit = self
        seen = set()
        while unit.successor_id and unit.pk not in seen:
            seen.add(unit.pk)
            unit = unit.successor
        return unit

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("geo:unit", args=[self.pk])
