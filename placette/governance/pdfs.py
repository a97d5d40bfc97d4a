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
    """One letter per member convened by post, with the legal content of the convocation
    (services.convocation_legal) and the paper form to return (proxy or postal vote)."""
    from django.conf import settings
    from django.urls import reverse

    from placette.governance.services import convocation_legal

    return pdf_render(
        "governance/letters_pdf.html",
        {
            "meeting": meeting,
            "letters": letters(meeting),
            **convocation_legal(meeting),
            "portal_url": settings.SITE_URL + reverse("governance_portal:home"),
        },
        progress=progress,
    )


def attendance_entries(meeting: Meeting) -> list:
    """The roll with each voter's domicile (the contact's postal address, one line), proxy
    and postal voting form — one query whatever the size of the roll."""
    entries = list(
        meeting.roll.select_related("contact", "proxy_given__holder", "postal_form").order_by(
            "name", "id"
        )
    )
    for e in entries:
        c = e.contact
        parts = [c.address_line1, c.address_line2, f"{c.postcode} {c.commune_name}".strip()]
        e.domicile = ", ".join(p for p in parts if p)
    return entries


def attendance_pdf(meeting: Meeting, *, progress: PdfProgress | None = None) -> bytes:
    """The attendance sheet (feuille de présence, R225-95): each voter with domicile, shares,
    presence, proxy or postal form; the proxies per holder; certified by the bureau."""
    from placette.governance.models import Proxy
    from placette.governance.services import convocation_legal, quorum_status

    holders: dict[str, list[str]] = {}
    for proxy in Proxy.objects.filter(meeting=meeting).select_related("giver", "holder"):
        if not proxy.is_blank:
            holders.setdefault(proxy.holder_label, []).append(proxy.giver.name)
    blank = Proxy.objects.filter(meeting=meeting, holder__isnull=True, holder_name="").count()
    return pdf_render(
        "governance/attendance_pdf.html",
        {
            "meeting": meeting,
            "coop_name": coop_name(meeting),
            "legal_mention": convocation_legal(meeting)["legal_mention"],
            "entries": attendance_entries(meeting),
            "quorum": quorum_status(meeting),
            "holders": sorted(holders.items()),
            "blank_count": blank,
            "scrutineers": list(meeting.scrutineers.order_by("name_key")),
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
