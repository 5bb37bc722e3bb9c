"""Command line: ``pckb allocate solve GAME.json`` and ``pckb allocate sample GAME.json``.

Output is JSON on stdout; on any error the message goes to stderr, nothing to stdout, and the
exit status is 2.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from pckb.allocation.errors import GameError
from pckb.allocation.games import load_game, sample, solve


def _positive(text: str) -> int:
    value = _natural(text)
    if value == 0:
        raise argparse.ArgumentTypeError(f"phải là số nguyên dương (nhận được {text!r})")
    return value


def _natural(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"phải là số nguyên (nhận được {text!r})") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"phải là số nguyên không âm (nhận được {text!r})")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The ``pckb allocate`` argument parser."""
    parser = argparse.ArgumentParser(
        prog="pckb allocate",
        description="Phân bổ lực lượng tối ưu (trò chơi an ninh Stackelberg) / optimal allocation.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    solve_cmd = commands.add_parser(
        "solve", help="tính xác suất bố trí tối ưu / compute the optimal coverage"
    )
    solve_cmd.add_argument("game", type=Path, help="tệp GAME.json")
    solve_cmd.add_argument(
        "--compare",
        action="store_true",
        help="so sánh cả ba phương án sse, match, qr / judge all three plans side by side",
    )
    sample_cmd = commands.add_parser("sample", help="lập lịch bố trí hằng ngày / draw daily orders")
    sample_cmd.add_argument("game", type=Path, help="tệp GAME.json")
    sample_cmd.add_argument("--days", type=_positive, required=True, help="số ngày cần lập lịch")
    sample_cmd.add_argument("--seed", type=_natural, default=0, help="hạt giống ngẫu nhiên (mặc định 0)")
    return parser


@contextlib.contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """Send anything native code prints (HiGHS may print MIP diagnostics) to stderr, so that
    stdout carries only the JSON answer."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no real file descriptor (e.g. captured output): nothing to protect
        yield
        return
    try:
        os.dup2(2, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def main(argv: list[str] | None = None) -> int:
    """Run ``pckb allocate``; return the exit status (0 ok, 2 invalid input)."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse already printed usage or help
        return exc.code if isinstance(exc.code, int) else 2
    try:
        game = load_game(args.game)
        with _stdout_to_stderr():
            result = (
                solve(game, args.compare) if args.command == "solve" else sample(game, args.days, args.seed)
            )
    except GameError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0
