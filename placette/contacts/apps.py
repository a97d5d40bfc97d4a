from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "placette.contacts"
    label = "contacts"
    verbose_name = "Contacts"
    # Read by the back-office navigation (placette.backoffice.context_processors).
    nav_label = "Contacts"
    nav_url = "contacts:list"
    nav_order = 10
