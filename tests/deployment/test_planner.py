"""What a planner notices: payoffs follow the risk assessments and the rule's parameters, the optimal plan
beats both baselines, orders are reproducible from the seed and print one sheet per day and team, the API's
game re-solves to the API's solution with the CLI, and classification and scope follow the targets."""

import io
import json
import re
import subprocess

import pytest
from docx import Document

from pckb.audit.models import AuditEntry
from pckb.deployment.models import PlanningRun
from pckb.protection.models import TargetCategory
from tests.deployment.builders import (
    MARKER,
    api_and_cli_solutions,
    build_runs,
    make_run,
    make_team,
    run_form_data,
)
from tests.support.mixins import thuong_twin, token_client


@pytest.fixture
def data(db, users):
    return build_runs()


def test_payoffs_follow_the_latest_assessment_and_the_rule(data):
    run = make_run(
        "Phương án hệ số",
        "P92",
        [data["teams"]["ct"]],
        defender_weight=2.0,
        covered_fraction=0.25,
        attacker_weight=3.0,
        attacker_penalty=1.0,
    )
    station = data["ct"][0]  # ratings 5+4+4+3+3 = 19
    game = {t["id"]: t for t in run.game["targets"]}[f"T{station.pk}"]
    assert game["defender_uncovered"] == -38.0
    assert game["defender_covered"] == -9.5
    assert game["attacker_uncovered"] == 57.0
    assert game["attacker_covered"] == -57.0
    assert run.outputs["targets"][f"T{station.pk}"]["score"] == 19


def test_optimal_plan_loses_less_than_both_baselines(data):
    run = data["runs"]["in"]
    baselines = run.outputs["baselines"]
    assert run.expected_loss <= baselines["uniform"]["expected_loss"] + 1e-9
    assert run.expected_loss <= baselines["top_risk"]["expected_loss"] + 1e-9
    # 3 targets, 2 teams: guarding the two riskiest for good leaves the third one to the attacker.
    assert baselines["top_risk"]["expected_loss"] > run.expected_loss


def test_orders_are_reproducible_from_the_seed(data):
    team = data["teams"]["ct"]
    first = make_run("Lệnh A", "P92", [team], days=10, seed=99)
    again = make_run("Lệnh B", "P92", [team], days=10, seed=99)
    other = make_run("Lệnh C", "P92", [team], days=10, seed=100)
    assert first.outputs["orders"] == again.outputs["orders"]
    assert first.outputs["orders"] != other.outputs["orders"]
    day = first.outputs["orders"][0]
    assert [line["number"] for line in day["teams"]] == [1, 2]
    assert len({line["target"] for line in day["teams"]}) == 2  # two teams, two different targets


def test_run_holding_a_secret_target_is_secret_and_hidden_below_clearance(client, users, data):
    secret = data["runs"]["secret"]
    assert secret.classification == 1
    assert data["runs"]["in"].classification == 0
    low = thuong_twin(users)
    client.force_login(low)
    for url in (
        secret.get_absolute_url(),
        f"/bo-tri-luc-luong/phuong-an/{secret.pk}/lenh.docx",
        f"/bo-tri-luc-luong/phuong-an/{secret.pk}/lenh.pdf",
    ):
        assert client.get(url).status_code == 404, url
    listing = client.get("/bo-tri-luc-luong/phuong-an/", {"q": MARKER}).content.decode()
    assert secret.title not in listing and data["runs"]["in"].title in listing
    api = token_client(low)
    for path in ("", "/game", "/solution"):
        assert api.get(f"/api/v1/deployment/runs/{secret.pk}{path}").status_code == 404
    # Cleared for Mật: readable, and opening it is audited.
    client.force_login(users["vptt.cantho"])
    assert client.get(secret.get_absolute_url()).status_code == 200
    assert AuditEntry.objects.filter(action="view", object_id=str(secret.pk)).exists()


def test_a_thuong_planner_never_builds_a_run_over_a_secret_target(users, data):
    run = make_run("Phương án của cán bộ Thường", "P92", [data["teams"]["ct"]], actor=thuong_twin(users))
    keys = {t["id"] for t in run.game["targets"]}
    assert f"T{data['secret_target'].pk}" not in keys and run.classification == 0


def test_hcm_does_not_see_can_tho_runs(client, users, data, api_client):
    ct = data["runs"]["in"]
    client.force_login(users["vptt.hcm"])
    assert client.get(ct.get_absolute_url()).status_code == 404
    page = client.get("/bo-tri-luc-luong/phuong-an/", {"q": MARKER}).content.decode()
    assert ct.title not in page and data["runs"]["out"].title in page
    assert api_client("vptt.hcm").get(f"/api/v1/deployment/runs/{ct.pk}/game").status_code == 404


def test_api_game_resolves_with_the_cli_to_the_api_solution(tmp_path, api_client, data):
    run = data["runs"]["in"]
    client = api_client("vptt.cantho")
    solution, cli = api_and_cli_solutions(client, run, tmp_path)
    assert cli.keys() == solution.keys()
    assert cli["attacked_target"] == solution["attacked_target"]
    for key, value in solution["coverage"].items():
        assert cli["coverage"][key] == pytest.approx(value, abs=1e-9)
    assert cli["defender_utility"] == pytest.approx(solution["defender_utility"], abs=1e-9)


