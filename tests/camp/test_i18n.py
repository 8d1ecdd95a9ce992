"""The interface speaks Chinese by default and English on request.

The msgids are the Chinese text, so only English has a catalog
(locale/en/LC_MESSAGES/django.po, compiled to django.mo and committed: a fresh machine needs no
gettext tools). The catalog tests read both files with the standard library alone, and scan the
code for translatable strings the way `makemessages` does, so that a string added without a
translation (or without running `make messages`) fails here rather than showing Chinese in the
English interface."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.translation.template import templatize

LOCALE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO_PATH = LOCALE / "django.po"
MO_PATH = LOCALE / "django.mo"
# What `make messages` extracts from: the apps and the project templates.
SOURCE_DIRS = ("camp", "trainees", "curriculum", "assessment", "oversight", "templates")

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
LANGUAGE_OPTIONS = re.compile(r"<select[^>]*name=\"language\".*?</select>", re.S)
PLACEHOLDER = re.compile(r"%\([A-Za-z_]+\)[sdfr]|%%|%[sdf]|\{[A-Za-z_0-9]*\}")


def chinese_outside_the_language_menu(html: str) -> list[str]:
    """CJK text left on a page, ignoring the language menu, which names 简体中文 in Chinese on
    purpose (each language is offered in its own tongue)."""
    return CJK.findall(LANGUAGE_OPTIONS.sub("", html))


# --- The pages ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_login_page_speaks_chinese_by_default(client):
    body = client.get(reverse("login")).content.decode()

    assert '<html lang="zh-hans">' in body
    assert "登录" in body
    assert "用户名" in body
    assert "Log in" not in body


@pytest.mark.django_db
def test_the_login_page_speaks_english_once_english_is_chosen(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    body = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").content.decode()

    assert '<html lang="en">' in body
    for text in ("Log in", "Username", "Password", "South Taihu Rising Stars Camp"):
        assert text in body
    assert chinese_outside_the_language_menu(body) == []


@pytest.mark.django_db
def test_the_login_page_stays_chinese_when_only_the_browser_asks_for_english(client):
    # The school's machines often run English browsers; only the switch changes the language.
    body = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()

    assert '<html lang="zh-hans">' in body
    assert "登录" in body
    assert "Log in" not in body


@pytest.mark.django_db
def test_the_header_offers_the_switch_before_login(client):
    body = client.get(reverse("login") + "?next=/camps/").content.decode()

    form = re.search(r"<form[^>]*data-language-switch.*?</form>", body, re.S)
    assert form, "the language switch is missing from the header"
    form = form.group(0)
    assert f'action="{reverse("set_language")}"' in form
    assert 'method="post"' in form
    assert "csrfmiddlewaretoken" in form
    assert '<input type="hidden" name="next" value="/login/?next=/camps/">' in form
    assert '<option value="zh-hans" selected>简体中文</option>' in form
    assert '<option value="en">English</option>' in form
    assert "js/language.js" in body


@pytest.mark.django_db
def test_a_chosen_language_sticks_until_changed(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})

    assert response.status_code == 302
    assert response.url == reverse("login")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    for _ in range(2):
        body = client.get(reverse("login")).content.decode()
        assert "Log in" in body
        assert '<option value="en" selected>English</option>' in body

    client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("login")})

    body = client.get(reverse("login")).content.decode()
    assert "登录" in body
    assert "Log in" not in body


@pytest.mark.django_db
def test_it_ignores_a_language_it_does_not_offer(client):
    client.post(reverse("set_language"), {"language": "fr", "next": reverse("login")})

    body = client.get(reverse("login")).content.decode()
    assert "登录" in body


def test_a_logged_in_user_sees_the_header_and_their_role_in_english(client, cast):
    client.force_login(cast.staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    body = client.get(reverse("camp-list")).content.decode()

    assert "Log out" in body
    assert "Change password" in body
    assert "Party school staff" in body  # the role's label, a lazy choice
    assert "退出登录" not in body
    assert "data-language-switch" in body


# --- The catalog ----------------------------------------------------------------------------


def _po_string(lines: list[str]) -> str:
    return "".join(ast.literal_eval(line) for line in lines)


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (list) and flags.
    Obsolete (#~) entries are left out; they are not compiled."""
    entries, entry, field = [], None, None

    def finish():
        if entry is not None and "msgid" in entry:
            for key in ("msgctxt", "msgid", "msgid_plural"):
                if key in entry:
                    entry[key] = _po_string(entry[key])
            entry["msgstr"] = [_po_string(entry["msgstr"][i]) for i in sorted(entry["msgstr"])]
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if entry is not None and field is not None:
                finish()
                entry, field = None, None
            if entry is None:
                entry = {"flags": set(), "msgstr": {}}
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith('"'):
            if field[0] == "msgstr":
                entry["msgstr"][field[1]].append(line)
            else:
                entry[field[0]].append(line)
            continue
        keyword, value = line.split(" ", 1)
        if keyword in ("msgctxt", "msgid") and field is not None and field[0] == "msgstr":
            finish()
            entry, field = None, None
        if entry is None:
            entry = {"flags": set(), "msgstr": {}}
        if keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if "[" in keyword else 0
            entry["msgstr"][index] = [value]
            field = ("msgstr", index)
        else:
            entry[keyword] = [value]
            field = (keyword, None)
    finish()
    return entries


