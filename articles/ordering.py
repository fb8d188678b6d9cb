"""Bylines, gallery photos and photo credits in the order editors set.

The rows carry a position; every read orders by (position, pk), so rows of
equal position still print in one order everywhere. The admin's inlines are
ordered by dragging a row or with its up and down buttons
(static/js/ordered-inlines.js), which keep the hidden position inputs in the
order shown; saving renumbers the rows 1..n in that order.
"""

from django import forms
from django.db.models import Max
from django.forms.models import BaseInlineFormSet


def next_position(rows):
    """The position after the last of rows (1 for the first): new rows go
    to the end."""
    return (rows.aggregate(last=Max("position"))["last"] or 0) + 1


class OrderedInlineFormSet(BaseInlineFormSet):
    """Saves the rows numbered 1..n in the order the editor left them.

    The order is the posted positions, then the rows' order on the page for
    equal or missing ones (a row added without script goes to the end).
    """

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "position" in form.fields:
            form.fields["position"].required = False
            form.fields["position"].widget = forms.HiddenInput(
                attrs={"class": "inline-position"}
            )

    def _kept_forms(self):
        deleted = set(map(id, self.deleted_forms)) if self.can_delete else set()
        return [
            form
            for form in self.forms
            if id(form) not in deleted
            and (form.instance.pk is not None or form.has_changed())
            and form.is_valid()
        ]

    def forms_in_order(self):
        """The rows that stay, in the order they are numbered on saving."""

        def order(item):
            index, form = item
            position = form.cleaned_data.get("position")
            return (position is None, position or 0, index)

        return [
            form for _index, form in sorted(enumerate(self._kept_forms()), key=order)
        ]

    def save(self, commit=True):
        moved = []
        for number, form in enumerate(self.forms_in_order(), start=1):
            was = form.instance.position if form.instance.pk else None
            form.instance.position = number
            if form.instance.pk is not None and not form.has_changed() and was != number:
                moved.append(form.instance)
        saved = super().save(commit)
        for row in moved:
            # Unchanged rows are not saved by the formset; save() (not an
            # update) so the signals refresh the printed byline or credit.
            row.save(update_fields=["position"])
        return saved


class OrderedInlineMixin:
    """An inline whose rows are put in order by hand rather than by number."""

    formset = OrderedInlineFormSet
    classes = ["ordered-inline"]

    class Media:
        js = ["vendor/sortablejs/Sortable.min.js", "js/ordered-inlines.js"]
        css = {"all": ["css/desk-form.css"]}
