"""A campaign's blocks into a responsive email (HTML with a fluid 600-pixel layout, columns that
stack on a phone without media queries, CSS inlined by the kernel's css-inline) and its plain
text. Reads only: figures of the coop are read at render time, and frozen when it is sent.

Personalisation uses MailChimp's merge tags, which the team knows: *|PRENOM|* (or *|FNAME|*),
*|NOM|* (*|LNAME|*), *|NUMERO|* (member number), replaced per recipient by `personalise`.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from typing import Any

import markdown
import nh3
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.translation import gettext as _

from placette.lib import money

BLOCK_KINDS = ("title", "text", "image", "button", "place", "figure", "columns")


@dataclass(frozen=True)
class Theme:
    name: str
    accent: str
    background: str
    masthead: str


THEMES = {
    "panache": Theme("panache", "#7a2e3a", "#f6f1ea", "La Panache"),
    "news": Theme("news", "#1d5c4a", "#eef4f1", "Nouvelles de la coopérative"),
}


def _markdown(text: str) -> str:
    return nh3.clean(markdown.markdown(text or "", extensions=["tables"]))


def _markdown_text(text: str) -> str:
    """Markdown as plain text: links spelled out, emphasis removed."""
    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"\1 (\2)", text or "")
    return re.sub(r"(\*\*|__|\*|_)(\S.*?\S|\S)\1", r"\2", text).strip()


def coop_figure(code: str) -> tuple[str, str]:
    """(value, default label) of a live figure of the coop, in French."""
    if code == "capital":
        from placette.lib.sums import decimal_sum
        from placette.membership.models import HolderBalance

        total = HolderBalance.objects.aggregate(v=decimal_sum("capital"))["v"]
        return money.euros(total, cents=False), _("de capital citoyen")
    if code == "members":
        import datetime as dt

        from placette.membership.models import Member

        count = Member.objects.active_on(dt.date.today()).count()
        return money.number(count), _("sociétaires")
    if code in ("places", "departments"):
        from placette.places.models import Place

        if code == "places":
            return money.number(Place.objects.count()), _("lieux")
        departments = Place.objects.values("department_code").distinct().count()
        return money.number(departments), _("départements")
    return "—", ""


def _place(pk: str) -> dict[str, Any] | None:
    from placette.places.models import Place

    if not str(pk).isdigit():
        return None
    place = Place.objects.filter(pk=int(pk)).first()
    if place is None:
        return None
    return {
        "name": place.name,
        "commune": f"{place.commune_name} ({place.department_code})",
        "kind": place.get_kind_display(),
        "description": (place.description or "")[:400],
    }


def _image(key: str) -> dict[str, str] | None:
    from django.urls import reverse

    from placette.mailing.models import CampaignImage

    found = CampaignImage.objects.filter(key=key).first() if key else None
    if found is None:
        return None
    return {"src": settings.SITE_URL + reverse("mailing_public:image", args=[found.key])}


def block_parts(block: dict[str, Any]) -> tuple[str, str]:
    """(html, text) of one block."""
    kind = block.get("type")
    if kind == "title":
        text = block.get("text", "")
        return f'<h2 class="title">{escape(text)}</h2>', text
    if kind == "text":
        return f'<div class="text">{_markdown(block.get("markdown", ""))}</div>', _markdown_text(
            block.get("markdown", "")
        )
    if kind == "button":
        label, url = block.get("text", ""), block.get("url", "")
        if not url:
            return "", ""
        return (
            f'<p class="button-row"><a class="button" href="{escape(url)}">{escape(label)}</a></p>',
            f"{label} : {url}",
        )
    if kind == "image":
        image = _image(block.get("image", ""))
        if image is None:
            return "", ""
        alt = block.get("alt", "")
        tag = f'<img class="image" src="{escape(image["src"])}" alt="{escape(alt)}" width="560">'
        if block.get("url"):
            tag = f'<a href="{escape(block["url"])}">{tag}</a>'
        return f'<p class="image-row">{tag}</p>', f"[{alt or _('image')}]"
    if kind == "place":
        place = _place(block.get("place", ""))
        if place is None:
            return "", ""
        html = render_to_string("emails/mailing/_place.html", {"place": place})
        text = f"{place['name']} — {place['kind']}, {place['commune']}\n{place['description']}"
        return html, text.strip()
    if kind == "figure":
        value, label = coop_figure(block.get("figure", ""))
        label = block.get("text") or label
        html = (
            f'<p class="figure"><span class="figure-value">{escape(value)}</span>'
            f'<span class="figure-label">{escape(label)}</span></p>'
        )
        return html, f"{value} {label}"
    if kind == "columns":
        left, right = block.get("markdown", ""), block.get("right", "")
        html = render_to_string(
            "emails/mailing/_columns.html",
            {"left": _markdown(left), "right": _markdown(right)},
        )
        return html, f"{_markdown_text(left)}\n\n{_markdown_text(right)}"
    return "", ""


def campaign_render(campaign: Any) -> tuple[str, str]:
    """(html, text) of the whole newsletter, merge tags still in place."""
    theme = THEMES.get(campaign.template, THEMES["panache"])
    parts = [block_parts(b) for b in campaign.blocks or []]
    body_html = "\n".join(h for h, _t in parts if h)
    body_text = "\n\n".join(t for _h, t in parts if t)
    html = render_to_string(
        "emails/mailing/layout.html",
        {
            "theme": theme,
            "subject": campaign.subject,
            "preheader": campaign.preheader,
            "body": body_html,
            "site_url": settings.SITE_URL,
        },
    )
    text = render_to_string(
        "emails/mailing/layout.txt",
        {"theme": theme, "subject": campaign.subject, "body": body_text},
    )
    return html, text


MERGE_TAGS = {
    "PRENOM": "first_name",
    "FNAME": "first_name",
    "NOM": "last_name",
    "LNAME": "last_name",
    "NUMERO": "member_number",
    "PREFERENCES": "preferences_url",
    "UNSUB": "preferences_url",
}
_MERGE = re.compile(r"\*\|([A-Z_]+)\|\*")


def personalise(content: str, values: dict[str, Any], *, html: bool) -> str:
    """Replace the merge tags by the recipient's values (escaped in HTML); an unknown tag or an
    empty value becomes nothing."""

    def one(match: re.Match[str]) -> str:
        field = MERGE_TAGS.get(match.group(1))
        value = "" if field is None else values.get(field)
        value = "" if value is None else str(value)
        return html_lib.escape(value) if html else value

    return _MERGE.sub(one, content)


def archive_html(campaign: Any) -> str:
    """The sent newsletter as the archive shows it: nobody's name in it."""
    from django.urls import reverse

    values = {
        "first_name": "",
        "last_name": "",
        "member_number": "",
        "preferences_url": settings.SITE_URL + reverse("mailing_public:signup"),
    }
    return personalise(campaign.sent_html or campaign_render(campaign)[0], values, html=True)
