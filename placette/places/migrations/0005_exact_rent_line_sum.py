import django.db.models.expressions
import django.db.models.functions.math
import placette.lib.sums
from django.db import migrations, models
from django.db.models import F
from django.db.models.functions import Round


def round_sqlite_sums(apps, schema_editor):
    """Amounts written by SQLite as `rent + charges` (float sums a few 1e-13 off the cent, seen
    as unpaid although fully paid) become the stored cent value. Nothing to do on PostgreSQL."""
    if schema_editor.connection.vendor != "sqlite":
        return
    RentLine = apps.get_model("places", "RentLine")
    RentLine.objects.update(amount=Round(F("rent") + F("charges"), 2))


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0004_criteria_scoring_cleanup"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="rentline",
            name="rent_line_amount_is_sum",
        ),
        migrations.RunPython(round_sqlite_sums, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="rentline",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "amount",
                        django.db.models.functions.math.Round(
                            django.db.models.expressions.CombinedExpression(
                                models.F("rent"), "+", models.F("charges")
                            ),
                            2,
                            output_field=placette.lib.sums.MoneyOutput(
                                decimal_places=2, max_digits=18
                            ),
                        ),
                    )
                ),
                name="rent_line_amount_is_sum",
                violation_error_message="Le montant dû est la somme du loyer et des charges.",
            ),
        ),
    ]
