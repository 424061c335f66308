"""Value types: each checks a YAML value, converts it, and writes its own JSON Schema.

factsite/schema.py builds the kinds and their fields from these, so the checker, the JSON Schema
for editors and the data reference page all come from one definition.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable

import yaml

from factsite.ids import MAX_LENGTH, RULE, SLUG, SLUG_PATTERN, character_name, id_problem
from factsite.problems import closest, did_you_mean, meant_hint

LINK = re.compile(r"\[\[([^\[\]]*)\]\]")
NULLS = {"", "~", "null", "Null", "NULL"}
# Code points that YAML, MkDocs' front-matter loader or an HTML5 parser refuse (an HTML5 parse error, or
# a YAML stream error that makes MkDocs print the front matter as Markdown): C0 and C1 controls but tab
# and line breaks (Markdown's placeholders are made of two of them), lone surrogates, noncharacters.
_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
                      + "".join(f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000))
                      + "]")


class Plain(str):
    """A scalar written without quotes: YAML 1.1 may read it as something other than text."""

    __slots__ = ()


class Invalid(Exception):
    """A value that does not fit its type; `path` is relative to the value checked."""

    def __init__(self, message: str, hint: str = "", path: tuple = (), key: bool = False):
        super().__init__(message)
        self.message, self.hint, self.path, self.key = message, hint, path, key

    def under(self, step: str | int) -> Invalid:
        """The same problem, seen from the list or mapping that holds the value at `step`."""
        return Invalid(self.message, self.hint, (step,) + self.path, self.key)


class InvalidValues(Exception):
    """Several Invalid at once (a record collects every problem of its fields)."""

    def __init__(self, errors: list[Invalid]):
        super().__init__(f"{len(errors)} problems")
        self.errors = errors


def convert_all(type_: Type, value: Any) -> tuple[Any, list[Invalid]]:
    """`type_.convert(value)` and every problem it found: (value, []) or (None, problems)."""
    try:
        return type_.convert(value), []
    except Invalid as error:
        return None, [error]
    except InvalidValues as many:
        return None, many.errors


_resolver = yaml.resolver.Resolver()
_TAG_NAMES = {
    "tag:yaml.org,2002:bool": "a boolean",
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:null": "an empty value (null)",
    "tag:yaml.org,2002:timestamp": "a date",
}


def yaml11_reading(text: str) -> str | None:
    """What a YAML 1.1 loader would turn this unquoted text into, when that is not text."""
    tag = _resolver.resolve(yaml.ScalarNode, text, (True, False))
    if tag not in _TAG_NAMES:
        return None
    value = yaml.safe_load(text)
    shown = value.isoformat() if isinstance(value, (datetime.date, datetime.datetime)) else repr(value)
    return f"{_TAG_NAMES[tag]}, {shown}" if tag != "tag:yaml.org,2002:null" else _TAG_NAMES[tag]


@dataclass(frozen=True)
class Known:
    """What the data holds, for a JSON Schema that knows it: ids with a line that says what each is,
    each source's number of paragraphs (None when it does not number them), and the ids that no
    entity may take (every current id, and the names the site keeps for itself)."""

    entities: dict[str, str] = field(default_factory=dict)  # id -> "Haqqani Network (group)"
    sources: dict[str, int | None] = field(default_factory=dict)
    taken: tuple[str, ...] = ()


class Type:
    label = "value"

    def convert(self, value: Any) -> Any:
        raise NotImplementedError

    def json_schema(self, known: Known | None = None) -> dict:
        """The JSON Schema of a valid value; with `known`, one that also names the data's real ids."""
        raise NotImplementedError


def _expect_text(value: Any, label: str) -> str:
    if isinstance(value, (dict, list)):
        got = "a mapping" if isinstance(value, dict) else "a list"
        raise Invalid(f"expected {label}, got {got}")
    return value


