"""Fill the bench database with a year of a camp at a chosen scale, fast.

One camp per 150 trainees (10,000 → 67 camps with distinct codes), each with its six study
groups and counselors (made by the app's own `camp_create` and its hooks, so the scheme and the
groups are exactly what the app makes), 24 training days (the 2nd and 4th Saturdays of 2026),
two sessions on each, one attendance row per trainee per session, and about 150 score entries per
trainee across the 26 items:
- graded items get grades within their maximum (monthly items every month, per-event items a few
  times a year, once-only items once);
- deduction items get small deductions; items 1 and 12 get what the app's attendance sync makes
  of the generated attendance (same items, points, dates and `source_key`; the reason text is
  left empty);
- bonus items get awards that stay within their cap.

The bulk tables (users, persons, candidates, trainees, attendance, score entries) go in with
PostgreSQL's COPY through psycopg (`executemany` on SQLite, for the smoke test). The historical
tables of django-simple-history are left empty for generated data. Deterministic for a seed.
Group memberships are GroupMove rows: every trainee's placement from admission, and about 3 %
moved to another group from a day in the year (the dated membership every group figure reads).
"""

from __future__ import annotations

import datetime
import functools
import random
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

YEAR = 2026
TRAINEES_PER_CAMP = 150
MOVED_SHARE = 0.03  # trainees moved to another group during the year, back-dated
PASSWORD = "bench-pass-2026!"
STAMP = "2026-01-01 08:00:00+08:00"

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉宇浩凯健俊帆"

# Graded items: how many grades a trainee gets a month (monthly) or a year (per event).
MONTHLY_GRADED = {3: 1, 4: 1, 7: 1, 10: 1, 15: 1, 16: 1, 19: 1}
EVENT_GRADED = {5: 12, 6: 6, 14: 8, 20: 4, 21: 2, 22: 3, 23: 3}
ONCE_GRADED = {
    8: datetime.date(YEAR, 12, 20),
    9: datetime.date(YEAR, 6, 30),
    18: datetime.date(YEAR, 11, 30),
    26: datetime.date(YEAR, 12, 26),
}
ATTENDANCE_WEIGHTS = (("present", 96), ("late", 2), ("left_early", 1), ("absent", 1))


@dataclass
class Generated:
    scale: int
    camps: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    # Seconds per phase (the app's objects, the rows made in Python, each COPY, the indexes
    # built after the load, VACUUM ANALYZE), for the profile of the generation itself.
    phases: dict[str, float] = field(default_factory=dict)

    def lap(self, phase: str, since: float) -> float:
        now = time.perf_counter()
        self.phases[phase] = self.phases.get(phase, 0.0) + now - since
        return now


def training_dates(year: int = YEAR) -> list[datetime.date]:
    """The 2nd and 4th Saturday of every month: the 24 training days."""
    dates = []
    for month in range(1, 13):
        first = datetime.date(year, month, 1)
        first_saturday = first + datetime.timedelta(days=(5 - first.weekday()) % 7)
        dates += [
            first_saturday + datetime.timedelta(days=7),
            first_saturday + datetime.timedelta(days=21),
        ]
    return dates


def camp_sizes(scale: int) -> list[int]:
    """Trainees per camp: one camp per 150, the remainder spread evenly."""
    camps = max(1, round(scale / TRAINEES_PER_CAMP))
    base, extra = divmod(scale, camps)
    return [base + (1 if index < extra else 0) for index in range(camps)]


