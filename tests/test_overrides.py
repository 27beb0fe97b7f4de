"""The theme partials under overrides/ are the installed mkdocs-material's, line for line, but for our change:
after a theme upgrade a stale copy would silently bring back the old theme's markup."""

from __future__ import annotations

import re
from pathlib import Path

import material
import pytest

OVERRIDES = Path(__file__).resolve().parent.parent / "overrides"
THEME = Path(material.__file__).parent / "templates"
# what each override changes, as (the theme's line, ours)
CHANGES = {
    "partials/search.html": (
        '<div class="md-search" data-md-component="search" role="dialog">',
        '<div class="md-search" data-md-component="search" role="dialog" aria-label="{{ lang.t(\'search\') }}">',
    ),
    "partials/nav-item.html": (
        '<label class="md-nav__link {{ class }}" for="{{ path }}" id="{{ path }}_label" tabindex="{{ tabindex }}">\n'
        '                <span class="md-nav__icon md-icon"></span>',
        '<label class="md-nav__link {{ class }}" for="{{ path }}" id="{{ path }}_label" tabindex="{{ tabindex }}">\n'
        '                <span class="md-nav__icon md-icon" role="img" aria-label="{{ nav_item.title | e }}"></span>',
    ),
    "partials/source.html": (
        '<a href="{{ config.repo_url }}" title="{{ lang.t(\'source\') }}" class="md-source" '
        'data-md-component="source">',
        '<a href="{{ config.repo_url }}" title="{{ lang.t(\'source\') }}" class="md-source">',
    ),
}
# templates of our own that extend the theme's (a block added, nothing copied)
EXTENSIONS = ["main.html"]


def _without_header(text: str) -> str:
    """The template without its opening comment (the theme's says "generated", ours what we changed)."""
    return re.sub(r"\A\{#.*?#\}\s*", "", text, flags=re.S)


def test_every_override_is_listed() -> None:
    listed = sorted([*CHANGES, *EXTENSIONS])
    assert sorted(str(path.relative_to(OVERRIDES)) for path in OVERRIDES.rglob("*.html")) == listed


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_an_override_is_the_installed_theme_partial_with_our_change(name: str) -> None:
    from importlib.metadata import version

    theirs, ours = CHANGES[name]
    override = (OVERRIDES / name).read_text(encoding="utf-8")
    theme = (THEME / name).read_text(encoding="utf-8")
    assert theme.count(theirs) == 1, f"mkdocs-material {version('mkdocs-material')} changed {name}: redo the override"
    assert _without_header(override) == _without_header(theme).replace(theirs, ours)
    assert f"mkdocs-material {version('mkdocs-material')}'s {name}" in override  # the header names the version
