from django.db import transaction
from django.utils import timezone

from placette.accounts.models import ApiToken, Role, User
from placette.contacts.models import Contact, TimelineKind
from placette.contacts.services import timeline_append
from placette.lib.audit import audit_log
from placette.lib.refusals import Refusal


@transaction.atomic
def api_token_create(*, actor: User, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for a team member; the raw key is returned once and never stored."""
    raw, prefix, key_hash = ApiToken.generate()
    token = ApiToken.objects.create(
        user=user, name=name.strip() or "Intégration", prefix=prefix, key_hash=key_hash
    )
    audit_log(actor=actor, action="accounts.api_token.created", obj=token, name=token.name)
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_log(actor=actor, action="accounts.api_token.revoked", obj=token)


@transaction.atomic
def user_create(*, actor: User, contact: Contact, role: str, is_board_member: bool = False) -> User:
    """Open an account for a contact. Team members get a link to choose their password; the
    others sign in with an emailed code and never have a password."""
    email = contact.email_normalized
    if not email:
        raise Refusal(f"« {contact} » n’a pas d’adresse e-mail : ajoutez-la d’abord.")
    if User.objects.filter(email=email).exists():
        raise Refusal(f"Un compte existe déjà pour {email}.")
    if hasattr(contact, "user") and contact.user is not None:
        raise Refusal(f"« {contact} » a déjà un compte.")
    user = User.objects.create_user(
        email,
        None,
        role=role,
        is_board_member=is_board_member,
        display_name=contact.display_name,
        contact=contact,
    )
    audit_log(
        actor=actor, action="accounts.user.created", obj=user, role=role, board=is_board_member
    )
    timeline_append(
        contact=contact,
        kind=TimelineKind.OTHER,
        actor=actor,
        area="accounts",
        title=f"Compte Placette ouvert ({user.get_role_display()})",
    )
    return user


@transaction.atomic
def user_update(
    *, actor: User, user: User, role: str, is_board_member: bool, is_active: bool
) -> User:
    if user.pk == actor.pk and (role != user.role or not is_active):
        raise Refusal("Vous ne pouvez pas changer votre propre rôle ni vous désactiver.")
    if user.is_staff_admin and (role != Role.STAFF_ADMIN or not is_active):
        admins = User.objects.filter(role=Role.STAFF_ADMIN, is_active=True).exclude(pk=user.pk)
        if not admins.exists():
            raise Refusal("Il doit rester au moins un administrateur actif.")
    changes = {
        k: [getattr(user, k), v]
        for k, v in {
            "role": role,
            "is_board_member": is_board_member,
            "is_active": is_active,
        }.items()
        if getattr(user, k) != v
    }
    user.role, user.is_board_member, user.is_active = role, is_board_member, is_active
    if not user.is_team and user.has_usable_password():
        user.set_unusable_password()  # members sign in by emailed code only
    user.save()
    if changes:
        audit_log(actor=actor, action="accounts.user.updated", obj=user, changes=changes)
    return user
