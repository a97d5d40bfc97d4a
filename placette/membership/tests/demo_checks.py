"""The demo cooperative (ESUS-approved foncière): `tax_statements --year 2025` makes one
statement per eligible subscription of the year, and the FEC of 2025 passes the independent
reader of test_fec. Run on the demo built by backoffice's seed test (one build for both:
building the demo is the slowest part of the suite)."""

import datetime as dt
import io
from collections import defaultdict
from decimal import Decimal

from django.core.management import call_command

from placette.membership import fec
from placette.membership.models import Movement, MovementKind
from placette.membership.models_requests import DocumentKind, SubscriptionDocument
from placette.membership.tests.test_fec import read_fec

YEAR = 2025


def demo_tax_statements_and_fec_check() -> None:
    """Call on a freshly seeded demo database."""
    out = io.StringIO()
    call_command("tax_statements", "--year", str(YEAR), stdout=out)
    documents = SubscriptionDocument.objects.filter(kind=DocumentKind.TAX_STATEMENT, year=YEAR)
    assert f"{YEAR} : {documents.count()} état(s) créé(s)" in out.getvalue()
    # Every cash subscription of the year by a natural person declared resident, paid at
    # subscription, has its statement; each statement is about such a subscription.
    paid_in_year = Movement.objects.filter(
        kind=MovementKind.SUBSCRIPTION,
        date__year=YEAR,
        paid__gt=0,
        reversed_by__isnull=True,
        holder__kind="person",
        holder__member__tax_resident_fr=True,
    )
    covered = set(documents.values_list("movement_id", flat=True))
    assert paid_in_year.count() > 50
    assert set(paid_in_year.values_list("pk", flat=True)) <= covered
    eligible = Movement.objects.filter(
        pk__in=covered,
        kind=MovementKind.SUBSCRIPTION,
        reversed_by__isnull=True,
        holder__kind="person",
        holder__member__tax_resident_fr=True,
    )
    assert eligible.count() == len(covered) == documents.count()
    not_resident = Movement.objects.filter(
        kind=MovementKind.SUBSCRIPTION, date__year=YEAR, holder__member__tax_resident_fr=False
    )
    assert not_resident.exists() and not covered & set(not_resident.values_list("pk", flat=True))

    records = read_fec(fec.fec_bytes(dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)), "iso-8859-15")
    entries: dict[int, Decimal] = defaultdict(Decimal)
    dates: dict[int, dt.date] = {}
    for record in records:
        number = int(str(record["EcritureNum"]))
        entries[number] += record["Debit"] - record["Credit"]
        dates[number] = record["EcritureDate"]
        assert dt.date(YEAR, 1, 1) <= record["EcritureDate"] <= dt.date(YEAR, 12, 31)
    assert sorted(entries) == list(range(1, len(entries) + 1))
    assert all(total == 0 for total in entries.values())
    ordered = [dates[n] for n in sorted(dates)]
    assert ordered == sorted(ordered)
