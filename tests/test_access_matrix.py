"""The access matrix: every URL of the project, tried by every persona, against one table.

Each row names a URL, says how to fill in its arguments from `World` (the cast plus the objects
made below), and pins what each persona gets:

    200        the page
    LOGIN      302 to the login page (anonymous)
    REDIRECT   302 elsewhere (a page that forwards, e.g. home to the role's home)
    403 / 404  refused: 404 where the user may not know the object exists
    405        the URL takes POST only

A URL without a row fails `test_every_url_pattern_has_a_row`, naming it. To add one, add an
entry to ROWS; if it needs an object, add it to `World` and `build_world`.

The personas are the backbone's: a trainee of group 1, the counselor of group 1, staff, orgdept
and a leader. `other_args` point the same URL at trainee 2 / group 2, whom the trainee and the
counselor of group 1 may not touch: `test_a_trainee_and_a_counselor_cannot_reach_others` tries
them.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.personas import LOGIN, ONE_PER_ROLE, REDIRECT, clients_for, one_per_role
from tests.personas import outcome as _outcome
from trainees.models import RankAlias

PERSONAS = tuple(ONE_PER_ROLE)  # anonymous, trainee, counselor, staff, orgdept, leader
# Where the matrix does not look: Django's own admin and language switch, and static files.
SKIPPED_PREFIXES = ("admin/", "i18n/", "static/", "media/")


def expect(
    *, anonymous=LOGIN, trainee=403, counselor=403, staff=403, orgdept=403, leader=403
) -> dict:
    return {
        "anonymous": anonymous,
        "trainee": trainee,
        "counselor": counselor,
        "staff": staff,
        "orgdept": orgdept,
        "leader": leader,
    }


ALLOWED = "allowed"
EVERYONE = expect(trainee=200, counselor=200, staff=200, orgdept=200, leader=200)
GET_405 = dict.fromkeys(PERSONAS, 405)
POST_STAFF = expect(staff=ALLOWED)
POST_TRAINEE = expect(trainee=ALLOWED)
POST_COUNSELOR = expect(counselor=ALLOWED)
ATTENDANCE = expect(trainee=200, counselor=200, staff=200, orgdept=200, leader=403)
TALKS = expect(staff=200, counselor=200)
# The matrix runs at a fixed moment of the camp's year, so date rules (leave for a future day,
# a progress note for a past month) hold whatever the real date is.
TODAY_IN_THE_WORLD = datetime.date(2026, 3, 10)
STAFF_ONLY = expect(staff=200)
STAFF_POST_ONLY = expect(staff=405)


@dataclass
class World:
    """The cast and one of every object a URL can point at, in group 1 / trainee 1, plus their
    counterparts in group 2 / trainee 2 for the object-level checks."""

    cast: object
    objects: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.objects[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def code(self) -> str:
        return self.cast.camp.code

    @property
    def trainee(self):
        return self.cast.trainee_in_group_1

    @property
    def other_trainee(self):
        return self.cast.trainee_in_group_2


def build_world(cast) -> World:
    """One object of each kind a URL points at: trainee 1's / group 1's, and the same for
    trainee 2 / group 2 under `other_*` names. Built with the apps' own services."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from curriculum.models import CurriculumTarget
    from curriculum.services.attendance import check_in_token
    from curriculum.services.calendar import training_days_plan
    from curriculum.services.feed import feed_token_get_or_create
    from curriculum.services.leave import leave_request
    from curriculum.services.plan import curriculum_targets_create_defaults
    from curriculum.services.practice import (
        chief_project_save,
        progress_note_add,
        task_force_create,
    )
    from curriculum.services.research import research_report_upload, research_topic_create
    from curriculum.services.talks import talk_record
    from tests.factories import SessionFactory

    world = World(cast=cast)
    o = world.objects
    camp, one, two = cast.camp, cast.trainee_in_group_1, cast.trainee_in_group_2
    # Curriculum: the calendar, a session, leave, talks, research, practice, feeds.
    training_days_plan(camp=camp, by=cast.staff)
    o["day"] = camp.training_days.get(date=TODAY_IN_THE_WORLD + datetime.timedelta(days=4))
    o["session"] = SessionFactory(training_day=o["day"], topic="坚定理想信念")
    o["check_in_token"] = check_in_token(o["session"])
    for key, trainee, user in (
        ("leave", one, cast.trainee_1),
        ("other_leave", two, cast.trainee_2),
    ):
        o[key] = leave_request(
            trainee=trainee, training_day=o["day"], half_day="", reason="单位公务", by=user
        )
    # Notifications (通知) and escalations (预警): trainee 1's.
    from camp.notifications.services import notify
    from curriculum.models import Attendance, Escalation

    [o["notification"]] = notify(users=[cast.trainee_1], kind="export_ready", title="x", url="/")
    absence = Attendance.objects.create(session=o["session"], trainee=one, status="absent")
    o["escalation"] = Escalation.objects.create(
        trainee=one, reason="absence", audience="counselor", attendance=absence
    )
    for key, trainee, counselor in (
        ("talk", one, cast.counselor_1),
        ("other_talk", two, cast.counselor_2),
    ):
        o[key] = talk_record(
            trainee=trainee,
            by=counselor,
            held_on=TODAY_IN_THE_WORLD,
            topics="工作与学习",
            summary="谈心记录",
        )
    o["topic"] = research_topic_create(camp=camp, title="乡村产业项目高质量招引")
    research_report_upload(
        topic=o["topic"],
        upload=SimpleUploadedFile("报告.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
        by=cast.staff,
    )
    o["task_force"] = task_force_create(
        camp=camp, name="织里镇突击队", place="织里镇", task="项目攻坚", members=[one]
    )
    for key, trainee, user in (("", one, cast.trainee_1), ("other_", two, cast.trainee_2)):
        project = chief_project_save(
            trainee=trainee, title="重点项目", goal="按期完成", milestones="", by=user
        )
        o[f"{key}progress_note"] = progress_note_add(
            project=project, month=TODAY_IN_THE_WORLD.replace(day=1), text="本月进展"
        )
    curriculum_targets_create_defaults(camp=camp)
    o["target"] = CurriculumTarget.objects.filter(camp=camp).order_by("pk").first()
    o["feed_token"] = feed_token_get_or_create(trainee=one).token
    o["other_feed_token"] = feed_token_get_or_create(trainee=two).token
    return world


def no_args(world: World) -> list:
    return []


def camp_args(world: World) -> list:
    return [world.code]


SELECTION_READ = expect(trainee=404, counselor=404, staff=200, orgdept=200, leader=404)
SELECTION_EDIT = {**SELECTION_READ, "orgdept": 403}


def trainee_args(world: World) -> list:
    return [world.trainee.pk]


def other_trainee_args(world: World) -> list:
    return [world.other_trainee.pk]


@dataclass
class Row:
    expect: dict
    args: Callable[[World], list] = no_args
    query: dict | None = None
    # The same URL aimed at another trainee's or group's object (see module docstring), and
    # who of trainee 1 and the counselor of group 1 must be refused there.
    other_args: Callable[[World], list] | None = None
    refused_on_others: tuple[str, ...] = ("trainee", "counselor")
    # What an empty POST gets, where it differs from the GET (POST-only URLs answer GET with
    # 405 for everyone). ALLOWED cells are not posted: an empty form may still do something.
    post: dict | None = None


def _oversight(world: World) -> dict:
    from tests.oversight.oversight_world import matrix_objects

    return matrix_objects(world)


def _certified(world: World):
    """Trainee 1, graduating with a certificate number (trainee 2 has no graduation record)."""
    if "certified" not in world.objects:
        from assessment.services.graduation import (
            graduation_certificates_assign,
            graduation_save,
        )

        graduation_save(
            trainee=world.trainee,
            by=world.cast.staff,
            graduates=True,
            appraisal="",
            outstanding=False,
        )
        graduation_certificates_assign(camp=world.cast.camp, by=world.cast.staff)
        world.objects["certified"] = world.trainee
    return world.objects["certified"]


OVERSIGHT = expect(staff=200, orgdept=200, leader=200)


def _after_camp(world: World) -> dict:
    from tests.oversight.after_camp_world import matrix_objects

    return matrix_objects(world)


_OVERSIGHT_ROWS = {
    "camp-dashboard": Row(OVERSIGHT, camp_args),
    "annual-report": Row(OVERSIGHT, camp_args),
    "dashboard-current": Row(expect(staff=REDIRECT, orgdept=REDIRECT, leader=REDIRECT)),
    "tracking-list": Row(OVERSIGHT, camp_args),
    "editions": Row(OVERSIGHT),
    "editions-workbook": Row(OVERSIGHT),
    "trainee-oversight": Row(OVERSIGHT, trainee_args, other_args=other_trainee_args),
    "tracking-toggle": Row(GET_405, trainee_args, post=expect(orgdept=ALLOWED)),
    "inspection-note-new": Row(expect(orgdept=200), trainee_args),
    "interview-new": Row(expect(orgdept=200), trainee_args),
    "interview-list": Row(expect(staff=200, orgdept=200), camp_args),
    "interview-category-new": Row(GET_405, camp_args, post=expect(orgdept=ALLOWED)),
    "interview-detail": Row(
        expect(staff=200, orgdept=200), lambda w: [_oversight(w)["interview"].pk]
    ),
    "shortlist-list": Row(OVERSIGHT, camp_args),
    "shortlist-detail": Row(OVERSIGHT, lambda w: [_oversight(w)["round"].pk]),
    "shortlist-add": Row(
        GET_405, lambda w: [_oversight(w)["round"].pk], post=expect(orgdept=ALLOWED)
    ),
    "shortlist-refresh": Row(
        GET_405, lambda w: [_oversight(w)["round"].pk], post=expect(orgdept=ALLOWED)
    ),
    "shortlist-decide": Row(OVERSIGHT, lambda w: [_oversight(w)["entry"].pk]),
    "graduation-list": Row(expect(counselor=200, staff=200, orgdept=200, leader=200), camp_args),
    "graduation-policy": Row(GET_405, camp_args, post=POST_STAFF),
    "graduation-certificates": Row(GET_405, camp_args, post=POST_STAFF),
    "graduation-edit": Row(STAFF_ONLY, trainee_args, other_args=other_trainee_args),
    "graduation-form": Row(EVERYONE, trainee_args, other_args=other_trainee_args),
    # The graduation documents (issue 18 §3): a certificate once numbered, for the trainee,
    # their counselor and the overseers; the trainee writes their own summary, staff any text.
    "graduation-certificate": Row(
        EVERYONE, lambda w: [_certified(w).pk], other_args=lambda w: [w.other_trainee.pk]
    ),
    "appraisal-statement": Row(
        expect(trainee=200, counselor=403, staff=200, orgdept=403, leader=403),
        lambda w: [w.trainee.pk, "self_summary"],
        other_args=lambda w: [w.other_trainee.pk, "self_summary"],
    ),
    # Leaders take the edition's documents in the background too.
    "my-exports": Row(EVERYONE),
    "export-job-new": Row(
        GET_405,
        camp_args,
        post=expect(
            trainee=ALLOWED, counselor=ALLOWED, staff=ALLOWED, orgdept=ALLOWED, leader=ALLOWED
        ),
    ),
    "export-job-status": Row(
        expect(trainee=404, counselor=404, staff=200, orgdept=404, leader=404),
        lambda w: [_oversight(w)["job"].pk],
    ),
    "export-job-download": Row(
        expect(trainee=404, counselor=404, staff=200, orgdept=404, leader=404),
        lambda w: [_oversight(w)["job"].pk],
    ),
    # After the camp (issue 18): orgdept writes, staff and leaders read, no one else.
    "aftercamp-graduates": Row(OVERSIGHT),
    "aftercamp-overview": Row(OVERSIGHT),
    "aftercamp-graduate": Row(OVERSIGHT, lambda w: [_after_camp(w)["graduate"].pk]),
    "aftercamp-record-new": Row(
        expect(orgdept=200), lambda w: [_after_camp(w)["graduate"].pk, "post"]
    ),
    "aftercamp-record-edit": Row(
        expect(orgdept=200), lambda w: ["post", _after_camp(w)["post"].pk]
    ),
    "aftercamp-record-delete": Row(
        GET_405, lambda w: ["post", _after_camp(w)["post"].pk], post=expect(orgdept=ALLOWED)
    ),
    "aftercamp-import": Row(expect(orgdept=200)),
    "aftercamp-template": Row(expect(orgdept=200)),
}


def _scoring(world: World) -> dict:
    from tests.assessment.matrix_world import matrix_objects

    return matrix_objects(world)


def _grid_args(group_attr: str):
    # Item 3 (学习笔记) is recorded by counselors: staff may not fill its grid (403).
    return lambda w: [w.code, getattr(w.cast, group_attr).pk, 3, "2026-03-14"]


SCORE_READERS = expect(trainee=200, counselor=200, staff=200, orgdept=200, leader=200)
RECORDERS = expect(counselor=200, staff=200)
SUBMISSION_READERS = expect(trainee=200, counselor=200, staff=200, orgdept=200)
_SCORING_ROWS = {
    "assessment-scheme": Row(EVERYONE, camp_args),
    "assessment-item-edit": Row(STAFF_ONLY, lambda w: [w.code, 2]),
    "assessment-scheme-status": Row(GET_405, camp_args, post=POST_STAFF),
    "assessment-attendance-rules": Row(STAFF_ONLY, camp_args),
    "assessment-entries": Row(SCORE_READERS, trainee_args, other_args=other_trainee_args),
    "assessment-entry-new": Row(RECORDERS, trainee_args, other_args=other_trainee_args),
    **{
        name: Row(
            expect_,
            lambda w: [_scoring(w)["entry"].pk],
            other_args=lambda w: [_scoring(w)["other_entry"].pk],
        )
        for name, expect_ in (
            ("assessment-entry-edit", RECORDERS),
            ("assessment-entry-delete", RECORDERS),
            ("assessment-entry-history", SCORE_READERS),
        )
    },
    "assessment-grid-start": Row(RECORDERS, camp_args),
    **{
        name: Row(
            expect(counselor=200),
            _grid_args("group_1"),
            other_args=_grid_args("group_2"),
        )
        for name in ("assessment-grid", "assessment-grid-download", "assessment-grid-upload")
    },
    "assessment-my-submissions": Row(expect(trainee=200), camp_args),
    "assessment-inbox": Row(RECORDERS, camp_args),
    **{
        name: Row(
            SUBMISSION_READERS,
            lambda w: [_scoring(w)["submission"].pk],
            other_args=lambda w: [_scoring(w)["other_submission"].pk],
        )
        for name in ("assessment-submission", "assessment-submission-file")
    },
}


def _activities(world: World) -> dict:
    from tests.assessment.activities_world import matrix_objects

    return matrix_objects(world)


def _activity(key: str):
    return lambda w: [_activities(w)[key].pk]


def _group_args(group_attr: str):
    return lambda w: [getattr(w.cast, group_attr).pk]


_ACTIVITY_ROWS = {
    "assessment-reviews": Row(
        expect(trainee=REDIRECT, counselor=REDIRECT, staff=200, orgdept=200, leader=200),
        camp_args,
    ),
    "assessment-review-group": Row(
        EVERYONE, _group_args("group_1"), other_args=_group_args("group_2")
    ),
    "assessment-review": Row(EVERYONE, _activity("review"), other_args=_activity("other_review")),
    "assessment-review-write": Row(
        expect(counselor=200),
        lambda w: [w.cast.group_1.pk, "2026-03-02"],
        other_args=lambda w: [w.cast.group_2.pk, "2026-03-02"],
    ),
    # A draft of a form is kept only by who may write that form (the review: its counselor).
    "draft-keep": Row(
        GET_405,
        lambda w: [f"review.{w.cast.group_1.pk}.2026-03-02"],
        post=expect(counselor=ALLOWED),
    ),
    "draft-discard": Row(
        GET_405,
        lambda w: [f"review.{w.cast.group_1.pk}.2026-03-02"],
        post=expect(counselor=ALLOWED),
    ),
    "assessment-summaries": Row(OVERSIGHT, camp_args),
    "assessment-summary-start": Row(GET_405, camp_args, post=POST_STAFF),
    "assessment-summary-month": Row(OVERSIGHT, lambda w: [w.code, "2026-03"]),
    "assessment-summary-run": Row(STAFF_ONLY, _activity("run")),
    "assessment-summary-run-status": Row(STAFF_ONLY, _activity("run")),
    "assessment-contests": Row(EVERYONE, camp_args),
    "assessment-contest-new": Row(STAFF_ONLY, camp_args),
    "assessment-contest": Row(EVERYONE, _activity("contest")),
    # Only the invited judge (the leader) has a marking page; other judges' roles get 404.
    "assessment-contest-judge": Row(
        expect(counselor=404, staff=404, orgdept=404, leader=200), _activity("contest")
    ),
    "assessment-contest-close": Row(GET_405, _activity("contest"), post=POST_STAFF),
    "assessment-comments": Row(EVERYONE, camp_args),
    "assessment-comment-new": Row(expect(orgdept=200, leader=200), camp_args),
    # The comment is the leader's own: orgdept may read it but not change it.
    "assessment-comment-edit": Row(
        expect(leader=200), _activity("comment"), other_args=_activity("other_comment")
    ),
    "assessment-my-scores": Row(expect(trainee=200), camp_args),
    "assessment-my-group-scores": Row(expect(counselor=REDIRECT), camp_args),
    "assessment-ranking": Row(OVERSIGHT, camp_args),
    "assessment-trainee-scores": Row(SCORE_READERS, trainee_args, other_args=other_trainee_args),
    "assessment-training-record": Row(SCORE_READERS, trainee_args, other_args=other_trainee_args),
    "assessment-group-scores": Row(
        expect(counselor=200, staff=200, orgdept=200, leader=200),
        _group_args("group_1"),
        other_args=_group_args("group_2"),
    ),
}


ROWS: dict[str, Row] = {
    # --- camp: login, homes, editions, audit -------------------------------------------------
    "login": Row(expect(anonymous=200, **dict.fromkeys(PERSONAS[1:], REDIRECT))),
    "logout": Row(expect(anonymous=405, **dict.fromkeys(PERSONAS[1:], 405))),
    "password-change": Row(EVERYONE),
    # Notifications: one's own inbox; one's own settings, and staff edit anyone's.
    "notifications": Row(EVERYONE),
    "notification-open": Row(
        GET_405,
        lambda w: [w.notification.pk],
        post=expect(trainee=ALLOWED, counselor=404, staff=404, orgdept=404, leader=404),
    ),
    "notifications-read-all": Row(GET_405, post=expect(**dict.fromkeys(PERSONAS[1:], ALLOWED))),
    "notification-settings": Row(EVERYONE),
    "notification-settings-for": Row(
        expect(trainee=200, staff=200), lambda w: [w.cast.trainee_1.pk]
    ),
    "home": Row(expect(**dict.fromkeys(PERSONAS[1:], REDIRECT))),
    "camp-list": Row(EVERYONE),
    "camp-new": Row(STAFF_ONLY),
    "camp-detail": Row(expect(**dict.fromkeys(PERSONAS[1:], REDIRECT)), camp_args),
    "camp-edit": Row(STAFF_ONLY, camp_args),
    "sensitive-log": Row(STAFF_ONLY),
    "history-index": Row(STAFF_ONLY),
    # Data retention: its runs and a preview naming whom the next run anonymizes.
    "retention": Row(expect(staff=200, orgdept=200), query={"as_of": "2032-01-01"}),
    "history-trainee": Row(STAFF_ONLY, lambda w: [w.trainee.pk]),
    "history-object": Row(STAFF_ONLY, lambda w: ["trainees.trainee", w.trainee.pk]),
    # --- selection: candidates are staff's to edit, orgdept's to read, nobody else's ----------
    **{
        name: Row(SELECTION_READ, args)
        for name, args in (
            ("candidate-list", camp_args),
            ("candidate-template", no_args),
            ("candidate-detail", lambda w: [w.trainee.candidate_id]),
        )
    },
    **{
        name: Row(SELECTION_EDIT, args)
        for name, args in (
            ("candidate-new", camp_args),
            ("candidate-import", camp_args),
            ("candidate-edit", lambda w: [w.trainee.candidate_id]),
            ("candidate-decide", lambda w: [w.trainee.candidate_id]),
            ("rank-alias-list", no_args),
        )
    },
    "rank-alias-delete": Row(
        {**SELECTION_EDIT, "staff": 405}, lambda w: [RankAlias.objects.order_by("pk")[0].pk]
    ),
    # --- the camp page, roster and profiles -------------------------------------------------
    "overview-current": Row(expect(**dict.fromkeys(PERSONAS[1:], REDIRECT))),
    "camp-overview": Row(EVERYONE, camp_args),
    "roster": Row(EVERYONE, camp_args),
    # Across every camp: those who read every profile; a counselor or trainee would see others.
    "trainee-search": Row(
        expect(staff=200, orgdept=200, leader=200), query={"q": "张", "page": "2"}
    ),
    "initial-passwords": Row(STAFF_ONLY, camp_args),
    "trainee-detail": Row(EVERYONE, lambda w: [w.trainee.pk], other_args=other_trainee_args),
    "trainee-reveal": Row(
        expect(staff=405, orgdept=405), lambda w: [w.trainee.pk], other_args=other_trainee_args
    ),
    "trainee-withdraw": Row(STAFF_ONLY, lambda w: [w.trainee.pk], other_args=other_trainee_args),
    "trainee-reset-password": Row(
        STAFF_POST_ONLY, lambda w: [w.trainee.pk], other_args=other_trainee_args
    ),
    "trainee-post": Row(STAFF_POST_ONLY, lambda w: [w.trainee.pk], other_args=other_trainee_args),
    "export-download": Row(
        expect(counselor=200, staff=200, orgdept=200), lambda w: [w.code, "roster"]
    ),
    # --- homes, groups, conduct codes ----------------------------------------------------------
    "trainee-home": Row(expect(trainee=200)),
    "counselor-home": Row(expect(counselor=200)),
    "group-list": Row(EVERYONE, camp_args),
    "group-detail": Row(EVERYONE, lambda w: [w.cast.group_1.pk]),
    "group-placement": Row(expect(staff=200, orgdept=200, leader=200), camp_args),
    "group-counselor": Row(STAFF_ONLY, lambda w: [w.cast.group_1.pk]),
    "counselor-new": Row(STAFF_ONLY),
    "trainee-move": Row(STAFF_ONLY, lambda w: [w.trainee.pk], other_args=other_trainee_args),
    # The trainee writes their own; their counselor, staff and orgdept read; leaders never.
    "conduct-mine": Row(expect(trainee=REDIRECT), camp_args),  # to their own code
    "conduct-code": Row(
        expect(trainee=200, counselor=200, staff=200, orgdept=200, leader=404),
        lambda w: [w.trainee.pk],
        other_args=other_trainee_args,
    ),
    # --- curriculum: calendar and sessions (everyone reads, staff change) ---------------------
    "curriculum-calendar": Row(EVERYONE, camp_args),
    "curriculum-arrangements": Row(STAFF_ONLY, camp_args),
    "curriculum-plan-run": Row(GET_405, camp_args, post=POST_STAFF),
    "curriculum-day": Row(EVERYONE, lambda w: [w.day.pk]),
    "curriculum-day-move": Row(GET_405, lambda w: [w.day.pk], post=POST_STAFF),
    "curriculum-day-confirm": Row(GET_405, lambda w: [w.day.pk], post=POST_STAFF),
    "curriculum-session": Row(EVERYONE, lambda w: [w.session.pk]),
    "curriculum-session-new": Row(STAFF_ONLY, camp_args),
    "curriculum-session-edit": Row(STAFF_ONLY, lambda w: [w.session.pk]),
    "curriculum-session-qr": Row(STAFF_ONLY, lambda w: [w.session.pk]),
    # The live roll call: the projector's code, the board and closing it are staff tools.
    "curriculum-session-code": Row(STAFF_ONLY, lambda w: [w.session.pk]),
    "curriculum-session-board": Row(STAFF_ONLY, lambda w: [w.session.pk]),
    "curriculum-session-board-data": Row(STAFF_ONLY, lambda w: [w.session.pk]),
    "curriculum-session-roll-call-close": Row(GET_405, lambda w: [w.session.pk], post=POST_STAFF),
    "curriculum-session-sheet": Row(STAFF_ONLY, lambda w: [w.session.pk]),
    "curriculum-session-evaluate": Row(GET_405, lambda w: [w.session.pk], post=POST_TRAINEE),
    "curriculum-evaluations": Row(STAFF_ONLY, camp_args),
    "curriculum-plan": Row(EVERYONE, camp_args),
    "curriculum-plan-defaults": Row(GET_405, camp_args, post=POST_STAFF),
    "curriculum-target-count": Row(GET_405, lambda w: [w.target.pk], post=POST_STAFF),
    "curriculum-kind-new": Row(GET_405, camp_args, post=POST_STAFF),
    "curriculum-instructors": Row(EVERYONE, camp_args),
    # Attendance and leave: staff edit, counselor own group, trainee own, orgdept read.
    "curriculum-session-attendance": Row({**ATTENDANCE, "trainee": 404}, lambda w: [w.session.pk]),
    "curriculum-attendance": Row(ATTENDANCE, camp_args),
    "curriculum-leave": Row(ATTENDANCE, camp_args),
    "curriculum-leave-approval-policy": Row(STAFF_ONLY, camp_args),
    # Counselors and orgdept reach it for the approval steps they hold; the service decides.
    "curriculum-leave-decide": Row(
        GET_405,
        lambda w: [w.leave.pk],
        post=expect(staff=ALLOWED, counselor=ALLOWED, orgdept=ALLOWED),
        other_args=lambda w: [w.other_leave.pk],
    ),
    # The world's leave has no attachment, so every reader gets 404 (and others the same 404);
    # tests/curriculum/test_leave_attachment.py serves one.
    "curriculum-leave-attachment": Row(
        expect(trainee=404, counselor=404, staff=404, orgdept=404, leader=404),
        lambda w: [w.leave.pk],
    ),
    # Escalations: listed for whoever may see the trainees (filtered); the group's counselor and
    # staff record the handling.
    "curriculum-escalations": Row(EVERYONE, camp_args),
    "curriculum-escalation-close": Row(
        GET_405,
        lambda w: [w.escalation.pk],
        post=expect(staff=ALLOWED, counselor=ALLOWED, trainee=403, orgdept=403, leader=403),
    ),
    "curriculum-leave-close": Row(
        GET_405,
        lambda w: [w.leave.pk],
        post=POST_TRAINEE,
        other_args=lambda w: [w.other_leave.pk],
        refused_on_others=("trainee",),
    ),
    "curriculum-leave-cancel": Row(
        GET_405,
        lambda w: [w.leave.pk],
        post=POST_TRAINEE,
        other_args=lambda w: [w.other_leave.pk],
        refused_on_others=("trainee",),
    ),
    "curriculum-check-in": Row(expect(trainee=200), lambda w: [w.check_in_token]),
    "curriculum-my-schedule": Row(expect(trainee=200)),
    # The feed is read by calendar programs that cannot log in: the secret token is the key.
    "curriculum-feed": Row(
        dict.fromkeys(PERSONAS, 200), lambda w: [w.feed_token], refused_on_others=()
    ),
    "curriculum-feed-revoke": Row(GET_405, post=POST_TRAINEE),
    # Talks are confidential: the group's counselor writes, staff read, nobody else knows.
    "curriculum-talks": Row(TALKS, camp_args),
    "curriculum-talk": Row(
        TALKS,
        lambda w: [w.talk.pk],
        other_args=lambda w: [w.other_talk.pk],
        refused_on_others=("counselor",),
    ),
    # Research and practice: everyone reads; staff edit; members and owners write their part.
    "curriculum-research": Row(EVERYONE, camp_args),
    "curriculum-research-topic": Row(EVERYONE, lambda w: [w.topic.pk]),
    "curriculum-research-member": Row(GET_405, lambda w: [w.topic.pk], post=POST_STAFF),
    "curriculum-research-milestone": Row(GET_405, lambda w: [w.topic.pk], post=POST_STAFF),
    "curriculum-research-report": Row(
        GET_405, lambda w: [w.topic.pk], post=expect(staff=ALLOWED)
    ),  # trainee 1 leads no team here
    "curriculum-research-download": Row(
        {**EVERYONE, "trainee": 404}, lambda w: [w.topic.pk]
    ),  # trainees read a report only in their own team
    "curriculum-chief-projects": Row(EVERYONE, camp_args),
    "curriculum-chief-project": Row(EVERYONE, trainee_args, other_args=other_trainee_args),
    "curriculum-progress-note": Row(
        GET_405,
        trainee_args,
        post=POST_TRAINEE,
        other_args=other_trainee_args,
        refused_on_others=("trainee",),
    ),
    "curriculum-progress-comment": Row(
        GET_405,
        lambda w: [w.progress_note.pk],
        post=POST_COUNSELOR,
        other_args=lambda w: [w.other_progress_note.pk],
        refused_on_others=("counselor",),
    ),
    "curriculum-task-forces": Row(EVERYONE, camp_args),
    "curriculum-task-force": Row(EVERYONE, lambda w: [w.task_force.pk]),
    # --- the organization department (issue 5): tracking and shortlists are read by staff and
    # leaders; interviews are confidential to orgdept and staff; exports belong to their owner.
    **_OVERSIGHT_ROWS,
    # --- the assessment (issue 4): scheme, score entries, fast entry, submissions -------------
    **_SCORING_ROWS,
    # --- the assessment (issue 4): reviews, summaries, contests, comments, score pages ------
    **_ACTIVITY_ROWS,
}


@functools.cache
def url_names() -> dict[str, str]:
    """Every named URL pattern of the project: name → route, outside the skipped prefixes."""
    found: dict[str, str] = {}

    def walk(resolver: URLResolver, prefix: str, namespace: str) -> None:
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith(SKIPPED_PREFIXES):
                continue
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}{pattern.namespace}:"
                walk(pattern, route, inner)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {route}>"
                found.setdefault(name, route)

    walk(get_resolver(), "", "")
    return found


