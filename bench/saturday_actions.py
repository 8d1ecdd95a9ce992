"""The Saturday mix's actions: what one user does, through any `send(method, path, cookie,
form)` that returns (status, body, headers): gunicorn over HTTP in the bench (`http_send`),
Django's test client in the tests. Each returns its records: kind, latency from when it was due,
outcome ("ok" for a read; "accepted", "refused" for a stale write the app turned down,
"conflict" for a fresh write it turned down, "outside_window", "repeat" or "error"), and for a
write its intent, for bench/saturday_verify.py."""

from __future__ import annotations

import datetime
import http.client
import random
import re
import secrets
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from .load import HOST, TIMEOUT

CSRF = secrets.token_hex(16)  # a well-formed 32-character secret, as the browser would hold
ROW = re.compile(r'name="cell-(\d+)" value="([^"]*)".*?name="version-\1" value="(\d+)"', re.S)


@dataclass
class Group:
    pk: int
    counselor: str  # cookie
    reader_pk: int  # a trainee of the group who reads their pages
    reader: str


@dataclass
class CampPlan:
    pk: int
    code: str
    groups: list[Group]
    items: dict[int, tuple[int, float, bool]]  # number: (pk, max points, graded)
    sessions: dict[datetime.date, list[int]]
    token: dict[int, str]  # session: check-in token
    check_ins: list[tuple[int, str]]  # (trainee, cookie) who check in, in turn
    leaves: list[int]
    counters: dict[str, int] = field(default_factory=dict)
    approved: list[int] = field(default_factory=list)


def http_send(port, method, path, cookie, form=None):
    """(status, body, headers) of one request to gunicorn; CSRF as a browser sends it. The
    actions take any `send(method, path, cookie, form)` (the tests pass Django's client)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
    headers = {"Host": HOST, "Cookie": f"{cookie}; csrftoken={CSRF}"}
    body = None
    if form is not None:
        body = urlencode({**form, "csrfmiddlewaretoken": CSRF})
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read(), response.getheaders()
    finally:
        conn.close()


def client_send(client):
    """`send` through Django's test client (for the tests and the profiles): the same cookies
    and form, the response's cookies returned as Set-Cookie headers."""

    def send(method, path, cookie, form=None):
        client.cookies.clear()
        headers = {"HTTP_COOKIE": f"{cookie}; csrftoken={CSRF}"}
        if form is None:
            response = client.get(path, **headers)
        else:
            response = client.post(path, {**form, "csrfmiddlewaretoken": CSRF}, **headers)
        cookies = [("Set-Cookie", morsel.OutputString()) for morsel in response.cookies.values()]
        return response.status_code, response.content, [*response.items(), *cookies]

    return send


def record(kind, started, status="ok", problem="", **intent) -> dict:
    return {
        "kind": kind,
        "ms": (time.perf_counter() - started) * 1000,
        "status": status,
        "problem": problem,
        **({"intent": intent} if intent else {}),
    }


class Action:
    kind: str
    # What a write sends, set just before it is sent: a write that times out keeps it, so the
    # verification can still check it was not applied twice.
    intent: dict | None = None

    def run(self, send, due: float) -> list[dict]:
        raise NotImplementedError


@dataclass
class Read(Action):
    kind: str
    path: str
    cookie: str

    def run(self, send, due):
        status, _body, _headers = send("GET", self.path, self.cookie)
        if status != 200:
            return [record(self.kind, due, "error", f"HTTP {status}")]
        return [record(self.kind, due)]


