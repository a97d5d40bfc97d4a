"""Pagination shared by every list page: a fixed page size and a query string kept on links."""

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def paginate(request: HttpRequest, queryset: QuerySet, per_page: int | None = None) -> Page:
    paginator = Paginator(queryset, per_page or settings.PAGINATE_BY)
    return paginator.get_page(request.GET.get("page"))


def querystring_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
