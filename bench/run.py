"""`python -m bench.run --scale N`: generate, measure, print the table, update the doc.

Every figure is the median of several runs (`--runs`, default 3; pages 5). Each scale's results
are kept as JSON in docs/bench/<scale>.json and docs/performance.md's generated block is
rebuilt from all the scales measured so far, so the three scales can be run at different times.
"""

from __future__ import annotations

import argparse
import datetime
import json
import statistics
import subprocess
import sys
import time

from .db import ROOT, bench_environment, recreate_database, setup_django
from .report import RESULTS_DIR, machine, render_table, update_doc
from .saturday_run import add_arguments as saturday_arguments

MONTH = datetime.date(2026, 12, 1)


def child(what: str, scale: int, runs: int) -> dict:
    """Median seconds and the largest peak RSS over `runs` fresh processes."""
    results = []
    for _ in range(runs):
        output = subprocess.run(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "bench.child", what, "--scale", str(scale)],
            cwd=ROOT,
            env=bench_environment(scale),
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        results.append(json.loads(output.strip().splitlines()[-1]))
    summary = dict(results[-1])
    summary["seconds"] = statistics.median(r["seconds"] for r in results)
    summary["runs"] = [round(r["seconds"], 3) for r in results]
    summary["peak_rss"] = max(r["peak_rss"] for r in results)
    summary["rss_before"] = max(r["rss_before"] for r in results)
    return summary


def scaleout(scale: int, workers: int) -> dict:
    output = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "bench.scaleout", "--scale", str(scale), "--workers", str(workers)],
        cwd=ROOT,
        env=bench_environment(scale),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S', time.gmtime())}] {message}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=150)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="keep the generated database")
    parser.add_argument("--load-seconds", type=float, default=60)
    parser.add_argument("--load-rate", type=float, default=50)
    parser.add_argument("--load-runs", type=int, default=3)
    parser.add_argument("--gunicorn-workers", type=int, default=4)
    parser.add_argument(
        "--load-camps",
        type=int,
        default=0,
        help="how many camps' pages the load spreads over (default: every camp)",
    )
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument(
        "--parts",
        default="summary,export,writers,readers,pages,load,scaleout",
        help="what to measure (also: saturday, cold); with --reuse the other parts keep their "
        "last results",
    )
    saturday_arguments(parser)
    parser.add_argument(
        "--scaleout", choices=("auto", "yes", "no"), default="auto", help="auto: at 10,000"
    )
    args = parser.parse_args()
    scale = args.scale
    parts = set(args.parts.split(","))
    if args.skip_load:
        parts.discard("load")
    result: dict = {"scale": scale, "machine": machine(), "month": f"{MONTH:%Y-%m}"}
    previous = RESULTS_DIR / f"{scale}.json"
    if args.reuse and previous.exists():
        kept = json.loads(previous.read_text())
        result = {**kept, "machine": result["machine"]}
        result.setdefault("measured_at", {})
    result["machine"]["started"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")

    if not args.reuse:
        log(f"creating camp_bench_{scale}")
        started = time.perf_counter()
        recreate_database(scale)
        result["create_seconds"] = time.perf_counter() - started
    setup_django(scale)
    if not args.reuse:
        from .generate import generate

        log("generating")
        generated = generate(scale=scale)
        result["generated"] = {
            "camps": generated.camps,
            "seconds": generated.seconds,
            "phases": {phase: round(seconds, 2) for phase, seconds in generated.phases.items()},
            "load_average": machine()["load_average"],
            **generated.counts,
        }
        log(f"generated {generated.counts} in {generated.seconds:.1f} s: {generated.phases}")
    elif "generated" not in result:
        result["generated"] = _counts()

    from . import floors

    stamps = result.setdefault("measured_at", {})

    def stamp(part: str) -> None:
        stamps[part] = (
            machine()["load_average"],
            datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M"),
        )

    if "summary" in parts:
        floors.prepare_scratch_tables()
        log("monthly summary: app")
        result["summary"] = child("summary", scale, args.runs)
        log("monthly summary: floor")
        result["summary_floor"] = child("summary-floor", scale, args.runs)
        result["summary_mismatches"] = floors.summary_mismatches(MONTH)
        log(f"summary mismatches app vs floor: {result['summary_mismatches']}")
        stamp("summary")
    if "export" in parts:
        log("export: app")
        result["export"] = child("export", scale, args.runs)
        log("export: the monthly kind, camp by camp")
        result["export_kind"] = child("export-kind", scale, args.runs)
        log("export: floor")
        result["export_floor"] = child("export-floor", scale, args.runs)
        stamp("export")
    if "writers" in parts:
        result["writers"] = {}
        for library in ("sheetwriter", "openpyxl", "xlsxwriter", "rustpy"):
            log(f"writers: {library}")
            result["writers"][library] = child(f"writer-{library}", scale, args.runs)
        stamp("writers")
    if "readers" in parts:
        log("readers: openpyxl read-only and python-calamine")
        result["readers"] = child("readers", scale, 1)
        stamp("readers")

    if "pages" in parts:
        from .pages import measure_pages

        log("pages")
        result["pages"] = measure_pages(MONTH, runs=5)
        stamp("pages")

    if "load" in parts:
        # The rate is 50/s; another rate (to find where it stops coping) is kept apart.
        key = "load" if args.load_rate == 50 else f"load_at_{args.load_rate:g}"
        result[key] = _load(scale, args)
        stamp(key)

    if "saturday" in parts or "cold" in parts:
        from camp.models import Camp

        from . import saturday_run

        codes = list(Camp.objects.order_by("code").values_list("code", flat=True))
        codes = codes[: args.load_camps] if args.load_camps else codes
        if "saturday" in parts:
            result["saturday"] = saturday_run.saturday(scale, args, codes, log)
            stamp("saturday")
        if "cold" in parts:
            rate = args.saturday_rate or result.get("saturday", {}).get("rate", 50.0)
            result["cold"] = saturday_run.cold(scale, args, codes, rate, log)
            stamp("cold")

    wants_scaleout = args.scaleout == "yes" or (args.scaleout == "auto" and scale >= 10_000)
    if "scaleout" in parts and wants_scaleout:
        log("scale-out: one worker")
        one = scaleout(scale, 1)
        log("scale-out: two workers")
        two = scaleout(scale, 2)
        result["scaleout"] = {"one": one, "two": two}
        stamp("scaleout")

    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / f"{scale}.json").write_text(json.dumps(result, indent=1, default=str) + "\n")
    print(render_table(result))
    update_doc()
    log("docs/performance.md updated")


