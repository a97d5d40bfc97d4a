"""Template helpers of the places area (amounts and numbers: the builtin filters of
placette.lib.money)."""

from django import template
from django.contrib.staticfiles import finders
from django.templatetags.static import static

register = template.Library()


@register.simple_tag
def optional_static(path: str) -> str:
    """The URL of a static file, or "" when no finder has it (the page must work without the
    map library: the list of places below the map does not depend on it)."""
    if not finders.find(path):
        return ""
    try:
        return static(path)
    except ValueError:  # missing from the manifest of a production build
        return ""
