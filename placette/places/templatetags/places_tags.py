"""Template helpers of the places area."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.contrib.staticfiles import finders
from django.templatetags.static import static

from placette.places.services import money_text

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


@register.filter
def euros(value) -> str:
    if value is None or value == "":
        return "—"
    return money_text(value)


@register.filter
def number(value, digits: int = 0) -> str:
    if value is None:
        return "—"
    exponent = Decimal(1).scaleb(-int(digits))
    value = Decimal(value).quantize(exponent, rounding=ROUND_HALF_UP)
    text = f"{value:,.{int(digits)}f}".replace(",", "\u202f").replace(".", ",")
    return text
