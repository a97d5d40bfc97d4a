from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "placette.contacts"
    label = "contacts"
    verbose_name = "Contacts"
    # Read by the back-office navigation (placette.backoffice.context_processors).
    nav_label = "Contacts"
    nav_url = "contacts:list"
    nav_order = 10
    # Rows its migrations create (placette.lib.backup replaces them by the archive's own).
    migration_seeded_models = ("ConsentPurpose",)
