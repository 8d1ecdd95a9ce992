"""The demo camp: what a new user sees after `make demo`."""

import io
from collections import Counter

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db.models import Count, Q

from assessment.models import ExportJob
from camp import demo
from camp.jobs import JobState
from camp.models import Camp, CampStatus, User
from camp.roles import Role
from trainees.eligibility import eligibility_of
from trainees.models import Candidate, ConductCode, Decision, StudyGroup, Trainee, TraineeStatus

from .demo_snapshot import snapshot

PASSWORD = "Demo-2026-camp"


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def backbone_only(monkeypatch):
    """Only the steps up to the backbone (reset, camp, people, groups): the other apps' steps
    are tried by the full run below and by their own tests."""
    monkeypatch.setattr(demo, "DEMO_STEPS", [s for s in demo.DEMO_STEPS if s.order <= 10])


@pytest.mark.django_db
def test_the_demo_backbone_is_believable_deterministic_and_rebuilt(
    backbone_only, django_capture_on_commit_callbacks
):
    output = seed()
    camp = Camp.objects.get(code="2026")
    assert (camp.year, camp.start_month, camp.status) == (2026, 1, CampStatus.RUNNING)

    # about 180 candidates, eligible and not, with township chiefs among them
    candidates = Candidate.objects.filter(camp=camp).select_related("person")
    assert 170 <= candidates.count() <= 190
    verdicts = Counter(eligibility_of(c.person, camp).met for c in candidates)
    assert verdicts[True] >= 150
    assert verdicts[False] >= 15
    assert candidates.filter(person__township_chief_experience=True).count() >= 20
    assert candidates.filter(person__cadre_type="selected_graduate").exists()
    assert candidates.filter(person__cadre_type="recruited_graduate").exists()
    decisions = Counter(candidates.values_list("decision", flat=True))
    assert decisions[Decision.WAITLISTED] > 0
    assert decisions[Decision.REJECTED] > 0

    # 150 active trainees t001…t150, a withdrawal or two replaced from the waitlist
    active = Trainee.objects.filter(camp=camp, status=TraineeStatus.ACTIVE)
    assert active.count() == 150
    assert sorted(active.values_list("person__user__username", flat=True)) == [
        f"t{n:03d}" for n in range(1, 151)
    ]
    assert Trainee.objects.filter(camp=camp, status=TraineeStatus.WITHDRAWN).count() in (1, 2)
    assert not active.filter(group__isnull=True).exists()
    assert active.exclude(placement_reason="").count() == 150
    assert active.filter(post="group_leader").count() == 6
    assert active.filter(post="class_officer").count() >= 3
    assert ConductCode.objects.filter(trainee__in=active).count() >= 110

    # six balanced groups, each with a counselor of 正处级 or above
    groups = StudyGroup.objects.filter(camp=camp).annotate(
        size=Count("trainees", filter=Q(trainees__status=TraineeStatus.ACTIVE))
    )
    sizes = [g.size for g in groups]
    assert len(sizes) == 6
    assert max(sizes) - min(sizes) <= 2
    assert all(g.counselor and g.counselor.rank == "division_chief" for g in groups)
    assert [g.counselor.user.username for g in groups.order_by("number")] == [
        f"counselor{n}" for n in range(1, 7)
    ]

    # accounts, all with the printed password
    roles = {
        "staff": Role.STAFF,
        "orgdept": Role.ORGDEPT,
        "leader": Role.LEADER,
        "counselor1": Role.COUNSELOR,
        "t001": Role.TRAINEE,
        "t150": Role.TRAINEE,
    }
    for username, role in roles.items():
        user = User.objects.get(username=username)
        assert user.role == role
        assert user.check_password(PASSWORD), username
        assert username in output or username in ("t001", "t150")
    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    assert admin.check_password(PASSWORD)
    assert "t001…t150" in output
    assert PASSWORD in output

    # A second run rebuilds the same demo, without duplicates, and its reset takes the demo's
    # export files out of storage along with their jobs.
    first = snapshot()
    job = ExportJob.objects.create(
        user=User.objects.get(username="staff"), camp=camp, kind="roster", state=JobState.DONE
    )
    job.file.save("roster.xlsx", ContentFile(b"PK"), save=True)
    assert default_storage.exists(job.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        seed()
    assert Camp.objects.filter(code="2026").count() == 1
    assert snapshot() == first
    assert not default_storage.exists(job.file.name)
    assert not ExportJob.objects.filter(pk=job.pk).exists()


@pytest.mark.django_db
def test_a_today_before_the_withdrawals_keeps_everyone(backbone_only):
    seed(today="2026-03-31")
    camp = Camp.objects.get(code="2026")
    assert not Trainee.objects.filter(camp=camp, status=TraineeStatus.WITHDRAWN).exists()
    assert Trainee.objects.filter(camp=camp, status=TraineeStatus.ACTIVE).count() == 150


@pytest.mark.django_db
def test_it_refuses_a_short_password():
    with pytest.raises(CommandError, match="至少需要10个字符"):
        seed(password="short")
    assert not Camp.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_malformed_today():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        seed(today="30/11/2026")


# The whole demo rebuilt on another real day is tried in tests/assessment/test_demo.py, on the
# seed that module shares: a full seed costs about twenty seconds.
