"""Remove allauth e-mail rows that are not their account's own address (issue 9, takeover).

Before, the e-mail management page let an account attach any address, unverified; the code
sign-in then found that row. Only the account's own e-mail remains a sign-in address.
"""

from django.db import migrations
from django.db.models import F


def forwards(apps, schema_editor):
    EmailAddress = apps.get_model("account", "EmailAddress")
    User = apps.get_model("accounts", "User")
    owners = dict(User.objects.values_list("email", "pk"))
    for row in EmailAddress.objects.exclude(email__iexact=F("user__email")).only("pk"):
        row.delete()
    for row in EmailAddress.objects.all():
        if owners.get(row.email.lower()) not in (None, row.user_id):
            row.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
