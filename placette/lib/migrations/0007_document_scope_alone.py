from django.db import migrations


class Migration(migrations.Migration):
    """A scope may stand alone (e.g. "membership.register": the register files)."""

    dependencies = [("lib", "0006_job_result_document")]

    operations = [
        migrations.RemoveConstraint(model_name="document", name="document_scope_has_id"),
    ]
