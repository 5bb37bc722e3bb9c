from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from pckb.audit.filtersets import AuditEntryFilterSet
from pckb.audit.models import AuditEntry
from pckb.core.exports import Column
from pckb.core.views import IdsFirstPaginator, ObjectDetailView, ObjectListView


class CappedPaginator(IdsFirstPaginator):
    """Counting a million audit entries costs more than the page: count up to a cap, then say "more than"."""

    cap = 10_000

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap


class AuditEntryListView(ObjectListView):
    model = AuditEntry
    paginator_class = CappedPaginator
    filterset_class = AuditEntryFilterSet
    url_base = "entry"
    columns = [
        Column("seq", _("Số"), link=True),
        Column("time", _("Thời điểm")),
        Column("username", _("Người thực hiện")),
        Column("action", _("Hành động")),
        Column("object_repr", _("Đối tượng")),
        Column("ip", _("Địa chỉ IP")),
    ]


class AuditEntryDetailView(ObjectDetailView):
    model = AuditEntry
    url_base = "entry"
    template_name = "audit/entry.html"

    def extra_context(self, obj) -> dict:
        keys = sorted(set(obj.before or {}) | set(obj.after or {}))
        diff = [(k, (obj.before or {}).get(k), (obj.after or {}).get(k)) for k in keys]
        return {"diff": diff}
