"""Mobile teams over patrol routes and several attacker types: the game built from the planner's form, the
same coverage as ``pckb allocate solve`` on the exported game, each mobile team's route with its times on
the page and in the orders, validation messages, and access."""

import datetime as dt
import io
import json
import re
import subprocess

import pytest
from django.utils import timezone
from docx import Document

from pckb.deployment.models import AttackerType, PlanningRun
from pckb.deployment.planner import AttackerRule, TargetRow
from pckb.geo.models import AdministrativeUnit
from tests.deployment.builders import (
    MARKER,
    api_and_cli_solutions,
    category,
    make_run,
    make_target,
    make_team,
    run_form_data,
)
from tests.plans.builders import committee
from tests.support.mixins import thuong_twin

GROUP = {
    "name": "Nhóm có tổ chức",
    "prior": 0.6,
    "criticality_weight": 2,
    "symbolism_weight": 3,
    "population_weight": 1,
    "size_weight": 1,
    "threat_weight": 1,
    "categories": [],
    "category_factor": 1.5,
}
LONE = {
    **GROUP,
    "name": "Đối tượng đơn lẻ",
    "prior": 0.4,
    "criticality_weight": 1,
    "symbolism_weight": 1,
    "population_weight": 3,
}


@pytest.fixture
def patrol(db, users):
    """Four Cần Thơ targets a few km apart (one without its own point: its commune's centre) and a mobile
    team type of three teams."""
    targets = [
        make_target(f"Trụ sở {MARKER} R1", ratings=(4, 5, 2, 3, 3), position=(10.0341, 105.7880)),
        make_target(f"Chợ {MARKER} R2", ratings=(2, 2, 5, 2, 2), position=(10.0297, 105.7784)),
        make_target(f"Bến tàu {MARKER} R3", ratings=(3, 3, 3, 3, 4), position=(10.0462, 105.7839)),
        make_target(f"Quảng trường {MARKER} R4", ratings=(3, 4, 4, 2, 2)),  # no point: commune centre
    ]
    team = make_team(
        f"Tuần tra cơ động {MARKER}",
        count=3,
        mobile=True,
        shift_start=dt.time(7, 30),
        shift_minutes=240,
        dwell_minutes=45,
        max_targets=3,
        speed_kmh=25,
        detour=1.4,
    )
    return {"targets": targets, "team": team}


def form_data(team, **extra) -> dict:
    data = {
        **run_form_data(team, title=f"Tuần tra {MARKER} qua biểu mẫu"),
        "doi-tuong-TOTAL_FORMS": 3,
        "doi-tuong-INITIAL_FORMS": 0,
    }
    for n, kind in enumerate((GROUP, LONE)):
        for key, value in kind.items():
            if key != "categories":
                data[f"doi-tuong-{n}-{key}"] = str(value).replace(".", ",")
    for n in (2,):  # an untouched empty row is skipped
        for key in (
            "criticality_weight",
            "symbolism_weight",
            "population_weight",
            "size_weight",
            "threat_weight",
        ):
            data[f"doi-tuong-{n}-{key}"] = "1"
        data[f"doi-tuong-{n}-category_factor"] = "1,5"
    data.update(extra)
    return data


