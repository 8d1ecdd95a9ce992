"""The Saturday mix's tables (issue 19 §1, §2), in bench/report.py's style."""

from __future__ import annotations

import statistics


def _ms(value) -> str:
    return "—" if value is None else f"{value:,.0f} ms"


def _kinds(run: dict) -> list[str]:
    lines = [
        "| request (as) | requests | p50 | p95 | p99 | errors | refused (stale) | "
        "refused (unplanned) | check-in outside its window |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for kind, row in run["per_kind"].items():
        lines.append(
            f"| {kind} | {row['requests']} | {_ms(row['p50'])} | {_ms(row['p95'])} | "
            f"{_ms(row['p99'])} | {row['error']} | {row['refused']} | {row['conflict']} | "
            f"{row['outside_window']} |"
        )
    return lines


def _verification(check: dict) -> list[str]:
    counts = check["problem_counts"]
    found = "; ".join(f"{part}: {n}" for part, n in counts.items())
    lines = [
        "",
        f"Verified against the database after the run: {check['writes']} writes, "
        f"{check['accepted']} accepted, {check['refused']} refused, "
        f"{check.get('unanswered', 0)} unanswered (checked only for not being applied twice); "
        f"problems found — {found} "
        f"(standings compared on {', '.join(check['standings_camps']) or 'no camp'}).",
    ]
    for part, problems in check["problems"].items():
        lines += [f"- {part}: {problem}" for problem in problems[:5]]
    return lines


def _runs(runs: list[dict] | None, *, cold: bool = False) -> list[str]:
    """Each run's figures and their medians (the tables after this stand for the median run)."""
    if not runs or len(runs) < 2:
        return []
    first = "first minute p95 | " if cold else "saturation | "
    lines = [
        "",
        f"{len(runs)} runs, each in a fresh gunicorn"
        + (" after the cache was flushed" if cold else "")
        + "; the tables below are the run with the median p95.",
        "",
        f"| run | {first}rate | requests | p50 | p95 | p99 | errors | refused (stale) | "
        "problems found |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]

    def row(label, values):
        return f"| {label} | " + " | ".join(values) + " |"

    for index, run in enumerate(runs, 1):
        lead = _ms(run["first_p95"]) if cold else f"{run['saturation'] or 0:g}/s"
        lines.append(
            row(
                str(index),
                [
                    lead,
                    f"{run['rate']:g}/s",
                    str(run["requests"]),
                    _ms(run["p50"]),
                    _ms(run["p95"]),
                    _ms(run["p99"]),
                    str(run["error"]),
                    str(run["refused"]),
                    str(run["problems"]),
                ],
            )
        )
    lead_values = [r["first_p95"] if cold else r["saturation"] or 0 for r in runs]
    lead = _ms(_median(lead_values)) if cold else f"{_median(lead_values):g}/s"
    lines.append(
        row(
            "**median**",
            [
                f"**{lead}**",
                "",
                "",
                _ms(_median([r["p50"] for r in runs])),
                f"**{_ms(_median([r['p95'] for r in runs]))}**",
                _ms(_median([r["p99"] for r in runs])),
                f"{_median([r['error'] for r in runs]):g}",
                "",
                str(max(r["problems"] for r in runs)) + " (most)",
            ],
        )
    )
    return lines


def _median(values):
    return statistics.median(values)


def saturday_lines(result: dict) -> list[str]:
    lines: list[str] = []
    sat = result.get("saturday")
    if sat:
        target = sat["target"]
        lines += [
            "",
            f"The Saturday mix, every one of the {sat['camps']} camps in turn, gunicorn "
            f"with {sat['gunicorn_workers']} sync workers sharing one Redis cache.",
        ]
        lines += _runs(sat.get("runs"))
        if sat.get("steps"):
            lines += [
                "",
                "Saturation (open loop, short runs, the rate stepped until p95 > 150 ms or an "
                f"error): **{sat['saturation']:g} actions/s**"
                + (
                    " (the median of the runs; the steps are the median run's)."
                    if sat.get("runs")
                    else "."
                ),
                "",
                "| rate | requests | p50 | p95 | p99 | errors | late starts |",
                "|---|---|---|---|---|---|---|",
            ]
            for step in sat["steps"]:
                lines.append(
                    f"| {step['rate']:g}/s | {step['requests']} | {_ms(step['p50'])} | "
                    f"{_ms(step['p95'])} | {_ms(step['p99'])} | {step['error']} | "
                    f"{step['late_starts']} |"
                )
        lines += [
            "",
            f"Target run: {target['rate']:g} actions/s for {target['seconds']:g} s "
            f"({target['requests']} requests): p50 {_ms(target['p50'])}, p95 "
            f"{_ms(target['p95'])}, p99 {_ms(target['p99'])}, {target['error']} errors, "
            f"{target['refused']} stale writes refused, {target['conflict']} unplanned "
            f"refusals, {target['outside_window']} check-ins outside their window.",
            "",
            *_kinds(target),
            *_verification(sat["verification"]),
        ]
    cold = result.get("cold")
    if cold:
        run = cold["run"]
        first = run["first"]
        lines += _runs(cold.get("runs"), cold=True)
        lines += [
            "",
            f"Cold start: the shared cache flushed and gunicorn started again, then the "
            f"Saturday mix at {cold['rate']:g} actions/s over all {cold['camps']} camps for "
            f"{run['seconds']:g} s: **first minute p95 {_ms(first['p95'])}** "
            f"({first['requests']} requests, p99 {_ms(first['p99'])}); the whole run p95 "
            f"{_ms(run['p95'])}, {run['error']} errors.",
            "",
            *_kinds(run),
            *_verification(run["verification"]),
        ]
    return lines