def _counts() -> dict:
    from assessment.models import ScoreEntry
    from camp.models import Camp
    from curriculum.models import Attendance
    from trainees.models import Trainee

    return {
        "camps": Camp.objects.count(),
        "trainees": Trainee.objects.count(),
        "attendance": Attendance.objects.count(),
        "score_entries": ScoreEntry.objects.count(),
    }


def _load(scale: int, args) -> dict:
    from camp.models import Camp

    from .load import Gunicorn, load_targets, run_load
    from .pages import personas

    codes = list(Camp.objects.order_by("code").values_list("code", flat=True))
    codes = codes[: args.load_camps] if args.load_camps else codes
    targets = load_targets([personas(MONTH, code) for code in codes])
    runs = []
    with Gunicorn(scale, args.gunicorn_workers) as server:
        # Warm every worker (templates, connections) at a rate they keep up with: a warm-up
        # at full rate would leave a backlog of abandoned requests for the first run.
        run_load(server.port, targets, rate=min(args.load_rate, 5), seconds=10)
        time.sleep(5)
        for index in range(args.load_runs):
            log(f"load run {index + 1}: {args.load_rate:g}/s for {args.load_seconds:g} s")
            runs.append(
                run_load(server.port, targets, rate=args.load_rate, seconds=args.load_seconds)
            )
    median = {
        key: statistics.median(run[key] for run in runs)
        for key in ("throughput", "p50", "p95", "p99", "errors", "late_starts")
    }
    return {
        "rate": args.load_rate,
        "seconds": args.load_seconds,
        "gunicorn_workers": args.gunicorn_workers,
        "cache": server.cache_url,
        # The distinct pages, in the order of the mix; every camp's in turn.
        "targets": list(dict.fromkeys(target.label for target in targets)),
        "camps": len(codes),
        "median": median,
        "runs": runs,
    }


if __name__ == "__main__":
    main()
