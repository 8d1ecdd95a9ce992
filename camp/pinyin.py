"""Pinyin initials of a name, stored beside it so that `zhs` finds 张华生.

Staff type initials because a phone keyboard makes whole Chinese names slow. A character with
several readings (单 is dān, shàn and chán) gives several initials, and the user may think in
any of them, so every combination is kept, most common reading first, separated by spaces. The
combinations are bounded: a name of many heteronyms would otherwise multiply without end.

The initials are written by the service that writes the name (and by a migration for rows
written before), never computed per row when a list is searched."""

from __future__ import annotations

import itertools

from django.db.models import Q

# What the stored field holds; a 50-character name of plain characters fits once.
INITIALS_MAX_LENGTH = 255
COMBINATIONS_MAX = 16
SEPARATOR = " "


def name_initials(name: str) -> str:
    """Every reading's initials of `name`, lower case, combinations joined by a space: 单田芳
    gives "dtf ctf stf". Letters and digits that are not Chinese are kept as written (lower
    case), spaces and punctuation dropped."""
    name = "".join(name.split())
    if not name:
        return ""
    # Imported here, not with the module: pypinyin's phrase dictionary costs 55 MB of memory
    # in every process that loads it, and most (the web workers' searches, the summary, the
    # exports) only read the stored initials (measured by bench/child.py, issue 19).
    from pypinyin import Style, pinyin

    readings = pinyin(name, style=Style.FIRST_LETTER, heteronym=True, errors="default")
    per_char = []
    for options in readings:
        kept = []
        for option in options:
            letters = "".join(ch for ch in option.lower() if ch.isascii() and ch.isalnum())
            if letters and letters not in kept:
                kept.append(letters)
        if kept:
            per_char.append(kept)
    combinations: list[str] = []
    length = 0
    for parts in itertools.islice(itertools.product(*per_char), COMBINATIONS_MAX):
        word = "".join(parts)
        extra = len(word) + (1 if combinations else 0)
        if length + extra > INITIALS_MAX_LENGTH:
            break
        combinations.append(word)
        length += extra
    return SEPARATOR.join(combinations)


def is_initials(term: str) -> bool:
    """Whether a typed term may be initials: Latin letters only (digits are searched as text)."""
    return bool(term) and term.isascii() and term.isalpha()


def name_q(term: str, *, name: str = "name", initials: str = "name_initials") -> Q:
    """Rows whose name holds `term` in full or as a fragment, or whose stored initials hold it
    (`zhs`, or `hs` for the given name). `name` and `initials` are the field paths, e.g.
    "person__name" and "person__name_initials"."""
    term = term.strip()
    q = Q(**{f"{name}__icontains": term})
    if is_initials(term):
        # The stored initials are lower case already: a plain contains uses the index-free
        # but case-exact LIKE on every database, with no UPPER() per row.
        q |= Q(**{f"{initials}__contains": term.lower()})
    return q
