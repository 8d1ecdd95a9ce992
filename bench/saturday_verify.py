"""After a Saturday run: the database against what the client saw (issue 19 §1).

- Every accepted grid save is there exactly once: one history row (created or changed) per cell
  it sent, carrying its reason ("bench-sat <run>-<index>"), and the last accepted save of each
  grid is what the cells hold now. A refused save left no row and no history.
- Every accepted check-in is one attendance row recorded by check-in, written once; a refused
  one (or one outside its window) left no row, unless the same trainee's check-in to that
  session was accepted in another action.
- Every accepted approval decided its leave's step once; a refused (stale) one changed
  nothing: the leave's single decision is older than the stale request.
- The standings pages show the written figures: the class ranking served by gunicorn (through
  the shared cache) gives each trainee the total the live-scores floor computes from the rows.

The `check_*` functions take plain data (the records and what the database holds), so the tests
feed them crafted outcomes; `verify` reads the database for them.
"""

from __future__ import annotations

import re
from decimal import Decimal

ACCEPTED, REFUSED = ("accepted",), ("refused", "conflict", "outside_window")


def _writes(records, kind_prefix):
    return [r for r in records if r["kind"].startswith(kind_prefix) and "intent" in r]


def check_grids(records: list[dict], history: dict, current: dict) -> list[str]:
    """`history`: {token: {trainee: rows written}}; `current`: {token: {trainee: points}} of
    the entries whose reason is that token now."""
    problems = []
    last: dict[tuple, dict] = {}
    for row in _writes(records, "grid save"):
        intent = row["intent"]
        token, written = intent["token"], history.get(intent["token"], {})
        if row["status"] in ACCEPTED:
            for trainee in intent["values"]:
                count = written.get(trainee, 0)
                if count == 0:
                    problems.append(f"lost: {token} trainee {trainee}")
                elif count > 1:
                    problems.append(f"doubled ({count}×): {token} trainee {trainee}")
            strangers = set(written) - set(intent["values"])
            if strangers:
                problems.append(f"wrote cells it was not sent: {token} {sorted(strangers)}")
            grid = (intent["group"], intent["item"], intent["day"])
            last[grid] = row
        elif row["status"] in REFUSED and (written or current.get(token)):
            problems.append(f"refused but left {sum(written.values())} rows: {token}")
        else:  # no answer (a timeout): applied or not, never twice
            problems += [
                f"doubled ({n}×): {token} trainee {t}" for t, n in written.items() if n > 1
            ]
    for row in last.values():
        intent = row["intent"]
        now = current.get(intent["token"], {})
        for trainee, value in intent["values"].items():
            if trainee not in now or Decimal(now[trainee]) != Decimal(value):
                problems.append(f"not what the last save wrote: {intent['token']} {trainee}")
    return problems


def check_check_ins(records: list[dict], rows: dict) -> list[str]:
    """`rows`: {(session, trainee): (check-in writes in the history, source now)}."""
    problems = []
    writes = _writes(records, "check-in")
    accepted = {
        (r["intent"]["session"], r["intent"]["trainee"]) for r in writes if r["status"] in ACCEPTED
    }
    for row in writes:
        key = (row["intent"]["session"], row["intent"]["trainee"])
        written, source = rows.get(key, (0, None))
        if row["status"] in ACCEPTED:
            if written != 1 or source != "check_in":
                problems.append(f"check-in {key}: {written} writes, source {source}")
        elif row["status"] in REFUSED and key not in accepted and (written or source):
            problems.append(f"refused check-in {key} left a row ({source})")
        elif written > 1:
            problems.append(f"check-in {key}: {written} writes")
    return problems


def check_leaves(records: list[dict], leaves: dict) -> list[str]:
    """`leaves`: {leave: (status, steps approved, decided at as ISO text)}."""
    problems = []
    for row in _writes(records, "leave approval"):
        intent = row["intent"]
        status, approved, decided = leaves.get(intent["leave"], (None, 0, None))
        if row["status"] in ACCEPTED and (status != "approved" or approved != 1):
            problems.append(f"leave {intent['leave']}: {status}, {approved} approvals")
        if row["status"] in REFUSED and (approved > 1 or (decided and decided > intent["sent"])):
            problems.append(f"refused approval of leave {intent['leave']} changed it")
        if row["status"] == "error" and approved > 1:
            problems.append(f"leave {intent['leave']}: {approved} approvals")
    return problems


def check_standings(shown: dict[int, str], floor: dict[int, str]) -> list[str]:
    """`shown`: {trainee: total} as the ranking page prints it; `floor`: the same from the
    live-scores statement."""
    problems = []
    for trainee, total in floor.items():
        if trainee not in shown:
            continue  # the ranking lists members; the floor also has trainees who left
        if _number(shown[trainee]) != _number(total):
            problems.append(f"trainee {trainee}: page {shown[trainee]}, floor {total}")
    if not set(shown) <= set(floor):
        problems.append(f"trainees on the page but not in the floor: {set(shown) - set(floor)}")
    return problems


