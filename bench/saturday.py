"""The Saturday mix (issue 19 §1): a training Saturday replayed across every camp, writes and
reads together, through gunicorn with real sessions and CSRF.

Every action is due at start + i / rate (open loop, as bench/load.py; latency counts from the
due time, a request that waited 10 s in the client's queue is dropped as an error). The mix, per
100 actions (`MIX`): 80 reads (a trainee's scores and schedule, the counselor's group
dashboard, the class ranking and the roster, as their users) and 20 writes:
- staff save a group's grid of one of the day's items (`STAFF_DAY_ITEMS`) for today;
- a counselor saves their group's grid of one of the month's items (`COUNSELOR_MONTH_ITEMS`);
- a trainee checks in to one of today's open sessions with the code the projector shows now;
- staff approve a pending leave.
A grid save is the page's GET (recorded as a read of its own kind) and then its POST, whose
latency counts from the end of the GET: the user saves right after the page opened. Every 100th
write is deliberately stale: a grid sent with an old version of one cell, a check-in with the
code of three windows ago, the approval of a leave this run already approved. The app must
refuse them; a refusal is counted apart from the errors, and so is a check-in outside its window.
Each write keeps its intent (the reason text names it: "bench-sat <run>-<index>") and what the
client saw, for bench/saturday_verify.py.

The plan runs in the dispatching thread and never touches the database: everything it needs
(cookies, sessions, leaves, items) is read before the run (`SaturdayPlan.build`).
"""

from __future__ import annotations

import random
import secrets
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

from .load import TIMEOUT
from .saturday_actions import (
    Action,
    CampPlan,
    CheckIn,
    GridSave,
    Group,
    LeaveApproval,
    Read,
    http_send,
    record,
)

READS = {
    "trainee's scores (trainee)": 16,
    "schedule (trainee)": 12,
    "group dashboard (counselor)": 20,
    "class ranking (staff)": 16,
    "roster (staff)": 16,
}
WRITES = {
    "check-in (trainee)": 8,
    "grid save, day item (staff)": 4,
    "grid save, month item (counselor)": 6,
    "leave approval (staff)": 2,
}
MIX = {**READS, **WRITES}
STAFF_DAY_ITEMS = (2, 5, 14, 22)  # classroom discipline and three graded items of the day
COUNSELOR_MONTH_ITEMS = (3, 10, 15, 16, 19)
STALE_EVERY = 100


