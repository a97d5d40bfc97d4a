"""Headline figures of the back-office dashboard. Each area contributes a `dashboard.py` module
with a `figures()` function returning `Figure`s; the dashboard shows those of installed areas."""

from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    detail: str = ""
    url: str = ""
    area: str = ""
    extra: list[tuple[str, str]] = field(default_factory=list)


def dashboard_figures() -> list[Figure]:
    figures: list[Figure] = []
    for config in sorted(
        (c for c in apps.get_app_configs() if getattr(c, "nav_label", None)),
        key=lambda c: c.nav_order,
    ):
        try:
            module = import_module(f"{config.name}.dashboard")
        except ModuleNotFoundError:
            continue
        figures.extend(module.figures())
    return figures