def test_game_built_from_the_models_matches_the_form(client, login, patrol):
    login("vptt.cantho")
    response = client.post("/bo-tri-luc-luong/phuong-an/them/", form_data(patrol["team"]))
    assert response.status_code == 302, response.content.decode()[:3000]
    run = PlanningRun.objects.get(title=f"Tuần tra {MARKER} qua biểu mẫu")
    (team,) = run.game["teams"]
    assert team["travel"] == {"speed_kmh": 25.0, "detour": 1.4}
    assert (team["shift_minutes"], team["dwell_minutes"], team["max_targets"]) == (240, 45, 3)
    targets = {t["id"]: t for t in run.game["targets"]}
    first, _, _, square = patrol["targets"]
    assert (targets[f"T{first.pk}"]["lat"], targets[f"T{first.pk}"]["lon"]) == (10.0341, 105.788)
    commune = AdministrativeUnit.objects.get(pk=square.unit_id)
    assert targets[f"T{square.pk}"]["lat"] == pytest.approx(commune.latitude, abs=1e-6)
    assert "defender_covered" not in targets[f"T{first.pk}"]  # payoffs live in the attacker types
    types = {a["name"]: a for a in run.game["attacker_types"]}
    assert {k: v["prior"] for k, v in types.items()} == {"Nhóm có tổ chức": 0.6, "Đối tượng đơn lẻ": 0.4}
    # Ratings 4, 5, 2, 3, 3 (total 17): the group scores 5 × (2·4 + 3·5 + 2 + 3 + 3) / 8 = 19.375, the lone
    # actor 5 × (4 + 5 + 3·2 + 3 + 3) / 7 = 15; the defender's payoffs follow the total for both.
    group = {t["id"]: t for t in types["Nhóm có tổ chức"]["targets"]}[f"T{first.pk}"]
    lone = {t["id"]: t for t in types["Đối tượng đơn lẻ"]["targets"]}[f"T{first.pk}"]
    assert group["attacker_uncovered"] == pytest.approx(19.375)
    assert lone["attacker_uncovered"] == pytest.approx(15.0)
    assert group["defender_uncovered"] == lone["defender_uncovered"] == -17.0
    assert run.game["plan"] == "sse"
    saved = list(run.attacker_types.order_by("position").values_list("name", "prior", "symbolism_weight"))
    assert saved == [("Nhóm có tổ chức", 0.6, 3.0), ("Đối tượng đơn lẻ", 0.4, 1.0)]


def test_category_factor_raises_a_preferred_category():
    target = TargetRow(pk=1, name="Chợ", score=15, level=3, category_id=7, ratings=(3, 3, 3, 3, 3))
    assert AttackerRule("A", 1.0, category_ids=frozenset({7}), category_factor=2).score(target) == 30.0
    assert AttackerRule("A", 1.0, category_ids=frozenset({8}), category_factor=2).score(target) == 15.0


def test_routes_and_two_types_solve_like_the_cli(tmp_path, api_client, patrol):
    run = make_run(f"Tuần tra {MARKER} CLI", "P92", [patrol["team"]], attacker_types=[GROUP, LONE])
    assert run.solution["exact"] is True and run.solution["coverage_by_schedule"]
    client = api_client("vptt.cantho")
    solution, cli = api_and_cli_solutions(client, run, tmp_path)
    assert cli.keys() == solution.keys()
    assert cli["attacked_target_by_type"] == solution["attacked_target_by_type"]
    for key, value in solution["coverage"].items():
        assert cli["coverage"][key] == pytest.approx(value, abs=1e-7)
    assert cli["defender_utility"] == pytest.approx(solution["defender_utility"], abs=1e-7)
    by_type = {t["name"]: t for t in run.outputs["by_type"]}
    assert by_type.keys() == {"Nhóm có tổ chức", "Đối tượng đơn lẻ"}
    expected = (
        0.6 * by_type["Nhóm có tổ chức"]["expected_loss"] + 0.4 * by_type["Đối tượng đơn lẻ"]["expected_loss"]
    )
    assert run.expected_loss == pytest.approx(expected)
    assert run.expected_loss <= run.outputs["baselines"]["top_risk"]["expected_loss"] + 1e-9


def test_each_mobile_team_drives_a_route_with_times(patrol):
    run = make_run(f"Tuần tra {MARKER} giờ", "P92", [patrol["team"]], attacker_types=[GROUP, LONE])
    driven = 0
    for day in run.outputs["orders"]:
        assert [line["number"] for line in day["teams"]] == [1, 2, 3]
        for line in day["teams"]:
            stops = line["stops"]
            if not stops:  # a team the day's joint schedule does not need stands by
                assert line["target"] is None
                continue
            driven += 1
            assert len(stops) <= 3 and line["target"] == stops[0]["target"]
            assert stops[0]["arrive"] == "07:30" and stops[0]["leave"] == "08:15"
            minutes = [int(s["arrive"][:2]) * 60 + int(s["arrive"][3:]) for s in stops]
            assert all(b >= a + 45 for a, b in itertools_pairwise(minutes))  # dwell, then the drive
            assert minutes[-1] + 45 <= 7 * 60 + 30 + 240  # the route fits in the shift
    assert driven >= len(run.outputs["orders"])


