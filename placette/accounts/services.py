from django.db import transaction
from django.utils import timezone

from placette.accounts.models import ApiToken, User
from placette.lib.audit import audit_log


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
