from typing import Any

from django.http import HttpRequest

from samverkan.core.navigation import menu_entries


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The main menu: the entries the installed apps registered, in their order."""
    from django.urls import NoReverseMatch, reverse

    items = []
    for entry in menu_entries():
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        current = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"url": url, "label": entry.label, "current": current})
    return {"navigation": items}
