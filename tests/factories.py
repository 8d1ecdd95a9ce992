"""factory_boy factories for the camp's models. Tests build what they need from these."""

import datetime

import factory
from factory.django import DjangoModelFactory

from camp.models import Camp, User
from camp.pinyin import name_initials
from camp.roles import Role
from curriculum.models import ActivityKind
from trainees.models import (
    CadreType,
    Candidate,
    Counselor,
    CounselorTerm,
    Decision,
    Gender,
    Person,
    Rank,
    StudyGroup,
    Trainee,
)

TEST_PASSWORD = "test-pass-2026!"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.STAFF
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CampFactory(DjangoModelFactory):
    class Meta:
        model = Camp
        django_get_or_create = ("code",)

    code = "2026"
    name = factory.LazyAttribute(lambda o: f"{o.code}届南太湖新锐特训营")
    year = 2026
    start_month = 1
    capacity = 150
    selection_reference_date = factory.LazyAttribute(lambda o: datetime.date(o.year, 1, 1))
    recruitment_window_start = factory.LazyAttribute(lambda o: o.year - 3)
    recruitment_window_end = factory.LazyAttribute(lambda o: o.year - 1)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"学员{n:03d}")
    # As the services write it (camp.pinyin), whatever name a test gives.
    name_initials = factory.LazyAttribute(lambda o: name_initials(o.name))
    gender = Gender.MALE
    birth_date = datetime.date(1990, 5, 1)
    unit = factory.Sequence(lambda n: f"湖州市第{n % 20}单位")
    position = "副科长"
    rank = Rank.DEPUTY_SECTION_CHIEF
    cadre_type = CadreType.OTHER


class CandidateFactory(DjangoModelFactory):
    class Meta:
        model = Candidate

    camp = factory.SubFactory(CampFactory)
    person = factory.SubFactory(PersonFactory)


class CounselorFactory(DjangoModelFactory):
    class Meta:
        model = Counselor

    user = factory.SubFactory(UserFactory, role=Role.COUNSELOR)
    name = factory.LazyAttribute(lambda o: o.user.full_name)
    unit = "湖州市委"
    rank = Rank.DIVISION_CHIEF


class StudyGroupFactory(DjangoModelFactory):
    class Meta:
        model = StudyGroup
        django_get_or_create = ("camp", "number")

    camp = factory.SubFactory(CampFactory)
    number = 1
    theme = "party_building"


class TraineeFactory(DjangoModelFactory):
    """An admitted trainee with a login, as admission would leave them."""

    class Meta:
        model = Trainee

    camp = factory.SubFactory(CampFactory)
    person = factory.SubFactory(
        PersonFactory,
        user=factory.SubFactory(UserFactory, role=Role.TRAINEE),
    )
    candidate = factory.LazyAttribute(
        lambda o: Candidate.objects.get_or_create(
            camp=o.camp, person=o.person, defaults={"decision": Decision.ADMITTED}
        )[0]
    )
    admitted_on = datetime.date(2026, 1, 1)


def assign_counselor(group: StudyGroup, counselor: Counselor) -> None:
    group.counselor = counselor
    group.save(update_fields=["counselor"])
    CounselorTerm.objects.create(
        group=group, counselor=counselor, started_on=datetime.date(2026, 1, 1)
    )


# Curriculum ------------------------------------------------------------------------------------


class InstructorFactory(DjangoModelFactory):
    class Meta:
        model = "curriculum.Instructor"

    name = factory.Sequence(lambda n: f"教师{n}")
    unit = "浙江大学"
    title = "教授"
    source = "academic"


class TrainingDayFactory(DjangoModelFactory):
    class Meta:
        model = "curriculum.TrainingDay"

    camp = factory.SubFactory(CampFactory)
    number = factory.Sequence(lambda n: n + 1)
    slot_date = datetime.date(2026, 3, 14)
    date = factory.LazyAttribute(lambda o: o.slot_date)


class SessionFactory(DjangoModelFactory):
    """A morning session on a training day (give `training_day`, or `camp` and `date`)."""

    class Meta:
        model = "curriculum.Session"

    training_day = factory.SubFactory(TrainingDayFactory)
    camp = factory.LazyAttribute(lambda o: o.training_day.camp if o.training_day else None)
    date = factory.LazyAttribute(lambda o: o.training_day.date if o.training_day else None)
    half_day = "morning"
    start_time = datetime.time(9, 0)
    end_time = datetime.time(11, 30)
    place = "市委党校报告厅"
    classroom = "conviction"
    activity_kind = factory.LazyFunction(lambda: ActivityKind.objects.get(name="专题党课"))
    topic = factory.Sequence(lambda n: f"专题党课{n}")
