"""Store every ID number and phone in its normalized (NFKC) form: full-width digits typed before
the entry points normalized them would otherwise never match the same number typed in ASCII.

An ID number whose normalized form another person already holds is left as it is: those two
are one person twice, and `python manage.py merge_duplicate_persons` lists and merges them."""

import unicodedata

from django.db import migrations


def _normalized(value):
    return unicodedata.normalize("NFKC", value or "").strip()


def normalize(apps, schema_editor):
    Person = apps.get_model("trainees", "Person")
    taken = set(Person.objects.exclude(id_number=None).values_list("id_number", flat=True))
    for person in Person.objects.all().only("pk", "id_number", "phone").iterator():
        changed = []
        if person.id_number:
            number = _normalized(person.id_number).upper()
            if number != person.id_number and number not in taken:
                taken.discard(person.id_number)
                taken.add(number)
                person.id_number = number
                changed.append("id_number")
        phone = _normalized(person.phone)
        if phone != person.phone:
            person.phone = phone
            changed.append("phone")
        if changed:
            person.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [("trainees", "0002_seed_rank_aliases")]

    # Nothing to undo: the normalized values are the same numbers.
    # Not a seed (tests/e2e re-runs seeds only): it rewrites existing rows.
    operations = [migrations.RunPython(normalize, migrations.RunPython.noop, hints={"seed": False})]
