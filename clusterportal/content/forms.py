"""The portal form in which managers and curators write news (one validation for the
page and the admin: the model's clean() and the image validator)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from clusterportal.content.images import scaled_down
from clusterportal.content.models import Article
from clusterportal.lib.text import offer_by_label
from clusterportal.registry.models import ClusterInitiative

FIELDS = [
    "initiative", "title", "title_en", "slug", "teaser", "teaser_en", "body", "body_en",
    "image", "image_alt", "image_alt_en", "author_name", "published_on", "source_name",
    "source_url", "initiatives", "technology_fields", "regions",
]  # fmt: skip


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = FIELDS
        widgets = {"published_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for name in ("technology_fields", "regions"):
            offer_by_label(self.fields[name])
        if not user.has_perm("content.publish_article"):
            # A manager writes for the initiatives they manage, and nothing else.
            managed = user.roles.filter(kind="cluster_manager").values("initiative_id")
            self.fields["initiative"].queryset = ClusterInitiative.objects.filter(pk__in=managed)
            self.fields["initiative"].required = True
            self.fields["initiative"].empty_label = None

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and hasattr(image, "content_type"):  # a new upload
            return scaled_down(image)
        return image

    def clean(self):
        data = super().clean()
        initiative = data.get("initiative")
        if initiative and not self.user.has_perm("content.publish_article"):
            # Checked against the initiative the article is for, not the one it was for.
            probe = Article(
                kind=Article.Kind.NEWS, status=Article.Status.DRAFT, initiative=initiative
            )
            if not self.user.has_perm("content.edit_article", probe):
                self.add_error("initiative", _("Sie verwalten diese Initiative nicht."))
        return data


class SendBackForm(forms.Form):
    note = forms.CharField(label=_("Was ist zu ändern?"), widget=forms.Textarea, max_length=5000)
