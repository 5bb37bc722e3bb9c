import pytest


@pytest.fixture(autouse=True)
def anchor_file(settings, tmp_path):
    """Each test anchors into its own file: the test database is rolled back, a file would not be."""
    settings.PCKB_AUDIT_ANCHOR_FILE = tmp_path / "audit-anchors" / "anchors.jsonl"
    return settings.PCKB_AUDIT_ANCHOR_FILE
