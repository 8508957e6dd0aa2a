"""The decision kenmerken count in the one counter of kenmerken
(``subsidies.ReferenceCounter``, prefix ``~D``): each year's last number is copied
over, so the next kenmerk follows the last one handed out; then ``DecisionCounter`` goes.
"""

from django.db import migrations

DECISION_PREFIX = "~D"  # subsidies.counters.DECISION_PREFIX, as it was at this migration


def copy_to_reference_counter(apps, schema_editor):
    DecisionCounter = apps.get_model("beoordeling", "DecisionCounter")
    ReferenceCounter = apps.get_model("subsidies", "ReferenceCounter")
    for old in DecisionCounter.objects.all():
        counter, _created = ReferenceCounter.objects.get_or_create(
            prefix=DECISION_PREFIX, year=old.year
        )
        counter.last_number = max(counter.last_number, old.last_number)
        counter.save(update_fields=["last_number"])


def copy_back(apps, schema_editor):
    DecisionCounter = apps.get_model("beoordeling", "DecisionCounter")
    ReferenceCounter = apps.get_model("subsidies", "ReferenceCounter")
    for counter in ReferenceCounter.objects.filter(prefix=DECISION_PREFIX):
        DecisionCounter.objects.update_or_create(
            year=counter.year, defaults={"last_number": counter.last_number}
        )
    ReferenceCounter.objects.filter(prefix=DECISION_PREFIX).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("beoordeling", "0008_history_link"),
        ("subsidies", "0005_allocation_rule"),
    ]

    operations = [
        migrations.RunPython(copy_to_reference_counter, copy_back),
        migrations.DeleteModel(name="DecisionCounter"),
    ]
