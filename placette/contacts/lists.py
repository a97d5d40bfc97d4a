"""The contacts list (/gestion/contacts/): its columns, filters and bulk actions."""

from typing import Any

import django_filters
import django_tables2 as tables
from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from placette.contacts import communes
from placette.contacts.models import Contact, ContactKind, OrganisationKind, Tag
from placette.contacts.services import contacts_tag
from placette.lib import listing


def _department_choices() -> list[tuple[str, str]]:
    return [(code, f"{code} — {name}") for code, name in communes.departments().items()]


class ContactFilter(listing.FilterSet):
    q = django_filters.CharFilter(
        label=_("Rechercher"),
        method="search",
        widget=forms.SearchInput(
            attrs={"placeholder": _("Nom, e-mail, commune, organisation…"), "autofocus": True}
        ),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Type"),
        choices=ContactKind.choices,
        empty_label=_("Tous"),
        widget=listing.FastSelect,
    )
    org_kind = django_filters.ChoiceFilter(
        label=_("Organisation"),
        choices=OrganisationKind.choices,
        empty_label=_("Toutes"),
        widget=listing.FastSelect,
    )
    department = django_filters.ChoiceFilter(
        label=_("Département"),
        field_name="department_code",
        choices=_department_choices,
        empty_label=_("Tous"),
        widget=listing.FastSelect,
    )
    # One tag cannot match a contact twice: no DISTINCT needed.
    tag = django_filters.ModelChoiceFilter(
        label=_("Étiquette"),
        field_name="tags",
        queryset=Tag.objects.all(),
        empty_label=_("Toutes"),
        distinct=False,
        widget=listing.FastSelect,
    )

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.search(value)


class ContactTable(listing.Table):
    number = tables.Column(_("N°"), accessor="pk", order_by=("pk",))
    name = tables.Column(_("Nom"), accessor="display_name", order_by=("name_key",), linkify=True)
    kind = tables.Column(_("Type"), accessor="kind", order_by=("kind", "org_kind"))
    last_name = tables.Column(_("Nom de famille"), accessor="last_name", orderable=False)
    first_name = tables.Column(_("Prénom"), accessor="first_name")
    organisation = tables.Column(_("Raison sociale"), accessor="organisation_name")
    email = tables.Column(_("E-mail"), accessor="email")
    phone = tables.Column(_("Téléphone"), accessor="phone", orderable=False)
    address = tables.Column(_("Adresse"), accessor="address_line1", orderable=False)
    postcode = tables.Column(_("Code postal"), accessor="postcode")
    commune = tables.Column(_("Commune"), accessor="commune_name")
    commune_code = tables.Column(_("Code INSEE"), accessor="commune_code")
    department = tables.Column(_("Département"), accessor="department_code")
    tags = tables.Column(_("Étiquettes"), accessor="pk", orderable=False)

    class Meta(listing.Table.Meta):
        empty_text = _("Aucun contact ne correspond à cette recherche.")

    def render_kind(self, record: Contact) -> str:
        return str(_ORG_KINDS.get(record.org_kind) or _KINDS.get(record.kind, record.kind))

    def value_kind(self, record: Contact) -> str:
        return self.render_kind(record)

    def render_commune(self, record: Contact) -> str:
        return f"{record.commune_name} ({record.department_code})"

    def value_commune(self, record: Contact) -> str:
        return record.commune_name

    def render_tags(self, record: Contact) -> Any:
        return format_html_join(
            " ",
            '<span class="badge text-bg-light border">{}</span>',
            ((n,) for n in record.tag_names),
        )

    def value_tags(self, record: Contact) -> str:
        return ", ".join(record.tag_names)

    def value_last_name(self, record: Contact) -> str:
        return record.last_name or record.organisation_name

    def render_last_name(self, record: Contact) -> Any:
        return format_html("{}", self.value_last_name(record))


_KINDS = dict(ContactKind.choices)
_ORG_KINDS = dict(OrganisationKind.choices)


def _contacts(request: HttpRequest, params: QueryDict) -> QuerySet[Contact]:
    return Contact.objects.defer("search_text", "created_at", "updated_at")


def _tag_names(contacts: list[Contact]) -> None:
    """The tags of a page (or of an export's chunk) in one query on the link table: cheaper
    than a prefetch, which builds two managers per contact."""
    names: dict[int, list[str]] = {}
    links = Contact.tags.through.objects.filter(contact_id__in=[c.pk for c in contacts])
    for contact_id, name in links.values_list("contact_id", "tag__name").order_by("tag__name"):
        names.setdefault(contact_id, []).append(name)
    for contact in contacts:
        contact.tag_names = names.get(contact.pk, [])


CONTACTS = listing.ListPage(
    key="contacts",
    table=ContactTable,
    filterset=ContactFilter,
    queryset=_contacts,
    url_name="contacts:list",
    export_url_name="contacts:export",
    default_sort="name",
    columns=["name", "kind", "email", "commune", "tags"],
    export_name="contacts",
    results_id="contact-results",
    prepare_rows=_tag_names,
    singular=_("contact"),
    plural=_("contacts"),
)


class TagActionForm(forms.Form):
    name = forms.CharField(label=_("Étiquette"), max_length=60)


@CONTACTS.action("tag", _("Ajouter l’étiquette"), form=TagActionForm, confirm=True)
def tag_selection(request: HttpRequest, queryset: QuerySet, data: dict[str, Any]) -> None:
    added = contacts_tag(actor=request.user, contacts=queryset, tag_name=data["name"])
    messages.success(
        request,
        ngettext(
            "Étiquette « %(tag)s » ajoutée à %(n)s contact.",
            "Étiquette « %(tag)s » ajoutée à %(n)s contacts.",
            added,
        )
        % {"tag": data["name"].strip(), "n": added},
    )