class Writer:
    """Appends rows to a table: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self, connection):
        self.connection = connection
        self.postgres = connection.vendor == "postgresql"

    def write(self, table: str, columns: Sequence[str], rows: Iterable[tuple]) -> int:
        count = 0
        if self.postgres:
            raw = self.connection.connection
            copy_sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with raw.cursor() as cursor, cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
        batch: list[tuple] = []
        with self.connection.cursor() as cursor:
            for row in rows:
                batch.append(row)
                if len(batch) == 5000:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
        return count

    def drop_indexes(self, table: str) -> list[str]:
        """Drop the table's secondary indexes and unique constraints (not its primary key, which
        other tables' foreign keys need) and return the statements that make them again.

        Building an index once over the loaded rows is several times cheaper than keeping
        nine of them up to date row by row: at 50,000 trainees the score entries are 6.6
        million rows. Nothing reads the table in between, and the statements come from the
        catalogue, so the table ends with exactly the indexes the migrations made."""
        if not self.postgres:
            return []
        with self.connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c
                WHERE c.conrelid = %s::regclass AND c.contype = 'u' ORDER BY c.conname""",
                [table],
            )
            constraints = cursor.fetchall()
            cursor.execute(
                """
                SELECT k.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i
                JOIN pg_class k ON k.oid = i.indexrelid
                WHERE i.indrelid = %s::regclass AND NOT i.indisprimary
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid
                                  AND c.conrelid = i.indrelid)
                ORDER BY k.relname""",
                [table],
            )
            indexes = cursor.fetchall()
            for name, _definition in constraints:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            for name, _definition in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
        return [
            *(
                f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
                for name, definition in constraints
            ),
            *(definition for _name, definition in indexes),
        ]

    def build_indexes(self, statements: Sequence[str]) -> None:
        if not statements:
            return
        with self.connection.cursor() as cursor:
            # More sort memory for the index builds of this transaction only.
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for statement in statements:
                cursor.execute(statement)

    def next_id(self, table: str) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608
            return cursor.fetchone()[0]

    def sync_identity(self, table: str) -> None:
        """Explicit ids were written: move the identity past them."""
        if self.postgres:
            with self.connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT MAX(id) FROM {table}))"
                )


def _grade(rng: random.Random, max_points) -> str:
    """A grade between 60 % and 100 % of the maximum, in tenths. `random()` rather than
    `randint`: a tenth of the generation's Python time went to randint's checks at 1,500."""
    top = int(max_points * 10)
    low = top * 6 // 10
    return str((low + int(rng.random() * (top - low + 1))) / 10)


