"""Data kept only as long as it should be (issue 18 §4): the retention job with a frozen clock
on either side of each boundary, what it clears and keeps, its dry run and its audit record."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessment.models import ExportJob, Graduation, Submission
from camp import retention
from camp.models import RetentionRun, SensitiveAccessLog
from camp.roles import Role
from camp.services.retention import retention_apply
from camp.services.sensitive_access import sensitive_access_log
from curriculum.models import LeaveRequest, Talk
from tests.assessment.conftest import item_of
from tests.factories import (
    CampFactory,
    CandidateFactory,
    PersonFactory,
    TraineeFactory,
    TrainingDayFactory,
    UserFactory,
)
from trainees.models import Candidate, Person, Trainee

pytestmark = pytest.mark.django_db

# The 2020 edition graduated on 20 December 2020: its candidates not admitted are kept through
# 20 December 2021, its trainees through 20 December 2025.
GRADUATED = datetime.date(2020, 12, 20)
CANDIDATES_KEPT, CANDIDATES_GONE = datetime.date(2021, 12, 20), datetime.date(2021, 12, 21)
TRAINEES_KEPT, TRAINEES_GONE = datetime.date(2025, 12, 20), datetime.date(2025, 12, 21)


def at(day: datetime.date):
    """The clock stopped on `day` at ten in the morning, local time."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
    return time_machine.travel(moment, tick=False)


def run_command(*args) -> str:
    out = io.StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def old():
    return CampFactory(code="2020", year=2020, graduated_on=GRADUATED)


def trainee_in(camp, name: str, **person) -> Trainee:
    return TraineeFactory(
        camp=camp,
        admitted_on=camp.start_date,
        person=PersonFactory(
            name=name, user=UserFactory(role=Role.TRAINEE, full_name=name), **person
        ),
    )


def person_of(obj) -> Person:
    return Person.objects.get(pk=obj.person_id)


# --- the rule, with the clock on either side of each boundary --------------------------------


def test_a_candidate_not_admitted_is_kept_a_year_and_goes_the_day_after(old):
    candidate = CandidateFactory(
        camp=old, person=PersonFactory(name="钱未录", phone="13900001111", id_number="X1")
    )
    with at(CANDIDATES_KEPT):
        run_command()
    assert person_of(candidate).name == "钱未录"
    with at(CANDIDATES_GONE):
        run_command()
    person = person_of(candidate)
    assert person.name == retention.pseudonym("人选", person.pk)
    assert (person.phone, person.id_number, person.name_initials) == ("", None, "")
    assert person.anonymized_at is not None


def test_a_trainee_is_kept_five_years_and_goes_the_day_after(old):
    trainee = trainee_in(old, "孙学员", phone="13900002222", id_number="330502199001015678")
    with at(CANDIDATES_GONE):
        run_command()  # the candidates' boundary does not touch an admitted trainee
    assert person_of(trainee).name == "孙学员"
    with at(TRAINEES_KEPT):
        run_command()
    assert person_of(trainee).name == "孙学员"
    with at(TRAINEES_GONE):
        run_command()
    person = person_of(trainee)
    assert person.name == retention.pseudonym("学员", person.pk)
    assert (person.phone, person.id_number, person.unit, person.position) == ("", None, "", "")
    # What the composition figures count stays; the birth date keeps its year only.
    assert (person.gender, person.rank, person.cadre_type) == (
        "male",
        "deputy_section_chief",
        "other",
    )
    assert person.birth_date == datetime.date(1990, 1, 1)
    user = person.user
    assert not user.is_active
    assert not user.has_usable_password()
    assert user.full_name == person.name
    assert user.username == trainee.person.user.username


def test_a_person_in_two_editions_stays_until_the_later_expires(old):
    later = CampFactory(code="2024", year=2024)  # graduates 2024-12-31
    trainee = trainee_in(old, "周两届")
    Candidate.objects.create(camp=later, person=trainee.person)  # nominated again, not admitted
    with at(TRAINEES_GONE):
        run_command()
    assert person_of(trainee).name == "周两届"
    with at(datetime.date(2025, 12, 31)):
        run_command()
    assert person_of(trainee).name == "周两届"
    with at(datetime.date(2026, 1, 1)):
        run_command()
    assert person_of(trainee).name.startswith("学员")


def test_a_candidate_admitted_later_is_kept_with_the_later_edition(old):
    later = CampFactory(code="2022", year=2022)  # its trainees are kept until 2028
    person = PersonFactory(name="吴再选")
    Candidate.objects.create(camp=old, person=person)
    TraineeFactory(camp=later, person=person, admitted_on=later.start_date)
    retention_apply(today=TRAINEES_GONE, process="command")
    assert person_of(Candidate.objects.get(camp=old)).name == "吴再选"


