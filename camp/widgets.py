"""Pickers that search: a plain <select> that the browser may enhance (static/js/pickers.js,
with the vendored Tom Select) into one where typing 张, 华生 or zhs finds 张华生.

Without JavaScript the select stays a plain select and the form works as before: the search is
progressive enhancement only. Each option carries the person's stored pinyin initials
(`data-initials`, from Person.name_initials; see camp.pinyin), so nothing is computed in the
browser or per row."""

from __future__ import annotations

from django import forms

# pickers.js enhances every select with more options than this, marked or not.
SEARCHABLE_FROM = 20


def initials_of(instance) -> str:
    """The stored initials of a person, or of the person behind a trainee or candidate."""
    for holder in (instance, getattr(instance, "person", None)):
        initials = getattr(holder, "name_initials", None)
        if initials:
            return initials
    return ""


class _WithInitials:
    """Adds data-searchable to the select and data-initials to each option."""

    def __init__(self, attrs=None, *args, **kwargs):
        super().__init__({"data-searchable": "", **(attrs or {})}, *args, **kwargs)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)  # a ModelChoiceIteratorValue
        if instance is not None:
            initials = initials_of(instance)
            if initials:
                option["attrs"]["data-initials"] = initials
        return option


class PersonSelect(_WithInitials, forms.Select):
    """A picker of one person (a trainee, a candidate…), searchable by name or initials."""


class PersonSelectMultiple(_WithInitials, forms.SelectMultiple):
    """A picker of several people, searchable by name or initials."""


class PersonCheckboxes(_WithInitials, forms.CheckboxSelectMultiple):
    """Checkboxes of people (the shortlist's 135 candidates): pickers.js puts a filter box
    above a long list, which matches the name or these initials."""
