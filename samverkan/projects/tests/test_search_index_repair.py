"""Upgrading a database that already holds projects: the migration that added compound parts
cannot index them (later migrations extend the model it would read), so the index is rebuilt
after the last migration, when projects exist but the search vocabulary is empty."""

from __future__ import annotations

from samverkan.core import tenancy
from samverkan.projects import search
from samverkan.projects.models import SearchWord
from samverkan.projects.selectors import SearchFilters, project_list
from samverkan.projects.tests.conftest import make_project


def _titles(query: str) -> list[str]:
    filters = SearchFilters(query=query)
    return [p.title for p in project_list(user=tenancy.SYSTEM, filters=filters)]


def test_an_emptied_index_is_rebuilt_and_finds_compound_parts_again(organisation):
    make_project(organisation, "Dala Valideringscentrum")
    SearchWord.objects.all().delete()  # as after the migration on an existing database
    assert search.search_index_repair() == 1
    assert _titles("validering") == ["Dala Valideringscentrum"]
    assert search.search_index_repair() == 0  # nothing to do once the vocabulary is there


def test_no_projects_means_nothing_to_repair(db):
    assert search.search_index_repair() == 0
