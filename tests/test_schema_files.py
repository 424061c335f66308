"""The JSON Schema files in docs/schema/: made from factsite/schema.py, committed, and true to the data.

Editors read these files through the first line of every data file. They must never drift from the
schema the checker uses, and every data file that passes the checker must pass them too.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
from conftest import MINI, ROOT, checked, edit, mini_copy, run_cli
from html5 import parse

from factsite import schema_files
from factsite.known import known_in
from factsite.load import load_data
from factsite.schema import KINDS
from factsite.types import Plain

DATA = ROOT / "data"
COMMITTED = ROOT / "docs" / "schema"
SITE_URL = "https://factsite.github.io/factsite/"


def test_the_site_url_is_the_one_the_built_pages_give(mini_site):
    page = parse((mini_site / "site" / "groups" / "alpha-front.html").read_text(encoding="utf-8"))
    assert page.first("link", rel="canonical").attributes["href"] == f"{SITE_URL}groups/alpha-front.html"


def test_the_committed_files_match_the_schema():
    """Fails when factsite/schema.py changes and `factsite schema` was not run: run it and commit."""
    expected = schema_files.texts(SITE_URL, known_in(DATA))
    committed = {path.name: path.read_text(encoding="utf-8") for path in COMMITTED.glob("*.schema.json")}
    assert sorted(committed) == sorted(expected)
    for name, text in expected.items():
        assert committed[name] == text, f"docs/schema/{name} is out of date: run `factsite schema` and commit it"


def test_schema_check_passes_on_the_committed_files():
    result = run_cli("schema", "--check", cwd=ROOT)
    assert result.returncode == 0, result.stdout
    assert result.stderr == "docs/schema/: the JSON Schema files match factsite/schema.py and the data.\n"


def test_schema_check_names_every_file_that_drifted(tmp_path):
    folder = tmp_path / "schema"
    shutil.copytree(COMMITTED, folder)
    (folder / "groups.schema.json").write_text("{}\n", encoding="utf-8")
    (folder / "places.schema.json").unlink()
    (folder / "planets.schema.json").write_text("{}\n", encoding="utf-8")
    result = run_cli("schema", "--check", "--out", str(folder), cwd=ROOT)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{folder}/groups.schema.json: differs from what factsite/schema.py and the data make",
        f"{folder}/places.schema.json: missing",
        f"{folder}/planets.schema.json: no kind has this schema any more",
    ]
    assert result.stderr == "3 schema files out of date; run `factsite schema` and commit the result.\n"


def test_schema_writes_the_files_then_has_nothing_to_write(tmp_path):
    folder = tmp_path / "schema"
    first = run_cli("schema", "--out", str(folder), cwd=ROOT)
    assert first.returncode == 0
    assert first.stderr == f"{folder}/: 7 schema files, 7 written.\n"
    assert {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir()} == \
        {p.name: p.read_text(encoding="utf-8") for p in COMMITTED.iterdir()}
    second = run_cli("schema", "--out", str(folder), cwd=ROOT)
    assert second.stderr == f"{folder}/: 7 schema files, 0 written.\n"


@pytest.mark.parametrize("name", sorted(p.name for p in COMMITTED.glob("*.schema.json")))
def test_each_file_is_a_valid_2020_12_schema_with_a_stable_address(name):
    document = json.loads((COMMITTED / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(document)
    assert document["$id"] == f"{SITE_URL}schema/{name}"


def test_every_field_in_the_json_schema_has_the_checkers_description():
    groups = json.loads((COMMITTED / "groups.schema.json").read_text(encoding="utf-8"))
    assert groups["properties"]["name"]["description"] == KINDS["groups"].fields["name"].description
    fact = groups["properties"]["facts"]["items"]
    assert fact["required"] == ["says", "source", "at", "quote"]
    assert set(fact["properties"]) == {"says", "source", "at", "quote", "claimed_by"}


# ---------------------------------------------------------------- the data against the schema


def data_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*/*.yaml")) + [folder / "glossary.yaml"]


def schema_name(path: Path, data: Path) -> str:
    return "glossary" if path == data / "glossary.yaml" else path.parent.name


_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)")


def as_editor_reads_it(value):
    """A loaded value as JSON, reading unquoted scalars by YAML 1.2's core schema, as editors do."""
    if isinstance(value, dict):
        return {key: as_editor_reads_it(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_editor_reads_it(item) for item in value]
    if not isinstance(value, Plain):
        return str(value)
    if value in ("", "~", "null", "Null", "NULL"):
        return None
    if value in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return value.lower() == "true"
    if _INT.fullmatch(value):
        return int(value, 0) if value[:2] in ("0o", "0x") else int(value)
    if _FLOAT.fullmatch(value):
        return float(value.replace("inf", "Infinity").replace("nan", "NaN")) if "." in value[:2] else float(value)
    return str(value)


def schema_errors(data: Path) -> list[str]:
    """Every JSON Schema error in `data`, read with the schema files made for that data."""
    made = schema_files.documents(SITE_URL, known_in(data))
    validators = {name: jsonschema.Draft202012Validator(made[schema_files.file_name(name)])
                  for name in [*KINDS, "glossary"]}
    errors = []
    documents = load_data(data).documents
    assert documents and not any(d.broken for d in documents)
    for document in documents:
        for error in validators[document.kind].iter_errors(as_editor_reads_it(document.data)):
            errors.append(f"{document.path}: {'.'.join(map(str, error.path))}: {error.message}")
    return errors


def test_every_data_file_passes_its_json_schema():
    assert schema_errors(DATA) == []


def test_the_mini_fixture_passes_its_json_schema():
    assert schema_errors(MINI / "data") == []


def test_the_json_schema_rejects_what_the_checker_rejects(tmp_path):
    path = mini_copy(tmp_path) / "data/groups/alpha-front.yaml"
    edit(path, "type: affiliate-of", "type: afiliate-of")
    edit(path, "\nsummary:", "\nsumary:")
    errors = schema_errors(tmp_path / "data")
    assert any("relations.0.type: 'afiliate-of' is not one of" in e for e in errors), errors
    assert any("'summary' is a required property" in e for e in errors), errors
    assert any("Additional properties are not allowed ('sumary' was unexpected)" in e for e in errors), errors


def test_every_data_file_starts_with_its_schema_line():
    wrong = []
    for path in data_files(DATA):
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        expected = schema_files.schema_line(schema_name(path, DATA))
        if first != expected:
            wrong.append(f"{path.relative_to(ROOT)}: first line should be {expected!r}, is {first!r}")
    assert wrong == []


def test_the_schema_line_points_at_a_committed_file():
    for path in data_files(DATA):
        target = schema_files.schema_line(schema_name(path, DATA)).split("$schema=", 1)[1]
        assert (path.parent / target).resolve().is_file(), f"{path}: {target}"


def test_the_generator_never_owns_the_schema_files():
    from factsite.enrich import enrich
    from factsite.render import render

    pages = render(enrich(checked(MINI / "data").model))
    assert [page for page in pages if page.startswith("schema/")] == []


def test_the_built_site_publishes_the_schema_files(mini_site):
    for path in COMMITTED.glob("*.schema.json"):
        assert (mini_site / "site" / "schema" / path.name).read_bytes() == path.read_bytes()


def test_the_json_schema_refuses_a_quote_the_checker_refuses():
    from factsite.schema import FACT, QUOTE_MAX_WORDS

    schema = FACT.fields["quote"].type.json_schema()
    words = " ".join(["word"] * QUOTE_MAX_WORDS)
    jsonschema.validate(words, schema)
    for too_long in [words + " more", "two\nlines"]:
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(too_long, schema)


def test_an_empty_optional_field_passes_the_checker_and_the_json_schema_alike(tmp_path):
    path = mini_copy(tmp_path) / "data/groups/alpha-front.yaml"
    edit(path, "abbreviation: AF\naliases: [Alfa Front, al-Alpha]\n", "abbreviation:\naliases:\n")
    assert run_cli("check", "--data", str(tmp_path / "data"), cwd=ROOT).returncode == 0
    assert schema_errors(tmp_path / "data") == []
    edit(path, "aliases:\n", "aliases: 5\n")
    assert any("aliases: 5 is not of type 'array', 'null'" in e for e in schema_errors(tmp_path / "data"))


# ---------------------------------------------------------------- one corpus, two judges

ALPHA = "data/groups/alpha-front.yaml"
MEETING = "data/events/test-meeting.yaml"
WORDS_30 = " ".join(["word"] * 30)

# (case, file, old text, new text): each a small edit of a good mini file.
CORPUS = [
    ("good as it is", ALPHA, "", ""),
    ("name of spaces", ALPHA, "name: Alpha Front", 'name: "   "'),
    ("name on two lines", ALPHA, "name: Alpha Front", 'name: "Alpha\\nFront"'),
    ("name with a control character", ALPHA, "name: Alpha Front", 'name: "Alpha\\x02Front"'),
    ("summary of spaces and line breaks", ALPHA, "summary: A group that, the [[report]] says, is an affiliate of the "
     "[[beta-network]].", 'summary: " \\n "'),
    ("summary over several lines", ALPHA, "summary: A group that,", "summary: |-\n  A group\n  that,"),
    ("missing summary", ALPHA, "summary: A group that", "sumary: A group that"),
    ("unknown field", ALPHA, "abbreviation: AF", "abbreviation: AF\nmotto: none"),
    ("empty optional field", ALPHA, "abbreviation: AF", "abbreviation:"),
    ("relation type outside the vocabulary", ALPHA, "type: affiliate-of", "type: afiliate-of"),
    ("relation to no entity", ALPHA, "to: beta-network", "to: beta-netwrk"),
    ("fact from no source", ALPHA, "    source: article\n    at: 1\n    quote: \"Alpha Front is a regional affiliate "
     "of the Beta Network\"\n    claimed_by: report\nrelations",
     "    source: articel\n    at: 1\n    quote: \"Alpha Front is a regional affiliate of the Beta Network\"\n"
     "    claimed_by: report\nrelations"),
    ("claimed by no entity", ALPHA, "    claimed_by: report\nrelations", "    claimed_by: reprot\nrelations"),
    ("claimed by two", ALPHA, "    claimed_by: report\nrelations", "    claimed_by: [report, testland]\nrelations"),
    ("paragraph past the source's end", ALPHA, "    at: 1\n    quote: \"Alpha Front is a regional affiliate of the Beta "
     "Network\"\n    claimed_by: report\nrelations", "    at: 4\n    quote: \"Alpha Front is a regional affiliate of the "
     "Beta Network\"\n    claimed_by: report\nrelations"),
    ("paragraph 0", ALPHA, "    at: 1\n    quote: \"Alpha Front is a regional affiliate of the Beta Network\"\n"
     "    claimed_by: report\nrelations", "    at: 0\n    quote: \"Alpha Front is a regional affiliate of the Beta "
     "Network\"\n    claimed_by: report\nrelations"),
    ("paragraph in quotes", ALPHA, "    at: 1\n    quote: \"Alpha Front is a regional affiliate of the Beta Network\"\n"
     "    claimed_by: report\nrelations", "    at: \"1\"\n    quote: \"Alpha Front is a regional affiliate of the "
     "Beta Network\"\n    claimed_by: report\nrelations"),
    ("paragraph as words", ALPHA, "    at: 1\n    quote: \"Alpha Front is a regional affiliate of the Beta Network\"\n"
     "    claimed_by: report\nrelations", "    at: paragraph 1\n    quote: \"Alpha Front is a regional affiliate of "
     "the Beta Network\"\n    claimed_by: report\nrelations"),
    ("quote of 30 words", ALPHA, "quote: \"Alpha Front is a regional affiliate of the Beta Network\"\n    claimed_by: "
     "report\nrelations", f"quote: \"{WORDS_30}\"\n    claimed_by: report\nrelations"),
    ("quote of 31 words", ALPHA, "quote: \"Alpha Front is a regional affiliate of the Beta Network\"\n    claimed_by: "
     "report\nrelations", f"quote: \"{WORDS_30} more\"\n    claimed_by: report\nrelations"),
    ("former id", ALPHA, "aliases:", "former_ids: [alpha-front-old]\naliases:"),
    ("former id that is its own", ALPHA, "aliases:", "former_ids: [alpha-front]\naliases:"),
    ("former id of another entity", ALPHA, "aliases:", "former_ids: [testland]\naliases:"),
    ("former id index", ALPHA, "aliases:", "former_ids: [index]\naliases:"),
    ("former id not a slug", ALPHA, "aliases:", "former_ids: [Alpha_Front]\naliases:"),
    ("former id too long", ALPHA, "aliases:", f"former_ids: [{'a' * 81}]\naliases:"),
    ("date", MEETING, "date: 2017-08", "date: 2017-08-31"),
    ("date: a year", MEETING, "date: 2017-08", "date: 2017"),
    ("date: month 00", MEETING, "date: 2017-08", "date: 2017-00"),
    ("date: month 13", MEETING, "date: 2017-08", "date: 2017-13"),
    ("date: day 00", MEETING, "date: 2017-08", "date: 2017-01-00"),
    ("date: 31 April", MEETING, "date: 2017-08", "date: 2017-04-31"),
    ("date: 30 February", MEETING, "date: 2017-08", "date: 2017-02-30"),
    ("date: 29 February 2016", MEETING, "date: 2017-08", "date: 2016-02-29"),
    ("date: 29 February 2017", MEETING, "date: 2017-08", "date: 2017-02-29"),
    ("date: 29 February 1900", MEETING, "date: 2017-08", "date: 1900-02-29"),
    ("date: 29 February 2000", MEETING, "date: 2017-08", "date: 2000-02-29"),
    ("date: year 0000", MEETING, "date: 2017-08", 'date: "0000"'),
    ("date: fullwidth digits", MEETING, "date: 2017-08", "date: ２０１７-08"),
    ("date: in words", MEETING, "date: 2017-08", "date: August 2017"),
    ("date: a year of three digits", MEETING, "date: 2017-08", "date: 999"),
    ("date and undated", MEETING, "date: 2017-08", "date: 2017-08\nundated: The article gives none."),
    ("neither date nor undated", MEETING, "date: 2017-08\n", ""),
    ("undated only", MEETING, "date: 2017-08", "undated: The article gives none."),
    ("empty date and undated", MEETING, "date: 2017-08", "date:\nundated: The article gives none."),
    ("YAML 1.1 boolean", ALPHA, "abbreviation: AF", "abbreviation: NO"),
    ("link to no entity", ALPHA, "of the [[beta-network]].\nfacts", "of the [[beta-netwrk]].\nfacts"),
    ("relation to itself", ALPHA, "to: beta-network", "to: alpha-front"),
]

ACCEPTED = {"good as it is", "summary over several lines", "empty optional field", "claimed by two", "former id",
            "quote of 30 words", "date", "date: a year", "date: 29 February 2016", "date: 29 February 2000",
            "undated only", "empty date and undated"}

# Where the checker and the JSON Schema disagree on purpose: what JSON Schema cannot express.
DELIBERATE = {
    "YAML 1.1 boolean": "editors read YAML 1.2, where unquoted NO is text; the checker refuses what YAML 1.1 "
                        "loaders (PyYAML and others) would read as false",
    "link to no entity": "a [[link]] lives inside free text; JSON Schema cannot compare part of a string with "
                         "a list of ids",
    "relation to itself": "a file's id is its name, which the schema of its content does not know",
}


def _verification(problem) -> bool:
    return problem.field.endswith(".quote") and problem.message.startswith("not in ¶")


def _verdicts(tmp_path: Path, path: str, old: str, new: str) -> tuple[list[str], list[str]]:
    project = mini_copy(tmp_path)
    if old or new:
        edit(project / path, old, new)
    from factsite.pipeline import check

    # Whether a quote stands in its paragraph is checked against the source's verification data,
    # which no schema of the citing file can see: the corpus judges the quote's form, not its words.
    checked = [str(p) for p in check(project / "data").problems if not _verification(p)]
    schema = [e for e in schema_errors(project / "data") if f"/{path}:" in e]
    return checked, schema


@pytest.mark.parametrize("case, path, old, new", CORPUS, ids=[case for case, *_ in CORPUS])
def test_the_checker_and_the_json_schema_judge_the_corpus_alike(tmp_path, case, path, old, new):
    checked, schema = _verdicts(tmp_path, path, old, new)
    assert bool(checked) == (case not in ACCEPTED), checked
    if case in DELIBERATE:
        assert bool(checked) != bool(schema), f"no longer a disagreement: drop it from DELIBERATE ({checked}, {schema})"
    else:
        assert bool(checked) == bool(schema), f"checker: {checked}; schema: {schema}"


def test_the_corpus_has_both_verdicts():
    """A corpus where everything passes (or fails) would prove nothing."""
    names = [case for case, *_ in CORPUS]
    assert len(names) == len(set(names)) and set(DELIBERATE) <= set(names) and ACCEPTED <= set(names)
    assert "good as it is" in names and "name of spaces" in names


# ---------------------------------------------------------------- the schema knows the data


def test_references_offer_the_real_ids_with_their_names():
    groups = json.loads((COMMITTED / "groups.schema.json").read_text(encoding="utf-8"))
    entity_ids = groups["$defs"]["entity-id"]
    entities = sorted(p.stem for p in DATA.glob("*/*.yaml"))
    assert entity_ids["enum"] == entities
    assert entity_ids["enumDescriptions"][entities.index("haqqani-network")] == "Haqqani Network (group)"
    assert groups["$defs"]["source-id"]["enum"] == sorted(p.stem for p in DATA.glob("sources/*.yaml"))
    relation = groups["properties"]["relations"]["items"]["properties"]
    assert relation["to"]["$ref"] == "#/$defs/entity-id" and relation["source"]["$ref"] == "#/$defs/source-id"
    former = groups["properties"]["former_ids"]["items"]
    assert "haqqani-network" in former["not"]["enum"] and "index" in former["not"]["enum"]


def test_at_is_a_paragraph_of_the_cited_source():
    fact = json.loads((COMMITTED / "states.schema.json").read_text(encoding="utf-8"))["properties"]["facts"]["items"]
    [rule] = [r for r in fact["allOf"] if r["if"]["properties"]["source"]["const"] == "monitoring-desk-article"]
    assert rule["then"]["properties"]["at"] | {"errorMessage": ""} == {
        "type": "integer", "minimum": 1, "maximum": 14, "errorMessage": ""}


def test_relation_types_carry_their_descriptions_and_limits_read_as_words():
    from factsite.vocabulary import RELATION_TYPES

    groups = json.loads((COMMITTED / "groups.schema.json").read_text(encoding="utf-8"))
    relation = groups["properties"]["relations"]["items"]["properties"]
    assert relation["type"]["enum"] == list(RELATION_TYPES)
    assert relation["type"]["enumDescriptions"] == [t.description for t in RELATION_TYPES.values()]
    assert relation["quote"]["patternErrorMessage"] == "One line of at most 30 words."
    assert groups["properties"]["former_ids"]["items"]["patternErrorMessage"] == (
        "An id: lower-case letters a-z, digits and single hyphens.")


def test_a_new_entity_makes_the_schema_files_drift_until_factsite_schema_remakes_them(tmp_path):
    """What the pre-commit hook does: `factsite schema` after a data change rewrites, then has nothing to do."""
    project = mini_copy(tmp_path)
    assert run_cli("schema", "--out", "schema", "-f", str(ROOT / "mkdocs.yml"), cwd=project).returncode == 0
    shutil.copy(project / "data/groups/beta-network.yaml", project / "data/groups/gamma-front.yaml")
    drifted = run_cli("schema", "--check", "--out", "schema", "-f", str(ROOT / "mkdocs.yml"), cwd=project)
    assert drifted.returncode == 1 and "schema/groups.schema.json: differs" in drifted.stdout
    remade = run_cli("schema", "--out", "schema", "-f", str(ROOT / "mkdocs.yml"), cwd=project)
    assert remade.stderr == "schema/: 7 schema files, 7 written.\n"
    assert "gamma-front" in (project / "schema/events.schema.json").read_text(encoding="utf-8")
    again = run_cli("schema", "--check", "--out", "schema", "-f", str(ROOT / "mkdocs.yml"), cwd=project)
    assert again.returncode == 0, again.stdout
