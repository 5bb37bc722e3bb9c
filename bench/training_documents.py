"""Training-document benchmark: a full-size conference report (20 agencies, 5 topics, 3 test rows, 20 gain
rows, 6 recommendations) as DOCX + PDF, and 100 certificates as one PDF.

    .venv/bin/python bench/training_documents.py            # 5 timed runs after one warm-up
    .venv/bin/python bench/training_documents.py --runs 9

Results go to ``bench/results/training_documents.json``. Target: report DOCX + PDF ≤ 3 s (p50).
All names are fictional (``pckb.training.documents.samples``)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_FILE = ROOT / "bench" / "results" / "training_documents.json"
TARGET_REPORT_S = 3.0
sys.path.insert(0, str(ROOT))


def timed(fn, runs: int, warmup: int = 1) -> tuple[list[float], object]:
    result = None
    for _ in range(warmup):
        result = fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return times, result


def pdf_pages(data: bytes) -> int | None:
    try:
        out = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    for line in out.decode().splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per case (after one warm-up)")
    parser.add_argument("--certificates", type=int, default=100)
    parser.add_argument("--out", type=Path, default=RESULTS_FILE)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pckb.settings")
    import django

    django.setup()
    logging.getLogger("weasyprint").setLevel(logging.WARNING)  # one INFO line per layout step otherwise
    import docx
    import weasyprint

    from pckb.training.documents import (
        certificates_pdf,
        conference_report_docx,
        conference_report_pdf,
    )
    from pckb.training.documents.samples import sample_certificates, sample_report

    report = sample_report(agencies=20, topics=5, tests=3, gain_rows=20, recommendations=6)
    certificates = sample_certificates(args.certificates)

    docx_times, docx_bytes = timed(lambda: conference_report_docx(report), args.runs)
    pdf_times, pdf_bytes = timed(lambda: conference_report_pdf(report), args.runs)
    both_times, _ = timed(lambda: (conference_report_docx(report), conference_report_pdf(report)), args.runs)
    cert_runs = max(1, min(args.runs, 3))
    cert_times, cert_bytes = timed(lambda: certificates_pdf(certificates), cert_runs)

    report_p50 = statistics.median(both_times)
    results = {
        "machine": {
            "python": platform.python_version(),
            "python_docx": getattr(docx, "__version__", ""),
            "weasyprint": weasyprint.__version__,
            "cpu": platform.processor(),
            "cpus": os.cpu_count(),
        },
        "runs": args.runs,
        "report": {
            "agencies": len(report.attendance),
            "topics": len(report.sessions),
            "test_rows": len(report.test_summary),
            "gain_rows": len(report.gain_by_agency) + len(report.gain_by_topic),
            "recommendations": len(report.recommendations),
            "docx_p50_s": statistics.median(docx_times),
            "pdf_p50_s": statistics.median(pdf_times),
            "docx_plus_pdf_p50_s": report_p50,
            "docx_plus_pdf_max_s": max(both_times),
            "docx_bytes": len(docx_bytes),
            "pdf_bytes": len(pdf_bytes),
            "pdf_pages": pdf_pages(pdf_bytes),
            "target_s": TARGET_REPORT_S,
            "meets_target": report_p50 <= TARGET_REPORT_S,
        },
        "certificates": {
            "count": len(certificates),
            "runs": cert_runs,
            "pdf_p50_s": statistics.median(cert_times),
            "per_certificate_ms": statistics.median(cert_times) / len(certificates) * 1000,
            "pdf_bytes": len(cert_bytes),
            "pdf_pages": pdf_pages(cert_bytes),
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    r, c = results["report"], results["certificates"]
    print(
        f"report ({r['agencies']} agencies, {r['pdf_pages']} PDF pages): DOCX p50 {r['docx_p50_s']:.3f} s, "
        f"PDF p50 {r['pdf_p50_s']:.3f} s, DOCX+PDF p50 {r['docx_plus_pdf_p50_s']:.3f} s "
        f"(target ≤ {TARGET_REPORT_S:g} s: {'met' if r['meets_target'] else 'MISSED'})"
    )
    print(
        f"certificates: {c['count']} in {c['pdf_p50_s']:.2f} s p50 ({c['per_certificate_ms']:.1f} ms each, "
        f"{c['pdf_pages']} pages, {c['pdf_bytes'] / 1024:.0f} KiB)"
    )
    print(f"written to {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0 if r["meets_target"] else 1


if __name__ == "__main__":
    sys.exit(main())
