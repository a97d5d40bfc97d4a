"""Production readiness: what keeps these settings from serving a public site.

Raised by placette/wsgi.py before the first request and reported by `check --deploy`; other
commands (makemigrations, mypy's settings import) work without the production environment."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

PREFIX = "Placette démarre en production (DEBUG n’est pas activé) mais : "
HINT = "En développement, lancez avec DEBUG=1 (make run le fait)."


def production_problems() -> list[str]:
    problems = []
    key = settings.SECRET_KEY
    if key == settings.DEV_SECRET_KEY or len(key) < 50:
        problems.append("SECRET_KEY doit être défini (au moins 50 caractères aléatoires).")
    if not settings.ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS doit nommer le ou les domaines du site.")
    backend = settings.MAILERS["default"]["BACKEND"]
    if not backend.endswith("smtp.EmailBackend") and not backend.startswith("anymail."):
        problems.append("EMAIL_URL doit désigner un vrai relais (smtp://… ou Brevo).")
    return problems


def production_refusal() -> str:
    """The French refusal to start, or "" when the settings may serve."""
    if not settings.PRODUCTION:
        return ""
    problems = production_problems()
    return PREFIX + " ".join(problems) + " " + HINT if problems else ""


@register(Tags.security, deploy=True)
def production_settings_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    refusal = production_refusal()
    return [Error(refusal, id="placette.E001")] if refusal else []