@pytest.fixture(scope="module")
def po_entries() -> list[dict]:
    entries = read_po(PO_PATH)
    assert entries[0]["msgid"] == "", "the catalog has no header"
    return entries


@pytest.fixture(scope="module")
def messages(po_entries) -> list[dict]:
    return po_entries[1:]


def test_the_catalog_header_is_final_and_english(po_entries):
    header = po_entries[0]
    assert "fuzzy" not in header["flags"]
    assert "Language: en\n" in header["msgstr"][0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header["msgstr"][0]


def test_every_message_has_a_checked_translation(messages):
    assert len(messages) > 1000  # the whole interface, not a sample
    untranslated = [m["msgid"] for m in messages if not all(m["msgstr"])]
    fuzzy = [m["msgid"] for m in messages if "fuzzy" in m["flags"]]
    assert untranslated == [], "translate these in locale/en/LC_MESSAGES/django.po"
    assert fuzzy == [], "check these translations and remove their fuzzy flag"


def test_translations_are_english(messages):
    # A few keep Chinese on purpose: candidate imports accept the values 男/女, 是/否, 选调生...
    # and the message names them. Mostly Chinese is a copy of the msgid, not a translation.
    still_chinese = [
        m["msgid"]
        for m in messages
        for text in m["msgstr"]
        if len(CJK.findall(text)) > len(re.findall(r"[A-Za-z]", PLACEHOLDER.sub("", text)))
    ]
    assert still_chinese == []


def test_translations_keep_every_placeholder(messages):
    broken = []
    for m in messages:
        sources = [m["msgid"]] + [m.get("msgid_plural", m["msgid"])] * (len(m["msgstr"]) - 1)
        for source, text in zip(sources, m["msgstr"], strict=True):
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
                broken.append((source, text))
    assert broken == []


def test_the_compiled_catalog_matches_the_po_file(po_entries):
    with MO_PATH.open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog

    del compiled[""]  # the header: msgfmt leaves out POT-Creation-Date, and it is tested above
    expected = {}
    for entry in po_entries[1:]:
        msgid = entry["msgid"]
        if "msgctxt" in entry:
            msgid = f"{entry['msgctxt']}\x04{msgid}"
        if "msgid_plural" in entry:
            for index, text in enumerate(entry["msgstr"]):
                expected[(msgid, index)] = text
        else:
            expected[msgid] = entry["msgstr"][0]

    stale = {
        key for key in expected.keys() | compiled.keys() if expected.get(key) != compiled.get(key)
    }
    assert stale == set(), "run `make messages` (compilemessages) and commit django.mo"


# --- The code against the catalog -----------------------------------------------------------

PY_FUNCTIONS = {
    "_": 1,
    "gettext": 1,
    "gettext_lazy": 1,
    "gettext_noop": 1,
    "ngettext": 2,
    "ngettext_lazy": 2,
    "pgettext": 2,
    "pgettext_lazy": 2,
    "npgettext": 3,
    "npgettext_lazy": 3,
}
# templatize() writes each msgid as a Python literal, gettext(u'...') or ngettext(u'...', u'...',
# n), and keeps a filter argument such as default:_("...") as it was written.
TEMPLATE_STRING = re.compile(r"u?(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")")
TEMPLATE_CALL = re.compile(
    r"(?<![\w.])(_|n?p?gettext)\(((?:" + TEMPLATE_STRING.pattern + r"(?:, )?)+)"
)


def _key(function: str, strings: list[str]) -> tuple[str | None, str]:
    if function.startswith(("pgettext", "npgettext")):
        return strings[0], strings[1]
    return None, strings[0]


def python_msgids(path: Path) -> set[tuple[str | None, str]]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in PY_FUNCTIONS:
            continue
        args = node.args[: PY_FUNCTIONS[name]]
        if len(args) == PY_FUNCTIONS[name] and all(
            isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args
        ):
            found.add(_key(name, [a.value for a in args]))
    return found


def template_msgids(path: Path) -> set[tuple[str | None, str]]:
    # Django's own template lexer, the one makemessages feeds to xgettext.
    source = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    return {
        _key(
            m.group(1),
            [ast.literal_eval(s.removeprefix("u")) for s in TEMPLATE_STRING.findall(m.group(2))],
        )
        for m in TEMPLATE_CALL.finditer(source)
    }


def code_msgids() -> set[tuple[str | None, str]]:
    found = set()
    for folder in SOURCE_DIRS:
        for path in sorted((Path(settings.BASE_DIR) / folder).rglob("*")):
            if path.suffix == ".py":
                found |= python_msgids(path)
            elif path.suffix in (".html", ".txt"):
                found |= template_msgids(path)
    found.discard((None, ""))
    return found


def test_every_string_in_the_code_is_in_the_catalog(messages):
    in_catalog = {(m.get("msgctxt"), m["msgid"]) for m in messages}

    missing = sorted(code_msgids() - in_catalog, key=str)

    assert missing == [], "run `make messages`, translate the new entries and commit .po and .mo"