def _clients(cast) -> dict[str, Client]:
    return clients_for(one_per_role(cast))


def _try(client: Client, method: str, url: str, query: dict | None) -> int | str:
    try:
        if method == "get":
            return _outcome(client.get(url, query or {}))
        return _outcome(client.post(url, {}))
    except Exception as error:  # a crash is one more wrong cell to report
        return f"raised {type(error).__name__}: {error}"[:160]


def test_every_url_pattern_has_a_row():
    missing = sorted(
        f"{name}  ({route})" for name, route in url_names().items() if name not in ROWS
    )
    assert not missing, (
        "these URLs have no row in tests/test_access_matrix.py ROWS; add what each persona "
        "should get:\n  " + "\n  ".join(missing)
    )


def test_the_table_names_only_existing_urls():
    stale = sorted(set(ROWS) - set(url_names()))
    assert not stale, f"rows for URLs that no longer exist: {stale}"


@pytest.fixture
def world(cast, monkeypatch) -> World:
    moment = timezone.make_aware(
        datetime.datetime.combine(TODAY_IN_THE_WORLD, datetime.time(12, 0))
    )
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return build_world(cast)


def test_every_url_answers_each_persona_as_the_table_says(world):
    """GET every URL as every persona. One test collects every wrong cell, so a failure shows
    the whole picture at once."""
    clients = _clients(world.cast)
    wrong = []
    for name, row in ROWS.items():
        if name not in url_names():
            continue  # reported by test_the_table_names_only_existing_urls
        url = reverse(name, args=row.args(world))
        for persona in PERSONAS:
            got = _try(clients[persona], "get", url, row.query)
            if got != row.expect[persona]:
                wrong.append(f"{name} as {persona}: expected {row.expect[persona]}, got {got}")
    assert not wrong, "\n".join(wrong)


