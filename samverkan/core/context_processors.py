from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

# Areas of the platform, in navigation order; an area appears once its app is installed.
NAVIGATION = [
    ("core:home", _("Översikt"), None),
    ("geo:counties", _("Län och kommuner"), "samverkan.geo"),
    ("actors:organisations", _("Aktörer"), "samverkan.actors"),
    ("actors:networks", _("Nätverk"), "samverkan.actors"),
    ("projects:list", _("Projekt"), "samverkan.projects"),
    ("surveys:list", _("Enkäter"), "samverkan.surveys"),
    ("plans:list", _("Strategier"), "samverkan.plans"),
    ("indicators:list", _("Indikatorer"), "samverkan.indicators"),
    ("funding:list", _("Finansiering"), "samverkan.funding"),
    ("reports:list", _("Rapporter"), "samverkan.reports"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    from django.apps import apps
    from django.urls import NoReverseMatch, reverse

    items = []
    for url_name, label, app in NAVIGATION:
        if app and not apps.is_installed(app):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        current = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"url": url, "label": label, "current": current})
    return {"navigation": items}
