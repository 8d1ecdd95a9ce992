"""Profiles behind the explanations in docs/performance.md, with pyinstrument.

`python -m bench.profile --scale 1500 summary` profiles the monthly summary of three camps;
`... export` the province-wide workbook;
`python -m bench.profile --scale 1500 page "class ranking"` profiles ten requests of a page
through the test client. The text goes to docs/bench/profile-<what>-<scale>.txt (and stdout).
Run it on a generated database (after `python -m bench.run --scale N`).
"""

from __future__ import annotations

import argparse
import datetime

from .db import setup_django
from .report import RESULTS_DIR

MONTH = datetime.date(2026, 12, 1)


def profile_summary(profiler) -> None:
    from assessment.models import SummaryRun
    from assessment.services.summaries import summary_run_execute
    from camp.models import Camp

    camps = list(Camp.objects.order_by("code")[:3])
    profiler.start()
    for camp in camps:
        run = SummaryRun.objects.create(camp=camp, month=MONTH)
        summary_run_execute(run_id=run.pk)
    profiler.stop()


def profile_export(profiler) -> None:
    import io

    from .exports import province_monthly_workbook

    profiler.start()
    workbook, _rows, _how = province_monthly_workbook(MONTH)
    workbook.save(io.BytesIO())
    profiler.stop()


def profile_page(profiler, label: str) -> None:
    from django.test import Client
    from django.test.utils import override_settings

    from .pages import PAGES, personas, resolve

    people = personas(MONTH)
    page = next(page for page in PAGES if page.label == label)
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        client = Client()
        client.force_login(getattr(people, page.who))
        url = resolve(page, people)
        client.get(url, page.query(people))
        profiler.start()
        for _ in range(10):
            client.get(url, page.query(people))
        profiler.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, required=True)
    parser.add_argument("what", choices=("summary", "export", "page"))
    parser.add_argument("label", nargs="?", default="class ranking")
    args = parser.parse_args()
    setup_django(args.scale)
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    if args.what == "summary":
        profile_summary(profiler)
        name = "summary"
    elif args.what == "export":
        profile_export(profiler)
        name = "export"
    else:
        profile_page(profiler, args.label)
        name = args.label.replace(" ", "-").replace("'", "")
    text = profiler.output_text(unicode=False, color=False, show_all=False)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / f"profile-{name}-{args.scale}.txt").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