class SaturdayPlan:
    """Which action comes next: a fixed, shuffled order of the mix's 100 slots, each kind
    taking the camps in turn."""

    def __init__(self, camps: list[CampPlan], staff: str, seed: int = 19):
        self.camps, self.staff = camps, staff
        slots = [kind for kind, weight in MIX.items() for _ in range(weight)]
        random.Random(seed).shuffle(slots)
        self.slots = slots
        self.index = 0
        self.writes = 0
        self.turns: dict[str, int] = {}
        self.rng = random.Random(seed + 1)
        self.run = "r0"

    @classmethod
    def build(cls, codes: list[str]) -> SaturdayPlan:
        from assessment.models import AssessmentItem, Kind
        from camp.models import Camp, User
        from curriculum.services.attendance import check_in_token
        from trainees.models import StudyGroup, Trainee

        from .saturday_data import open_sessions, pending_leaves, session_cookies

        camps = list(Camp.objects.filter(code__in=codes).order_by("code"))
        ids = [camp.pk for camp in camps]
        sessions, leaves = open_sessions(ids), pending_leaves(ids)
        groups = list(
            StudyGroup.objects.filter(camp_id__in=ids)
            .select_related("counselor__user")
            .order_by("camp_id", "number")
        )
        trainees = list(
            Trainee.objects.active()
            .filter(camp_id__in=ids)
            .select_related("person__user")
            .order_by("camp_id", "pk")
        )
        on_leave = set(
            Trainee.objects.filter(leave_requests__pk__in=[p for v in leaves.values() for p in v])
            .values_list("pk", flat=True)
            .distinct()
        )
        readers = {}
        for trainee in trainees:
            readers.setdefault(trainee.group_id, trainee)
        staff = User.objects.get(username="bench-staff")
        users = [staff, *(g.counselor.user for g in groups), *(t.person.user for t in trainees)]
        cookies = session_cookies(users)
        items: dict[int, dict] = {}
        for pk, camp_id, number, max_points, kind in AssessmentItem.objects.filter(
            scheme__camp_id__in=ids
        ).values_list("pk", "scheme__camp_id", "number", "max_points", "kind"):
            items.setdefault(camp_id, {})[number] = (pk, float(max_points), kind == Kind.GRADED)
        plans = []
        for camp in camps:
            mine = [g for g in groups if g.camp_id == camp.pk]
            by_day = sessions.get(camp.pk, {})
            plans.append(
                CampPlan(
                    pk=camp.pk,
                    code=camp.code,
                    groups=[
                        Group(
                            g.pk,
                            cookies[g.counselor.user.pk],
                            readers[g.pk].pk,
                            cookies[readers[g.pk].person.user.pk],
                        )
                        for g in mine
                        if g.pk in readers
                    ],
                    items=items[camp.pk],
                    sessions=by_day,
                    token={
                        pk: check_in_token(_Session(pk)) for day in by_day.values() for pk in day
                    },
                    check_ins=_check_ins(
                        [t for t in trainees if t.camp_id == camp.pk], on_leave, readers, cookies
                    ),
                    leaves=leaves.get(camp.pk, []),
                )
            )
        return cls(plans, cookies[staff.pk])

    def start_run(self) -> str:
        """A new label for the writes' reasons, so runs never share one."""
        self.run = secrets.token_hex(3)
        return self.run

    def next(self) -> Action:
        kind = self.slots[self.index % len(self.slots)]
        self.index += 1
        turn = self.turns[kind] = self.turns.get(kind, -1) + 1
        camp = self.camps[turn % len(self.camps)]
        nth = camp.counters[kind] = camp.counters.get(kind, -1) + 1
        if kind in READS:
            return self._read(kind, camp, nth)
        self.writes += 1
        stale = self.writes % STALE_EVERY == STALE_EVERY // 2
        token = f"bench-sat {self.run}-{self.index}"
        if kind == "check-in (trainee)":
            trainee, cookie = camp.check_ins[nth % len(camp.check_ins)]
            # Each trainee once per session: the pass over the trainees picks the session.
            slot = nth // len(camp.check_ins)
            return CheckIn(kind, camp, cookie, trainee, slot, stale, token)
        if kind == "leave approval (staff)":
            if stale and camp.approved:
                return LeaveApproval(kind, self.staff, camp.approved[0], True, token)
            if nth >= len(camp.leaves):
                return Read("class ranking (staff)", f"/camps/{camp.code}/ranking/", self.staff)
            camp.approved.append(camp.leaves[nth])
            return LeaveApproval(kind, self.staff, camp.leaves[nth], False, token)
        if kind == "grid save, day item (staff)":
            items, who = STAFF_DAY_ITEMS, None
        else:
            items, who = COUNSELOR_MONTH_ITEMS, "counselor"
        group = camp.groups[nth % len(camp.groups)]
        number = items[(nth // len(camp.groups)) % len(items)]
        cookie = group.counselor if who else self.staff
        pk, maximum, graded = camp.items[number]
        return GridSave(
            kind,
            camp,
            group.pk,
            number,
            pk,
            maximum,
            graded,
            cookie,
            stale,
            token,
            self.rng.random(),
        )

    def _read(self, kind: str, camp: CampPlan, nth: int) -> Action:
        group = camp.groups[nth % len(camp.groups)]
        paths = {
            "trainee's scores (trainee)": (f"/scores/trainees/{group.reader_pk}/", group.reader),
            "schedule (trainee)": ("/my/schedule/", group.reader),
            "group dashboard (counselor)": (f"/scores/groups/{group.pk}/", group.counselor),
            "class ranking (staff)": (f"/camps/{camp.code}/ranking/", self.staff),
            "roster (staff)": (f"/camps/{camp.code}/trainees/", self.staff),
        }
        path, cookie = paths[kind]
        return Read(kind, path, cookie)


def _check_ins(trainees, on_leave, readers, cookies) -> list[tuple[int, str]]:
    """Who checks in: the camp's trainees but the readers and those on leave (all of them in
    a camp too small to spare any)."""
    spared = [t for t in trainees if t.pk not in on_leave and t.pk != readers[t.group_id].pk]
    return [(t.pk, cookies[t.person.user.pk]) for t in spared or trainees]


@dataclass
class _Session:  # what check_in_token reads of a session
    pk: int


# The run ----------------------------------------------------------------------------------------


def run_mix(port: int, plan: SaturdayPlan, *, rate: float, seconds: float) -> dict:
    """Open loop: `rate` actions a second for `seconds`. Returns the records and the summary."""
    total = int(rate * seconds)
    records: list[dict] = []
    lock = threading.Lock()
    late_starts = 0
    plan.start_run()
    send = partial(http_send, port)

    def one(action: Action, due: float, offset: float) -> None:
        if time.perf_counter() - due > TIMEOUT:
            done = [record(action.kind, due, "error", f"dropped after {TIMEOUT:g} s")]
        else:
            try:
                done = action.run(send, due)
            except OSError as error:
                intent = action.intent or {}
                done = [record(action.kind, due, "error", type(error).__name__, **intent)]
        for row in done:
            row["at"] = offset
        with lock:
            records.extend(done)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=64) as pool:
        for index in range(total):
            action = plan.next()
            due = started + index / rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            elif delay < -0.05:
                late_starts += 1
            pool.submit(one, action, due, index / rate)
    elapsed = time.perf_counter() - started
    return {
        "rate": rate,
        "seconds": seconds,
        "elapsed": elapsed,
        "late_starts": late_starts,
        **summarize(records),
        "records": records,
    }


def percentiles(values: list[float]) -> dict:
    if not values:
        return {"p50": None, "p95": None, "p99": None}
    ordered = sorted(values)

    def at(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))]

    return {"p50": statistics.median(ordered), "p95": at(0.95), "p99": at(0.99)}


