"""Request bodies in the OpenAPI schema take their types and limits from the forms that validate them."""

from django import forms

from pilar.api.form_schema import form_body


class Sample(forms.Form):
    age = forms.IntegerField(label="Umur", min_value=0, max_value=120, required=False)
    amount = forms.DecimalField(label="Jumlah")
    day = forms.DateField(label="Tanggal")
    name = forms.CharField(label="Nama", max_length=20)


def test_numbers_dates_and_text_keep_their_types_and_limits():
    schema = form_body(Sample)["requestBody"]["content"]["application/json"]["schema"]
    props = schema["properties"]
    assert props["age"] == {"type": "integer", "minimum": 0, "maximum": 120, "title": "Umur"}
    assert props["amount"]["type"] == "number"
    assert props["day"]["format"] == "date"
    assert props["name"] == {"type": "string", "title": "Nama", "maxLength": 20}
    assert schema["required"] == ["amount", "day", "name"]