DENIED = {LOGIN, 403, 404}


def test_a_post_is_refused_to_whoever_may_not_get_the_page(world):
    """Every form's POST checks the same rules as its GET: a persona refused the page is
    refused the POST too (POST-only URLs say what a POST gets in `post`)."""
    clients = _clients(world.cast)
    wrong = []
    for name, row in ROWS.items():
        if name not in url_names():
            continue
        url = reverse(name, args=row.args(world))
        for persona in PERSONAS:
            if row.post is not None:
                expected = row.post[persona]
                if expected == ALLOWED:
                    continue
                got = _try(clients[persona], "post", url, None)
                if got != expected:
                    wrong.append(f"POST {name} as {persona}: expected {expected}, got {got}")
            elif row.expect[persona] in DENIED:
                got = _try(clients[persona], "post", url, None)
                if got not in DENIED:
                    wrong.append(
                        f"POST {name} as {persona}: GET is {row.expect[persona]}, POST {got}"
                    )
    assert not wrong, "\n".join(wrong)


def test_a_trainee_and_a_counselor_cannot_reach_others(world):
    """Trainee 1 and the counselor of group 1 aim every object URL at trainee 2 / group 2."""
    clients = _clients(world.cast)
    wrong = []
    tried = 0
    for name, row in ROWS.items():
        if row.other_args is None or name not in url_names():
            continue
        url = reverse(name, args=row.other_args(world))
        for persona in row.refused_on_others:
            tried += 1
            methods = ("post",) if row.expect[persona] == 405 else ("get", "post")
            for method in methods:
                got = _try(clients[persona], method, url, row.query)
                if got not in {403, 404}:
                    wrong.append(f"{method.upper()} {name} as {persona} on others': got {got}")
    assert not wrong, "\n".join(wrong)
    assert tried


