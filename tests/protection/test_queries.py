"""The protection pages' query counts (pinned in tests/core/query_counts.json) do not grow with the data."""

from pckb.protection.models import Target
from tests.core.test_query_counts import count_queries, pages
from tests.protection.test_crud import assess, make_target

NAMES = ("target_list", "target_detail", "target_overdue", "api_targets")


def test_protection_query_counts_do_not_grow_with_data(client, login):
    login("vptt.cantho")
    urls = pages()
    before = {name: count_queries(client, urls[name]) for name in NAMES}
    busy = Target.objects.get(name="Cảng hàng không quốc tế Cần Thơ")
    for i in range(40):
        target = make_target(f"Chợ thêm thử nghiệm {i}", "X31135")
        assess(target, days_ago=400)
        assess(target, days_ago=10 + i)
        assess(busy, days_ago=20 + i)
    after = {name: count_queries(client, urls[name]) for name in NAMES}
    assert after == before
