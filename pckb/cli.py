"""The ``pckb`` console command: a thin wrapper around management commands, uvicorn and the worker.

pckb setup | demo | serve [--port N] [--with-worker] [--demo] | worker | audit verify|anchor|rekey
pckb backup [FILE] | restore FILE [--yes] | allocate … | manage <django command> …
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

USAGE = __doc__

#: The demo runs the production profile on the embedded default, reachable only from this machine.
DEMO_HOSTS = "127.0.0.1,localhost,[::1]"


def demo_profile() -> None:
    """Switch this process (and what it starts) to the demo's production profile: debug off, the product's own
    error pages, a secret generated once into ``var/secret-key.txt`` (mode 0600), loopback hosts only, plain
    HTTP on the loopback address. Values already set in the environment win."""
    from pathlib import Path

    var_dir = Path(os.environ.get("PCKB_VAR_DIR", Path(__file__).resolve().parent.parent / "var"))
    var_dir.mkdir(parents=True, exist_ok=True)
    key_file = var_dir / "secret-key.txt"
    if not key_file.exists():
        import secrets

        key_file.touch(mode=0o600)
        key_file.write_text(secrets.token_urlsafe(64))
    os.environ.setdefault("PCKB_DEBUG", "0")
    os.environ.setdefault("PCKB_SECRET_KEY_FILE", str(key_file))
    os.environ.setdefault("PCKB_ALLOWED_HOSTS", DEMO_HOSTS)
    os.environ.setdefault("PCKB_HTTPS", "0")


def _django(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pckb.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["pckb", *argv])
    return 0


def uvicorn_arguments(host: str, port: int, workers: int) -> list[str]:
    """The arguments ``pckb serve`` gives uvicorn."""
    return [
        "pckb.asgi:application",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-server-header",
        # The client address is computed by Django from PCKB_TRUSTED_PROXIES (pckb.core.middleware.client_ip);
        # uvicorn would otherwise believe X-Forwarded-For from any local connection.
        "--no-proxy-headers",
        "--log-level",
        "warning",
    ]


def _serve(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="pckb serve", description="Chạy máy chủ web ASGI (uvicorn).")
    parser.add_argument("--host", default=os.environ.get("PCKB_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PCKB_PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("PCKB_WEB_WORKERS", "1")))
    parser.add_argument("--with-worker", action="store_true", help="Chạy kèm tiến trình nền (Huey).")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="Cấu hình production trên SQLite, chỉ nghe trên máy này (bản demo).",
    )
    args = parser.parse_args(argv)
    if args.demo:
        demo_profile()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pckb.settings")
    worker = None
    if args.with_worker:
        worker = subprocess.Popen([sys.executable, "-m", "pckb.cli", "worker"])  # noqa: S603
    cmd = [sys.executable, "-m", "uvicorn", *uvicorn_arguments(args.host, args.port, args.workers)]
    print(f"PCKB Hub đang chạy tại http://{args.host}:{args.port}  (Ctrl+C để dừng)", flush=True)
    web = subprocess.Popen(cmd)  # noqa: S603

    def stop(signum, _frame):  # a service manager's SIGTERM stops the server and the worker too
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        return web.wait()
    except KeyboardInterrupt:
        web.send_signal(signal.SIGINT)
        try:
            return web.wait(timeout=20)
        except subprocess.TimeoutExpired:
            web.kill()
            return web.wait()
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=10)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(USAGE)
        return 0
    command, rest = argv[0], argv[1:]
    if command == "allocate":
        from pckb.allocation.cli import main as allocate_main

        return allocate_main(rest)
    if command == "serve":
        return _serve(rest)
    if command == "worker":
        return _django(["run_huey", *rest])
    if command == "setup":
        return _django(["setup", *rest])
    if command == "demo":
        demo_profile()
        _django(["setup"])
        return _django(["demo_load", *rest])
    if command == "audit":
        if rest[:1] not in (["verify"], ["anchor"], ["rekey"]):
            print("Dùng: pckb audit verify | anchor [--after-restore] | rekey", file=sys.stderr)
            return 2
        return _django([f"audit_{rest[0]}", *rest[1:]])
    if command in {"backup", "restore"}:
        return _django([command, *rest])
    if command == "manage":
        return _django(rest)
    print(f"Lệnh không hợp lệ: {command}\n{USAGE}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
