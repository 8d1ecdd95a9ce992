"""The floors: the least work that produces the same results, measured on the same data.

- Summary floor: ONE SQL statement that computes the month's trainee rows (the scheme's
  arithmetic: deduction / graded mean / bonus with caps, half-up rounding to 0.1, category totals,
  assessed points, class and group ranks with shared ranks, change against the previous month,
  attendance rate, the group at the month's end from the dated moves) and, through
  data-modifying CTEs, the group and class figures, writing all three into scratch tables
  shaped like the app's.
- Export floor: raw openpyxl write-only, plain values, from one query.
- Page floor: see bench/pages.py.
"""

from __future__ import annotations

import datetime
import io
import time

from django.db import connection, transaction

ROW_TABLE = "bench_floor_row"
GROUP_TABLE = "bench_floor_group"
CLASS_TABLE = "bench_floor_class"

SCORES_CTE = """
trainee AS (
    -- The group on the day (the dated membership): the latest move in effect by then; before
    -- the first move its from_group; without any move the current group.
    SELECT t.id, t.camp_id, t.status, t.admitted_on, t.withdrawn_on,
           CASE WHEN latest.id IS NOT NULL THEN latest.to_group_id
                WHEN earliest.id IS NOT NULL THEN earliest.from_group_id
                ELSE t.group_id END AS group_id
    FROM trainees_trainee t
    LEFT JOIN LATERAL (
        SELECT m.id, m.to_group_id FROM trainees_groupmove m
        WHERE m.trainee_id = t.id AND m.effective_on <= %(end)s
        ORDER BY m.effective_on DESC, m.id DESC LIMIT 1
    ) latest ON TRUE
    LEFT JOIN LATERAL (
        SELECT m.id, m.from_group_id FROM trainees_groupmove m
        WHERE m.trainee_id = t.id
        ORDER BY m.effective_on, m.id LIMIT 1
    ) earliest ON TRUE
    WHERE t.camp_id = ANY(%(camps)s)
),
first_day AS (
    -- The day each trainee's deduction items begin: their first training day as a member;
    -- without a plan the later of the camp's start and the admission; never when no training
    -- day is left after the admission.
    SELECT t.id AS trainee_id,
           CASE WHEN EXISTS (SELECT 1 FROM curriculum_trainingday d WHERE d.camp_id = t.camp_id)
                THEN COALESCE((SELECT MIN(d.date) FROM curriculum_trainingday d
                               WHERE d.camp_id = t.camp_id AND d.date >= t.admitted_on),
                              DATE '9999-12-31')
                ELSE GREATEST(make_date(c.year, c.start_month, 1), t.admitted_on) END AS first
    FROM trainee t JOIN camp_camp c ON c.id = t.camp_id
),
agg AS (
    SELECT e.trainee_id, e.item_id,
           SUM(e.points) AS total_now, COUNT(*) AS n_now,
           SUM(e.points) FILTER (WHERE e.date <= %(prev_end)s) AS total_before,
           COUNT(*) FILTER (WHERE e.date <= %(prev_end)s) AS n_before
    FROM assessment_scoreentry e JOIN trainee t ON t.id = e.trainee_id
    WHERE e.date <= %(end)s
    GROUP BY e.trainee_id, e.item_id
),
item_score AS (
    SELECT t.id AS trainee_id, t.camp_id, t.group_id, t.status, t.admitted_on, t.withdrawn_on,
           i.number, i.category, i.max_points,
           CASE i.kind
             WHEN 'deduction' THEN CASE WHEN %(end)s >= f.first OR COALESCE(a.n_now, 0) > 0
                  THEN round(GREATEST(0, i.max_points - COALESCE(a.total_now, 0)), 1) END
             WHEN 'graded' THEN CASE WHEN a.n_now > 0
                  THEN round(LEAST(i.max_points, a.total_now / a.n_now), 1) END
             ELSE round(LEAST(i.max_points, COALESCE(a.total_now, 0)), 1)
           END AS score,
           CASE i.kind
             WHEN 'deduction' THEN %(end)s >= f.first OR COALESCE(a.n_now, 0) > 0
             WHEN 'graded' THEN COALESCE(a.n_now, 0) > 0
             ELSE COALESCE(a.total_now, 0) > 0
           END AS assessed,
           CASE i.kind
             WHEN 'deduction' THEN CASE WHEN %(prev_end)s >= f.first OR COALESCE(a.n_before, 0) > 0
                  THEN round(GREATEST(0, i.max_points - COALESCE(a.total_before, 0)), 1) END
             WHEN 'graded' THEN CASE WHEN a.n_before > 0
                  THEN round(LEAST(i.max_points, a.total_before / a.n_before), 1) END
             ELSE round(LEAST(i.max_points, COALESCE(a.total_before, 0)), 1)
           END AS score_before
    FROM trainee t
    JOIN first_day f ON f.trainee_id = t.id
    JOIN assessment_scheme s ON s.camp_id = t.camp_id
    JOIN assessment_assessmentitem i ON i.scheme_id = s.id
    LEFT JOIN agg a ON a.trainee_id = t.id AND a.item_id = i.id
),
per_trainee AS (
    SELECT trainee_id, camp_id, group_id, admitted_on,
           (admitted_on <= %(end)s
            AND (status = 'active' OR (withdrawn_on IS NOT NULL AND %(end)s < withdrawn_on)))
             AS ranked,
           jsonb_object_agg(number::text, score::text) AS item_scores,
           COALESCE(SUM(score) FILTER (WHERE category = 'theory'), 0) AS theory,
           COALESCE(SUM(score) FILTER (WHERE category = 'party_spirit'), 0) AS party_spirit,
           COALESCE(SUM(score) FILTER (WHERE category = 'capability'), 0) AS capability,
           COALESCE(SUM(score), 0) AS total,
           COALESCE(SUM(max_points) FILTER (WHERE assessed), 0) AS assessed_points,
           COALESCE(SUM(score_before), 0) AS total_before
    FROM item_score
    GROUP BY trainee_id, camp_id, group_id, status, admitted_on, withdrawn_on
)
"""

