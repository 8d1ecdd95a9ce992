"""Profiles behind the explanations in docs/performance.md, with pyinstrument.

`python -m bench.profile --scale 1500 summary` profiles the monthly summary of three camps;
`... export` the province-wide workbook;
`python -m bench.profile --scale 1500 page "class ranking"` profiles ten requests of a page
through the test client; `... saturday "check-in (trainee)"` ten actions of a kind of the
Saturday mix (bench/saturday.py: its reads, grid saves, check-ins, approvals), as the load sends
them, through the test client (the Saturday's sessions and leave are prepared first).
The text goes to docs/bench/profile-<what>-<scale>.txt (and stdout).
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


def profile_saturday(profiler, kind: str) -> None:
    import time

    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings

    from .saturday import MIX, SaturdayPlan
    from .saturday_actions import client_send
    from .saturday_data import saturday_prepare

    if kind not in MIX:
        raise SystemExit(f"kinds of the mix: {', '.join(MIX)}")
    saturday_prepare(sessions_per_day=2, leaves_per_camp=20)
    plan = SaturdayPlan.build(["B001"])
    plan.start_run()
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        send = client_send(Client())
        actions = []
        while len(actions) < 11 and plan.index < 10_000:
            action = plan.next()
            if action.kind == kind:
                actions.append(action)
        actions[0].run(send, time.perf_counter())  # warm
        profiler.start()
        for action in actions[1:]:
            action.run(send, time.perf_counter())
        profiler.stop()


class _CProfile:
    """pyinstrument's start/stop/output_text over the standard library's cProfile: the
    functions with the most cumulative time, when pyinstrument is not installed."""

    def __init__(self):
        import cProfile

        self.profile = cProfile.Profile()

    def start(self) -> None:
        self.profile.enable()

    def stop(self) -> None:
        self.profile.disable()

    def output_text(self, **_options) -> str:
        import io
        import pstats

        out = io.StringIO()
        pstats.Stats(self.profile, stream=out).sort_stats("cumulative").print_stats(45)
        return "cProfile (pyinstrument is not installed)\n" + out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, required=True)
    parser.add_argument("what", choices=("summary", "export", "page", "saturday"))
    parser.add_argument("label", nargs="?", default="class ranking")
    args = parser.parse_args()
    setup_django(args.scale)
    try:
        from pyinstrument import Profiler
    except ImportError:  # `make bench` installs it; a shared venv may not have it
        profiler = _CProfile()
    else:
        profiler = Profiler(interval=0.0005)
    if args.what == "summary":
        profile_summary(profiler)
        name = "summary"
    elif args.what == "export":
        profile_export(profiler)
        name = "export"
    elif args.what == "saturday":
        profile_saturday(profiler, args.label)
        name = "saturday-" + args.label.split(" (")[0].replace(" ", "-").replace(",", "")
    else:
        profile_page(profiler, args.label)
        name = args.label.replace(" ", "-").replace("'", "")
    text = profiler.output_text(unicode=False, color=False, show_all=False)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / f"profile-{name}-{args.scale}.txt").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
