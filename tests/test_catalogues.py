"""The translation catalogues: complete, compiled, and in step with the code.

German strings are the msgids (German first); every other language of
settings.LANGUAGES has a catalogue next to the code it translates: the
project's in clusterportal/locale, each app's in clusterportal/<app>/locale.
See docs/translations.md. No gettext tools are needed to run these tests.
"""

from __future__ import annotations

import ast
import gettext
import re
from collections import defaultdict
from pathlib import Path

import django
import polib
import pytest
from django.conf import settings
from django.utils.translation.template import templatize

import clusterportal

PACKAGE = Path(clusterportal.__file__).resolve().parent
# Apps keep their own catalogue; the project's catalogue covers everything else.
APPS = sorted(path.parent for path in PACKAGE.glob("*/apps.py"))
NOT_COLLECTED = {"tests", "migrations", "static", "analytics", "locale", "__pycache__"}
OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]

Key = tuple[str | None, str]  # (context, msgid)


def catalogue_dirs() -> list[Path]:
    return [PACKAGE / "locale", *(app / "locale" for app in APPS if (app / "locale").is_dir())]


def po_files() -> list[Path]:
    return sorted(PACKAGE.glob("**/locale/*/LC_MESSAGES/django.po"))


def name(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent))


# --- what the code marks for translation (what `make messages` collects) -------------

SINGULAR = {"_", "gettext", "gettext_lazy", "gettext_noop"}
PLURAL = {"ngettext", "ngettext_lazy"}
CONTEXT = {"pgettext", "pgettext_lazy"}
CONTEXT_PLURAL = {"npgettext", "npgettext_lazy"}


def _calls(tree: ast.AST):
    """(context, msgid, plural) of every marking call with literal strings."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        texts = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
        if called in SINGULAR and texts[:1] and texts[0] is not None:
            yield None, texts[0], ""
        elif called in PLURAL and len(texts) >= 2 and None not in texts[:2]:
            yield None, texts[0], texts[1]
        elif called in CONTEXT and len(texts) >= 2 and None not in texts[:2]:
            yield texts[0], texts[1], ""
        elif called in CONTEXT_PLURAL and len(texts) >= 3 and None not in texts[:3]:
            yield texts[0], texts[1], texts[2]


def _template_calls(source: str, origin: str):
    """Django's own template-to-gettext conversion (as makemessages uses), then its calls."""
    text = templatize(source, origin=origin)
    for match in re.finditer(r"\b(?:npgettext|ngettext|pgettext|gettext|_)\(", text):
        end = match.end()
        while (end := text.find(")", end) + 1) > 0:
            try:
                tree = ast.parse(text[match.start() : end].strip())
            except SyntaxError:
                continue
            yield from _calls(tree)
            break


def marked_strings(root: Path, skip: set[str]) -> dict[Key, str]:
    """(context, msgid) -> msgid_plural of every string marked under `root`."""
    found: dict[Key, str] = {}
    for path in sorted(root.rglob("*")):
        parts = set(path.relative_to(root).parts[:-1])
        if parts & skip or path.suffix not in {".py", ".html", ".txt"}:
            continue
        source = path.read_text(encoding="utf-8")
        if path.suffix == ".py":
            calls = _calls(ast.parse(source))
        else:
            calls = _template_calls(source, str(path))
        for context, msgid, plural in calls:
            found[(context, msgid)] = found.get((context, msgid)) or plural
    return found


def sources_of(locale_dir: Path) -> dict[Key, str]:
    root = locale_dir.parent
    if root == PACKAGE:
        return marked_strings(root, NOT_COLLECTED | {app.name for app in APPS})
    return marked_strings(root, NOT_COLLECTED)


# --- the tests ------------------------------------------------------------------------


def test_every_other_language_has_a_catalogue_wherever_strings_are_marked():
    missing = [
        f"{name(root)}/locale/{code}"
        for root in [PACKAGE, *APPS]
        if sources_of(root / "locale")
        for code in OTHER_LANGUAGES
        if not (root / "locale" / code / "LC_MESSAGES" / "django.po").is_file()
    ]
    assert not missing, f"no catalogue (run `make messages`): {missing}"