# The job: scores at the month's end and the previous month's, attendance, the three tables.
SUMMARY_TAIL = """
rate AS (
    -- 累计 (the year so far) per trainee: attended / required, leave and absence required but
    -- not attended; and the month's own counts, which groups and the class pool.
    SELECT a.trainee_id,
           round(COUNT(*) FILTER (WHERE a.status IN ('present', 'late', 'left_early'))
                 * 100.0 / COUNT(*), 1) AS rate,
           COUNT(*) FILTER (WHERE s.date >= %(month)s
                            AND a.status IN ('present', 'late', 'left_early')) AS m_attended,
           COUNT(*) FILTER (WHERE s.date >= %(month)s) AS m_required
    FROM curriculum_attendance a
    JOIN curriculum_session s ON s.id = a.session_id
    JOIN trainee t ON t.id = a.trainee_id
    WHERE s.date <= %(end)s AND s.attendance_required
    GROUP BY a.trainee_id
),
member_month AS (
    -- Those who belonged on the month's last day, in their group at its end.
    SELECT t.camp_id, t.group_id, r.m_attended, r.m_required
    FROM trainee t JOIN rate r ON r.trainee_id = t.id
    WHERE t.admitted_on <= %(end)s AND (t.withdrawn_on IS NULL OR t.withdrawn_on >= %(end)s)
),
inserted AS (
    INSERT INTO bench_floor_row (camp_id, month, trainee_id, group_id, theory, party_spirit,
        capability, item_scores, total, assessed_points, class_rank, group_rank, change,
        attendance_rate, computed_at)
    SELECT p.camp_id, %(month)s, p.trainee_id, p.group_id, p.theory, p.party_spirit,
           p.capability, p.item_scores, p.total, p.assessed_points,
           CASE WHEN p.ranked THEN rank() OVER (PARTITION BY p.camp_id, p.ranked
                                                ORDER BY p.total DESC) END,
           CASE WHEN p.ranked AND p.group_id IS NOT NULL
                THEN rank() OVER (PARTITION BY p.camp_id, p.ranked, p.group_id
                                  ORDER BY p.total DESC) END,
           CASE WHEN %(has_before)s AND p.admitted_on <= %(prev_end)s
                THEN p.total - p.total_before END,
           r.rate, now()
    FROM per_trainee p LEFT JOIN rate r ON r.trainee_id = p.trainee_id
    -- A month counts those who belonged by its end; no change for those admitted since.
    WHERE p.admitted_on <= %(end)s
    RETURNING *
),
groups AS (
    INSERT INTO bench_floor_group (camp_id, group_id, month, trainee_count, average_total,
        average_theory, average_party_spirit, average_capability, average_assessed_points,
        attendance_rate, computed_at)
    SELECT camp_id, group_id, %(month)s, COUNT(*), round(AVG(total), 1), round(AVG(theory), 1),
           round(AVG(party_spirit), 1), round(AVG(capability), 1),
           round(AVG(assessed_points), 1),
           (SELECT round(SUM(m.m_attended) * 100.0 / NULLIF(SUM(m.m_required), 0), 1)
            FROM member_month m WHERE m.group_id = inserted.group_id),
           now()
    FROM inserted WHERE class_rank IS NOT NULL AND group_id IS NOT NULL
    GROUP BY camp_id, group_id
    RETURNING 1
)
INSERT INTO bench_floor_class (camp_id, month, trainee_count, average_total, highest_total,
    lowest_total, median_total, average_assessed_points, attendance_rate, distribution,
    computed_at)
SELECT i.camp_id, %(month)s, COUNT(*), round(AVG(i.total), 1), MAX(i.total), MIN(i.total),
       round(((array_agg(i.total ORDER BY i.total))[((COUNT(*) + 1) / 2)::int]
              + (array_agg(i.total ORDER BY i.total))[(COUNT(*) / 2 + 1)::int]) / 2, 1),
       round(AVG(i.assessed_points), 1),
       (SELECT round(SUM(m.m_attended) * 100.0 / NULLIF(SUM(m.m_required), 0), 1)
        FROM member_month m WHERE m.camp_id = i.camp_id),
       (SELECT jsonb_agg(jsonb_build_object('from', low::text, 'to', (low + 30)::text,
                'count', (SELECT COUNT(*) FROM inserted j
                          WHERE j.camp_id = i.camp_id AND j.class_rank IS NOT NULL
                            AND j.total >= low
                            AND (j.total < low + 30 OR (low = 270 AND j.total <= 300))))
                ORDER BY low)
        FROM generate_series(0, 270, 30) AS low),
       now()
FROM inserted i WHERE i.class_rank IS NOT NULL
GROUP BY i.camp_id
"""
SUMMARY_SQL = "WITH " + SCORES_CTE + ", " + SUMMARY_TAIL