STATUSES = ("ok", "accepted", "refused", "conflict", "outside_window", "repeat", "error")


def summarize(records: list[dict], *, first_seconds: float | None = None) -> dict:
    """Latency percentiles over every request and per kind, and the count of each outcome;
    with `first_seconds`, also over the requests due in the run's first seconds."""
    kinds: dict[str, dict] = {}
    for row in records:
        entry = kinds.setdefault(row["kind"], {"ms": [], **dict.fromkeys(STATUSES, 0)})
        entry["ms"].append(row["ms"])
        entry[row["status"]] += 1
    per_kind = {
        kind: {"requests": len(e["ms"]), **percentiles(e["ms"]), **{s: e[s] for s in STATUSES}}
        for kind, e in sorted(kinds.items())
    }
    errors: dict[str, int] = {}
    for row in records:
        if row["status"] == "error":
            key = f"{row['problem']} {row['kind']}"
            errors[key] = errors.get(key, 0) + 1
    result = {
        "requests": len(records),
        **percentiles([row["ms"] for row in records]),
        **{s: sum(1 for row in records if row["status"] == s) for s in STATUSES},
        "error_kinds": errors,
        "per_kind": per_kind,
    }
    if first_seconds is not None:
        first = [row["ms"] for row in records if row["at"] < first_seconds]
        result["first"] = {"seconds": first_seconds, "requests": len(first), **percentiles(first)}
    return result