def test_a_guessed_or_revoked_feed_token_finds_nothing(world, client):
    from curriculum.services.feed import feed_token_revoke

    guessed = world.feed_token[:-4] + "0000"
    assert client.get(reverse("curriculum-feed", args=[guessed])).status_code == 404
    feed_token_revoke(trainee=world.trainee)
    assert client.get(reverse("curriculum-feed", args=[world.feed_token])).status_code == 404


def _workbook_cells(response) -> list[str]:
    from io import BytesIO

    from openpyxl import load_workbook

    workbook = load_workbook(BytesIO(response.content), read_only=True)
    return [
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]


def test_exports_never_carry_another_trainees_or_groups_data(world):
    """Workbooks follow the same rules: a trainee downloads only their own training record, a
    counselor only their own group's records and roster."""
    clients = _clients(world.cast)
    url = reverse("export-download", args=[world.code, "record"])
    own, other = world.trainee.pk, world.other_trainee.pk
    for persona in ("trainee", "counselor"):
        mine = clients[persona].get(url, {"trainee": own})
        assert mine.status_code == 200, persona
        assert "张三" in "".join(_workbook_cells(mine))
        theirs = _try(clients[persona], "get", url, {"trainee": other})
        assert theirs in {403, 404}, f"{persona} got {theirs} for another trainee's record"

    roster = clients["counselor"].get(
        reverse("export-download", args=[world.code, "roster"]), {"group": "2"}
    )
    if roster.status_code == 200:
        assert "李四" not in "".join(_workbook_cells(roster))
    else:
        assert _outcome(roster) in {REDIRECT, 403, 404}
