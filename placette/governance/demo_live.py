"""Demo data of the meeting in session, called by `demo.py` for the upcoming AG: the members who
gave a proxy or sent a postal form answered so; about one other voter in eight answered
« je viens » or « à distance ». Deterministic (the seeded `rng`), idempotent, in bulk."""

from __future__ import annotations

from django.utils import timezone

from placette.governance.models import Meeting
from placette.governance.models_live import Registration, RegistrationAnswer


def seed(rng, meeting: Meeting) -> int:
    """Registrations of the convened, not yet held `meeting`; 0 when it already has some."""
    if meeting.convened_at is None or Registration.objects.filter(meeting=meeting).exists():
        return 0
    at = max(meeting.convened_at, timezone.now())
    rows = []
    for pk, proxy, postal in meeting.roll.order_by("pk").values_list(
        "pk", "proxy_given", "postal_form"
    ):
        if proxy is not None:
            answer = RegistrationAnswer.PROXY
        elif postal is not None:
            answer = RegistrationAnswer.POSTAL
        elif rng.random() < 1 / 8:
            answer = rng.choices([RegistrationAnswer.COME, RegistrationAnswer.REMOTE], [3, 1])[0]
        else:
            continue
        rows.append(Registration(meeting=meeting, entry_id=pk, answer=answer, answered_at=at))
    Registration.objects.bulk_create(rows)
    return len(rows)