class Text(Type):
    """A single line of text; YAML 1.1's surprises (`NO`, `010`, `1:10`, dates) must be quoted."""

    label = "text"

    def __init__(self, *, multiline: bool = False, max_words: int | None = None):
        self.multiline = multiline
        self.max_words = max_words

    def convert(self, value: Any) -> str:
        text = _expect_text(value, self.label)
        if isinstance(text, Plain):
            reading = yaml11_reading(text)
            if reading:
                raise Invalid(f"YAML 1.1 reads the unquoted {text} as {reading}, not as text",
                              f'quote it: "{text}"')
        text = str(text)
        refused = _REFUSED.search(text)
        if refused:  # only reachable through a YAML escape ("\x02", "\uFFFE")
            raise Invalid(*_refused_code_point(refused.group()))
        if not text.strip():
            raise Invalid("is empty", "write a value or remove the field")
        if not self.multiline and ("\n" in text.strip()):
            raise Invalid("must be a single line", "join the lines into one")
        if self.max_words and len(text.split()) > self.max_words:
            raise Invalid(f"has {len(text.split())} words; at most {self.max_words} are allowed",
                          "quote only the words that show the statement")
        return text.strip()

    def json_schema(self, known: Known | None = None) -> dict:
        schema: dict = {"type": "string", "minLength": 1}
        if self.max_words and not self.multiline:
            # One line of at most max_words words: the editor flags a quote that grew too long.
            schema["pattern"] = rf"^[^\S\n]*\S+(?:[^\S\n]+\S+){{0,{self.max_words - 1}}}[^\S\n]*$"
            schema["patternErrorMessage"] = f"One line of at most {self.max_words} words."
        elif not self.multiline:
            schema["pattern"] = r"^[^\n]*\S[^\n]*$"
            schema["patternErrorMessage"] = "One line of text, not only spaces."
        else:
            schema["pattern"] = r"\S"
            schema["patternErrorMessage"] = "Some text, not only spaces and line breaks."
        # The code points the checker refuses in text (line breaks and tabs are allowed).
        schema["not"] = {"type": "string", "pattern": schema_class(_REFUSED)}
        return schema


def _refused_code_point(char: str) -> tuple[str, str]:
    """The message and hint for a code point that text may not hold."""
    code = f"U+{ord(char):04X}"
    if unicodedata.category(char) == "Cc":
        return (f"holds the control character {code}",
                "remove it; text may hold line breaks and tabs, no other control characters")
    if unicodedata.category(char) == "Cs":
        return f"holds the lone surrogate {code}", "remove it; a surrogate is half of a character, not one"
    return f"holds the noncharacter {code}", "remove it; Unicode reserves it, and web pages cannot hold it"


@functools.lru_cache(maxsize=None)
def schema_class(refused: re.Pattern) -> str:
    """A character class for JSON Schema that matches what `refused` matches in the Basic Multilingual
    Plane, each code point written as `\\uXXXX`, which Python's and ECMA-262's regular expressions
    both read. Surrogates and code points past U+FFFF are left out: ECMA-262 without its `u` flag
    sees an emoji as two surrogates, and has no escape for the rest (the checker still refuses them)."""
    ranges: list[list[int]] = []
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF or not refused.match(chr(code)):
            continue
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "[" + "".join(f"\\u{a:04x}" + (f"-\\u{b:04x}" if b > a else "") for a, b in ranges) + "]"


class Prose(Text):
    """Text in the project's own words; `[[id]]` links to another entity."""

    label = "text"

    def __init__(self):
        super().__init__(multiline=True)


class Slug(Type):
    """An id: a lower-case slug of at most ids.MAX_LENGTH characters (in `former_ids`, one no entity has)."""

    label = "an id"

    def convert(self, value: Any) -> str:
        text = str(_expect_text(value, self.label))
        problem = id_problem(text)
        if problem:
            raise Invalid(*problem)
        return text

    def json_schema(self, known: Known | None = None) -> dict:
        schema = _id_schema()
        if known is not None and known.taken:
            schema["not"] = {"enum": list(known.taken)}
            schema["errorMessage"] = "An id no entity has now, and not one the site keeps for its own pages."
        return schema


def _id_schema() -> dict:
    return {"type": "string", "pattern": SLUG_PATTERN, "maxLength": MAX_LENGTH,
            "patternErrorMessage": f"An id: {RULE}."}


