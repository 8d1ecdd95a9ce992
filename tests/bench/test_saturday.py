"""Issue 19 §1: the Saturday mix's own checks. The verification finds a lost write, a doubled
write and a refused write that left something; the deliberately stale writes are refused by the
app and counted as refusals, not errors; and the mix runs end to end at 8 trainees through
Django's test client (real sessions, real CSRF checks), every write verified afterwards."""

import time

import pytest
from django.test import Client

from bench import saturday
from bench.generate import generate
from bench.saturday_actions import LeaveApproval, check_in_outcome, client_send
from bench.saturday_data import saturday_prepare
from bench.saturday_verify import (
    check_check_ins,
    check_grids,
    check_leaves,
    check_standings,
    ranking_totals,
    verify,
)


def grid_write(token, status, values, *, group=1, item=3, day="2026-12-03"):
    intent = {"token": token, "group": group, "item": item, "day": day, "values": values}
    return {"kind": "grid save, month item (counselor)", "status": status, "intent": intent}


def test_the_grid_check_passes_writes_that_are_there_once():
    records = [grid_write("t1", "accepted", {10: "8.0", 11: "7.5"})]
    history = {"t1": {10: 1, 11: 1}}
    current = {"t1": {10: "8.0", 11: "7.5"}}
    assert check_grids(records, history, current) == []


def test_the_grid_check_finds_a_lost_and_a_doubled_write():
    records = [grid_write("t1", "accepted", {10: "8.0", 11: "7.5"})]
    problems = check_grids(records, {"t1": {11: 2}}, {"t1": {11: "7.5"}})
    assert any(p.startswith("lost: t1 trainee 10") for p in problems)
    assert any(p.startswith("doubled (2×): t1 trainee 11") for p in problems)
    # The cell holds another value than the last accepted save wrote.
    problems = check_grids(records, {"t1": {10: 1, 11: 1}}, {"t1": {10: "8.0", 11: "6.0"}})
    assert problems == ["not what the last save wrote: t1 11"]
    # A save that got no answer (a timeout) may have been applied, but never twice.
    unanswered = [grid_write("t3", "error", {10: "8.0"})]
    assert check_grids(unanswered, {"t3": {10: 1}}, {}) == []
    assert check_grids(unanswered, {"t3": {10: 2}}, {}) == ["doubled (2×): t3 trainee 10"]


def test_the_grid_check_finds_a_refused_write_that_left_something():
    records = [grid_write("t2", "refused", {10: "8.0"})]
    assert check_grids(records, {}, {}) == []
    assert check_grids(records, {"t2": {10: 1}}, {}) == ["refused but left 1 rows: t2"]


def test_the_check_in_and_leave_checks_find_lost_doubled_and_leftover_writes():
    def check_in(status, session, trainee):
        intent = {"session": session, "trainee": trainee, "stale": False}
        return {"kind": "check-in (trainee)", "status": status, "intent": intent}

    records = [check_in("accepted", 1, 10), check_in("accepted", 1, 11), check_in("refused", 1, 12)]
    rows = {(1, 10): (1, "check_in"), (1, 11): (2, "check_in"), (1, 12): (1, "check_in")}
    problems = check_check_ins(records, rows)
    assert problems == [
        "check-in (1, 11): 2 writes, source check_in",
        "refused check-in (1, 12) left a row (check_in)",
    ]
    assert check_check_ins([check_in("accepted", 2, 10)], {}) == [
        "check-in (2, 10): 0 writes, source None"
    ]

    def approval(status, leave, sent="2026-12-03T10:00:00+00:00"):
        intent = {"leave": leave, "stale": status == "refused", "sent": sent}
        return {"kind": "leave approval (staff)", "status": status, "intent": intent}

    leaves = {
        1: ("approved", 1, "2026-12-03T09:00:00+00:00"),
        2: ("pending", 0, None),
        3: ("approved", 1, "2026-12-03T11:00:00+00:00"),
    }
    records = [approval("accepted", 1), approval("accepted", 2), approval("refused", 3)]
    assert check_leaves(records, leaves) == [
        "leave 2: pending, 0 approvals",
        "refused approval of leave 3 changed it",
    ]


