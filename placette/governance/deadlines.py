"""The dates around a meeting, from the statutes settings (defaults: the SA rules).

- R225-77 (SA): a paper postal voting form counts if the company receives it at least
  `paper_form_days` (3) days before the meeting; an electronic form — and, here, an online
  proxy — until `electronic_deadline_hour` (15:00) the day before.
- R225-84: written questions (L225-108) reach the chair up to the `written_questions_days`
  (4th) business day before the meeting (Saturdays and Sundays skipped; public holidays are
  not known here: the statutes setting can be raised).
- R225-89 (to verify): the documents of an AG are at the members' disposal during the 15 days
  before the meeting (`DOCUMENTS_DAYS`).
- A board meeting has no deadline but its start (its members vote before it only when the
  statutes allow it).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils import timezone

if TYPE_CHECKING:
    from placette.governance.models import Meeting

DOCUMENTS_DAYS = 15


def _setting(meeting: Meeting, name: str) -> Any:
    from placette.governance.services import statute

    return statute(name, meeting.cutoff_date)


def meeting_day(meeting: Meeting) -> dt.date:
    return timezone.localdate(meeting.starts_at)


def electronic_deadline(meeting: Meeting) -> dt.datetime:
    """Online votes and proxies are received until then (15:00 the day before, local time)."""
    if meeting.is_board:
        return meeting.starts_at
    hour = int(_setting(meeting, "electronic_deadline_hour"))
    day = meeting_day(meeting) - dt.timedelta(days=1)
    deadline = timezone.make_aware(dt.datetime.combine(day, dt.time(min(hour, 23), 0)))
    return min(deadline, meeting.starts_at)


def paper_form_last_day(meeting: Meeting) -> dt.date:
    """The last day a paper postal voting form may be received (3 days before by default)."""
    if meeting.is_board:
        return meeting_day(meeting)
    return meeting_day(meeting) - dt.timedelta(days=int(_setting(meeting, "paper_form_days")))


def business_days_before(day: dt.date, n: int) -> dt.date:
    """The `n`-th business day (Monday to Friday) before `day`."""
    while n > 0:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def written_questions_last_day(meeting: Meeting) -> dt.date:
    return business_days_before(
        meeting_day(meeting), int(_setting(meeting, "written_questions_days"))
    )


def documents_published_on(meeting: Meeting) -> dt.date:
    """The legal date from which a meeting's documents are at the members' disposal."""
    return meeting_day(meeting) - dt.timedelta(days=DOCUMENTS_DAYS)
