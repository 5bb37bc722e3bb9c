from django import forms
from django.urls import reverse


class UnitInput(forms.TextInput):
    """A text input for a unit code with a <datalist> of suggestions fetched by htmx as the user types.
    Without JavaScript the user types the code, as the hint says."""

    template_name = "geo/widgets/unit_input.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        list_id = f"{context['widget']['attrs'].get('id', name)}-suggestions"
        context["widget"]["attrs"].update(
            {
                "list": list_id,
                "autocomplete": "off",
                "hx-get": reverse("geo:unit_suggest"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": f"#{list_id}",
                "hx-swap": "innerHTML",
            }
        )
        context["list_id"] = list_id
        return context
