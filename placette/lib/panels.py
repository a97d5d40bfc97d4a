"""What each area knows about one contact, shown on the contact's page beside its timeline.
An area contributes `placette/<app>/contact_panels.py` with `panels(contact) -> list[Panel]`
(an empty list when it knows nothing of that contact); the template reads `ctx`. A fixed number
of queries per area."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from placette.lib.areas import area_modules


@dataclass(frozen=True)
class Panel:
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


def contact_panels(contact: Any) -> list[Panel]:
    return [panel for module in area_modules("contact_panels") for panel in module.panels(contact)]