def test_api_creates_a_run_and_refuses_bad_input_with_422(api_client, data):
    client = api_client("vptt.cantho")
    body = {
        "committee": data["teams"]["ct"].committee_id,
        "title": "Phương án qua API",
        "team_types": [data["teams"]["ct"].pk],
        "category": data["ct"][0].category_id,
        "start_date": "2026-12-08",
        "days": 2,
        "seed": 5,
    }
    response = client.post("/api/v1/deployment/runs/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["target_count"] == 4  # three Thường targets and the Mật one (cleared)
    before = PlanningRun.objects.count()
    for bad, field in (
        ({"team_types": [data["teams"]["hcm"].pk]}, "team_types"),
        ({"covered_fraction": 1.5}, "covered_fraction"),
        ({"days": 0}, "days"),
    ):
        response = client.post("/api/v1/deployment/runs/", {**body, **bad}, content_type="application/json")
        assert response.status_code == 422, (bad, response.content)
        assert field in json.dumps(response.json()), response.json()
    assert PlanningRun.objects.count() == before


def test_planner_form_says_why_when_no_target_matches(client, login, data):
    login("vptt.cantho")
    team = make_team("Tổ chỉ ở bệnh viện", count=1)
    team.categories.set(TargetCategory.objects.filter(code="benh-vien"))  # none among this run's targets
    response = client.post(
        "/bo-tri-luc-luong/phuong-an/them/",
        run_form_data(
            team, title="Phương án không có tổ phù hợp", category=data["ct"][0].category_id, seed=1
        ),
    )
    assert response.status_code == 200
    assert "không được bố trí ở mục tiêu nào" in response.content.decode()
    assert not PlanningRun.objects.filter(title="Phương án không có tổ phù hợp").exists()


def test_run_page_shows_coverage_baselines_and_robust_plans(client, login, data):
    login("lanhdao.cantho")
    page = client.get(data["runs"]["in"].get_absolute_url()).content.decode()
    for text in (
        "Xác suất bố trí từng mục tiêu",
        "Dàn đều các tổ",
        "Cố định tổ ở các mục tiêu rủi ro cao nhất",
        "MATCH",
        "Phản ứng lượng tử",
        f"Nhà ga {MARKER} A",
        "Lệnh hằng ngày (DOCX)",
    ):
        assert text in page, text


def test_orders_docx_has_one_section_per_day_and_team(client, login, data):
    login("lanhdao.cantho")
    run = data["runs"]["in"]  # 3 days, 2 teams
    response = client.get(f"/bo-tri-luc-luong/phuong-an/{run.pk}/lenh.docx")
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    assert len(doc.sections) == run.days * run.team_count == 6
    text = "\n".join(p.text for p in doc.paragraphs)
    assert text.count("LỆNH BỐ TRÍ LỰC LƯỢNG") == 6
    assert "Tổ số 2" in text
    assert AuditEntry.objects.filter(action="export", object_id=str(run.pk)).exists()
    day = run.outputs["orders"][1]["date"]
    one = client.get(f"/bo-tri-luc-luong/phuong-an/{run.pk}/lenh.docx", {"ngay": day})
    assert len(Document(io.BytesIO(one.content)).sections) == 2


def test_orders_pdf_has_one_page_per_day_and_team(client, login, data, tmp_path):
    login("lanhdao.cantho")
    run = data["runs"]["in"]
    response = client.get(f"/bo-tri-luc-luong/phuong-an/{run.pk}/lenh.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    pdf = tmp_path / "lenh.pdf"
    pdf.write_bytes(response.content)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+6$", info, re.M), info


def test_team_type_limited_to_a_target_only_goes_there(data):
    team = make_team("Tổ rà phá bom mìn thử", count=1)
    team.targets.set([data["ct"][2]])
    run = make_run("Phương án rà phá", "P92", [data["teams"]["ct"], team])
    types = {t["type"]: t["targets"] for t in run.game["teams"]}
    assert types["Tổ rà phá bom mìn thử"] == [f"T{data['ct'][2].pk}"]
    for day in run.outputs["orders"]:
        for line in day["teams"]:
            if line["team"] == "Tổ rà phá bom mìn thử" and line["target"]:
                assert line["target"] == f"T{data['ct'][2].pk}"


def test_unassessed_targets_are_left_out_and_counted(data):
    from pckb.protection.models import Target

    bare = Target.objects.create(
        name=f"Chưa đánh giá {MARKER}",
        category=data["ct"][0].category,
        unit=data["ct"][0].unit,
        managing_name="Đơn vị thử",
    )
    run = make_run("Phương án có mục tiêu chưa đánh giá", "P92", [data["teams"]["ct"]])
    assert f"T{bare.pk}" not in {t["id"] for t in run.game["targets"]}
    assert run.outputs["unassessed"] == 1


def test_orders_of_a_run_with_a_mat_target_print_mat_on_every_sheet(client, login, data):
    from tests.support.documents import docx_marks

    login("lanhdao.cantho")
    plain, secret = data["runs"]["in"], data["runs"]["secret"]
    assert secret.classification == 1  # raised to its Mật target's
    assert set(docx_marks(client.get(f"/bo-tri-luc-luong/phuong-an/{plain.pk}/lenh.docx").content)) == {""}
    marks = docx_marks(client.get(f"/bo-tri-luc-luong/phuong-an/{secret.pk}/lenh.docx").content)
    assert len(marks) == secret.days * secret.team_count and set(marks) == {"MẬT"}