class Ref(Slug):
    """The id of another entity (or, with `source=True`, of a file in data/sources/)."""

    def __init__(self, *, source: bool = False):
        self.source = source

    def json_schema(self, known: Known | None = None) -> dict:
        if known is None:
            return _id_schema()
        return {"$ref": f"#/$defs/{self.definition}"}

    @property
    def definition(self) -> str:
        """Where the schema file defines the list of ids this refers to (see Known)."""
        return "source-id" if self.source else "entity-id"


def id_definitions(known: Known) -> dict:
    """The `$defs` that Ref points to: the real ids, each with a line that says what it is."""
    def listing(ids: list[str], what: str) -> dict:
        return {"type": "string", "enum": ids, "enumDescriptions": [known.entities.get(i, "") for i in ids],
                "errorMessage": f"The id of {what} in data/ (the file name without .yaml)."}
    return {"entity-id": listing(sorted(known.entities), "an entity"),
            "source-id": listing(sorted(known.sources), "a source")}


class Integer(Type):
    label = "a whole number"

    def __init__(self, minimum: int = 0):
        self.minimum = minimum

    def convert(self, value: Any) -> int:
        text = _expect_text(value, self.label)
        if not isinstance(text, Plain) or not re.fullmatch(r"0|[1-9][0-9]*", text):
            reading = yaml11_reading(text) if isinstance(text, Plain) else None
            if reading and "number" in reading:
                raise Invalid(f"YAML 1.1 reads {text} as {reading}", "write a plain decimal number, like 10")
            raise Invalid(f"expected {self.label}, got '{text}'", "write digits only, without quotes")
        number = int(text)
        if number < self.minimum:
            raise Invalid(f"must be at least {self.minimum}")
        return number

    def json_schema(self, known: Known | None = None) -> dict:
        return {"type": "integer", "minimum": self.minimum}


_MONTH = r"(0[1-9]|1[0-2])"
_DAY_OF_MONTH = r"((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)"
_LEAP_YEAR = r"([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)"
_YEAR = r"(?!0000)[0-9]{4}"


class Date(Type):
    """A date as precise as the source allows: 2017, 2017-08 or 2017-12-15, in ASCII digits, in the calendar."""

    label = "a date (YYYY, YYYY-MM or YYYY-MM-DD)"
    PATTERN = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")  # fullmatch
    # The same rule for JSON Schema, calendar included: months 01-12, each month's days, 29 February
    # in leap years only.
    JSON_PATTERN = (rf"^({_YEAR}(-{_MONTH})?|{_YEAR}-{_DAY_OF_MONTH}|{_LEAP_YEAR}-02-29)$")

    def convert(self, value: Any) -> str:
        text = str(_expect_text(value, self.label))
        foreign = next((c for c in text if not c.isascii()), None)
        if foreign is not None:
            raise Invalid(f"'{text}' holds {character_name(foreign)}; dates are written in the digits 0-9",
                          "write the date in ASCII digits, like 2017-08")
        match = self.PATTERN.fullmatch(text)
        if not match:
            raise Invalid(f"expected {self.label}, got '{text}'", "for August 2017 write 2017-08")
        year, month, day = (int(g) if g else None for g in match.groups())
        if year == 0:
            raise Invalid(f"'{text}' has the year 0000, which the calendar does not have")
        if month is not None and not 1 <= month <= 12:
            raise Invalid(f"'{text}' has no month {match.group(2)}: months are 01 to 12",
                          f"for the year alone write {match.group(1)}")
        if day is not None:
            days = calendar.monthrange(year, month)[1]
            if not 1 <= day <= days:
                name = datetime.date(year, month, 1).strftime("%B")
                raise Invalid(f"'{text}' has no day {match.group(3)}: {name} {year} has days 01 to {days}",
                              f"for the month alone write {match.group(1)}-{match.group(2)}")
        return text

    def json_schema(self, known: Known | None = None) -> dict:
        # An unquoted year (`date: 2017`) is a number to YAML, and the checker takes it as the year.
        return {"anyOf": [{"type": "string", "pattern": self.JSON_PATTERN,
                           "patternErrorMessage": "A date in the calendar: YYYY, YYYY-MM or YYYY-MM-DD."},
                          {"type": "integer", "minimum": 1000, "maximum": 9999}]}


