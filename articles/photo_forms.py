"""Photo desk forms: one photo, or one file of a bulk upload."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget, AutocompleteSelectMultiple
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from counties.models import CountyUnion

from . import images
from .models import Author, Photo


class PhotoImageField(forms.ImageField):
    """An image field whose cleaned value is the decoded, stripped upload."""

    default_error_messages = {"empty": images.MESSAGES["empty"]}

    def to_python(self, data):
        # forms.FileField checks presence and name; Pillow work is done once,
        # in images.clean_upload, instead of forms.ImageField's own verify().
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        clean = images.clean_upload(upload)
        clean.content.decoded = clean.image  # Photo.save() reuses the pixels
        return clean.content

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["accept"] = "image/jpeg,image/png,image/webp,image/gif"
        return attrs


class BulkPhotoForm(forms.Form):
    """One file of a bulk upload with its caption and the shared defaults.

    The upload page sends each file as its own request so that each shows
    its own progress and its own error; every request carries the shared
    photographers, county union and date.
    """

    image = PhotoImageField(label=_("图片"))
    caption = forms.CharField(label=_("图片说明"), widget=forms.Textarea)
    alt_text = forms.CharField(
        label=_("替代文字"),
        max_length=300,
        required=False,
        help_text=Photo._meta.get_field("alt_text").help_text,
    )
    credits = forms.ModelMultipleChoiceField(
        label=_("摄影"),
        queryset=Author.objects.all(),
        required=False,
        help_text=_("按署名顺序选择，如先选秦西江再选张楠，署名为“秦西江 张楠 摄”。"),
        widget=AutocompleteSelectMultiple(
            Photo._meta.get_field("credits"), admin.site
        ),
    )
    county_union = forms.ModelChoiceField(
        label=_("县级工会"), queryset=CountyUnion.objects.all(), required=False
    )
    taken_on = forms.DateField(
        label=_("拍摄日期"), required=False, widget=AdminDateWidget
    )

    def clean_credits(self):
        # A multiple choice answers in table order; the credit keeps the
        # order the photographers were picked in.
        chosen = {str(author.pk): author for author in self.cleaned_data["credits"]}
        picked = self.data.getlist("credits") if hasattr(self.data, "getlist") else []
        return [chosen[pk] for pk in dict.fromkeys(picked) if pk in chosen]

    def save(self, *, by):
        data = self.cleaned_data
        photo = Photo(
            image=data["image"],
            caption=data["caption"],
            alt_text=data["alt_text"],
            county_union=data["county_union"],
            taken_on=data["taken_on"],
            uploaded_by=by,
        )
        try:
            with transaction.atomic():
                photo.save()
                photo.add_credits(data["credits"])
        except BaseException:
            images.delete_files(photo.image.storage, photo.stored_names())
            raise
        return photo
