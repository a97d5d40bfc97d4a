from django import forms

from placette.contacts.forms import ContactForm


class MyDetailsForm(ContactForm):
    """What a member may change about themselves: how to reach them."""

    class Meta(ContactForm.Meta):
        fields = ["phone", "address_line1", "address_line2", "postcode"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["tag_names"]

    def clean(self):
        data = forms.ModelForm.clean(self)
        self._clean_commune(data)
        return data

    def contact_data(self) -> dict:
        data = {k: self.cleaned_data.get(k, "") for k in self.Meta.fields}
        data["commune_code"] = self.cleaned_data.get("commune_code", "")
        return data


__all__ = ["MyDetailsForm", "forms"]
