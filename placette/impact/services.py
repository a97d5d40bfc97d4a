"""Writes of the impact area: frameworks (created empty, from the starter file, as a copy of
another year, or imported), dimensions and indicators. Keyword-only, atomic, one audit entry
per business event; a rule that says no raises `Refusal` and changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from placette.impact import scoring
from placette.impact.framework_io import framework_parse
from placette.impact.models import Dimension, Framework, Indicator
from placette.lib.audit import audit_log
from placette.lib.refusals import Refusal

STARTER = Path(__file__).parent / "data" / "indicators.csv"
YEAR_MIN, YEAR_MAX = 2000, 2100


def _year_check(year: int) -> None:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise Refusal(_("L’année doit être comprise entre 2000 et 2100."), field="year")
    if Framework.objects.filter(year=year).exists():
        raise Refusal(_("Un référentiel existe déjà pour %(year)d.") % {"year": year}, field="year")


def _create_from_spec(*, framework: Framework, spec: dict[str, Any]) -> None:
    codes: set[str] = set()
    for position, dim in enumerate(spec["dimensions"], start=1):
        if not dim["name"]:
            raise Refusal(_("Une dimension n’a pas de nom."), field="file")
        dimension, _created = Dimension.objects.get_or_create(
            framework=framework, name=dim["name"], defaults={"position": position}
        )
        for raw in dim["indicators"]:
            if raw["code"] in codes:
                raise Refusal(
                    _("Le code « %(code)s » revient deux fois.") % {"code": raw["code"]},
                    field="file",
                )
            codes.add(raw["code"])
            indicator = Indicator(framework=framework, dimension=dimension, **raw)
            scoring.definition_check(indicator)
            indicator.save()


@transaction.atomic
def framework_create(
    *, year: int, title: str, actor: Any, spec: dict[str, Any] | None = None, origin: str = ""
) -> Framework:
    """A framework for `year`, empty or filled from `spec` (see framework_io)."""
    _year_check(year)
    title = (title or (spec or {}).get("title") or "").strip() or _("Référentiel d’utilité sociale")
    framework = Framework.objects.create(year=year, title=title[:200], created_by=actor)
    if spec:
        _create_from_spec(framework=framework, spec=spec)
    audit_log(
        actor=actor,
        action="impact.framework.create",
        obj=framework,
        origin=origin,
        indicators=framework.indicators.count(),
    )
    return framework


def framework_seed(*, year: int, actor: Any, title: str = "") -> Framework:
    """The starter framework (data/indicators.csv, 24 indicators) for `year`."""
    spec = framework_parse(STARTER.read_bytes(), STARTER.name)
    return framework_create(
        year=year,
        title=title or _("Référentiel de départ"),
        actor=actor,
        spec=spec,
        origin="starter",
    )


def framework_import(*, year: int, title: str, content: bytes, name: str, actor: Any) -> Framework:
    """A framework read from an exported JSON or CSV file."""
    spec = framework_parse(content, name)
    return framework_create(year=year, title=title, actor=actor, spec=spec, origin=name[:100])


@transaction.atomic
def framework_copy(*, source: Framework, year: int, actor: Any, title: str = "") -> Framework:
    """Next year's version: the same dimensions and indicators (same codes, so years compare)."""
    _year_check(year)
    framework = Framework.objects.create(
        year=year, title=(title or source.title)[:200], notes=source.notes, created_by=actor
    )
    for dim in source.dimensions.prefetch_related("indicators"):
        copy = Dimension.objects.create(framework=framework, name=dim.name, position=dim.position)
        for indicator in dim.indicators.all():
            indicator.pk = None
            indicator.framework = framework
            indicator.dimension = copy
            indicator.save()
    audit_log(
        actor=actor,
        action="impact.framework.copy",
        obj=framework,
        source=source.pk,
        source_year=source.year,
    )
    return framework


@transaction.atomic
def dimension_add(*, framework: Framework, name: str, actor: Any) -> Dimension:
    name = name.strip()
    if not name:
        raise Refusal(_("Donnez un nom à la dimension."), field="name")
    if framework.dimensions.filter(name=name).exists():
        raise Refusal(_("Cette dimension existe déjà dans ce référentiel."), field="name")
    position = (framework.dimensions.aggregate(m=Max("position"))["m"] or 0) + 1
    dimension = Dimension.objects.create(framework=framework, name=name, position=position)
    audit_log(actor=actor, action="impact.dimension.add", obj=dimension, framework=framework.pk)
    return dimension


@transaction.atomic
def indicator_add(*, framework: Framework, actor: Any, **fields: Any) -> Indicator:
    """A new indicator at the end of the framework; its definition is checked first."""
    dimension = fields["dimension"]
    if dimension.framework_id != framework.pk:
        raise Refusal(_("Cette dimension n’est pas de ce référentiel."), field="dimension")
    if not fields.get("respondents"):
        raise Refusal(_("Dites qui répond à cet indicateur."), field="respondents")
    code = slugify(fields.pop("code", "") or "") or slugify(fields["label"])[:50]
    if framework.indicators.filter(code=code).exists():
        raise Refusal(_("Ce code d’indicateur existe déjà dans ce référentiel."), field="code")
    position = (framework.indicators.aggregate(m=Max("position"))["m"] or 0) + 1
    indicator = Indicator(framework=framework, code=code, position=position, **fields)
    scoring.definition_check(indicator)
    indicator.save()
    audit_log(actor=actor, action="impact.indicator.add", obj=indicator, framework=framework.pk)
    return indicator


from placette.impact.campaigns import (  # noqa: E402  (re-exported: one import for the views)
    activities_to_invite,
    campaign_close,
    campaign_create,
    campaign_launch,
    inhabitant_submit,
    questions,
    reminders_due,
    response_save,
)

__all__ = [
    "activities_to_invite",
    "campaign_close",
    "campaign_create",
    "campaign_launch",
    "dimension_add",
    "framework_copy",
    "framework_create",
    "framework_import",
    "framework_seed",
    "indicator_add",
    "inhabitant_submit",
    "questions",
    "reminders_due",
    "response_save",
]
