"""`--parts saturday` and `--parts cold` of `python -m bench.run` (issue 19 §1 and §2).

saturday: warm up (5 then 10 actions/s), find the saturation point (the highest open-loop rate whose
p95 stays ≤ 150 ms without errors, stepping the rate in short runs), then run the target rate,
max(50, 70 % of the saturation point) unless `--saturday-rate` names one, for
`--saturday-seconds`, and verify every write against the database.
cold: empty every cache (the shared Redis cache database is flushed and gunicorn is started
again, so no process keeps anything), then the same mix at the same rate with every camp in it
from the first second; the first minute's p95 is reported apart.
"""

from __future__ import annotations

import math
import statistics
import time
from functools import partial

from .load import Gunicorn
from .saturday import MIX, SaturdayPlan, http_send, run_mix, summarize
from .saturday_verify import verify

P95_LIMIT = 150.0
WARM_UP = ((5, 15), (10, 15))  # (actions/s, seconds)
COLD_FIRST = 60.0


def add_arguments(parser) -> None:
    group = parser.add_argument_group("the Saturday mix (--parts saturday,cold)")
    group.add_argument("--saturday-seconds", type=float, default=300)
    group.add_argument("--saturday-rate", type=float, default=0, help="skip the search: this rate")
    group.add_argument("--saturation-start", type=float, default=20)
    group.add_argument("--saturation-step", type=float, default=10)
    group.add_argument("--saturation-max", type=float, default=200)
    group.add_argument("--saturation-seconds", type=float, default=20)
    group.add_argument("--cold-seconds", type=float, default=120)
    group.add_argument(
        "--saturday-runs",
        type=int,
        default=3,
        help="how many times to run each (search, target run, cold start): medians reported",
    )


def _prepare(codes: list[str], actions: float) -> dict:
    """Sessions and pending leaves enough for `actions` actions of the mix."""
    from .saturday_data import saturday_prepare

    share = sum(MIX.values())
    per_camp = actions / max(1, len(codes)) / share
    return saturday_prepare(
        # About 130 of a camp's 150 check in, once per session. Four sessions a day at most, as
        # a real schedule: at 150 and 1,500 a long run's later check-ins are repeats (counted
        # apart; the app writes nothing for them). Leave beyond 200 a camp: the action reads.
        sessions_per_day=min(4, max(2, math.ceil(per_camp * MIX["check-in (trainee)"] / 130))),
        leaves_per_camp=min(200, max(10, math.ceil(per_camp * MIX["leave approval (staff)"]))),
    )


def _brief(run: dict) -> dict:
    return {key: value for key, value in run.items() if key != "records"}


