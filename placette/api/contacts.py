from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Field, FilterSchema, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from placette.contacts import communes
from placette.contacts.models import Contact, OrganisationKind
from placette.contacts.services import contact_create, contact_update
from placette.lib.text import normalize_email

router = Router(tags=["contacts"])

# Lengths of the model's columns: a longer value is a 422 naming the field, never a database error.
Name = Annotated[str, Field(max_length=100)]
Long = Annotated[str, Field(max_length=200)]
Email = Annotated[str, Field(max_length=254)]
Phone = Annotated[str, Field(max_length=30)]
Code = Annotated[str, Field(max_length=5)]
Tag = Annotated[str, Field(max_length=60)]
ContactId = Annotated[int, Path(ge=1, le=2**63 - 1)]


class Error(Schema):
    detail: Any


# Every answer an operation can give is in the OpenAPI schema.
ERRORS = {400: Error, 401: Error, 404: Error, 409: Error, 422: Error}


class Page(PageNumberPagination):
    """Page numbers within reason: page 10**30 is a clear 422, not an integer overflow."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1, le=500)


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
    first_name: Name = ""
    last_name: Name = ""
    organisation_name: Long = ""
    org_kind: Annotated[str, Field(max_length=20)] = ""
    email: Email = ""
    phone: Phone = ""
    address_line1: Long = ""
    postcode: Code = ""
    commune_code: Code = ""
    tags: list[Tag] = Field(default_factory=list, max_length=50)


class ContactPatch(Schema):
    """A field sent as null is emptied (like an empty string)."""

    first_name: Name | None = None
    last_name: Name | None = None
    organisation_name: Long | None = None
    email: Email | None = None
    phone: Phone | None = None
    address_line1: Long | None = None
    postcode: Code | None = None
    commune_code: Code | None = None


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
    if data.get("org_kind") and data["org_kind"] not in OrganisationKind.values:
        raise HttpError(422, f"Type d’organisation inconnu : {data['org_kind']}")
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


@router.get("/contacts", response={200: list[ContactOut], 400: Error, 401: Error, 422: Error})
@paginate(Page, page_size=50)
def list_contacts(request, filters: Query[ContactFilter]):
    queryset = Contact.objects.prefetch_related("tags")
    if filters.q:
        queryset = queryset.search(filters.q)
    return filters.filter(queryset)


@router.get("/contacts/{contact_id}", response={200: ContactOut, **ERRORS})
def get_contact(request, contact_id: ContactId):
    return get_object_or_404(Contact.objects.prefetch_related("tags"), pk=contact_id)


@router.post("/contacts", response={201: ContactOut, **ERRORS})
def create_contact(request, payload: ContactIn):
    data = payload.dict()
    tags = data.pop("tags")
    if data["kind"] == "person" and not data["last_name"]:
        raise HttpError(422, "Le nom est obligatoire pour une personne.")
    if data["kind"] == "organisation" and not data["organisation_name"]:
        raise HttpError(422, "La raison sociale est obligatoire pour une organisation.")
    _check(data)
    return Status(201, contact_create(actor=request.user, data=data, tags=tags, source="API"))


@router.patch("/contacts/{contact_id}", response={200: ContactOut, **ERRORS})
def update_contact(request, contact_id: ContactId, payload: ContactPatch):
    contact = get_object_or_404(Contact, pk=contact_id)
    data = {key: value or "" for key, value in payload.dict(exclude_unset=True).items()}
    if contact.kind == "person" and "last_name" in data and not data["last_name"]:
        raise HttpError(422, "Le nom est obligatoire pour une personne.")
    if (
        contact.kind == "organisation"
        and "organisation_name" in data
        and not data["organisation_name"]
    ):
        raise HttpError(422, "La raison sociale est obligatoire pour une organisation.")
    _check(data, contact)
    return contact_update(actor=request.user, contact=contact, data=data)
