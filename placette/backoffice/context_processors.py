"""The back-office navigation is built from the installed areas: an area that is not built yet
is simply absent. An area declares `nav_label`, `nav_url` and `nav_order` on its AppConfig."""

from functools import cache

from django.apps import apps
from django.http import HttpRequest
from django.urls import reverse


@cache
def _areas() -> tuple[tuple[str, str, str], ...]:
    configs = [c for c in apps.get_app_configs() if getattr(c, "nav_label", None)]
    configs.sort(key=lambda c: c.nav_order)
    return tuple((c.label, c.nav_label, reverse(c.nav_url)) for c in configs)


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if not getattr(user, "is_team", False):
        return {}
    path = request.path
    return {
        "nav_areas": [
            {"label": label, "url": url, "active": path.startswith(url)}
            for _, label, url in _areas()
        ]
    }
