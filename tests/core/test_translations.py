"""The English catalogue is complete ("makemessages checked in CI") and English pages render in English.

The completeness guard runs Django's ``makemessages`` (which needs the GNU gettext tools) over a copy of the
source tree, so the checkout is never written to, and checks that every string found in the code has a
non-empty, non-fuzzy English translation in the committed ``pckb/locale/en/LC_MESSAGES/django.po`` with the
same placeholders. The application itself never needs gettext: ``pckb manage compile_translations`` builds
the .mo files with polib.
"""

import os
import re
import shutil
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "pckb" / "locale"
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
VI_PO = LOCALE / "vi" / "LC_MESSAGES" / "django.po"
# The same scope as the documented command:
#   manage.py makemessages -l en --no-location --ignore=.venv --ignore=var --ignore=bench --ignore=tests
#     --ignore=pckb/allocation
IGNORE = [".venv", "var", "bench", "tests", "pckb/allocation"]
GETTEXT_TOOLS = ("xgettext", "msguniq", "msgmerge", "msgattrib")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdifr]|%[sdifr]|\{\w*(?:![rsa])?(?::[^{}]*)?\}")


def placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text.replace("%%", "")))


def require_gettext():
    missing = [tool for tool in GETTEXT_TOOLS if shutil.which(tool) is None]
    if not missing:
        return
    reason = f"GNU gettext tools not found ({', '.join(missing)}): install the Debian package 'gettext'"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the translation completeness check (scripts/system-deps.sh)")
    pytest.skip(f"{reason} to check the English catalogue against the code (checked in CI)")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> polib.POFile:
    """The en catalogue as ``makemessages`` would leave it, built from a copy of the code and the locale."""
    require_gettext()
    src = tmp_path_factory.mktemp("i18n") / "src"
    shutil.copytree(
        ROOT / "pckb",
        src / "pckb",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", "node_modules"),
    )
    shutil.copy2(ROOT / "manage.py", src / "manage.py")
    cwd = Path.cwd()
    os.chdir(src)
    try:
        with override_settings(LOCALE_PATHS=[src / "pckb" / "locale"]):
            call_command("makemessages", locale=["en"], no_location=True, ignore_patterns=IGNORE, verbosity=0)
    finally:
        os.chdir(cwd)
    return polib.pofile(str(src / "pckb" / "locale" / "en" / "LC_MESSAGES" / "django.po"))


def key(entry: polib.POEntry) -> tuple:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


def label(entry: polib.POEntry) -> str:
    context = f"[{entry.msgctxt}] " if entry.msgctxt else ""
    return context + entry.msgid.replace("\n", "\\n")


def translation_faults(entry: polib.POEntry) -> list[str]:
    """What is wrong with one committed English entry, if anything."""
    if entry.fuzzy:
        return ["fuzzy"]
    if entry.msgid_plural:
        forms = [entry.msgstr_plural.get(n, "") for n in range(2)]
        if not all(forms):
            return ["missing plural form"]
        allowed = placeholders(entry.msgid) | placeholders(entry.msgid_plural)
        faults = [
            f"msgstr[{n}]: unknown placeholders" for n, f in enumerate(forms) if placeholders(f) - allowed
        ]
        if placeholders(forms[1]) != placeholders(entry.msgid_plural):
            faults.append(f"msgstr[1] placeholders {sorted(placeholders(forms[1]).elements())}")
        return faults
    if not entry.msgstr:
        return ["untranslated"]
    if placeholders(entry.msgstr) != placeholders(entry.msgid):
        return [
            f"placeholders {sorted(placeholders(entry.msgid).elements())} → "
            f"{sorted(placeholders(entry.msgstr).elements())}"
        ]
    return []


def test_every_string_in_the_code_has_an_english_translation(extracted):
    committed = {key(e): e for e in polib.pofile(str(EN_PO)) if not e.obsolete}
    found = [e for e in extracted if not e.obsolete]
    assert len(found) > 100, "makemessages found suspiciously few strings"
    problems = []
    for entry in found:
        mine = committed.get(key(entry))
        if mine is None:
            problems.append(f"{label(entry)}: not in the committed catalogue")
        else:
            problems += [f"{label(entry)}: {fault}" for fault in translation_faults(mine)]
    assert not problems, (
        f"{len(problems)} string(s) lack a proper English translation in {EN_PO.relative_to(ROOT)}. Run\n"
        "  .venv/bin/python manage.py makemessages -l en -l vi --no-location --ignore=.venv --ignore=var "
        "--ignore=bench --ignore=tests --ignore=pckb/allocation\n"
        "and translate:\n  " + "\n  ".join(problems)
    )


def test_committed_catalogues_are_clean():
    """Headers and entries are usable without the gettext tools (polib compiles them)."""
    en = polib.pofile(str(EN_PO))
    assert not en.metadata_is_fuzzy
    assert en.metadata["Language"] == "en"
    assert en.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    faults = [f"{label(e)}: {f}" for e in en if not e.obsolete for f in translation_faults(e)]
    assert not faults, faults
    vi = polib.pofile(str(VI_PO))
    assert not vi.metadata_is_fuzzy
    assert vi.metadata["Language"] == "vi"
    assert vi.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    assert not [e.msgid for e in vi if e.fuzzy]


@pytest.fixture
def english(client, login):
    """A client signed in as vptt.cantho with English chosen. The .mo files are built first (as `make test`
    does), and overriding LOCALE_PATHS drops catalogues cached before they existed."""
    from django.conf import settings

    call_command("compile_translations", verbosity=0)
    with override_settings(LOCALE_PATHS=list(settings.LOCALE_PATHS)):
        login("vptt.cantho")
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        yield client


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_pages_render_in_english(english):
    from pckb.directory.models import Committee

    home = visible_text(english.get("/").content.decode())
    for word in ("Sign out", "Steering committees in scope", "Audit log", "Provincial Standing Office"):
        assert word in home
    for word in ("Đăng xuất", "Trang chủ", "Nhật ký", "Văn phòng Thường trực tỉnh", "Xin chào"):
        assert word not in home

    page = english.get("/to-chuc/ban-chi-dao/").content.decode()
    assert '<html lang="en">' in page
    text = visible_text(page)
    assert re.search(r"<h1>\s*Steering [Cc]ommittees?\s*</h1>", page)
    for word in ("Filter", "Export CSV", "Standing agency", "result"):
        assert word in text
    for word in ("Lọc", "Xuất CSV", "Cơ quan thường trực", "kết quả", "Tìm kiếm"):
        assert word not in text

    committee = Committee.objects.filter(unit__path__startswith="/VN/92/").order_by("pk").first()
    text = visible_text(english.get(committee.get_absolute_url()).content.decode())
    for word in ("Members on", "Head", "Permanent Deputy Head", "Secretary", "Reconstitute", "Decision No."):
        assert word in text
    vietnamese = (
        "Danh sách thành viên tại ngày",
        "Trưởng ban",
        "Phó Trưởng ban thường trực",
        "Thư ký",
        "Kiện toàn",
    )
    for word in vietnamese:
        assert word not in text