def _number(text) -> Decimal | None:
    text = str(text).strip() if text is not None else ""
    try:
        return Decimal(text)
    except ArithmeticError:
        return None


ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
CELL = re.compile(r"<td[^>]*>(.*?)</td>", re.S)
LINK = re.compile(r'href="/scores/trainees/(\d+)/"')


def ranking_totals(page: str) -> dict[int, str]:
    """{trainee: total} from the class ranking's table (its 8th column)."""
    table = page.split('data-testid="ranking"', 1)[-1]
    totals = {}
    for row in ROW.findall(table):
        link, cells = LINK.search(row), CELL.findall(row)
        if link and len(cells) >= 8:
            totals[int(link.group(1))] = re.sub(r"<[^>]+>", "", cells[7]).strip()
    return totals


# Reading the database -----------------------------------------------------------------------


def _grid_data(records):
    from django.db.models import Count

    from assessment.models import ScoreEntry

    tokens = [r["intent"]["token"] for r in _writes(records, "grid save")]
    history: dict[str, dict[int, int]] = {}
    for token, trainee, count in (
        ScoreEntry.history.filter(reason__in=tokens, history_type__in=("+", "~"))
        .values("reason", "trainee_id")
        .annotate(n=Count("history_id"))
        .values_list("reason", "trainee_id", "n")
    ):
        history.setdefault(token, {})[trainee] = count
    current: dict[str, dict[int, str]] = {}
    for token, trainee, points in ScoreEntry.objects.filter(reason__in=tokens).values_list(
        "reason", "trainee_id", "points"
    ):
        current.setdefault(token, {})[trainee] = str(points)
    return history, current


def _check_in_data(records):
    from django.db.models import Count

    from curriculum.models import Attendance

    keys = {(r["intent"]["session"], r["intent"]["trainee"]) for r in _writes(records, "check-in")}
    sessions = {s for s, _t in keys}
    written = {
        (s, t): n
        for s, t, n in Attendance.history.filter(
            session_id__in=sessions, source="check_in", history_type__in=("+", "~")
        )
        .values("session_id", "trainee_id")
        .annotate(n=Count("history_id"))
        .values_list("session_id", "trainee_id", "n")
    }
    sources = {
        (s, t): source
        for s, t, source in Attendance.objects.filter(session_id__in=sessions).values_list(
            "session_id", "trainee_id", "source"
        )
    }
    return {key: (written.get(key, 0), sources.get(key)) for key in keys}


def _leave_data(records):
    from django.db.models import Count, Q

    from curriculum.models import LeaveRequest

    pks = {r["intent"]["leave"] for r in _writes(records, "leave approval")}
    rows = LeaveRequest.objects.filter(pk__in=pks).annotate(
        approved=Count("approval_steps", filter=Q(approval_steps__state="approved"))
    )
    return {
        leave.pk: (leave.status, leave.approved, leave.decided_at and leave.decided_at.isoformat())
        for leave in rows
    }


def verify(records: list[dict], *, send=None, staff: str = "", camps=()) -> dict:
    """Every check over the records of one or more runs; with a server, the standings of
    `camps` (CampPlan) as its ranking pages show them (`send` as bench.saturday's actions take)."""
    from django.utils import timezone

    problems = {
        "grid saves": check_grids(records, *_grid_data(records)),
        "check-ins": check_check_ins(records, _check_in_data(records)),
        "leave approvals": check_leaves(records, _leave_data(records)),
    }
    standings = []
    if send is not None:
        from .floors import live_scores

        for camp in camps:
            try:
                status, body, _headers = send("GET", f"/camps/{camp.code}/ranking/", staff)
            except OSError as error:
                standings.append(f"{camp.code}: the ranking did not answer ({error!r})")
                continue
            shown = ranking_totals(body.decode()) if status == 200 else {}
            floor = {
                row[0]: row[7] for row in live_scores(camp_id=camp.pk, as_of=timezone.localdate())
            }
            standings += check_standings(shown, floor) or (
                [] if shown else [f"{camp.code}: HTTP {status}"]
            )
    problems["standings"] = standings
    writes = [r for r in records if "intent" in r]
    return {
        "writes": len(writes),
        # Sent but unanswered (a timeout): checked only for not being applied twice.
        "unanswered": sum(1 for r in writes if r["status"] == "error"),
        "accepted": sum(1 for r in writes if r["status"] == "accepted"),
        "refused": sum(1 for r in writes if r["status"] in REFUSED),
        "standings_camps": [camp.code for camp in camps],
        "problems": {part: found[:20] for part, found in problems.items()},
        "problem_counts": {part: len(found) for part, found in problems.items()},
    }
