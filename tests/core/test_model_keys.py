"""The shared model declarations of pilar.core.models: keys to rows that stay, and spans whose end is not early."""

from django.db import models
from django.db.models import F, Q

from pilar.accounts.models import user_key
from pilar.cases.models import Case, Transfer
from pilar.core.models import span_ordered
from pilar.workers.models import Assignment, Worker


def test_a_protected_key_protects_its_row_and_has_no_reverse_accessor_by_default():
    field = Transfer._meta.get_field("requested_by")
    assert isinstance(field, models.ForeignKey)
    assert field.remote_field.on_delete is models.PROTECT
    assert field.remote_field.related_name == "+"
    assert (field.null, field.blank) == (False, False)
    _name, _path, _args, kwargs = field.deconstruct()
    assert kwargs["to"].setting_name == "AUTH_USER_MODEL"  # swappable, as settings.AUTH_USER_MODEL makes it


def test_a_protected_key_takes_what_differs_per_column():
    person = Case._meta.get_field("person")
    assert (person.null, person.blank, person.verbose_name) == (True, True, "orang")
    assert person.remote_field.related_name == "cases"  # named: the reverse accessor stays
    kelurahan = Worker._meta.get_field("kelurahan")
    assert kelurahan.null and kelurahan.remote_field.on_delete is models.PROTECT


def test_a_fresh_key_is_made_for_each_column():
    assert user_key() is not user_key()


def test_span_ordered_allows_an_open_end_and_refuses_an_end_before_the_start():
    constraint = span_ordered("start_date", "end_date", name="assignment_dates_ordered")
    assert constraint == models.CheckConstraint(
        condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")), name="assignment_dates_ordered"
    )
    assert constraint in Assignment._meta.constraints
