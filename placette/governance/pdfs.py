"""The long PDFs of governance, produced as background jobs (`placette.lib.jobs`): the letters
to print for the members convened by post, and the attendance sheet of the whole roll."""

from __future__ import annotations

from placette.governance.models import Channel, Convocation, Meeting
from placette.lib.jobs import JobResult, pdf_progress
from placette.lib.models import Job
from placette.lib.pdf import PdfProgress, pdf_render

# Rows of the attendance sheet on one A4 page (attendance_pdf.html).
ATTENDANCE_ROWS_PER_PAGE = 22


def coop_name(meeting: Meeting) -> str:
    from placette.membership.models import Statutes

    statutes = Statutes.objects.in_force(meeting.cutoff_date)
    return statutes.coop_name if statutes else "Placette"


def letters(meeting: Meeting):
    return (
        Convocation.objects.filter(meeting=meeting, channel=Channel.LETTER)
        .select_related("contact")
        .order_by("contact__name_key")
    )


def letters_pdf(meeting: Meeting, *, progress: PdfProgress | None = None) -> bytes:
    return pdf_render(
        "governance/letters_pdf.html",
        {
            "meeting": meeting,
            "letters": letters(meeting),
            "resolutions": meeting.resolutions.all(),
            "agenda": meeting.agenda.all(),
            "coop_name": coop_name(meeting),
        },
        progress=progress,
    )


def attendance_pdf(meeting: Meeting, *, progress: PdfProgress | None = None) -> bytes:
    from placette.governance.services import quorum_status

    entries = meeting.roll.select_related("proxy_given__holder").order_by("name")
    return pdf_render(
        "governance/attendance_pdf.html",
        {
            "meeting": meeting,
            "coop_name": coop_name(meeting),
            "entries": entries,
            "quorum": quorum_status(meeting),
        },
        progress=progress,
    )


def letters_pdf_job(job: Job, *, meeting_id: int) -> JobResult:
    """One letter per member convened by post (782 pages for the demo's AG)."""
    meeting = Meeting.objects.get(pk=meeting_id)
    pages = max(1, letters(meeting).count())
    content = letters_pdf(meeting, progress=pdf_progress(job, pages=pages))
    return JobResult(filename=f"convocations-{meeting.pk}.pdf", content=content)


def attendance_pdf_job(job: Job, *, meeting_id: int) -> JobResult:
    """The attendance sheet of the whole roll, to be signed at the meeting."""
    meeting = Meeting.objects.get(pk=meeting_id)
    pages = 1 + meeting.roll.count() // ATTENDANCE_ROWS_PER_PAGE
    content = attendance_pdf(meeting, progress=pdf_progress(job, pages=pages))
    return JobResult(filename=f"emargement-{meeting.pk}.pdf", content=content)
