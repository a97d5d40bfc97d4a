"""The one download view of stored documents (see placette.lib.documents)."""

from typing import cast

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from placette.lib.documents import Document, document_readable_by, document_response
from placette.lib.permissions import signed_in_required


@signed_in_required
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document, pk=pk)
    if not document_readable_by(request.user, document):
        # 404, not 403: who may not read a document does not learn that it exists.
        raise Http404("Document introuvable.")
    return cast(HttpResponse, document_response(document))  # streamed; the guards' type is narrower
