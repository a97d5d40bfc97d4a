from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "placette.lib"
    label = "lib"
    verbose_name = "Outils communs"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Each area's `documents.py` registers who may read the documents of its scopes.
        autodiscover_modules("documents")
        from placette.lib import checks  # noqa: F401  (registers the production check)