def _median_run(runs: list[dict], p95) -> dict:
    """The run whose p95 is the median (the lower middle of an even number): its tables stand
    for the scale, the others are listed beside it."""
    ordered = sorted(runs, key=p95)
    return ordered[(len(ordered) - 1) // 2]


def _summary(run: dict, target: dict) -> dict:
    check = run["verification"]
    return {
        "saturation": run.get("saturation"),
        "rate": target["rate"],
        **_pick(target),
        "refused": target["refused"],
        "first_p95": target.get("first", {}).get("p95"),
        "problems": sum(check["problem_counts"].values()),
        "writes": check["writes"],
    }


def saturday(scale: int, args, codes: list[str], log) -> dict:
    """`--saturday-runs` runs of the search and the target run, each in a fresh gunicorn."""
    runs = []
    for index in range(max(1, args.saturday_runs)):
        log(f"Saturday run {index + 1} of {args.saturday_runs}")
        runs.append(_saturday_once(scale, args, codes, log))
    out = dict(_median_run(runs, lambda run: run["target"]["p95"]))
    out["runs"] = [_summary(run, run["target"]) for run in runs]
    saturations = [run["saturation"] for run in runs if "saturation" in run]
    if saturations:
        out["saturation"] = statistics.median(saturations)
    return out


def _saturday_once(scale: int, args, codes: list[str], log) -> dict:
    steps = math.floor((args.saturation_max - args.saturation_start) / args.saturation_step) + 1
    budget = sum(rate * seconds for rate, seconds in WARM_UP) + (
        0 if args.saturday_rate else args.saturation_max * args.saturation_seconds * steps
    )
    budget += (args.saturday_rate or args.saturation_max) * args.saturday_seconds
    log(f"Saturday: preparing sessions and leave for about {budget:,.0f} actions")
    added = _prepare(codes, budget)
    plan = SaturdayPlan.build(codes)
    records: list[dict] = []
    out: dict = {"camps": len(codes), "prepared": added, "gunicorn_workers": args.gunicorn_workers}
    with Gunicorn(scale, args.gunicorn_workers) as server:
        # A fresh gunicorn's workers import, compile templates and connect on their first
        # requests: a ramp before anything is measured.
        for warm_rate, warm_seconds in WARM_UP:
            warm = run_mix(server.port, plan, rate=warm_rate, seconds=warm_seconds)
            records += warm.pop("records")
        time.sleep(5)
        rate = args.saturday_rate
        if not rate:
            out["steps"] = []
            best = 0.0
            step = args.saturation_start
            while step <= args.saturation_max:
                run = run_mix(server.port, plan, rate=step, seconds=args.saturation_seconds)
                records += run.pop("records")
                log(f"saturation step {step:g}/s: p95 {run['p95']:.0f} ms, errors {run['error']}")
                out["steps"].append({"rate": step, **_pick(run)})
                _quiet(server.port, plan.staff, run, limit=120)
                if run["p95"] > P95_LIMIT or run["error"]:
                    break
                best = step
                step += args.saturation_step
                time.sleep(4)
            out["saturation"] = best
            rate = max(50.0, 0.7 * best)
            time.sleep(4)
        log(f"Saturday target: {rate:g}/s for {args.saturday_seconds:g} s")
        target = run_mix(server.port, plan, rate=rate, seconds=args.saturday_seconds)
        records += target.pop("records")
        out["target"] = target
        log(f"target: p95 {target['p95']:.0f} ms, p99 {target['p99']:.0f} ms")
        _quiet(server.port, plan.staff, target)
        written = _written_camps(plan, records)
        out["verification"] = verify(
            records, send=partial(http_send, server.port), staff=plan.staff, camps=written[:3]
        )
    out["rate"] = rate
    return out


def _written_camps(plan: SaturdayPlan, records: list[dict]):
    camps = {
        r["intent"].get("camp") for r in records if "intent" in r and r["status"] == "accepted"
    }
    return [camp for camp in plan.camps if camp.pk in camps] or plan.camps[:1]


def _quiet(port: int, staff: str, run: dict, limit: float = 300) -> None:
    """Requests the client gave up on still run in gunicorn, and a backlog of them may wait in
    its listen queue: the database and the pages are compared with what the client saw once
    the server answers a page within a second again (or after `limit` seconds)."""
    time.sleep(1)
    if not run["error"]:
        return
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            http_send(port, "GET", "/login/", staff)
        except OSError:
            continue
        if time.monotonic() - started < 1:
            return
        time.sleep(2)


def _pick(run: dict) -> dict:
    keep = ("requests", "p50", "p95", "p99", "error", "refused", "late_starts")
    return {key: run[key] for key in keep}


def cold(scale: int, args, codes: list[str], rate: float, log) -> dict:
    """`--saturday-runs` cold starts, each after a flush and a fresh gunicorn."""
    runs = []
    for index in range(max(1, args.saturday_runs)):
        log(f"cold start {index + 1} of {args.saturday_runs}")
        runs.append(_cold_once(scale, args, codes, rate, log))
    out = dict(_median_run(runs, lambda run: run["run"]["first"]["p95"]))
    out["runs"] = [_summary(run["run"], run["run"]) for run in runs]
    return out


def _cold_once(scale: int, args, codes: list[str], rate: float, log) -> dict:
    added = _prepare(codes, 50 + rate * args.cold_seconds)
    plan = SaturdayPlan.build(codes)
    log(f"cold start: caches emptied, gunicorn started, {rate:g}/s for {args.cold_seconds:g} s")
    # Gunicorn empties the shared cache database before it starts its fresh workers.
    with Gunicorn(scale, args.gunicorn_workers) as server:
        run = run_mix(server.port, plan, rate=rate, seconds=args.cold_seconds)
        records = run.pop("records")
        run["first"] = summarize(records, first_seconds=COLD_FIRST)["first"]
        log(f"cold: first minute p95 {run['first']['p95']:.0f} ms, all {run['p95']:.0f} ms")
        _quiet(server.port, plan.staff, run)
        run["verification"] = verify(
            records,
            send=partial(http_send, server.port),
            staff=plan.staff,
            camps=_written_camps(plan, records)[:3],
        )
    return {"rate": rate, "camps": len(codes), "prepared": added, "run": _brief(run)}
