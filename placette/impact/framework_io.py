"""A framework as a file, to share it with partner foncières and networks: JSON (complete) and
CSV (the columns of the starter framework, plus ours). `framework_parse` reads either into a
plain spec that `services.framework_import` creates; every problem is a French `Refusal`."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext as _

from placette.impact.sources import SOURCES
from placette.lib.refusals import Refusal

FORMAT = "placette-impact-framework"
MAX_BYTES = 1_000_000
KINDS = {"number", "percent", "scale5", "scale10", "instrument", "yesno", "choice", "text"}
RESPONDENTS = {"fonciere", "activity", "inhabitants", "committee"}
CSV_HEADER = [
    "number",
    "dimension",
    "indicator",
    "type",
    "unit_or_scale",
    "answered_by",
    "frequency",
    "notes",
    "code",
    "kind",
    "respondents",
    "nature",
    "source",
    "choices",
    "items",
    "item_min",
    "item_max",
    "threshold",
    "optional",
]
# The 3-question UCLA loneliness scale (Hughes et al. 2004), answers 1 to 3 each, score 3 to 9.
UCLA_ITEMS = [
    "À quelle fréquence avez-vous le sentiment de manquer de compagnie ?",
    "À quelle fréquence vous sentez-vous laissé·e de côté ?",
    "À quelle fréquence vous sentez-vous isolé·e des autres ?",
]
# Sources of the starter framework's computed figures, by its row number.
STARTER_SOURCES = {1: "places.area_renovated", 2: "places.invested", 20: "membership.members"}


def _starter_kind(kind: str) -> tuple[str, str]:
    """(kind, nature) of a starter row's free-worded type."""
    text = kind.lower()
    nature = "stock" if "cumulative" in text else "flow"
    if text.startswith("number"):
        return "number", nature
    if text.startswith("percent"):
        return "percent", nature
    if "1-5" in text:
        return "scale5", nature
    if "0-10" in text:
        return "scale10", nature
    if text.startswith("score"):
        return "instrument", nature
    if "free text" in text:
        return "text", nature
    if "yes" in text:
        return "yesno", nature
    if "choice" in text:
        return "choice", nature
    raise Refusal(_("Type d’indicateur inconnu : « %(kind)s ».") % {"kind": kind}, field="file")


def _starter_respondents(answered_by: str) -> list[str]:
    words = {
        "foncière": "fonciere",
        "fonciere": "fonciere",
        "activity": "activity",
        "inhabitants": "inhabitants",
        "committee": "committee",
    }
    found = []
    for part in answered_by.replace("(computed)", "").split("+"):
        code = words.get(part.strip().lower())
        if code and code not in found:
            found.append(code)
    return found


def _int(value: Any, default: int, what: str) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(str(value))
    except ValueError:
        raise Refusal(
            _("%(what)s : « %(value)s » n’est pas un nombre entier.")
            % {"what": what, "value": value},
            field="file",
        ) from None
    if not 0 <= number <= 1000:
        raise Refusal(
            _("%(what)s : « %(value)s » est hors limites.") % {"what": what, "value": value},
            field="file",
        )
    return number


