"""On a phone a table's rows are stacked and each cell is shown under its column's heading (``data-label``):
the roll-up's figures, a report's tables by agency and the dashboard's plan progress must carry their
headings, or the phone shows a column of bare numbers."""

import re

from pckb.reports.models import PeriodicReport


def cells(html: str) -> list[str]:
    return re.findall(r"<td[^>]*>", html)


def test_rollup_figures_carry_their_headings(client, login, db):
    login("vptt.quocgia")
    html = client.get("/bao-cao/tong-hop/").content.decode()
    assert "Thành phố Cần Thơ" in html
    numeric = [c for c in cells(html) if 'class="num"' in c]
    assert numeric and all("data-label=" in c for c in numeric), numeric[:3]
    assert 'data-label="Nhiệm vụ đã hoàn thành"' in html


def test_report_tables_by_agency_carry_their_headings(client, login, db):
    report = PeriodicReport.objects.filter(
        schedule__committee__unit__code="P92", snapshot__isnull=False
    ).first()
    login("vptt.cantho")
    html = client.get(report.get_absolute_url()).content.decode()
    assert "Nhiệm vụ theo cơ quan chủ trì" in html
    assert all("data-label=" in c for c in cells(html)), [c for c in cells(html) if "data-label" not in c][:3]
    assert 'data-label="Cơ quan chủ trì"' in html and 'data-label="Quá hạn"' in html


def test_dashboard_progress_carries_its_headings(client, login, db):
    login("vptt.cantho")
    html = client.get("/bao-cao/bang-dieu-khien/").content.decode()
    assert "Công an thành phố Cần Thơ" in html
    assert 'data-label="Cơ quan chủ trì"' in html
