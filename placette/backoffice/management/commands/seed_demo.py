"""Build the demo cooperative. Deterministic and idempotent: a second run changes nothing.

Each area contributes a `demo.py` module with `seed(rng, out) -> None` that creates its own
records only when they are missing; areas run in navigation order (contacts first).
"""

import random
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from placette.accounts.demo import DEMO_PASSWORD, DEMO_USERS, seed_users


class Command(BaseCommand):
    help = "Crée la coopérative de démonstration (idempotent)."

    def handle(self, *args, **options) -> None:
        configs = sorted(
            (c for c in apps.get_app_configs() if getattr(c, "nav_label", None)),
            key=lambda c: c.nav_order,
        )
        for config in configs:
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError:
                continue
            with transaction.atomic():
                # One generator per area, so adding an area never changes the others' data.
                module.seed(random.Random(f"placette-{config.label}"), self.stdout)
        with transaction.atomic():
            seed_users(self.stdout)
        self.stdout.write(self.style.SUCCESS("Coopérative de démonstration prête."))
        self.stdout.write("Connexions de démonstration (http://127.0.0.1:8000/comptes/login/) :")
        for email, role, _, uses_password in DEMO_USERS:
            how = (
                f"mot de passe « {DEMO_PASSWORD} »"
                if uses_password
                else "code de connexion reçu par e-mail (lisible sur "
                f"{settings.SITE_URL}/dev/courriels/)"
            )
            self.stdout.write(f"  {role:<28} {email:<32} {how}")