def itertools_pairwise(values):
    return zip(values, values[1:], strict=False)


def test_run_page_shows_loss_by_type_and_the_routes_of_the_chosen_day(client, login, patrol):
    run = make_run(f"Tuần tra {MARKER} trang", "P92", [patrol["team"]], attacker_types=[GROUP, LONE], days=3)
    login("lanhdao.cantho")
    second = run.outputs["orders"][1]
    page = client.get(run.get_absolute_url(), {"ngay": second["date"]}).content.decode()
    assert "Theo loại đối tượng" in page and "Nhóm có tổ chức" in page and "Đối tượng đơn lẻ" in page
    names = {t["id"]: t["name"] for t in run.game["targets"]}
    first_stop = second["teams"][0]["stops"][0]
    assert f"{first_stop['arrive']}–{first_stop['leave']}</span> {names[first_stop['target']]}" in page
    assert "MATCH chỉ dùng khi có một loại đối tượng" in page  # two types: MATCH left out of the table


def test_orders_print_each_mobile_teams_stops_in_order(client, login, patrol, tmp_path):
    run = make_run(f"Tuần tra {MARKER} lệnh", "P92", [patrol["team"]], attacker_types=[GROUP, LONE], days=2)
    login("lanhdao.cantho")
    day = run.outputs["orders"][0]
    response = client.get(f"/bo-tri-luc-luong/phuong-an/{run.pk}/lenh.docx", {"ngay": day["date"]})
    doc = Document(io.BytesIO(response.content))
    assert len(doc.sections) == 3  # one sheet per team
    names = {t["id"]: t["name"] for t in run.game["targets"]}
    tables = [t for t in doc.tables if t.rows[0].cells[1].text == "Đến – rời"]
    driving = [line for line in day["teams"] if line["stops"]]
    assert driving and len(tables) == len(driving)
    for table, line in zip(tables, driving, strict=True):
        rows = [[c.text for c in row.cells] for row in table.rows[1:]]
        assert rows == [
            [
                str(n),
                f"{s['arrive']} – {s['leave']}",
                names[s["target"]],
                run.outputs["targets"][s["target"]]["unit"],
            ]
            for n, s in enumerate(line["stops"], start=1)
        ]
    pdf = client.get(f"/bo-tri-luc-luong/phuong-an/{run.pk}/lenh.pdf").content
    (tmp_path / "lenh.pdf").write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(tmp_path / "lenh.pdf")], capture_output=True, text=True, check=True)
    assert re.search(r"^Pages:\s+6$", info.stdout, re.M)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "lenh.pdf"), "-"], capture_output=True, text=True
    ).stdout
    first = day["teams"][0]["stops"][0]
    assert f"{first['arrive']} – {first['leave']}" in text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"doi-tuong-1-prior": "0,3"},
            "Tổng xác suất (prior) của các loại đối tượng phải bằng 1 (hiện là 0,9)",
        ),
        ({"plan": "match"}, "Phương án MATCH chỉ dùng khi có một loại đối tượng"),
        ({"doi-tuong-1-name": "Nhóm có tổ chức"}, "Tên các loại đối tượng phải khác nhau"),
    ],
)
def test_bad_attacker_types_are_refused_with_a_clear_message(client, login, patrol, change, message):
    login("vptt.cantho")
    response = client.post("/bo-tri-luc-luong/phuong-an/them/", form_data(patrol["team"], **change))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PlanningRun.objects.filter(title=f"Tuần tra {MARKER} qua biểu mẫu").exists()


