"""Who may read a meeting's documents (see placette.lib.documents): besides staff, the voters on
its roll once the meeting is convened and the document's publication date (by default the legal
date, 15 days before the meeting) has come — a document attached before is a draft the team is
still preparing. Scanned paper forms (scope "governance.form") are read by the staff only."""

from typing import Any

from placette.lib.documents import Document, document_readers

MEETING_SCOPE = "governance.meeting"


@document_readers(MEETING_SCOPE)
def meeting_document_readable(user: Any, document: Document) -> bool:
    from django.db.models import Q
    from django.utils import timezone

    from placette.governance.models import Meeting, MeetingDocument

    if not Meeting.objects.filter(
        pk=document.scope_id or 0, convened_at__isnull=False, roll__contact_id=user.contact_id
    ).exists():
        return False
    return MeetingDocument.objects.filter(
        Q(published_on__isnull=True) | Q(published_on__lte=timezone.localdate()),
        document=document,
    ).exists()