# --- what goes and what stays -----------------------------------------------------------------


@pytest.fixture
def expired_trainee(old, cast):
    """A 2020 trainee with notes, a talk, a leave with its attachment, a submission with its
    file, an appraisal, history rows and a line in the sensitive-access log."""
    trainee = trainee_in(old, "郑往届", phone="13900003333", id_number="330502199001019999")
    person = trainee.person
    person.phone = "13900004444"  # a second history row with another phone
    person.save()
    group = cast.group_1
    Talk.objects.create(
        trainee=trainee,
        group=group,
        counselor=cast.counselor_of_group_1,
        held_on=datetime.date(2020, 5, 1),
        topics="家庭情况",
        summary="郑往届谈到家中老人生病。",
    )
    leave = LeaveRequest.objects.create(
        trainee=trainee,
        training_day=TrainingDayFactory(camp=old, slot_date=datetime.date(2020, 5, 9)),
        reason="住院手术",
        attachment_name="病历.pdf",
    )
    leave.attachment.save("病历.pdf", ContentFile(b"%PDF-1.4"), save=True)
    submission = Submission.objects.create(
        trainee=trainee,
        item=item_of(cast.camp, 1),
        text="我的心得",
        submitted_at=timezone.now(),
        original_filename="心得.docx",
        token="a1b2c3",
    )
    submission.file.save("心得.docx", ContentFile(b"PK"), save=True)
    Graduation.objects.create(trainee=trainee, appraisal="该同志表现优秀。", updated_by=cast.staff)
    sensitive_access_log(
        user=cast.staff,
        action=SensitiveAccessLog.Action.VIEW,
        target="学员 郑往届（2020届）",
        detail="身份证号、联系电话",
    )
    with at(datetime.date(2021, 1, 5)):  # made while the edition's people were still kept
        export = ExportJob.objects.create(user=cast.staff, camp=old, kind="roster")
    export.file.save("2020届_花名册.xlsx", ContentFile(b"PK"), save=True)
    files = [leave.attachment.name, submission.file.name, export.file.name]
    assert all(default_storage.exists(name) for name in files)
    return trainee, files


def test_a_real_run_clears_live_rows_history_files_and_the_log(
    expired_trainee, django_capture_on_commit_callbacks
):
    trainee, files = expired_trainee
    with django_capture_on_commit_callbacks(execute=True):
        report = retention_apply(today=TRAINEES_GONE, process="command")
    pseudonym = Person.objects.get(pk=trainee.person_id).name
    # Every copy in the history tables, not only the live row.
    assert set(
        Person.history.filter(id=trainee.person_id).values_list("name", "phone", "id_number")
    ) == {(pseudonym, "", None)}
    assert list(Talk.history.values_list("topics", "summary")) == [("", "")]
    assert Talk.objects.get().summary == ""
    leave = LeaveRequest.objects.get()
    assert (leave.reason, leave.attachment.name, leave.attachment_name) == ("", "", "")
    assert Graduation.objects.get().appraisal == ""
    # Files are gone from storage once the run committed.
    assert not any(default_storage.exists(name) for name in files)
    assert ExportJob.objects.get().file.name == ""
    # The log keeps its row, with the pseudonym for the name.
    log = SensitiveAccessLog.objects.get()
    assert log.target == f"学员 {pseudonym}（2020届）"
    assert report.counts["mentions:camp.sensitiveaccesslog"] == 1
    assert report.counts["people:学员"] == 1
    assert report.counts["logins"] == 1


def test_a_workbook_made_after_the_period_ended_is_left_to_its_own_expiry(old, cast):
    with at(TRAINEES_GONE + datetime.timedelta(days=3)):
        export = ExportJob.objects.create(user=cast.staff, camp=old, kind="roster")
        export.file.save("2020届_花名册.xlsx", ContentFile(b"PK"), save=True)
        report = retention_apply(today=timezone.localdate(), process="command")
    assert "edition:assessment.exportjob#files" not in report.counts
    assert default_storage.exists(ExportJob.objects.get().file.name)


def test_a_dry_run_prints_what_would_go_and_writes_nothing(expired_trainee):
    _trainee, files = expired_trainee
    before = list(Person.objects.values_list("name", "phone", "birth_date"))
    history = Person.history.count()
    with at(TRAINEES_GONE):
        output = run_command("--dry-run")
    assert "郑往届" in output  # an example, named
    assert "谈心谈话: 1" in output
    assert list(Person.objects.values_list("name", "phone", "birth_date")) == before
    assert Person.history.count() == history
    assert all(default_storage.exists(name) for name in files)
    assert SensitiveAccessLog.objects.get().target == "学员 郑往届（2020届）"
    assert not RetentionRun.objects.exists()


