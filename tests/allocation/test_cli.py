"""GAME.json validation and the ``pckb allocate`` command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pckb.allocation import GameError
from pckb.allocation.cli import main
from pckb.allocation.games import parse_game

ROOT = Path(__file__).resolve().parents[2]


def target(tid: str, **overrides: object) -> dict[str, object]:
    base = {
        "id": tid,
        "name": f"Mục tiêu {tid}",
        "defender_covered": 0,
        "defender_uncovered": -10,
        "attacker_covered": -5,
        "attacker_uncovered": 10,
    }
    return base | overrides


def identical_game() -> dict[str, object]:
    return {
        "resources": 1,
        "targets": [target("T1"), target("T2", defender_uncovered=-4, attacker_uncovered=6), target("T3")],
    }


def typed_game() -> dict[str, object]:
    return {
        "teams": [
            {"type": "K9", "count": 1, "targets": ["T1", "T2"]},
            {"type": "CSCD", "count": 1, "targets": ["T3"]},
        ],
        "targets": [target("T1"), target("T2"), target("T3")],
    }


def write(tmp_path: Path, data: object, raw: str | None = None) -> str:
    path = tmp_path / "game.json"
    path.write_text(raw if raw is not None else json.dumps(data), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda g: g["targets"][2].update(defender_covered=-20),
            "Mục tiêu 'T3': defender_covered phải lớn hơn",
        ),
        (
            lambda g: g["targets"][1].update(attacker_covered=10),
            "Mục tiêu 'T2': attacker_covered phải nhỏ hơn",
        ),
        (lambda g: g["targets"][1].update(id="T1"), "Mục tiêu 'T1': id bị trùng lặp"),
        (
            lambda g: g["targets"][0].update(attacker_uncovered=float("nan")),
            "'T1': attacker_uncovered phải là số hữu hạn",
        ),
        (
            lambda g: g["targets"][0].update(defender_covered=float("inf")),
            "'T1': defender_covered phải là số hữu hạn",
        ),
        (lambda g: g["targets"][0].update(defender_covered="cao"), "'T1': defender_covered phải là số"),
        (lambda g: g["targets"][0].update(defender_covered=True), "'T1': defender_covered phải là số"),
        (lambda g: g["targets"][0].pop("attacker_covered"), "'T1': thiếu trường attacker_covered"),
        (lambda g: g["targets"][0].update(id=""), "Mục tiêu thứ 1: id phải là chuỗi không rỗng"),
        (lambda g: g.update(targets=[]), "targets phải là danh sách mục tiêu không rỗng"),
        (lambda g: g.update(resources=-1), "resources phải là số nguyên không âm"),
        (lambda g: g.update(resources=1.5), "resources phải là số nguyên không âm"),
        (lambda g: g.update(teams=[]), "đúng một trong hai trường resources hoặc teams"),
    ],
)
def test_identical_game_errors(mutate, message) -> None:
    game = identical_game()
    mutate(game)
    with pytest.raises(GameError, match=message):
        parse_game(game)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda g: g["teams"][0].update(count=-2), "Loại đội 'K9': count phải là số nguyên không âm"),
        (
            lambda g: g["teams"][0]["targets"].append("T9"),
            "Loại đội 'K9': mục tiêu 'T9' trong targets không tồn tại",
        ),
        (lambda g: g["teams"][1].update(type="K9"), "Loại đội 'K9': type bị trùng lặp"),
        (lambda g: g["teams"][1].update(targets="T3"), "Loại đội 'CSCD': targets phải là danh sách"),
        (lambda g: g.update(teams=[]), "teams phải là danh sách loại đội không rỗng"),
    ],
)
def test_typed_game_errors(mutate, message) -> None:
    game = typed_game()
    mutate(game)
    with pytest.raises(GameError, match=message):
        parse_game(game)


def test_all_problems_reported_together() -> None:
    game = identical_game()
    game["targets"][0]["defender_covered"] = -20
    game["targets"][2]["attacker_covered"] = 50
    with pytest.raises(GameError) as info:
        parse_game(game)
    assert len(info.value.messages) == 2
    assert "'T1'" in info.value.messages[0] and "'T3'" in info.value.messages[1]


def test_solve_prints_solution(tmp_path, capsys) -> None:
    assert main(["solve", write(tmp_path, identical_game())]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {
        "coverage",
        "attacked_target",
        "attack_set",
        "defender_utility",
        "attacker_utility",
        "plan",
        "exact",
        "evaluation",
    }
    assert out["plan"] == "sse" and out["exact"] is True
    assert sum(out["coverage"].values()) == pytest.approx(1)
    # Level k with 2 (10 - k) / 15 + (6 - k) / 11 = 1, i.e. k = 145/37: all three targets tie and
    # T2 (uncovered loss -4 instead of -10) is the attacker's tie-break in the defender's favour.
    assert out["attacker_utility"] == pytest.approx(145 / 37)
    assert out["coverage"]["T1"] == pytest.approx((10 - 145 / 37) / 15)
    assert out["coverage"]["T2"] == pytest.approx((6 - 145 / 37) / 11)
    assert out["attack_set"] == ["T1", "T2", "T3"]
    assert out["attacked_target"] == "T2"
    assert out["defender_utility"] == pytest.approx(-4 + 4 * (6 - 145 / 37) / 11)


def test_solve_typed_prints_coverage_by_team(tmp_path, capsys) -> None:
    assert main(["solve", write(tmp_path, typed_game())]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out["coverage_by_team"]) == {"K9", "CSCD"}
    assert set(out["coverage_by_team"]["CSCD"]) == {"T3"}
    # K9 splits its team over T1 and T2 (level 10 - 15 / 2 = 2.5); CSCD needs only half of its
    # team to hold T3 at that level (the minimal coverage; the rest is free).
    assert out["attacker_utility"] == pytest.approx(2.5)
    assert out["coverage_by_team"]["K9"] == pytest.approx({"T1": 0.5, "T2": 0.5})
    assert out["coverage"]["T3"] == pytest.approx(0.5)


def test_sample_is_reproducible(tmp_path, capsys) -> None:
    path = write(tmp_path, typed_game())
    assert main(["sample", path, "--days", "30", "--seed", "4"]) == 0
    first = capsys.readouterr().out
    assert main(["sample", path, "--days", "30", "--seed", "4"]) == 0
    assert capsys.readouterr().out == first
    days = json.loads(first)["days"]
    assert len(days) == 30
    for day in days:
        k9 = [a["target"] for a in day if a["team"] == "K9"]
        cscd = [a["target"] for a in day if a["team"] == "CSCD"]
        assert len(k9) == 1 and k9[0] in {"T1", "T2"}
        assert cscd in ([], ["T3"])
    assert main(["sample", path, "--days", "30", "--seed", "5"]) == 0
    assert capsys.readouterr().out != first


def test_sample_identical_has_null_team(tmp_path, capsys) -> None:
    assert main(["sample", write(tmp_path, identical_game()), "--days", "3"]) == 0
    days = json.loads(capsys.readouterr().out)["days"]
    assert all(len(day) == 1 and day[0]["team"] is None for day in days)


@pytest.mark.parametrize(
    ("args", "raw", "message"),
    [
        (["solve"], "{", "không phải JSON hợp lệ"),
        (["solve"], '{"resources": 1, "targets": []}', "targets phải là danh sách"),
        (["solve"], "[1, 2]", "phải là một đối tượng JSON"),
        (["sample", "--days", "0"], None, "phải là số nguyên dương"),
        (["sample", "--days", "x"], None, "phải là số nguyên"),
    ],
)
def test_errors_exit_2_with_nothing_on_stdout(tmp_path, capsys, args, raw, message) -> None:
    path = write(tmp_path, identical_game(), raw)
    assert main([args[0], path, *args[1:]]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err


def test_missing_file(tmp_path, capsys) -> None:
    assert main(["solve", str(tmp_path / "nope.json")]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "Không đọc được tệp" in captured.err


def test_python_dash_m(tmp_path) -> None:
    path = write(tmp_path, identical_game())
    done = subprocess.run(
        [sys.executable, "-m", "pckb.allocation", "solve", path],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["attacked_target"] == "T2"
    bad = write(tmp_path, {"resources": 1, "targets": [target("T1", defender_covered=-99)]})
    failed = subprocess.run(
        [sys.executable, "-m", "pckb.allocation", "solve", bad],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert failed.returncode == 2 and failed.stdout == ""
    assert "Mục tiêu 'T1': defender_covered phải lớn hơn defender_uncovered" in failed.stderr


def test_no_django_import() -> None:
    code = (
        "import sys, pckb.allocation.cli, pckb.allocation.typed, pckb.allocation.baselines, "
        "pckb.allocation.bayesian, pckb.allocation.joint, pckb.allocation.robust, "
        "pckb.allocation.plans, pckb.allocation.routes, pckb.allocation.evaluation; "
        "print('django' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "False"


def test_solve_compare_and_sample_with_attacker_types(tmp_path, capsys) -> None:
    game = identical_game()
    game["attacker_types"] = [
        {"name": "Nhóm", "prior": 0.7, "targets": [target(t["id"]) for t in game["targets"]]},
        {
            "name": "Cá nhân",
            "prior": 0.3,
            "targets": [
                target(t["id"], attacker_uncovered=3 if t["id"] == "T1" else 9) for t in game["targets"]
            ],
        },
    ]
    for item in game["targets"]:
        for field in ("defender_covered", "defender_uncovered", "attacker_covered", "attacker_uncovered"):
            item.pop(field)
    game["lambda"] = 0.5
    path = write(tmp_path, game)
    assert main(["solve", path, "--compare"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out["attacked_target_by_type"]) == {"Nhóm", "Cá nhân"}
    assert set(out["evaluation"]["plans"]) == {"sse", "match", "qr"}
    assert out["evaluation"]["lambda"] == 0.5
    assert main(["sample", path, "--days", "4", "--seed", "1"]) == 0
    days = json.loads(capsys.readouterr().out)["days"]
    assert len(days) == 4 and all(len(day) == 1 for day in days)


def test_highs_chatter_never_reaches_stdout(tmp_path) -> None:
    """HiGHS prints some MIP diagnostics from native code; stdout must stay pure JSON."""
    game = identical_game()
    game["attacker_types"] = [
        {"name": "A", "prior": 0.5, "targets": [target(t["id"]) for t in game["targets"]]},
        {
            "name": "B",
            "prior": 0.5,
            "targets": [target(t["id"], attacker_uncovered=4) for t in game["targets"]],
        },
    ]
    path = write(tmp_path, game)
    done = subprocess.run(
        [sys.executable, "-m", "pckb.allocation", "solve", path],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["exact"] is True
