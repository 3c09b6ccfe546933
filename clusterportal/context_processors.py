from django.conf import settings
from django.urls import translate_url


def portal(request):
    """The portal's name and the same page in every language (for the switch)."""
    path = request.get_full_path()
    return {
        "portal_name": settings.PORTAL_NAME,
        "language_links": [
            (code, name, translate_url(path, code)) for code, name in settings.LANGUAGES
        ],
    }
