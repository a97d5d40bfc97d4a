"""The installed areas, in navigation order, and the convention modules they contribute
(`dashboard`, `todos`, `search`): an area that has not built one is simply skipped."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

from django.apps import AppConfig, apps


def areas() -> list[AppConfig]:
    """The AppConfigs that declare `nav_label` (see docs/architecture.md), by `nav_order`."""
    return sorted(
        (c for c in apps.get_app_configs() if getattr(c, "nav_label", None)),
        key=lambda c: getattr(c, "nav_order", 0),
    )


def area_modules(name: str) -> Iterator[ModuleType]:
    for config in areas():
        # find_spec, not catching ModuleNotFoundError: a broken import inside the module must fail.
        if find_spec(f"{config.name}.{name}") is not None:
            yield import_module(f"{config.name}.{name}")
