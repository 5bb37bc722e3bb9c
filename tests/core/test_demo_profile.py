"""`make demo` serves the production profile on the embedded default: debug off, the product's own Vietnamese
error pages, a generated secret kept in var/, loopback hosts only."""

import os
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, host: str | None = None) -> tuple[int, dict, str]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback only)
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read().decode()


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("demo-var")
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("PCKB_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env["PCKB_VAR_DIR"] = str(var_dir)
    # `pckb demo` = demo profile + setup + demo data; the data is not what this test is about, so only set up.
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from pckb.cli import demo_profile, _django; demo_profile(); _django(['setup'])",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,  # noqa: S603
    )
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "pckb.cli", "serve", "--demo", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            fetch(base + "/healthz")
            break
        except OSError:
            time.sleep(0.3)
    else:
        server.kill()
        pytest.fail("the demo server did not start: " + server.stdout.read().decode(errors="replace"))
    yield base, var_dir
    server.terminate()
    server.wait(timeout=20)


def test_out_of_reach_page_is_the_products_vietnamese_404(demo_server):
    base, _ = demo_server
    status, _, body = fetch(base + "/khong-co-trang-nay/")
    assert status == 404
    assert "Không tìm thấy trang" in body and "PCKB Hub" in body
    # Not Django's debug page: no URL patterns, no English technical text.
    assert "URLconf" not in body and "DEBUG = True" not in body and "Page not found" not in body


def test_static_assets_come_from_the_collected_manifest(demo_server):
    base, _ = demo_server
    status, _, body = fetch(base + "/tai-khoan/dang-nhap/")
    assert status == 200
    css = next(part.split('"')[0] for part in body.split('href="') if ".css" in part.split('"')[0])
    assert css.startswith("/static/") and css != "/static/pckb/app.css"  # hashed name from the manifest
    assert fetch(base + css)[0] == 200


def test_only_loopback_host_names_are_served(demo_server):
    base, _ = demo_server
    status, _, body = fetch(base + "/tai-khoan/dang-nhap/", host="pckb.example")
    assert status == 400
    assert "Yêu cầu không hợp lệ" in body


def test_secret_is_generated_once_and_private(demo_server):
    _, var_dir = demo_server
    key_file = var_dir / "secret-key.txt"
    assert len(key_file.read_text().strip()) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_login_works_over_plain_http_on_loopback(demo_server):
    """Served without TLS on 127.0.0.1: no redirect to https, and cookies the browser will send back."""
    base, _ = demo_server
    status, headers, body = fetch(base + "/tai-khoan/dang-nhap/")
    assert status == 200 and "Đăng nhập" in body
    cookie = headers.get("Set-Cookie", "")
    assert "csrftoken=" in cookie and "Secure" not in cookie


def test_stopping_the_server_stops_uvicorn_too(tmp_path):
    """A service manager stops `pckb serve` with SIGTERM: uvicorn must not be left running without it."""
    import signal

    port = free_port()
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("PCKB_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env["PCKB_VAR_DIR"] = str(tmp_path)
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "pckb.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.3)
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)
    time.sleep(1)
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