# The pages' live figures: every trainee of the camps as of a day, ranked in class.
LIVE_SQL = (
    "WITH "
    + SCORES_CTE
    + """
SELECT p.trainee_id, p.group_id, p.ranked, p.item_scores, p.theory, p.party_spirit,
       p.capability, p.total, p.assessed_points,
       CASE WHEN p.ranked THEN rank() OVER (PARTITION BY p.camp_id, p.ranked
                                            ORDER BY p.total DESC) END AS class_rank,
       round(AVG(p.total) FILTER (WHERE p.ranked) OVER (PARTITION BY p.group_id), 1),
       round(AVG(p.total) FILTER (WHERE p.ranked) OVER (), 1)
FROM per_trainee p
"""
)


def prepare_scratch_tables() -> None:
    """Scratch tables shaped like the app's (with their indexes), so that the floor pays for
    the same writes."""
    with connection.cursor() as cursor:
        for scratch, source in (
            (ROW_TABLE, "assessment_monthlysummaryrow"),
            (GROUP_TABLE, "assessment_groupmonthlysummary"),
            (CLASS_TABLE, "assessment_classmonthlysummary"),
        ):
            cursor.execute(f"DROP TABLE IF EXISTS {scratch}")
            cursor.execute(f"CREATE TABLE {scratch} (LIKE {source} INCLUDING ALL)")


def summary_floor(*, camp_ids: list[int], month: datetime.date) -> float:
    """Seconds to replace the month of every camp with one statement (plus the delete of the
    previous results, as the app does), in one transaction."""
    from camp.models import Camp
    from camp.months import month_end, previous_month

    end = month_end(month)
    before = previous_month(month)
    starts = {camp.start_date for camp in Camp.objects.filter(pk__in=camp_ids)}
    if len(starts) != 1:
        raise ValueError("the floor assumes camps of one start month")
    params = {
        "camps": camp_ids,
        "month": month,
        "end": end,
        "prev_end": month_end(before),
        "has_before": before >= starts.pop(),
    }
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for table in (ROW_TABLE, GROUP_TABLE, CLASS_TABLE):
            cursor.execute(f"DELETE FROM {table} WHERE month = %s", [month])  # noqa: S608
        cursor.execute(SUMMARY_SQL, params)
    return time.perf_counter() - started


def live_scores(*, camp_id: int, as_of: datetime.date) -> list[tuple]:
    """Every trainee of the camp as of a day, in their group that day (as the live pages use):
    (trainee, group, ranked, item scores, theory, party spirit, capability, total, assessed,
    class rank, group average, class average)."""
    params = {
        "camps": [camp_id],
        "end": as_of,
        "prev_end": as_of,
    }
    with connection.cursor() as cursor:
        cursor.execute(LIVE_SQL, params)
        return cursor.fetchall()


