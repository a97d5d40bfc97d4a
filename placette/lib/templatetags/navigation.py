"""`{% tabs "area.group" *url_args %}`: an area's tabs from one include, the current one active.

An area declares its tab groups on its AppConfig, `tabs = {"": [(label, url name), …],
"group": […]}`; `{% tabs "membership" %}` renders the main group, `{% tabs
"governance.meeting" meeting.pk style="pills" %}` a group whose URLs take arguments. The tab
whose URL is the longest prefix of the current path is active (the register's snapshots
mark « Registres arrêtés », not « Registre » nor the area's home); a page outside every tab's
URL names its tab: `{% tabs "membership" active="membership:members" %}`."""

from typing import Any

from django import template
from django.apps import apps
from django.urls import reverse

register = template.Library()


def tab_items(name: str, path: str, *args: Any, active: str = "") -> list[dict[str, Any]]:
    app_label, _, group = name.partition(".")
    declared = apps.get_app_config(app_label).tabs[group]  # type: ignore[attr-defined]
    items = [
        (str(label), url_name, reverse(url_name, args=args or None)) for label, url_name in declared
    ]
    if active:
        current = next((url for _, name, url in items if name == active), None)
    else:
        current = max((url for *_, url in items if path.startswith(url)), key=len, default=None)
    return [{"label": label, "url": url, "active": url == current} for label, _, url in items]


@register.inclusion_tag("includes/tabs.html", takes_context=True)
def tabs(
    context: template.Context,
    name: str,
    *args: Any,
    style: str = "tabs",
    label: str = "",
    active: str = "",
) -> dict[str, Any]:
    request = context.get("request")
    return {
        "tabs": tab_items(name, request.path if request else "", *args, active=active),
        "style": style,
        "label": label,
    }
