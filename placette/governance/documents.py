"""Who may read a meeting's documents (see placette.lib.documents): besides staff, the voters on
its roll once the meeting is convened — a document attached before the convocation is a draft
the team is still preparing."""

from typing import Any

from placette.lib.documents import Document, document_readers

MEETING_SCOPE = "governance.meeting"


@document_readers(MEETING_SCOPE)
def meeting_document_readable(user: Any, document: Document) -> bool:
    from placette.governance.models import Meeting

    return Meeting.objects.filter(
        pk=document.scope_id or 0, convened_at__isnull=False, roll__contact_id=user.contact_id
    ).exists()
