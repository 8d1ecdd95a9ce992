"""Two writers of one appraisal text at once, on a real PostgreSQL (skipped without it): the
counselor and staff both write the first group opinion, or both change the same version; one
is saved, the other refused with who changed it, never an IntegrityError or a silent
overwrite."""

import pytest
from django.core.exceptions import ValidationError

from assessment.models import AppraisalStatement
from assessment.services.appraisal_statements import appraisal_statement_save
from tests.races import race

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(60)]


def _writer(cast, user, text, seen):
    return lambda: appraisal_statement_save(
        trainee=cast.trainee_in_group_1,
        kind="group_opinion",
        text=text,
        by=user,
        seen_version=seen,
    )


@pytest.mark.parametrize("seen", [0, 1])
def test_two_writers_of_one_version_save_one_and_refuse_the_other(postgres, cast, seen):
    if seen:
        _writer(cast, cast.staff, "初稿", 0)()
    results = race(
        _writer(cast, cast.counselor_1, "辅导员的意见", seen),
        _writer(cast, cast.staff, "党校的修改", seen),
    )
    refused = [result for result in results if isinstance(result, Exception)]
    assert len(refused) == 1, results
    assert isinstance(refused[0], ValidationError), refused[0]
    statement = AppraisalStatement.objects.get(trainee=cast.trainee_in_group_1)
    assert statement.version == seen + 1
    winner = statement.text
    assert winner in {"辅导员的意见", "党校的修改"}
    assert str(statement.written_by) in refused[0].messages[0]