class Locator(Type):
    """Where in the source: a paragraph number for sources that number them, else text."""

    label = "a locator"

    def convert(self, value: Any) -> int | str:
        text = _expect_text(value, self.label)
        if isinstance(text, Plain) and re.fullmatch(r"[0-9]+", text):
            return Integer(minimum=1).convert(text)
        return Text().convert(text)

    def json_schema(self, known: Known | None = None) -> dict:
        return {"oneOf": [{"type": "integer", "minimum": 1}, Text().json_schema()]}


class Url(Text):
    """An http or https address. Printed as `<address>` in a table cell and into JSON-LD, it may hold no
    character that ends or opens a Markdown construct there: whitespace, `|`, `<`, `>`, `"`, a backtick,
    a backslash, `[`, `]`, `{`, `}`, `^`; nor anything but printable ASCII (percent-encode the rest).
    Parentheses are allowed: the address is never printed as a `[text](address)` link target."""

    label = "an http(s) address"
    RULE = ("An http or https address of printable ASCII characters, without spaces and without "
            '`|`, `<`, `>`, `"`, backticks, backslashes, `[`, `]`, `{`, `}` or `^`: percent-encode those '
            "(a space as %20).")
    _START = re.compile(r"https?://[^/?#@:]")
    _UNFIT = re.compile(r'[^!#-;=?-Z_a-z~]|[\\\[\]^`{|}"<>]')

    def convert(self, value: Any) -> str:
        text = super().convert(value)
        if not self._START.match(text):
            shown = text if len(text) <= 60 else text[:57] + "..."
            raise Invalid(f"expected {self.label}, got '{shown}'", "start it with https:// and the host's name")
        unfit = self._UNFIT.search(text)
        if unfit:
            char = unfit.group()
            encoded = "".join(f"%{byte:02X}" for byte in char.encode("utf-8"))
            what = "a space" if char == " " else f"U+{ord(char):04X}" if not char.isprintable() else \
                f"'{char}' (U+{ord(char):04X})" if not char.isascii() else f"'{char}'"
            raise Invalid(f"holds {what}, which an address cannot hold here",
                          f"percent-encode it as {encoded}")
        return text

    def json_schema(self, known: Known | None = None) -> dict:
        return {"type": "string", "format": "uri", "pattern": r"^https?://(?![/?#@:])[!#-;=?-Z_a-z~]+$",
                "patternErrorMessage": self.RULE}


class Choice(Type):
    def __init__(self, choices: dict[str, str], what: str):
        self.choices, self.what = choices, what
        self.label = f"a {what}"

    def convert(self, value: Any) -> str:
        text = str(_expect_text(value, self.label))
        if text not in self.choices:
            hint = did_you_mean(text, self.choices) or f"see the {self.what}s on the data reference page"
            raise Invalid(f"unknown {self.what} '{text}'", hint)
        return text

    def json_schema(self, known: Known | None = None) -> dict:
        # Editors show each choice's description as it is offered (VS Code, yaml-language-server).
        return {"type": "string", "enum": list(self.choices), "enumDescriptions": list(self.choices.values())}


class ListOf(Type):
    def __init__(self, item: Type, *, min_items: int = 0):
        self.item, self.min_items = item, min_items
        self.label = "a list"

    def convert(self, value: Any) -> list:
        if not isinstance(value, list):
            got = "a mapping" if isinstance(value, dict) else f"'{value}'"
            raise Invalid(f"expected a list, got {got}", "start each item on its own line with '- ', "
                          "or write [first, second]")
        if len(value) < self.min_items:
            raise Invalid(f"needs at least {self.min_items} item{'s' if self.min_items > 1 else ''}")
        items, errors = [], []
        for index, item in enumerate(value):
            converted, found = convert_all(self.item, item)
            items.append(converted)
            errors.extend(error.under(index) for error in found)
        if errors:
            raise InvalidValues(errors)
        return items

    def json_schema(self, known: Known | None = None) -> dict:
        schema = {"type": "array", "items": self.item.json_schema(known)}
        if self.min_items:
            schema["minItems"] = self.min_items
        return schema