def _threshold(value: Any, what: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        raise Refusal(
            _("%(what)s : le seuil « %(value)s » n’est pas un nombre.")
            % {"what": what, "value": value},
            field="file",
        ) from None
    if not number.is_finite() or abs(number) >= 10000:
        raise Refusal(
            _("%(what)s : le seuil « %(value)s » est hors limites.")
            % {"what": what, "value": value},
            field="file",
        )
    return number


def _indicator(raw: dict[str, Any], position: int) -> dict[str, Any]:
    label = str(raw.get("label") or "").strip()
    what = _("Indicateur %(n)s") % {"n": position}
    if not label:
        raise Refusal(_("%(what)s : l’intitulé manque.") % {"what": what}, field="file")
    kind = str(raw.get("kind") or "")
    if kind not in KINDS:
        raise Refusal(
            _("%(what)s : type « %(kind)s » inconnu.") % {"what": what, "kind": kind}, field="file"
        )
    respondents = [str(r) for r in raw.get("respondents") or []]
    if not respondents or not set(respondents) <= RESPONDENTS:
        raise Refusal(
            _("%(what)s : qui répond n’est pas dit ou pas reconnu.") % {"what": what}, field="file"
        )
    source = str(raw.get("source") or "")
    if source and source not in SOURCES:
        raise Refusal(
            _("%(what)s : source calculée « %(source)s » inconnue.")
            % {"what": what, "source": source},
            field="file",
        )
    nature = str(raw.get("nature") or "flow")
    if nature not in ("flow", "stock"):
        raise Refusal(
            _("%(what)s : « %(nature)s » n’est ni un flux ni un stock.")
            % {"what": what, "nature": nature},
            field="file",
        )
    code = slugify(str(raw.get("code") or "")) or f"i{position:02d}-{slugify(label)[:40]}"
    return {
        "position": _int(raw.get("position"), position, what),
        "code": code[:60],
        "label": label[:300],
        "kind": kind,
        "unit": str(raw.get("unit") or "")[:120],
        "respondents": respondents,
        "nature": nature,
        "source": source,
        "choices": [str(c)[:200] for c in raw.get("choices") or []],
        "items": [str(c)[:300] for c in raw.get("items") or []],
        "item_min": _int(raw.get("item_min"), 1, what),
        "item_max": _int(raw.get("item_max"), 3, what),
        "threshold": _threshold(raw.get("threshold"), what),
        "optional": bool(raw.get("optional")),
        "notes": str(raw.get("notes") or ""),
    }


def _decode(content: bytes) -> str:
    if len(content) > MAX_BYTES:
        raise Refusal(_("Le fichier dépasse 1 Mo : ce n’est pas un référentiel."), field="file")
    if b"\x00" in content:
        raise Refusal(_("Ce fichier n’est pas un texte (fichier binaire)."), field="file")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Refusal(_("Le fichier n’est ni en UTF-8 ni en Windows-1252."), field="file")


def parse_json(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except ValueError:
        raise Refusal(_("Ce fichier n’est pas un JSON lisible."), field="file") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise Refusal(_("Ce JSON n’est pas un référentiel exporté par Placette."), field="file")
    dimensions = []
    position = 0
    for dim in data.get("dimensions") or []:
        indicators = []
        for raw in dim.get("indicators") or []:
            position += 1
            indicators.append(_indicator(raw, position))
        name = str(dim.get("name") or "").strip()[:200]
        dimensions.append({"name": name, "indicators": indicators})
    return {"title": str(data.get("title") or "")[:200], "dimensions": dimensions}


def parse_csv(text: str) -> dict[str, Any]:
    first = text.splitlines()[0] if text.strip() else ""
    if not first:
        raise Refusal(_("Le fichier est vide."), field="file")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    if not {"dimension", "indicator"} <= set(reader.fieldnames or []):
        raise Refusal(
            _("Colonnes attendues : « dimension » et « indicator » (au moins)."), field="file"
        )
    dimensions: dict[str, list[dict[str, Any]]] = {}
    for position, row in enumerate(reader, start=1):
        number = _int(row.get("number"), position, _("Ligne %(n)s") % {"n": position + 1})
        if row.get("kind"):
            kind, nature = row["kind"], row.get("nature") or "flow"
            respondents = [r for r in (row.get("respondents") or "").split("|") if r]
            source = row.get("source") or ""
        else:
            kind, nature = _starter_kind(row.get("type") or "")
            respondents = _starter_respondents(row.get("answered_by") or "")
            source = (
                STARTER_SOURCES.get(number, "")
                # the reference's English words, or the app's own French copy of it
                if re.search(
                    r"computed|calcul", (row.get("answered_by") or "") + (row.get("notes") or "")
                )
                else ""
            )
        items = [i for i in (row.get("items") or "").split("|") if i]
        if kind == "instrument" and not items:
            items = UCLA_ITEMS if "ucla" in (row.get("indicator") or "").lower() else []
        threshold = row.get("threshold")
        if not threshold and "ucla" in (row.get("indicator") or "").lower():
            threshold = "6"
        if not threshold and kind == "scale5" and "≥ 4" in (row.get("unit_or_scale") or ""):
            threshold = "4"
        raw = {
            "position": number,
            "code": row.get("code"),
            "label": row.get("indicator"),
            "kind": kind,
            "unit": row.get("unit_or_scale")
            if kind not in ("instrument",)
            else (row.get("unit_or_scale") or ""),
            "respondents": respondents,
            "nature": nature,
            "source": source,
            "choices": [c for c in (row.get("choices") or "").split("|") if c],
            "items": items,
            "item_min": row.get("item_min"),
            "item_max": row.get("item_max"),
            "threshold": threshold,
            "optional": (row.get("optional") or "").lower() in ("1", "oui", "true", "optional")
            or (row.get("notes") or "").strip().lower() in ("optional", "facultatif"),
            "notes": row.get("notes"),
        }
        dimension = (row.get("dimension") or "").strip()
        if not dimension:
            raise Refusal(
                _("Ligne %(n)s : la dimension manque.") % {"n": position + 1}, field="file"
            )
        dimensions.setdefault(dimension, []).append(_indicator(raw, number))
    if not dimensions:
        raise Refusal(_("Le fichier n’a que la ligne d’en-tête."), field="file")
    return {
        "title": "",
        "dimensions": [{"name": name, "indicators": rows} for name, rows in dimensions.items()],
    }


def framework_parse(content: bytes, name: str) -> dict[str, Any]:
    """Read an uploaded framework (JSON or CSV, told by the name's extension)."""
    text = _decode(content)
    if name.lower().endswith(".json"):
        return parse_json(text)
    if name.lower().endswith(".csv"):
        return parse_csv(text)
    raise Refusal(_("Envoyez un fichier .json ou .csv."), field="file")


def indicator_dict(indicator: Any) -> dict[str, Any]:
    return {
        "position": indicator.position,
        "code": indicator.code,
        "label": indicator.label,
        "kind": indicator.kind,
        "unit": indicator.unit,
        "respondents": list(indicator.respondents),
        "nature": indicator.nature,
        "source": indicator.source,
        "choices": list(indicator.choices),
        "items": list(indicator.items),
        "item_min": indicator.item_min,
        "item_max": indicator.item_max,
        "threshold": str(indicator.threshold) if indicator.threshold is not None else None,
        "optional": indicator.optional,
        "notes": indicator.notes,
    }


def framework_json(framework: Any, dimensions: list[Any]) -> str:
    """`dimensions` with their `indicators` prefetched."""
    return json.dumps(
        {
            "format": FORMAT,
            "version": 1,
            "year": framework.year,
            "title": framework.title,
            "dimensions": [
                {"name": d.name, "indicators": [indicator_dict(i) for i in d.indicators.all()]}
                for d in dimensions
            ],
        },
        ensure_ascii=False,
        indent=2,
    )


def framework_csv_rows(dimensions: list[Any]) -> list[list[Any]]:
    rows = []
    for d in dimensions:
        for i in d.indicators.all():
            rows.append(
                [
                    i.position,
                    d.name,
                    i.label,
                    i.get_kind_display(),
                    i.unit,
                    " + ".join(i.respondent_labels),
                    "",
                    i.notes,
                    i.code,
                    i.kind,
                    "|".join(i.respondents),
                    i.nature,
                    i.source,
                    "|".join(i.choices),
                    "|".join(i.items),
                    i.item_min,
                    i.item_max,
                    i.threshold,
                    "1" if i.optional else "",
                ]
            )
    return rows
