from typing import Literal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from placette.contacts import communes
from placette.contacts.models import Contact
from placette.contacts.services import contact_create, contact_update
from placette.lib.text import normalize_email

router = Router(tags=["contacts"])


class ContactOut(Schema):
    id: int
    kind: str
    display_name: str
    first_name: str
    last_name: str
    organisation_name: str
    org_kind: str
    email: str
    phone: str
    address_line1: str
    postcode: str
    commune_code: str
    commune_name: str
    department_code: str
    tags: list[str] = Field(default_factory=list)

    @staticmethod
    def resolve_tags(obj: Contact) -> list[str]:
        return [t.name for t in obj.tags.all()]


class ContactIn(Schema):
    kind: Literal["person", "organisation"]
    first_name: str = ""
    last_name: str = ""
    organisation_name: str = ""
    org_kind: str = ""
    email: str = ""
    phone: str = ""
    address_line1: str = ""
    postcode: str = ""
    commune_code: str = ""
    tags: list[str] = Field(default_factory=list)


class ContactPatch(Schema):
    first_name: str | None = None
    last_name: str | None = None
    organisation_name: str | None = None
    email: str | None = None
    phone: str | None = None
    address_line1: str | None = None
    postcode: str | None = None
    commune_code: str | None = None


class ContactFilter(FilterSchema):
    q: str | None = None
    kind: str | None = None
    department: str | None = None
    org_kind: str | None = None

    def filter_q(self, value: str | None):
        return Q()  # handled by Contact.objects.search below

    def filter_department(self, value: str | None):
        return Q(department_code=value) if value else Q()


def _check(data: dict, contact: Contact | None = None) -> None:
    if data.get("commune_code") and communes.commune_get(data["commune_code"]) is None:
        raise HttpError(422, f"Code INSEE inconnu : {data['commune_code']}")
    email = normalize_email(data.get("email") or "")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise HttpError(422, f"Adresse e-mail invalide : {email}") from None
        others = Contact.objects.filter(email_normalized=email)
        if contact is not None:
            others = others.exclude(pk=contact.pk)
        if others.exists():
            raise HttpError(409, f"L’adresse {email} appartient déjà à la fiche n° {others[0].pk}.")


@router.get("/contacts", response=list[ContactOut])
@paginate(PageNumberPagination, page_size=50)
def list_contacts(request, filters: Query[ContactFilter]):
    queryset = Contact.objects.prefetch_related("tags")
    if filters.q:
        queryset = queryset.search(filters.q)
    return filters.filter(queryset)


@router.get("/contacts/{contact_id}", response=ContactOut)
def get_contact(request, contact_id: int):
    return get_object_or_404(Contact.objects.prefetch_related("tags"), pk=contact_id)


@router.post("/contacts", response={201: ContactOut})
def create_contact(request, payload: ContactIn):
    data = payload.dict()
    tags = data.pop("tags")
    if data["kind"] == "person" and not data["last_name"]:
        raise HttpError(422, "Le nom est obligatoire pour une personne.")
    if data["kind"] == "organisation" and not data["organisation_name"]:
        raise HttpError(422, "La raison sociale est obligatoire pour une organisation.")
    _check(data)
    return Status(201, contact_create(actor=request.user, data=data, tags=tags, source="API"))


@router.patch("/contacts/{contact_id}", response=ContactOut)
def update_contact(request, contact_id: int, payload: ContactPatch):
    contact = get_object_or_404(Contact, pk=contact_id)
    data = payload.dict(exclude_unset=True)
    _check(data, contact)
    return contact_update(actor=request.user, contact=contact, data=data)
