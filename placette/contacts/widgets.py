"""A contact picker: type a name, pick the contact; the field still posts the contact's number."""

from django import forms
from django.urls import reverse


class ContactPicker(forms.TextInput):
    template_name = "contacts/widgets/contact_picker.html"

    def __init__(self, kind: str = "", attrs: dict | None = None) -> None:
        super().__init__(attrs={"autocomplete": "off", **(attrs or {})})
        self.kind = kind

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["picker_url"] = (
            f"{reverse('contacts:picker')}?field={name}&kind={self.kind}"
        )
        return context