class OneOrMore(Type):
    """One value, or a list of them; always a tuple once converted."""

    def __init__(self, item: Type):
        self.item = item
        self.label = f"{item.label} or a list of them"

    def convert(self, value: Any) -> tuple:
        if isinstance(value, list):
            return tuple(ListOf(self.item, min_items=1).convert(value))
        return (self.item.convert(value),)

    def json_schema(self, known: Known | None = None) -> dict:
        one = self.item.json_schema(known)
        return {"oneOf": [one, {"type": "array", "items": one, "minItems": 1}]}


@dataclass(frozen=True)
class Field:
    name: str
    type: Type
    description: str
    required: bool = False
    example: str = ""


class Record(Type):
    """A mapping with known fields, turned into an instance of `make` (a model class)."""

    label = "a mapping"

    def __init__(self, title: str, fields: list[Field], make: Callable[..., Any] | None = None,
                 rules: Callable[[Known | None], dict] | None = None):
        self.title, self.fields, self.make = title, {f.name: f for f in fields}, make
        self.rules = rules  # JSON Schema for what ties fields together (`at` by the cited source's scheme)

    def convert(self, value: Any) -> Any:
        if not isinstance(value, dict):
            got = "a list" if isinstance(value, list) else f"'{value}'"
            raise Invalid(f"expected {self.label} of fields, got {got}", "write 'field: value' lines")
        converted, errors = {}, []
        suggested = set()  # fields an unknown key was probably meant to be (`sumary` -> `summary`)
        for key, item in value.items():
            spec = self.fields.get(key)
            if spec is None:
                meant = closest(key, self.fields)
                if meant:
                    suggested.add(meant)
                hint = meant_hint(meant) or f"{self.title} fields are: {', '.join(self.fields)}"
                errors.append(Invalid(f"unknown field '{key}'", hint, (key,), key=True))
                continue
            if isinstance(item, Plain) and item in NULLS:
                continue  # an empty optional field is as good as an absent one
            converted[key], found = convert_all(spec.type, item)
            errors.extend(error.under(key) for error in found)
        for name, spec in self.fields.items():
            if not spec.required or name in converted:
                continue
            if name in value:
                if isinstance(value[name], Plain) and value[name] in NULLS:  # not when its value was wrong
                    errors.append(Invalid("is empty", "write a value", (name,)))
            elif name in suggested:
                continue  # the unknown field's "did you mean" already says it
            else:
                example = f"add '{name}: {spec.example}'" if spec.example else f"add '{name}:'"
                errors.append(Invalid(f"missing required field '{name}'", example))
        if errors:
            raise InvalidValues(errors)
        return self.make(**converted) if self.make else converted

    def json_schema(self, known: Known | None = None) -> dict:
        schema = {
            "type": "object",
            "additionalProperties": False,
            "required": [f.name for f in self.fields.values() if f.required],
            "properties": {
                f.name: {"description": f.description,
                         **(f.type.json_schema(known) if f.required else _or_empty(f.type.json_schema(known)))}
                for f in self.fields.values()
            },
        }
        if self.rules:
            schema.update(self.rules(known))
        return schema


def _or_empty(schema: dict) -> dict:
    """The schema, also allowing an empty value (`aliases:`), which the checker takes as absent.

    Null joins the `type` list rather than an `anyOf` around the schema: with anyOf, an editor
    reports any wrong value as "not valid under any of the given schemas" instead of what is wrong."""
    schema = dict(schema)
    if "type" in schema:
        schema["type"] = [schema["type"], "null"]
        if "enum" in schema:
            schema["enum"] = [*schema["enum"], None]
            if "enumDescriptions" in schema:
                schema["enumDescriptions"] = [*schema["enumDescriptions"], "Empty: as if the field were absent."]
    elif "$ref" in schema:
        schema = {"anyOf": [schema, {"type": "null"}]}
    else:
        key = "anyOf" if "anyOf" in schema else "oneOf"
        schema[key] = [*schema[key], {"type": "null"}]
    return schema


def slugify(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
