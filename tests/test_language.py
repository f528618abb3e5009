"""Japanese by default, English available: every message has an English translation."""

from pathlib import Path

import polib
import pytest
from django.urls import reverse

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES"
DOMAINS = ["django", "djangojs"]


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_message_has_an_english_translation(domain):
    catalogue = polib.pofile(str(LOCALE / f"{domain}.po"))

    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]

    assert (untranslated, fuzzy) == ([], [])


@pytest.mark.parametrize("domain", DOMAINS)
def test_compiled_catalogue_matches_the_source(domain):
    po = LOCALE / f"{domain}.po"
    source = {e.msgid: e.msgstr for e in polib.pofile(str(po)) if not e.msgid_plural}
    compiled = {
        e.msgid: e.msgstr for e in polib.mofile(str(po.with_suffix(".mo"))) if not e.msgid_plural
    }

    assert compiled == source


@pytest.mark.django_db
def test_pages_are_japanese_by_default_and_english_on_request(client):
    japanese = client.get(reverse("platforms:platform-list"))
    english = client.get(reverse("platforms:platform-list"), HTTP_ACCEPT_LANGUAGE="en")

    assert '<html lang="ja">' in japanese.content.decode()
    assert "参加できるプラットフォーム" in japanese.content.decode()
    assert '<html lang="en">' in english.content.decode()
    assert "Platforms you can join" in english.content.decode()


ROOT = LOCALE.parents[2]
SOURCES = {
    "django": (
        ["config", "members", "platforms", "tasks", "notifications"],
        "*.py",
        r'(?<![\w.])_\("((?:[^"\\]|\\.)+)"\)',
    ),
    "templates": (["templates"], "*.html", r'{% translate "((?:[^"\\]|\\.)+)"'),
    "djangojs": (["static/js"], "*.js", r'gettext\("((?:[^"\\]|\\.)+)"\)'),
}


@pytest.mark.parametrize("kind", SOURCES)
def test_catalogue_holds_every_string_in_the_source(kind):
    """A string added to the code without `make messages` shows up here."""
    import re

    folders, pattern, expression = SOURCES[kind]
    domain = "djangojs" if kind == "djangojs" else "django"
    known = {entry.msgid for entry in polib.pofile(str(LOCALE / f"{domain}.po"))}
    found = set()
    for folder in folders:
        for path in (ROOT / folder).rglob(pattern):
            if "migrations" not in path.parts:
                found.update(re.findall(expression, path.read_text(encoding="utf-8")))

    assert len(found) > 10  # the pattern does find the source's strings
    assert sorted(found - known) == []