def test_quantal_plan_with_routes_is_refused_above_its_limit(patrol):
    """The mobile teams patrol their four targets; a static team type guards the rest of the province, which
    takes the run past the limit of the quantal-response plan with routes."""
    from django.core.exceptions import ValidationError

    from pckb.deployment import choices as c

    patrol["team"].targets.set(patrol["targets"])
    guards = make_team(f"Tổ canh gác {MARKER}", count=2)
    for n in range(c.ROUTE_ROBUST_LIMIT):
        make_target(f"Điểm {MARKER} thêm {n}", position=(10.03 + n / 1000, 105.78))
    with pytest.raises(ValidationError) as refused:
        make_run(f"Tuần tra {MARKER} QR", "P92", [patrol["team"], guards], plan="qr")
    assert f"chỉ tính được khi có tối đa {c.ROUTE_ROBUST_LIMIT} mục tiêu" in str(refused.value)
    assert not PlanningRun.objects.filter(title=f"Tuần tra {MARKER} QR").exists()


def test_quantal_plan_with_routes_over_thirty_targets(patrol):
    """At the limit (every target within the mobile type's reach) the quantal-response plan is computed."""
    from pckb.deployment import choices as c

    for n in range(c.ROUTE_ROBUST_LIMIT - len(patrol["targets"])):
        make_target(f"Điểm {MARKER} thêm {n}", position=(10.03 + n / 1000, 105.78 + (n % 5) / 500))
    run = make_run(f"Tuần tra {MARKER} QR", "P92", [patrol["team"]], plan="qr", attacker_types=[GROUP, LONE])
    assert len(run.game["targets"]) == c.ROUTE_ROBUST_LIMIT
    assert run.solution["plan"] == "qr" and len(run.solution["coverage"]) == c.ROUTE_ROBUST_LIMIT


def test_hcm_and_thuong_readers_do_not_see_the_mobile_run(client, users, patrol, api_client):
    secret = make_target(f"Kho {MARKER} mật R5", classification=1, position=(10.04, 105.77))
    run = make_run(f"Tuần tra {MARKER} mật", "P92", [patrol["team"]], attacker_types=[GROUP, LONE])
    assert run.classification == 1 and f"T{secret.pk}" in {t["id"] for t in run.game["targets"]}
    for reader in (users["vptt.hcm"], thuong_twin(users)):
        client.force_login(reader)
        for url in (
            run.get_absolute_url(),
            f"/bo-tri-luc-luong/phuong-an/{run.pk}/lenh.docx",
            f"/bo-tri-luc-luong/phuong-an/{run.pk}/lenh.pdf",
        ):
            assert client.get(url).status_code == 404, (reader, url)
        assert not AttackerType.objects.restrict(reader, "view").filter(run=run).exists()
    assert api_client("vptt.hcm").get(f"/api/v1/deployment/runs/{run.pk}/game").status_code == 404
    assert AttackerType.objects.restrict(users["vptt.cantho"], "view").filter(run=run).count() == 2


def test_api_plans_routes_against_two_types(api_client, patrol):
    body = {
        "committee": committee("P92").pk,
        "title": f"Tuần tra {MARKER} API",
        "team_types": [patrol["team"].pk],
        "category": category().pk,
        "start_date": (timezone.localdate() + dt.timedelta(days=1)).isoformat(),
        "days": 1,
        "plan": "qr",
        "lam": 0.5,
        "attacker_types": [GROUP, LONE],
    }
    client = api_client("vptt.cantho")
    response = client.post("/api/v1/deployment/runs/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    run = PlanningRun.objects.get(pk=response.json()["id"])
    assert run.solution["plan"] == "qr" and run.outputs["orders"][0]["teams"][0]["stops"]
    bad = {**body, "attacker_types": [{**GROUP, "prior": 0.5}, LONE]}
    response = client.post("/api/v1/deployment/runs/", bad, content_type="application/json")
    assert response.status_code == 422 and "Tổng xác suất" in json.dumps(response.json(), ensure_ascii=False)