@pytest.mark.parametrize("locale_dir", catalogue_dirs(), ids=name)
def test_a_catalogue_holds_exactly_the_strings_its_code_marks(locale_dir):
    marked = sources_of(locale_dir)
    for path in sorted(locale_dir.glob("*/LC_MESSAGES/django.po")):
        held = {(e.msgctxt, e.msgid): e.msgid_plural for e in polib.pofile(str(path))}
        new = sorted(set(marked) - set(held), key=str)
        gone = sorted(set(held) - set(marked), key=str)
        assert not new, f"{name(path)} lacks (run `make messages`, then translate): {new}"
        assert not gone, f"{name(path)} holds strings the code no longer marks: {gone}"
        plurals = {key: (held[key], marked[key]) for key in held if held[key] != marked[key]}
        assert not plurals, f"{name(path)}: plural forms differ from the code: {plurals}"


@pytest.mark.parametrize("path", po_files(), ids=name)
def test_every_message_is_translated_and_none_is_fuzzy(path):
    catalogue = polib.pofile(str(path))
    assert not catalogue.metadata_is_fuzzy, f"{name(path)}: the header is marked fuzzy"
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    obsolete = [e.msgid for e in catalogue.obsolete_entries()]
    assert not untranslated, f"{name(path)}: untranslated: {untranslated}"
    assert not fuzzy, f"{name(path)}: fuzzy (check the translation, remove the flag): {fuzzy}"
    assert not obsolete, f"{name(path)}: obsolete entries (run `make messages`): {obsolete}"
    language = path.parent.parent.name
    assert catalogue.metadata.get("Language") == language
    # The plural rule of the language, as Django's own catalogue for it states it.
    django_po = Path(django.__file__).parent / "conf/locale" / language / "LC_MESSAGES/django.po"
    rule = polib.pofile(str(django_po)).metadata["Plural-Forms"]
    assert catalogue.metadata["Plural-Forms"] == rule


PLACEHOLDER = re.compile(r"%(?:\([a-z_]+\))?[sd]|\{[a-z_]*\}")


@pytest.mark.parametrize("path", po_files(), ids=name)
def test_a_translation_keeps_the_placeholders_of_its_msgid(path):
    wrong = []
    for entry in polib.pofile(str(path)):
        pairs = (
            [(entry.msgid, entry.msgstr_plural[0]), (entry.msgid_plural, entry.msgstr_plural[1])]
            if entry.msgid_plural
            else [(entry.msgid, entry.msgstr)]
        )
        for source, translation in pairs:
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translation)):
                wrong.append((source, translation))
    # German singulars may leave out the number ("Der eine Eintrag"); so may English ones.
    wrong = [(s, t) for s, t in wrong if PLACEHOLDER.findall(t)]
    assert not wrong, f"{name(path)}: placeholders differ: {wrong}"


@pytest.mark.parametrize("path", po_files(), ids=name)
def test_the_committed_mo_file_is_compiled_from_the_po_file(path):
    mo = path.with_suffix(".mo")
    assert mo.is_file(), f"{name(mo)} is missing (run `make messages` and commit it)"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    expected: dict[object, str] = {}
    for entry in polib.pofile(str(path)):
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            expected |= {(key, n): text for n, text in entry.msgstr_plural.items()}
        else:
            expected[key] = entry.msgstr
    compiled = {key: text for key, text in compiled.items() if key != ""}
    stale = {
        key: (compiled.get(key), text)
        for key, text in expected.items()
        if compiled.get(key) != text
    }
    extra = set(compiled) - set(expected)
    assert not stale and not extra, (
        f"{name(mo)} is older than or differs from its .po (run `make messages`): "
        f"{stale or sorted(map(str, extra))}"
    )


def test_a_message_is_translated_alike_in_every_catalogue():
    """Django merges all catalogues into one; a msgid translated two ways would depend on app order."""
    translations: dict[tuple, dict[str, object]] = defaultdict(dict)
    for path in po_files():
        language = path.parent.parent.name
        for entry in polib.pofile(str(path)):
            text = entry.msgstr_plural and dict(entry.msgstr_plural) or entry.msgstr
            translations[(language, entry.msgctxt, entry.msgid)][name(path)] = text
    clashes = {
        key: found
        for key, found in translations.items()
        if len({repr(v) for v in found.values()}) > 1
    }
    assert not clashes, f"the same message is translated differently: {clashes}"
