"""Reading the mark of secrecy of a printed document: in the DOCX, the header's left column (issuer, number
line, a công văn's "V/v …", then the mark); in the PDF, the text under the number line (pdftotext)."""

from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path

from docx import Document

MARKS = ("MẬT", "TỐI MẬT")


def header_left_columns(content: bytes) -> list[list[str]]:
    """The non-empty lines of the left column of every NĐ30 header table (one per sheet), top to bottom."""
    doc = Document(io.BytesIO(content))
    columns = []
    for table in doc.tables:
        if "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in table.rows[0].cells[-1].text:
            continue
        columns.append([p.text for row in table.rows for p in row.cells[0].paragraphs if p.text.strip()])
    return columns


def docx_marks(content: bytes) -> list[str]:
    """For each header, the mark printed below its number line ("" when there is none). Fails when a header
    has a mark above its number line."""
    out = []
    for lines in header_left_columns(content):
        number = next(k for k, line in enumerate(lines) if line.startswith("Số"))
        assert not any(line in MARKS for line in lines[:number]), lines
        out.append(next((line for line in lines[number + 1 :] if line in MARKS), ""))
    return out


def pdf_marks(content: bytes) -> list[str]:
    """For each page, the mark on a line of its own below the number line ("" when there is none)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "document.pdf"
        path.write_bytes(content)
        text = subprocess.run(
            ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout
    out = []
    for page in text.split("\f"):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        number = next((k for k, line in enumerate(lines) if line.startswith("Số")), None)
        if number is None:
            continue
        below = lines[number + 1 : number + 3]
        out.append(next((line for line in below if line in MARKS), ""))
    return out