def test_a_real_run_leaves_one_record_and_a_second_run_is_a_no_op(expired_trainee, cast):
    report = retention_apply(today=TRAINEES_GONE, by=cast.staff, process="command")
    run = RetentionRun.objects.get()
    assert (run.today, run.by, run.process) == (TRAINEES_GONE, cast.staff, "command")
    assert run.counts == report.counts
    assert run.counts["trainees.person"] == 1
    assert run.cutoffs["2020"] == {
        "graduation": "2020-12-20",
        "candidates": "2021-12-21",
        "trainees": "2025-12-21",
    }
    names = list(Person.objects.values_list("name", flat=True))
    again = retention_apply(today=TRAINEES_GONE, process="command")
    assert again.counts == {}
    assert again.run is None
    assert RetentionRun.objects.count() == 1
    assert list(Person.objects.values_list("name", flat=True)) == names


def test_the_command_refuses_a_bad_date():
    with pytest.raises(CommandError):
        run_command("--today", "2031-02-30")


def test_a_batch_costs_the_same_queries_for_two_people_or_six(old):
    """No per-row loops: a batch's queries depend on the registry, not on how many it holds."""

    def queries_for(count: int, year: int) -> int:
        camp = CampFactory(code=str(year), year=year)
        for n in range(count):
            trainee_in(camp, f"批量{year}{n}")
        with CaptureQueriesContext(connection) as captured:
            retention_apply(today=datetime.date(year + 7, 1, 1), process="command")
        return len(captured)

    assert queries_for(2, 2010) == queries_for(6, 2011)


# --- the page ---------------------------------------------------------------------------------


def test_the_page_previews_a_later_day_and_writes_nothing(client, cast, expired_trainee):
    client.force_login(cast.orgdept)
    response = client.get(reverse("retention"), {"as_of": TRAINEES_GONE.isoformat()})
    page = response.content.decode()
    assert response.status_code == 200
    assert "郑往届" in page  # an example of whom the run would anonymize
    assert "2025-12-21" in page  # the 2020 edition's trainees expire then
    assert not RetentionRun.objects.exists()
    assert Person.objects.filter(name="郑往届").exists()


def test_the_page_refuses_a_bad_date_with_a_message(client, cast):
    client.force_login(cast.staff)
    response = client.get(reverse("retention"), {"as_of": "2031-13-01"})
    assert "日期格式应为" in response.content.decode()


def test_the_page_lists_runs_in_the_same_queries_for_one_run_or_three(
    client, cast, expired_trainee
):
    client.force_login(cast.staff)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("retention")).status_code == 200
        return len(captured)

    retention_apply(today=TRAINEES_GONE, by=cast.staff, process="command")
    queries()  # the first request fills the caches every page shares (menu, camp)
    one = queries()
    RetentionRun.objects.create(
        today=TRAINEES_GONE, by=cast.staff, process="command", counts={"a": 1}
    )
    RetentionRun.objects.create(today=TRAINEES_GONE, by=None, process="beat", counts={"a": 2})
    assert queries() == one


def test_beat_runs_the_task_daily_and_the_task_records_its_process(expired_trainee):
    from camp.celery import app
    from camp.tasks import apply_retention

    assert app.conf.beat_schedule["apply-retention"]["task"] == "camp.tasks.apply_retention"
    with at(TRAINEES_GONE):
        assert apply_retention.delay().get() > 0
    assert RetentionRun.objects.get().process == RetentionRun.Process.BEAT


def test_small_batches_take_everyone_in_a_dry_run_and_a_real_run(old):
    for n in range(3):
        trainee_in(old, f"分批{n}")
    preview = retention_apply(today=TRAINEES_GONE, process="command", dry_run=True, batch_size=1)
    assert preview.counts["people:学员"] == 3
    assert preview.categories["people:学员"].examples == ["分批0", "分批1", "分批2"]
    report = retention_apply(today=TRAINEES_GONE, process="command", batch_size=1)
    assert report.counts == preview.counts
    assert not Person.objects.filter(name__startswith="分批").exists()


@pytest.mark.django_db
def test_the_command_refuses_a_malformed_today_in_chinese_and_writes_nothing():
    from camp.models import RetentionRun

    with pytest.raises(CommandError, match="应写成 YYYY-MM-DD"):
        call_command("apply_retention", "--today", "30/11/2026", stdout=io.StringIO())
    assert not RetentionRun.objects.exists()
