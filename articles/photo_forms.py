"""Photo desk forms: one photo, or one file of a bulk upload."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget, AutocompleteSelectMultiple
from django.db.models import Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext_lazy as _

from counties.models import CountyUnion

from . import images, photo_service
from .models import Author, Photo


class PhotoImageField(forms.ImageField):
    """An image field whose cleaned value is the checked upload
    (images.CleanImage), for the photo service to store."""

    default_error_messages = {"empty": images.MESSAGES["empty"]}

    def to_python(self, data):
        # forms.FileField checks presence and name; Pillow work is done once,
        # in the photo service's check, instead of forms.ImageField's verify().
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        return photo_service.check(upload)

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
        return photo_service.store_photo(
            data["image"],
            caption=data["caption"],
            credits=data["credits"],
            alt_text=data["alt_text"],
            county_union=data["county_union"],
            taken_on=data["taken_on"],
            uploaded_by=by,
        )


class PhotoChooserForm(forms.Form):
    """The photo chooser's search: any of caption, photographer, county, dates."""

    q = forms.CharField(label=_("图片说明"), required=False, max_length=100)
    photographer = forms.CharField(label=_("摄影"), required=False, max_length=40)
    county = forms.ModelChoiceField(
        label=_("县级工会"), queryset=CountyUnion.objects.all(), required=False
    )
    date_from = forms.DateField(label=_("从"), required=False)
    date_to = forms.DateField(label=_("到"), required=False)
    page = forms.IntegerField(min_value=1, max_value=1000, required=False)

    def photos(self):
        """The matching photos, newest first; by the date taken, else the
        day uploaded."""
        data = self.cleaned_data
        photos = Photo.objects.annotate(
            day=Coalesce("taken_on", TruncDate("created_at"))
        ).order_by("-created_at", "-pk")
        for word in (data["q"] or "").split():
            photos = photos.filter(Q(caption__icontains=word) | Q(alt_text__icontains=word))
        if data["photographer"].strip():
            photos = photos.filter(credit_names__icontains=data["photographer"].strip())
        if data["county"] is not None:
            photos = photos.filter(county_union=data["county"])
        if data["date_from"]:
            photos = photos.filter(day__gte=data["date_from"])
        if data["date_to"]:
            photos = photos.filter(day__lte=data["date_to"])
        return photos
