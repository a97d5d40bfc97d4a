from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from placette.accounts.models import ApiToken


class StaffToken(HttpBearer):
    """`Authorization: Bearer plc_…` — a token created by a team member in the back office."""

    def authenticate(self, request: HttpRequest, token: str):
        found = ApiToken.objects.authenticate(token)
        if found is None:
            return None
        if found.last_used_at is None or (timezone.now() - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user