def summary_mismatches(month: datetime.date) -> dict[str, int]:
    """Rows where the floor and the app disagree (0 everywhere means the floor is honest)."""
    checks = {
        "rows": """
            SELECT COUNT(*) FROM assessment_monthlysummaryrow a
            FULL JOIN bench_floor_row f
              ON f.trainee_id = a.trainee_id AND f.month = a.month AND f.camp_id = a.camp_id
            WHERE COALESCE(a.month, f.month) = %(month)s AND (
                a.id IS NULL OR f.id IS NULL
                OR (a.group_id, a.theory, a.party_spirit, a.capability, a.total,
                    a.assessed_points, a.class_rank, a.group_rank, a.change, a.attendance_rate)
                   IS DISTINCT FROM
                   (f.group_id, f.theory, f.party_spirit, f.capability, f.total,
                    f.assessed_points, f.class_rank, f.group_rank, f.change, f.attendance_rate)
                OR a.item_scores::jsonb IS DISTINCT FROM f.item_scores::jsonb)""",
        "groups": """
            SELECT COUNT(*) FROM assessment_groupmonthlysummary a
            FULL JOIN bench_floor_group f ON f.group_id = a.group_id AND f.month = a.month
            WHERE COALESCE(a.month, f.month) = %(month)s AND (
                a.id IS NULL OR f.id IS NULL
                OR (a.trainee_count, a.average_total, a.average_theory, a.average_party_spirit,
                    a.average_capability, a.average_assessed_points, a.attendance_rate)
                   IS DISTINCT FROM
                   (f.trainee_count, f.average_total, f.average_theory, f.average_party_spirit,
                    f.average_capability, f.average_assessed_points, f.attendance_rate))""",
        "classes": """
            SELECT COUNT(*) FROM assessment_classmonthlysummary a
            FULL JOIN bench_floor_class f ON f.camp_id = a.camp_id AND f.month = a.month
            WHERE COALESCE(a.month, f.month) = %(month)s AND (
                a.id IS NULL OR f.id IS NULL
                OR (a.trainee_count, a.average_total, a.highest_total, a.lowest_total,
                    a.median_total, a.average_assessed_points, a.attendance_rate)
                   IS DISTINCT FROM
                   (f.trainee_count, f.average_total, f.highest_total, f.lowest_total,
                    f.median_total, f.average_assessed_points, f.attendance_rate)
                OR a.distribution::jsonb IS DISTINCT FROM f.distribution::jsonb)""",
    }
    result = {}
    with connection.cursor() as cursor:
        for name, sql in checks.items():
            cursor.execute(sql, {"month": month})
            result[name] = cursor.fetchone()[0]
    return result


EXPORT_ITEMS = ", ".join(f"(r.item_scores::jsonb->>'{n}')::numeric" for n in range(1, 27))
EXPORT_SQL = f"""
    SELECT c.code,
           row_number() OVER (PARTITION BY r.camp_id ORDER BY r.class_rank NULLS LAST,
                              g.number, p.name),
           p.name, r.group_id, r.theory, r.party_spirit, r.capability, {EXPORT_ITEMS},
           r.total, r.assessed_points, r.class_rank, r.group_rank, r.change,
           r.attendance_rate
    FROM assessment_monthlysummaryrow r
    JOIN camp_camp c ON c.id = r.camp_id
    JOIN trainees_trainee t ON t.id = r.trainee_id
    JOIN trainees_person p ON p.id = t.person_id
    LEFT JOIN trainees_studygroup g ON g.id = r.group_id
    WHERE r.month = %s
    ORDER BY c.code, r.class_rank NULLS LAST, g.number, p.name
"""  # noqa: S608 - item numbers only


def export_floor_rows(month: datetime.date):
    """The province-wide sheet's rows from one query, as plain values (the group's label,
    "未考核" for an item not yet assessed): what every writer of bench/writers.py is given."""
    from trainees.models import StudyGroup

    labels = {group.pk: str(group) for group in StudyGroup.objects.all()}
    with connection.cursor() as cursor:
        cursor.execute(EXPORT_SQL, [month])
        while batch := cursor.fetchmany(2000):
            for row in batch:
                yield [
                    *row[:3],
                    labels.get(row[3], ""),
                    *row[4:7],
                    *("未考核" if score is None else score for score in row[7:33]),
                    *row[33:],
                ]


def export_floor(*, month: datetime.date, sink: io.BytesIO | None = None) -> tuple[float, int]:
    """Raw openpyxl write-only, the same rows as the app's province-wide sheet from one query:
    plain values, no styles, no per-cell objects. Returns (seconds, rows written). (Issue 7's
    floor; issue 19's is the faster of openpyxl and XlsxWriter with the app's formats, see
    bench/writers.py.)"""
    from openpyxl import Workbook

    started = time.perf_counter()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("学员")
    rows = 0
    for values in export_floor_rows(month):
        sheet.append(values)
        rows += 1
    workbook.save(sink or io.BytesIO())
    return time.perf_counter() - started, rows