@dataclass
class GridSave(Action):
    kind: str
    camp: CampPlan
    group: int
    number: int
    item: int
    maximum: float
    graded: bool
    cookie: str
    stale: bool
    token: str
    seed: float

    def run(self, send, due):
        from django.utils import timezone

        day = timezone.localdate().isoformat()
        path = f"/camps/{self.camp.code}/assessment/grid/{self.group}/{self.number}/{day}/"
        form_kind = self.kind.replace("grid save", "grid form")
        status, body, _headers = send("GET", path, self.cookie)
        if status != 200:
            return [record(form_kind, due, "error", f"HTTP {status}")]
        shown = record(form_kind, due)
        opened = time.perf_counter()
        rows = {int(pk): (value, int(version)) for pk, value, version in ROW.findall(body.decode())}
        values = self.values({pk: value for pk, (value, _v) in rows.items()})
        versions = {pk: version for pk, (_value, version) in rows.items()}
        if self.stale and versions:
            pk = max(versions, key=lambda pk: versions[pk])
            versions[pk] = versions[pk] - 1 if versions[pk] else 1  # what the page once showed
        form = {"reason": self.token}
        for pk in rows:
            form[f"cell-{pk}"] = values[pk]
            form[f"version-{pk}"] = str(versions[pk])
        intent = self.intent = {
            "token": self.token,
            "camp": self.camp.pk,
            "group": self.group,
            "item": self.item,
            "day": day,
            "values": {pk: v for pk, v in values.items() if v.strip()},
            "stale": self.stale,
        }
        status, body, _headers = send("POST", path, self.cookie, form)
        if status == 302:
            return [shown, record(self.kind, opened, "accepted", **intent)]
        if status == 200:
            refusal = "refused" if self.stale else "conflict"
            return [shown, record(self.kind, opened, refusal, **intent)]
        return [shown, record(self.kind, opened, "error", f"HTTP {status}", **intent)]

    def values(self, shown: dict[int, str]) -> dict[int, str]:
        """Every graded cell gets a new grade; a deduction grid keeps its cells and adds two."""
        rng = random.Random(self.seed)
        top = int(self.maximum * 10)
        values = dict(shown)
        targets = list(shown) if self.graded else rng.sample(list(shown), min(2, len(shown)))
        for pk in targets:
            while True:
                new = str(rng.randint(top * 6 // 10, top) / 10) if self.graded else "0.5"
                if not self.graded and shown[pk].strip():
                    new = "1.0" if shown[pk].strip() in ("0.5", "0.50") else "0.5"
                if new != shown[pk]:
                    break
            values[pk] = new
        return values


@dataclass
class CheckIn(Action):
    kind: str
    camp: CampPlan
    cookie: str
    trainee: int
    slot: int
    stale: bool
    token: str

    def run(self, send, due):
        from django.utils import timezone

        from curriculum.check_in_codes import code_for, window_of

        now = timezone.now()
        sessions = self.camp.sessions.get(timezone.localdate(now), [])
        if not sessions:
            return [record(self.kind, due, "error", "no Saturday session today (prepare again)")]
        session = sessions[self.slot % len(sessions)]
        # The projector's code now; a stale one is the code of three windows ago.
        code = code_for(session, window_of(now) - (3 if self.stale else 0))
        path = f"/check-in/{self.camp.token[session]}/"
        intent = self.intent = {"session": session, "trainee": self.trainee, "stale": self.stale}
        status, body, _headers = send("POST", path, self.cookie, {"code": code})
        if status != 200:
            return [record(self.kind, due, "error", f"HTTP {status}", **intent)]
        return [record(self.kind, due, check_in_outcome(body.decode(), self.stale), **intent)]


def check_in_outcome(page: str, stale: bool) -> str:
    if 'data-check-in="error"' in page:
        if "签到码已过期" in page or "签到码不正确" in page:
            return "refused" if stale else "conflict"
        return "outside_window"
    if 'data-check-in="done"' in page:
        return "accepted" if "签到成功" in page else "repeat"
    return "outside_window"


@dataclass
class LeaveApproval(Action):
    kind: str
    cookie: str
    leave: int
    stale: bool
    token: str

    def run(self, send, due):
        from django.utils import timezone

        sent = timezone.now().isoformat()
        intent = self.intent = {"leave": self.leave, "stale": self.stale, "sent": sent}
        status, _body, headers = send(
            "POST",
            f"/curriculum/leave/{self.leave}/decide/",
            self.cookie,
            {"approve": "1", "note": self.token},
        )
        if status != 302:
            return [record(self.kind, due, "error", f"HTTP {status}", **intent)]
        accepted = message_levels(headers)
        if accepted == {"success"}:
            return [record(self.kind, due, "accepted", **intent)]
        return [record(self.kind, due, "refused" if self.stale else "conflict", **intent)]


def message_levels(headers) -> set[str]:
    """The levels of the messages the response left in its cookie (the page says them after
    the redirect): "success" when the service accepted, "error" when it refused."""
    from django.contrib.messages.storage.cookie import CookieStorage

    jar = SimpleCookie()
    for name, value in headers:
        if name.lower() == "set-cookie":
            jar.load(value)
    if "messages" not in jar:
        return set()
    stored = CookieStorage(None)._decode(jar["messages"].value) or []
    return {message.level_tag for message in stored}
