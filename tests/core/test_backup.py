"""A restore gives back identical data."""

import io

from django.core.management import call_command

from pckb.core.backup import BackupError, backup_create, backup_restore
from pckb.directory.models import Agency


def dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", "directory", "geo", "audit", "accounts", stdout=out, indent=None)
    return out.getvalue()


def test_backup_then_restore_gives_identical_data(transactional_db, tmp_path):
    from pckb.demo.services import demo_load

    demo_load(password="Demo-Pass-2026!", accounts_file=tmp_path / "a.txt")
    original = dump()
    target = backup_create(tmp_path / "backup.bin")
    assert target.stat().st_size > 0
    Agency.objects.filter(unit__code="P79").update(phone="0000")
    Agency.objects.create(name="Thêm sau khi sao lưu", kind="other", unit_id=Agency.objects.first().unit_id)
    assert dump() != original
    backup_restore(target)
    assert dump() == original


def test_restore_refuses_a_file_that_is_not_a_backup(transactional_db, tmp_path):
    bogus = tmp_path / "bogus.bin"
    bogus.write_bytes(b"not a database")
    count = Agency.objects.count()
    try:
        backup_restore(bogus)
    except BackupError as exc:
        assert str(bogus) in str(exc) or "pg_restore" in str(exc) or "không" in str(exc).lower()
    else:
        raise AssertionError("a bogus backup must be refused")
    assert Agency.objects.count() == count


def test_backup_includes_uploaded_files_and_restore_puts_them_back(transactional_db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    material = settings.MEDIA_ROOT / "tai-lieu" / "2026" / "bai-giang.pdf"
    material.parent.mkdir(parents=True)
    material.write_bytes(b"%PDF-1.7 bai giang chuyen de")
    target = backup_create(tmp_path / "backup.tar")
    material.write_bytes(b"overwritten")
    (settings.MEDIA_ROOT / "added-after-backup.txt").write_text("x")
    backup_restore(target)
    assert material.read_bytes() == b"%PDF-1.7 bai giang chuyen de"
    assert not (settings.MEDIA_ROOT / "added-after-backup.txt").exists()


def test_restore_refuses_an_archive_that_escapes_its_folder(transactional_db, tmp_path, settings):
    import json
    import tarfile

    settings.MEDIA_ROOT = tmp_path / "media"
    evil = tmp_path / "evil.tar"
    with tarfile.open(evil, "w") as archive:
        manifest = json.dumps({"format": "pckb-backup/1", "vendor": "sqlite", "database": "database.sqlite3"})
        for name, data in (("manifest.json", manifest.encode()), ("../../outside.txt", b"x")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    count = Agency.objects.count()
    try:
        backup_restore(evil)
    except BackupError:
        pass
    else:
        raise AssertionError("an archive with '..' must be refused")
    assert not (tmp_path.parent / "outside.txt").exists()
    assert Agency.objects.count() == count
