"""Back office for curators. Managers write in the portal form (views.article_new), not here;
the admin asks the same rules as the portal."""

from __future__ import annotations

from django.contrib import admin

from clusterportal.content.images import scaled_down
from clusterportal.content.models import Article, Publication
from clusterportal.lib.admin import RulesAdminMixin


@admin.register(Article)
class ArticleAdmin(RulesAdminMixin, admin.ModelAdmin):
    rule = "content.publish_article"
    list_display = ["title", "kind", "status", "published_on", "is_archive"]
    list_filter = ["kind", "status", "is_archive"]
    search_fields = ["title", "title_en", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["initiatives", "initiative"]
    filter_horizontal = ["technology_fields", "regions"]
    raw_id_fields = ["author"]

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data.get("image")
        if upload and hasattr(upload, "content_type"):
            obj.image = scaled_down(upload)
        if obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)


@admin.register(Publication)
class PublicationAdmin(RulesAdminMixin, admin.ModelAdmin):
    rule = "content.edit_publication"
    list_display = ["title", "type", "year", "publisher"]
    list_filter = ["type", "year"]
    search_fields = ["title", "authors", "publisher"]
    prepopulated_fields = {"slug": ["title"]}