def test_the_standings_check_reads_the_ranking_table():
    page = (
        '<table data-testid="ranking"><tbody><tr><td>1</td><td>'
        '<a href="/scores/trainees/7/">王伟</a></td><td>一组</td><td>1</td><td>70.0</td>'
        '<td>80.0</td><td>50.0</td><td class="text-end">200.5</td><td>255.0</td></tr>'
        "</tbody></table>"
    )
    shown = ranking_totals(page)
    assert shown == {7: "200.5"}
    assert check_standings(shown, {7: "200.5", 8: "1.0"}) == []
    assert check_standings(shown, {7: "200.0"}) == ["trainee 7: page 200.5, floor 200.0"]


def test_the_check_in_page_outcomes_are_told_apart():
    error = '<div data-check-in="error">%s</div>'
    assert check_in_outcome(error % "签到码已过期：…", stale=True) == "refused"
    assert check_in_outcome(error % "签到码已过期：…", stale=False) == "conflict"
    assert check_in_outcome(error % "本节课已结束，签到已关闭。", stale=False) == ("outside_window")
    assert check_in_outcome('<div data-check-in="done">签到成功：出勤</div>', False) == ("accepted")


# End to end at 8 trainees ------------------------------------------------------------------


@pytest.fixture
def saturday_camp(db, settings):
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    generate(scale=8, seed=5)
    saturday_prepare(sessions_per_day=2, leaves_per_camp=4)
    return saturday.SaturdayPlan.build(["B001"])


def test_the_mix_runs_and_every_write_is_verified(saturday_camp, monkeypatch):
    # One write in six is stale here (one in a hundred in the bench), so each kind gets some.
    monkeypatch.setattr(saturday, "STALE_EVERY", 6)
    plan = saturday_camp
    plan.start_run()
    send = client_send(Client(enforce_csrf_checks=True))
    records = []
    for _ in range(100):
        for row in plan.next().run(send, time.perf_counter()):
            records.append({**row, "at": 0.0})
    summary = saturday.summarize(records)
    assert summary["error"] == 0, summary["error_kinds"]
    writes = [r for r in records if "intent" in r]
    kinds = {r["kind"] for r in writes}
    assert kinds == set(saturday.WRITES)
    stale = [r for r in writes if r["intent"]["stale"]]
    assert stale
    assert all(r["status"] == "refused" for r in stale)
    assert {r["kind"] for r in stale} >= {"check-in (trainee)", "grid save, day item (staff)"}
    fresh = [r for r in writes if not r["intent"]["stale"]]
    assert all(r["status"] == "accepted" for r in fresh), [
        r for r in fresh if r["status"] != "accepted"
    ]
    assert summary["refused"] == len(stale)
    # A second approval of a leave already approved: refused, and counted so.
    again = LeaveApproval(
        "leave approval (staff)", plan.staff, plan.camps[0].approved[0], True, "x"
    )
    records += [{**row, "at": 0.0} for row in again.run(send, time.perf_counter())]
    assert records[-1]["status"] == "refused"
    checked = verify(records)
    assert checked["problem_counts"] == {
        "grid saves": 0,
        "check-ins": 0,
        "leave approvals": 0,
        "standings": 0,
    }, checked["problems"]
    assert checked["accepted"] == len(fresh)
    assert checked["refused"] == len(stale) + 1