def generate(*, scale: int, seed: int = 7) -> Generated:
    """Fill the (migrated, empty) database Django is connected to. Returns what was made."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from assessment.models import AssessmentItem
    from camp.models import CampStatus, User
    from camp.pinyin import name_initials
    from camp.roles import Role
    from camp.services.camps import camp_create
    from curriculum.models import ActivityKind, Session, TrainingDay
    from trainees.models import Counselor, CounselorTerm, Rank, StudyGroup

    started = time.perf_counter()
    rng = random.Random(seed)
    result = Generated(scale=scale)
    writer = Writer(connection)
    password = make_password(PASSWORD)
    dates = training_dates()
    sizes = camp_sizes(scale)
    result.camps = len(sizes)
    # The app's initials, once per distinct name: names repeat (three characters drawn from
    # 50 and 44), and pypinyin took 28 s of a loaded machine's 50,000 names.
    initials = functools.lru_cache(maxsize=None)(name_initials)

    with transaction.atomic():
        if writer.postgres:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
                # Django's foreign keys are deferred: checked row by row at COMMIT, which took a
                # minute of the 10,000 run. The ids here are consistent by construction (the
                # SQLite smoke test, which checks them, proves it), so the load skips the
                # checks as pg_restore does.
                cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                if cursor.fetchone()[0]:  # only a superuser may; without it, just slower
                    cursor.execute("SET LOCAL session_replication_role = replica")
        staff = User.objects.create(
            username="bench-staff", full_name="王管理", role=Role.STAFF, password=password
        )
        User.objects.create(
            username="bench-orgdept", full_name="赵组织", role=Role.ORGDEPT, password=password
        )
        camps = [
            camp_create(
                code=f"B{index + 1:03d}",
                name=f"{YEAR}届第{index + 1}期南太湖新锐特训营",
                year=YEAR,
                capacity=max(size, 150),
                status=CampStatus.RUNNING,
            )
            for index, size in enumerate(sizes)
        ]
        groups_by_camp = {camp.pk: list(camp.groups.order_by("number")) for camp in camps}
        counselor_users = User.objects.bulk_create(
            User(
                username=f"bench-c{camp.code}-{group.number}",
                full_name=f"{SURNAMES[(camp.pk + group.number) % len(SURNAMES)]}辅导",
                role=Role.COUNSELOR,
                password=password,
            )
            for camp in camps
            for group in groups_by_camp[camp.pk]
        )
        counselors = Counselor.objects.bulk_create(
            Counselor(user=user, name=user.full_name, unit="湖州市委", rank=Rank.DIVISION_CHIEF)
            for user in counselor_users
        )
        all_groups = [group for camp in camps for group in groups_by_camp[camp.pk]]
        for group, counselor in zip(all_groups, counselors, strict=True):
            group.counselor = counselor
        # Generated data leaves simple-history empty, so a plain bulk update is right here.
        StudyGroup.objects.bulk_update(all_groups, ["counselor"])
        CounselorTerm.objects.bulk_create(
            CounselorTerm(group=group, counselor=counselor, started_on=datetime.date(YEAR, 1, 1))
            for group, counselor in zip(all_groups, counselors, strict=True)
        )

        kinds = list(ActivityKind.objects.order_by("pk")[:2])
        days = TrainingDay.objects.bulk_create(
            TrainingDay(camp=camp, number=number, slot_date=day, date=day)
            for camp in camps
            for number, day in enumerate(dates, start=1)
        )
        sessions = Session.objects.bulk_create(
            Session(
                camp_id=day.camp_id,
                training_day=day,
                date=day.date,
                half_day=half_day,
                start_time=start,
                end_time=end,
                place="市委党校报告厅",
                classroom=kind.classroom,
                activity_kind=kind,
                topic=f"第{day.number}次集中培训·{label}",
            )
            for day in days
            for half_day, start, end, kind, label in (
                ("morning", datetime.time(9), datetime.time(11, 30), kinds[0], "上午"),
                ("afternoon", datetime.time(14), datetime.time(16, 30), kinds[1], "下午"),
            )
        )
        sessions_by_camp: dict[int, list] = {}
        for session in sessions:
            sessions_by_camp.setdefault(session.camp_id, []).append(session)

        lap = result.lap("camps, groups, counselors, days (the app's own services)", started)
        items_by_camp: dict[int, dict[int, tuple[int, object]]] = {}
        for pk, camp_id, number, max_points in AssessmentItem.objects.values_list(
            "pk", "scheme__camp_id", "number", "max_points"
        ):
            items_by_camp.setdefault(camp_id, {})[number] = (pk, max_points)

        # Trainees: user, person, candidate and trainee rows with ids we choose.
        user_id = writer.next_id("camp_user")
        person_id = writer.next_id("trainees_person")
        candidate_id = writer.next_id("trainees_candidate")
        trainee_id = writer.next_id("trainees_trainee")
        users, persons, candidates, trainees = [], [], [], []
        move_id = writer.next_id("trainees_groupmove")
        moves: list[tuple] = []
        moves_rng = random.Random(seed + 1)
        roster: list[tuple[int, int, int, datetime.date | None, str]] = []
        serial = 0
        for camp, size in zip(camps, sizes, strict=True):
            groups = groups_by_camp[camp.pk]
            for index in range(size):
                serial += 1
                name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
                birth = datetime.date(
                    1986 + rng.randrange(10), 1 + rng.randrange(12), 1 + rng.randrange(28)
                )
                users.append(
                    (
                        user_id,
                        password,
                        False,
                        f"bench-t{serial:05d}",
                        "",
                        "",
                        "",
                        False,
                        True,
                        STAMP,
                        name,
                        Role.TRAINEE,
                        0,
                    )
                )
                persons.append(
                    (
                        person_id,
                        name,
                        rng.choice(("male", "female")),
                        birth,
                        f"33{serial:08d}{birth:%Y%m%d}",
                        f"湖州市第{serial % 40}单位",
                        "副科长",
                        Rank.DEPUTY_SECTION_CHIEF,
                        "",
                        "other",
                        False,
                        "",
                        "",
                        f"138{serial:08d}",
                        user_id,
                        initials(name),
                    )
                )
                candidates.append((candidate_id, "admitted", "", STAMP, camp.pk, person_id))
                group = groups[index % len(groups)]
                withdrawn = rng.random() < 0.01
                withdrawn_on = datetime.date(YEAR, 2 + rng.randrange(10), 15) if withdrawn else None
                # The dated membership: a placement from admission, and for a few a move to
                # the next group from a day in the year (its own random stream, so the rest
                # of the data stays what it was for a seed).
                moves.append(
                    (
                        move_id,
                        "自动分组",
                        True,
                        STAMP,
                        staff.pk,
                        None,
                        group.pk,
                        trainee_id,
                        datetime.date(YEAR, 1, 1),
                    )
                )
                move_id += 1
                if withdrawn_on is None and moves_rng.random() < MOVED_SHARE:
                    moved_to = groups[(index + 1) % len(groups)]
                    moves.append(
                        (
                            move_id,
                            "工作调整",
                            False,
                            STAMP,
                            staff.pk,
                            group.pk,
                            moved_to.pk,
                            trainee_id,
                            datetime.date(
                                YEAR, 2 + moves_rng.randrange(10), 1 + moves_rng.randrange(28)
                            ),
                        )
                    )
                    move_id += 1
                    group = moved_to
                post = (
                    "group_leader"
                    if index < len(groups)
                    else ("class_officer" if index < len(groups) + 5 else "")
                )
                trainees.append(
                    (
                        trainee_id,
                        "",
                        post,
                        "withdrawn" if withdrawn else "active",
                        datetime.date(YEAR, 1, 1),
                        withdrawn_on,
                        "promoted" if withdrawn else "",
                        "",
                        camp.pk,
                        candidate_id,
                        group.pk,
                        person_id,
                    )
                )
                roster.append((trainee_id, camp.pk, group.pk, withdrawn_on, post))
                user_id += 1
                person_id += 1
                candidate_id += 1
                trainee_id += 1

        lap = result.lap("trainee rows made", lap)
        counts = result.counts
        counts["users"] = writer.write(
            "camp_user",
            (
                "id",
                "password",
                "is_superuser",
                "username",
                "first_name",
                "last_name",
                "email",
                "is_staff",
                "is_active",
                "date_joined",
                "full_name",
                "role",
                "unread_notifications",
            ),
            users,
        )
        counts["persons"] = writer.write(
            "trainees_person",
            (
                "id",
                "name",
                "gender",
                "birth_date",
                "id_number",
                "unit",
                "position",
                "rank",
                "rank_title",
                "cadre_type",
                "township_chief_experience",
                "work_field",
                "specialty",
                "phone",
                "user_id",
                "name_initials",
            ),
            persons,
        )
        counts["candidates"] = writer.write(
            "trainees_candidate",
            ("id", "decision", "decision_reason", "nominated_at", "camp_id", "person_id"),
            candidates,
        )
        counts["trainees"] = writer.write(
            "trainees_trainee",
            (
                "id",
                "placement_reason",
                "post",
                "status",
                "admitted_on",
                "withdrawn_on",
                "withdrawal_kind",
                "withdrawal_reason",
                "camp_id",
                "candidate_id",
                "group_id",
                "person_id",
            ),
            trainees,
        )
        counts["group_moves"] = writer.write(
            "trainees_groupmove",
            (
                "id",
                "reason",
                "automatic",
                "at",
                "by_id",
                "from_group_id",
                "to_group_id",
                "trainee_id",
                "effective_on",
            ),
            moves,
        )
        for table in (
            "camp_user",
            "trainees_person",
            "trainees_candidate",
            "trainees_trainee",
            "trainees_groupmove",
        ):
            writer.sync_identity(table)
        lap = result.lap("COPY users, persons, candidates, trainees, moves", lap)
        deferred = [
            *writer.drop_indexes("curriculum_attendance"),
            *writer.drop_indexes("assessment_scoreentry"),
        ]

        attendance_id = writer.next_id("curriculum_attendance")
        attendance_rows: list[tuple] = []
        # {trainee: [(date, status, attendance id)]} for the deductions that follow from it.
        missed: dict[int, list[tuple[datetime.date, str, int]]] = {}
        statuses = [status for status, weight in ATTENDANCE_WEIGHTS for _ in range(weight)]
        for pk, camp_id, _group_id, withdrawn_on, _post in roster:
            for session in sessions_by_camp[camp_id]:
                if withdrawn_on is not None and session.date >= withdrawn_on:
                    break
                status = rng.choice(statuses)
                attendance_rows.append(
                    (attendance_id, status, "staff", "", STAMP, staff.pk, pk, session.pk)
                )
                if status != "present":
                    missed.setdefault(pk, []).append((session.date, status, attendance_id))
                attendance_id += 1
        lap = result.lap("attendance rows made", lap)
        counts["attendance"] = writer.write(
            "curriculum_attendance",
            (
                "id",
                "status",
                "source",
                "note",
                "recorded_at",
                "recorded_by_id",
                "trainee_id",
                "session_id",
            ),
            attendance_rows,
        )
        writer.sync_identity("curriculum_attendance")
        del attendance_rows
        lap = result.lap("COPY attendance", lap)

        counts["score_entries"] = writer.write(
            "assessment_scoreentry",
            (
                "points",
                "date",
                "reason",
                "created_at",
                "updated_at",
                "version",
                "source",
                "source_key",
                "cell",
                "item_id",
                "recorded_by_id",
                "trainee_id",
            ),
            _score_entries(rng, roster, items_by_camp, missed, dates, staff.pk),
        )
        lap = result.lap("score entries made and COPY'd", lap)
        writer.build_indexes(deferred)
        lap = result.lap("indexes built after the load", lap)
    if writer.postgres:
        # Fresh statistics, as autovacuum would leave them on a live database: without them the
        # planner takes a 150-trainee camp for one row and picks nested loops everywhere.
        with connection.cursor() as cursor:
            # VACUUM cannot run inside a transaction (a test's); ANALYZE alone can.
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        lap = result.lap("VACUUM ANALYZE", lap)
    result.seconds = time.perf_counter() - started
    return result


def _score_entries(rng, roster, items_by_camp, missed, dates, staff_id):
    """Rows of assessment_scoreentry, trainee by trainee, each in its own cell (one grade per
    period, one hand-entered entry per day) as the app's writers keep them."""
    from assessment.cells import cell_key
    from assessment.default_scheme import DEFAULT_ITEMS

    kinds = {item.number: (item.kind, item.frequency) for item in DEFAULT_ITEMS}
    # The cell of (item, day, source) is the same for every trainee: computed once each.
    cells: dict[tuple[int, datetime.date, str], str] = {}

    def cell(number: int, day: datetime.date, source: str) -> str:
        key = (number, day, source)
        found = cells.get(key)
        if found is None:
            kind, frequency = kinds[number]
            found = cells[key] = cell_key(kind=kind, frequency=frequency, day=day, source=source)
        return found

    months = [datetime.date(YEAR, month, 1) for month in range(1, 13)]
    for trainee_id, camp_id, _group_id, withdrawn_on, post in roster:
        items = items_by_camp[camp_id]
        entries: list[tuple[int, str, datetime.date, str, str]] = []
        for number, per_month in MONTHLY_GRADED.items():
            for month in months:
                for _ in range(per_month):  # one grade a month: the month is the cell
                    entries.append(
                        (
                            number,
                            _grade(rng, items[number][1]),
                            month.replace(day=20 + int(rng.random() * 8)),
                            "manual",
                            "",
                        )
                    )
        for number, per_year in EVENT_GRADED.items():
            for day in rng.sample(dates, k=min(per_year, len(dates))):
                entries.append((number, _grade(rng, items[number][1]), day, "manual", ""))
        for number, day in ONCE_GRADED.items():
            entries.append((number, _grade(rng, items[number][1]), day, "manual", ""))
        # Small deductions: classroom discipline on some training days, rules on some weeks.
        for day in dates:
            if rng.random() < 0.05:
                entries.append((2, "0.5", day, "manual", ""))
        for week in range(52):
            if rng.random() < 0.03:
                entries.append(
                    (
                        11,
                        "1.0",
                        datetime.date(YEAR, 1, 5) + datetime.timedelta(weeks=week),
                        "manual",
                        "",
                    )
                )
        if rng.random() < 0.1:
            entries.append((13, "2.0", rng.choice(dates), "manual", ""))
        # Bonuses within their caps (5 points each).
        for day in rng.sample(dates, k=rng.randrange(4)):
            entries.append((17, "1.0", day, "manual", ""))
        if post:
            entries.append((24, "5.0", datetime.date(YEAR, 1, 10), "manual", ""))
        for day in rng.sample(dates, k=rng.randrange(3)):
            entries.append((25, "2.0", day, "manual", ""))
        # What attendance_deductions_sync makes of the attendance (default scheme figures).
        for day, status, attendance_pk in missed.get(trainee_id, ()):
            key = f"attendance:{attendance_pk}"
            if status == "absent":
                entries.append((1, "2.0", day, "attendance", key))
                entries.append((12, "2.0", day, "attendance", key))
            else:
                entries.append((1, "0.5", day, "attendance", key))
        for number, points, day, source, key in entries:
            if withdrawn_on is not None and day >= withdrawn_on:
                continue
            yield (
                points,
                day,
                "",
                STAMP,
                STAMP,
                1,
                source,
                key,
                cell(number, day, source),
                items[number][0],
                staff_id,
                trainee_id,
            )
