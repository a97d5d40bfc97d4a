"""The one download view of stored documents (see placette.lib.documents)."""

from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404

from placette.lib.documents import Document, document_readable_by, document_response
from placette.lib.permissions import signed_in_required


@signed_in_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = get_object_or_404(Document, pk=pk)
    if not document_readable_by(request.user, document):
        # 404, not 403: who may not read a document does not learn that it exists.
        raise Http404("Document introuvable.")
    return document_response(document)