def test_the_report_shows_the_saturation_the_target_and_the_cold_start():
    from bench.saturday_report import saturday_lines

    kind = {"requests": 10, "p50": 20.0, "p95": 90.0, "p99": 120.0, "error": 0, "refused": 1}
    kind |= {"conflict": 0, "outside_window": 0}
    run = {"rate": 50.0, "seconds": 300.0, "requests": 10, "p50": 20.0, "p95": 90.0}
    run |= {"p99": 120.0, "error": 0, "refused": 1, "conflict": 0, "outside_window": 0}
    run |= {"per_kind": {"check-in (trainee)": kind}}
    check = {"writes": 2, "accepted": 1, "refused": 1, "unanswered": 0, "standings_camps": []}
    check |= {"problems": {"grid saves": []}, "problem_counts": {"grid saves": 0}}
    step = {"rate": 20.0, "requests": 400, "p50": 20.0, "p95": 80.0, "p99": 100.0}
    step |= {"error": 0, "late_starts": 0}
    result = {
        "saturday": {
            "camps": 1,
            "gunicorn_workers": 4,
            "steps": [step],
            "saturation": 20.0,
            "target": run,
            "verification": check,
        },
        "cold": {
            "rate": 50.0,
            "camps": 1,
            "run": {
                **run,
                "first": {"requests": 5, "p95": 200.0, "p99": 250.0},
                "verification": check,
            },
        },
    }
    text = "\n".join(saturday_lines(result))
    assert "**20 actions/s**" in text
    assert "| check-in (trainee) | 10 | 20 ms | 90 ms | 120 ms | 0 | 1 | 0 | 0 |" in text
    assert "**first minute p95 200 ms**" in text


def test_several_runs_report_each_run_and_their_medians():
    from bench.saturday_report import saturday_lines
    from bench.saturday_run import _median_run

    runs = [{"target": {"p95": p95}} for p95 in (300.0, 100.0, 200.0)]
    assert _median_run(runs, lambda run: run["target"]["p95"]) == {"target": {"p95": 200.0}}
    assert _median_run(runs[:2], lambda run: run["target"]["p95"]) == {"target": {"p95": 100.0}}

    def brief(saturation, p95, first=None):
        return {
            "saturation": saturation,
            "rate": 50.0,
            "requests": 100,
            "p50": 10.0,
            "p95": p95,
            "p99": p95 * 2,
            "error": 0,
            "refused": 1,
            "late_starts": 0,
            "first_p95": first,
            "problems": 0,
            "writes": 20,
        }

    kind = {"requests": 10, "p50": 20.0, "p95": 90.0, "p99": 120.0, "error": 0, "refused": 1}
    kind |= {"conflict": 0, "outside_window": 0}
    run = {"rate": 50.0, "seconds": 300.0, "requests": 10, "p50": 20.0, "p95": 90.0}
    run |= {"p99": 120.0, "error": 0, "refused": 1, "conflict": 0, "outside_window": 0}
    run |= {"per_kind": {"check-in (trainee)": kind}}
    check = {"writes": 2, "accepted": 1, "refused": 1, "unanswered": 0, "standings_camps": []}
    check |= {"problems": {"grid saves": []}, "problem_counts": {"grid saves": 0}}
    result = {
        "saturday": {
            "camps": 1,
            "gunicorn_workers": 4,
            "saturation": 30.0,
            "target": run,
            "verification": check,
            "runs": [brief(20.0, 90.0), brief(30.0, 120.0), brief(40.0, 80.0)],
        },
        "cold": {
            "rate": 50.0,
            "camps": 1,
            "run": {**run, "first": {"requests": 5, "p95": 200.0, "p99": 250.0}},
            "runs": [brief(None, 90.0, 250.0), brief(None, 90.0, 150.0)],
        },
    }
    result["cold"]["run"]["verification"] = check
    text = "\n".join(saturday_lines(result))
    assert "| 2 | 30/s | 50/s | 100 | 10 ms | 120 ms | 240 ms | 0 | 1 | 0 |" in text
    assert "| **median** | **30/s** |  |  | 10 ms | **90 ms** | 180 ms | 0 |  | 0 (most) |" in text
    assert "| **median** | **200 ms** |" in text
