"""What an id may be, and what to say when a file name or a value is not one.

An id is a lower-case slug, at most MAX_LENGTH characters: it is a file name and a part of every
address of the entity, and the write stage adds a suffix to it while staging a page, so a long id
would build once and then fail with "File name too long". A character that does not belong is
named by its code point and Unicode name (which starts with its script: `CYRILLIC SMALL LETTER A`),
because an invisible or look-alike character cannot be seen in the message itself.
"""

from __future__ import annotations

import functools
import re
import unicodedata

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # always used with fullmatch: `$` would accept a final newline
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"  # the same, for JSON Schema (where `$` is the end of the text)
MAX_LENGTH = 80
RULE = "lower-case letters a-z, digits and single hyphens"

# Letters of other scripts drawn like a Latin letter, whose Unicode names do not say which (the Latin
# letter of a name like GREEK SMALL LETTER OMICRON is not in it). Others are found by their names.
_LOOK_ALIKES = {"е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "һ": "h", "ԁ": "d",
                "ԛ": "q", "ԝ": "w", "ο": "o", "ν": "v", "α": "a", "ι": "i", "κ": "k", "ρ": "p", "τ": "t", "υ": "u"}


def is_id(text: str) -> bool:
    return len(text) <= MAX_LENGTH and SLUG.fullmatch(text) is not None


def character_name(char: str) -> str:
    """`U+0430 CYRILLIC SMALL LETTER A`; `U+001B, a control character` (controls have no Unicode name)."""
    name = unicodedata.name(char, "")
    if name:
        return f"U+{ord(char):04X} {name}"
    return f"U+{ord(char):04X}, a control character" if unicodedata.category(char) == "Cc" else f"U+{ord(char):04X}"


def latin_look_alike(char: str) -> str | None:
    """The ASCII letter or digit `char` stands for or looks like (Cyrillic а -> a, fullwidth Ａ -> a), if any."""
    if char in _LOOK_ALIKES:
        return _LOOK_ALIKES[char]
    folded = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode().lower()
    if len(folded) == 1 and folded.isalnum():
        return folded
    name = unicodedata.name(char, "")
    match = re.fullmatch(r"[A-Z]+ (SMALL|CAPITAL) LETTER ([A-Z])", name)
    return match.group(2).lower() if match else None


def foreign_character(text: str) -> str | None:
    """What to say about the first character outside ASCII (or invisible), or None when all are ASCII."""
    for char in text:
        if char.isascii() and char.isprintable():
            continue
        look_alike = latin_look_alike(char)
        if look_alike and not unicodedata.name(char, "").startswith("LATIN"):
            return f"it holds {character_name(char)}, not the Latin '{look_alike}'"
        category = unicodedata.category(char)
        if category == "Cc":
            return f"it holds {character_name(char)}"
        if category in ("Cf", "Zs", "Zl", "Zp", "Mn", "Me") or not char.isprintable():
            return f"it holds {character_name(char)}, which cannot be seen"
        return f"it holds {character_name(char)}"
    return None


@functools.lru_cache(maxsize=65536)  # every file's id, on each of the preview's edits
def suggested_id(text: str) -> str:
    """`text` made an id: look-alike letters become the Latin ones, invisible characters go."""
    letters = []
    for char in text:
        if char.isascii():
            letters.append(char.lower())
        else:
            letters.append(latin_look_alike(char) or ("-" if unicodedata.category(char).startswith(("Z", "P")) else ""))
    return re.sub(r"[^a-z0-9]+", "-", "".join(letters)).strip("-")[:MAX_LENGTH].strip("-")


def id_problem(text: str, subject: str = "") -> tuple[str, str] | None:
    """What is wrong with `text` as an id and how to fix it, or None when it is one; `subject` names
    the text in the message (by default, the text quoted)."""
    if is_id(text):
        return None
    subject = subject or f"'{text}'"
    if SLUG.fullmatch(text):
        return (f"{subject} has {len(text)} characters; an id has at most {MAX_LENGTH}",
                f"shorten it, like '{suggested_id(text)}'")
    why = foreign_character(text)
    problem = f"{subject} is not a valid id" + (f": {why}" if why else "")
    return problem, f"use {RULE}, like '{suggested_id(text) or 'taliban'}'"
