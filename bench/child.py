"""One measured piece of work in a fresh process, so that its peak RSS is its own.

`python -m bench.child <what> --scale N --month 2026-12` prints one JSON line: seconds, the RSS
before the work (Django loaded, connected) and the peak RSS of the process.

what: summary (the app's job for every camp, in-process, one run per camp as the Celery task
does), summary-floor (the one SQL statement), export (the province-wide monthly workbook through
the app's machinery), export-kind (the real `monthly` kind, one workbook per camp),
export-floor (raw openpyxl write-only).
"""

from __future__ import annotations

import argparse
import datetime
import functools
import io
import json
import time

from .db import setup_django


def _status_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    return 0.0


def rss_mb() -> float:
    return _status_mb("VmRSS:")


def peak_rss_mb() -> float:
    """This process's own high-water mark. Not getrusage's ru_maxrss: Linux carries that over
    from the parent across fork and exec, so a child of a big parent reports the parent's."""
    return _status_mb("VmHWM:")


def run_summary(month: datetime.date) -> dict:
    from assessment.models import SummaryRun
    from assessment.services.summaries import summary_run_execute
    from camp.models import Camp

    camps = list(Camp.objects.order_by("code"))
    before = rss_mb()
    started = time.perf_counter()
    rows = 0
    for camp in camps:
        run = SummaryRun.objects.create(camp=camp, month=month)
        rows += summary_run_execute(run_id=run.pk)
    return {"seconds": time.perf_counter() - started, "rows": rows, "rss_before": before}


def run_summary_floor(month: datetime.date) -> dict:
    from camp.models import Camp

    from .floors import summary_floor

    before = rss_mb()
    seconds = summary_floor(camp_ids=list(Camp.objects.values_list("pk", flat=True)), month=month)
    return {"seconds": seconds, "rss_before": before}


def run_export(month: datetime.date) -> dict:
    from .exports import province_monthly_workbook

    before = rss_mb()
    started = time.perf_counter()
    workbook, rows, how = province_monthly_workbook(month)
    sink = io.BytesIO()
    workbook.save(sink)
    return {
        "seconds": time.perf_counter() - started,
        "rows": rows,
        "bytes": sink.tell(),
        "how": how,
        "rss_before": before,
    }


def run_export_kind(month: datetime.date) -> dict:
    from .exports import kind_per_camp

    before = rss_mb()
    started = time.perf_counter()
    workbooks, size = kind_per_camp(month)
    return {
        "seconds": time.perf_counter() - started,
        "workbooks": workbooks,
        "bytes": size,
        "rss_before": before,
    }


def run_export_floor(month: datetime.date) -> dict:
    from .floors import export_floor

    before = rss_mb()
    sink = io.BytesIO()
    seconds, rows = export_floor(month=month, sink=sink)
    return {"seconds": seconds, "rows": rows, "bytes": sink.tell(), "rss_before": before}


def run_writer(month: datetime.date, library: str) -> dict:
    """Issue 19 §4: the province-wide sheet's cells, with the app's formats, by one library."""
    from .exports import columns
    from .floors import export_floor_rows
    from .writers import WRITERS, decimal_columns_marked

    before = rss_mb()
    started = time.perf_counter()
    sheet_columns = decimal_columns_marked(columns())
    sink = io.BytesIO()
    rows = WRITERS[library](
        sink, f"{month.year}年{month.month}月全省月度小结", sheet_columns, export_floor_rows(month)
    )
    return {
        "seconds": time.perf_counter() - started,
        "rows": rows,
        "bytes": sink.tell() or len(sink.getvalue()),
        "rss_before": before,
    }


def run_readers(month: datetime.date) -> dict:
    """Issue 19 §4: openpyxl read-only against python-calamine on the importers' files."""
    from .readers import measure

    before = rss_mb()
    started = time.perf_counter()
    files = measure()
    return {"seconds": time.perf_counter() - started, "files": files, "rss_before": before}


WORK = {
    "summary": run_summary,
    "summary-floor": run_summary_floor,
    "export": run_export,
    "export-floor": run_export_floor,
    "export-kind": run_export_kind,
    "readers": run_readers,
    **{
        f"writer-{library}": functools.partial(run_writer, library=library)
        for library in ("sheetwriter", "openpyxl", "xlsxwriter", "rustpy")
    },
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=sorted(WORK))
    parser.add_argument("--scale", type=int, required=True)
    parser.add_argument("--month", default="2026-12")
    args = parser.parse_args()
    setup_django(args.scale)
    from django.db import connection

    connection.ensure_connection()
    month = datetime.datetime.strptime(args.month, "%Y-%m").date()  # noqa: DTZ007
    result = WORK[args.what](month)
    result["peak_rss"] = peak_rss_mb()
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
