"""The page layout's markup: the menu button controls the main navigation (issue 17, item 4)."""

import re

import pytest


@pytest.mark.django_db
def test_menu_button_controls_the_main_navigation(client):
    html = client.get("/lan/").content.decode()
    button = re.search(r"<button[^>]*class=\"menu-button\"[^>]*>", html)
    assert button, "no menu button"
    assert 'aria-expanded="false"' in button.group(0)
    assert 'aria-controls="main-nav"' in button.group(0)
    # hidden until layout.js runs, so that without JavaScript the navigation simply stays open
    assert " hidden" in button.group(0)
    assert re.search(r'<nav class="main-nav" id="main-nav" aria-label="Huvudmeny">', html)
    assert 'src="/static/samverkan/layout.js"' in html


@pytest.mark.django_db
def test_wide_tables_scroll_in_labelled_focusable_regions(client):
    html = client.get("/lan/").content.decode()
    region = re.search(r'<div class="table-scroll"[^>]*>\s*<table', html)
    assert region
    assert 'tabindex="0"' in region.group(0) and 'role="region"' in region.group(0)
    assert "aria-label=" in region.group(0)
