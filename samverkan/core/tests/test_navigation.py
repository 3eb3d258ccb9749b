"""The main menu: each app registers its own entries from its AppConfig (issue 24, item 1)."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from samverkan.core.context_processors import navigation
from samverkan.core.navigation import menu_entries

# The menu as it was when core named every app itself: the same entries, in the same order.
EXPECTED = [
    ("core:home", "Översikt"),
    ("geo:counties", "Län och kommuner"),
    ("actors:organisations", "Aktörer"),
    ("actors:networks", "Nätverk"),
    ("projects:list", "Projekt"),
    ("surveys:list", "Enkäter"),
    ("plans:list", "Strategier"),
    ("indicators:list", "Indikatorer"),
    ("funding:list", "Finansiering"),
    ("reports:list", "Rapporter"),
]


def test_installed_apps_register_the_menu_in_its_order():
    with translation.override("sv"):
        assert [(e.url_name, str(e.label)) for e in menu_entries()] == EXPECTED


@pytest.mark.parametrize("current_name", ["core:home", "projects:list"])
def test_the_menu_links_every_area_and_marks_the_current_one(current_name):
    path = reverse(current_name)
    request = RequestFactory().get(path)
    with translation.override("sv"):
        items = navigation(request)["navigation"]
        assert [(i["url"], str(i["label"])) for i in items] == [
            (reverse(name), label) for name, label in EXPECTED
        ]
    current = [i["url"] for i in items if i["current"]]
    assert current == [path]
