"""Contributing by pull request: `factsite new`, the descriptions every field needs, the data
reference page, the workflows, the pre-commit hook and the pinned dependencies."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import MINI, ROOT, checked, mini_copy, run_cli
from html5 import parse

from factsite import reference as reference_module
from factsite.enrich import enrich
from factsite.render import render
from factsite.schema import FACT, GLOSSARY, KINDS
from factsite.types import ListOf, Record
from factsite.vocabulary import RELATION_TYPES


@pytest.fixture()
def project(tmp_path) -> Path:
    return mini_copy(tmp_path)


# ---------------------------------------------------------------- factsite new


def test_new_writes_a_file_named_by_the_slug_of_the_name(project):
    result = run_cli("new", "groups", "Lashkar-e-Ṭayyiba (LeT)", cwd=project)
    assert result.returncode == 0, result.stderr
    path = project / "data/groups/lashkar-e-tayyiba-let.yaml"
    assert result.stderr == "Wrote data/groups/lashkar-e-tayyiba-let.yaml: fill in every empty value, then run `factsite check`.\n"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../../docs/schema/groups.schema.json"
    assert "name: Lashkar-e-Ṭayyiba (LeT)" in lines


def test_new_accepts_the_singular_and_quotes_a_name_yaml_would_misread(project):
    result = run_cli("new", "state", "NO", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "name: 'NO'" in (project / "data/states/no.yaml").read_text(encoding="utf-8").splitlines()


def test_a_new_file_names_each_empty_required_field_until_it_is_filled_in(project):
    assert run_cli("new", "events", "Border talks", cwd=project).returncode == 0
    result = run_cli("check", cwd=project)
    assert result.returncode == 1
    where = "data/events/border-talks.yaml"
    assert result.stdout.splitlines() == [
        f"{where}:6:9: summary: is empty (write a value)",
        f"{where}:9:6: date: an event needs a 'date', or 'undated' when the source gives none "
        "(write the date as precisely as the source allows, like 2017-08, or add 'undated: …')",
        f"{where}:14:10: facts[0].says: is empty (write a value)",
        f"{where}:16:12: facts[0].source: is empty (write a value)",
        f"{where}:19:8: facts[0].at: is empty (write a value)",
        f"{where}:22:11: facts[0].quote: is empty (write a value)",
    ]
    assert result.stderr == "6 errors found; fix them and run the check again.\n"


def test_a_new_file_passes_the_check_once_filled_in(project):
    assert run_cli("new", "events", "Border talks", cwd=project).returncode == 0
    path = project / "data/events/border-talks.yaml"
    filled = {"summary:": "summary: Talks in the [[border-region]], the [[article]] says.", "date:": "date: 2017-08",
              "says:": "says: Testland met in August 2017.", "source:": "source: article", "at:": "at: 2",
              "quote:": 'quote: "In August 2017, Testland met"'}
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        lines.append(line.replace(stripped, filled[stripped]) if stripped in filled else line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("check", cwd=project)
    assert result.returncode == 0, result.stdout
    assert result.stderr == "data: 9 entities, no errors; quotes verified against article.\n"


def test_new_refuses_to_overwrite(project):
    before = (project / "data/groups/alpha-front.yaml").read_bytes()
    result = run_cli("new", "groups", "Alpha Front", cwd=project)
    assert result.returncode == 1
    assert result.stderr == "Error: data/groups/alpha-front.yaml already exists; edit it instead\n"
    assert (project / "data/groups/alpha-front.yaml").read_bytes() == before


def test_new_refuses_an_id_another_kind_uses(project):
    result = run_cli("new", "places", "Testland", cwd=project)
    assert result.returncode == 1
    assert result.stderr == ("Error: the id 'testland' is already used by data/states/testland.yaml; ids are unique "
                             "across all kinds: edit that file, or choose another id with --id\n")
    assert not (project / "data/places/testland.yaml").exists()


def test_new_refuses_a_former_id(project):
    path = project / "data/groups/alpha-front.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "former_ids: [old-front]\n", encoding="utf-8")
    result = run_cli("new", "groups", "Old Front", cwd=project)
    assert result.returncode == 1
    assert result.stderr == ("Error: the id 'old-front' is already used by data/groups/alpha-front.yaml (as a former "
                             "id); ids are unique across all kinds: edit that file, or choose another id with --id\n")


def test_new_takes_an_id_and_refuses_one_that_is_not_a_slug(project):
    assert run_cli("new", "groups", "Tehrik-e-Taliban Pakistan", "--id", "ttp", cwd=project).returncode == 0
    assert (project / "data/groups/ttp.yaml").is_file()
    result = run_cli("new", "groups", "Other", "--id", "Bad_Id", cwd=project)
    assert result.returncode == 1
    assert result.stderr == ("Error: 'Bad_Id' is not a valid id; use lower-case letters a-z, digits and single "
                             "hyphens, like 'bad-id'\n")
    for reserved in ("index", "groups"):  # the checker would refuse them: so does `new`
        result = run_cli("new", "groups", "Other", "--id", reserved, cwd=project)
        assert (result.returncode, result.stderr) == (
            1, f"Error: '{reserved}' is an id kept for the site's own pages; choose another with --id\n")
    result = run_cli("new", "groups", "Other", "--id", "a" * 81, cwd=project)
    assert result.returncode == 1 and "has 81 characters; an id has at most 80" in result.stderr
    assert not [name for name in ("index", "groups", "a" * 81) if (project / f"data/groups/{name}.yaml").exists()]


def test_new_with_an_unknown_kind_is_a_usage_error(project):
    result = run_cli("new", "planets", "Mars", cwd=project)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == ("Error: Invalid value for 'KIND': unknown kind 'planets'; kinds are: "
                                              "groups, states, organizations, places, events, sources")


# ---------------------------------------------------------------- descriptions and the reference page


def all_records() -> list[tuple[str, Record]]:
    found: list[tuple[str, Record]] = []

    def walk(where: str, record: Record) -> None:
        found.append((where, record))
        for spec in record.fields.values():
            inner = spec.type.item if isinstance(spec.type, ListOf) else spec.type
            if isinstance(inner, Record):
                walk(f"{where}.{spec.name}", inner)

    for folder, kind in KINDS.items():
        walk(folder, kind.record)
    walk("glossary", GLOSSARY)
    return found


def test_every_field_has_a_description():
    missing = [f"{where}.{name}" for where, record in all_records() for name, spec in record.fields.items()
               if len(spec.description.strip()) < 10]
    assert missing == []


def test_every_relation_type_has_a_description_and_labels():
    for type_ in RELATION_TYPES.values():
        assert type_.label.strip() and type_.inverse.strip(), type_.id
        assert len(type_.description.strip()) >= 10, type_.id


@pytest.fixture(scope="module")
def reference_page() -> str:
    return render(enrich(checked(MINI / "data").model))["reference.md"]


def test_the_reference_page_lists_every_field_of_every_kind_and_record(reference_page):
    sections = {s.title: s for s in reference_module.reference().kinds + reference_module.reference().records}
    for where, record in all_records():
        title = KINDS[where].title if where in KINDS else ("Glossary" if where == "glossary" else f"A {record.title}")
        body = reference_page.split(f"\n## {title} ", 1)[1].split("\n## ", 1)[0]
        for name, spec in record.fields.items():
            required = "yes" if spec.required else "no"
            assert f"| `{name}` | " in body and f" | {required} | {spec.description} |" in body, f"{where}.{name}"
        assert [row.name for row in sections[title].fields] == list(record.fields)


def test_the_reference_page_lists_every_relation_type(reference_page):
    for type_ in RELATION_TYPES.values():
        assert f"| `{type_.id}` | {type_.label} | {type_.inverse} | {type_.description} |" in reference_page


def test_the_reference_page_is_in_the_navigation_before_about(mini_site):
    page = parse((mini_site / "site" / "index.html").read_text(encoding="utf-8"))
    nav = [(page.text(e.node), e.attributes.get("href")) for e in page.elements() if e.tag == "a" and "nav" in e.ancestors]
    at = nav.index(("Data reference", "reference.html"))
    assert nav[at + 1] == ("About", "about.html")


# ---------------------------------------------------------------- workflows, templates, hooks


def load_yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def run_lines(workflow: dict) -> list[str]:
    return [line.strip() for job in workflow["jobs"].values() for step in job.get("steps", [])
            for line in step.get("run", "").splitlines() if line.strip()]


def uses(workflow: dict) -> list[str]:
    return [step["uses"].split("@")[0] for job in workflow["jobs"].values() for step in job.get("steps", [])
            if "uses" in step]


def triggers(workflow: dict) -> dict:
    return workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as true


def test_every_workflow_is_valid_yaml_with_jobs():
    files = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    assert [p.name for p in files] == ["deploy.yml", "pull-request.yml"]
    for path in files:
        workflow = load_yaml(path)
        assert workflow["name"] and triggers(workflow) and workflow["jobs"], path.name


def test_pull_requests_are_checked_tested_and_built_into_a_preview():
    workflow = load_yaml(ROOT / ".github/workflows/pull-request.yml")
    assert "pull_request" in triggers(workflow)
    runs = run_lines(workflow)
    assert ".venv/bin/factsite check --format github" in runs
    assert runs.index(".venv/bin/factsite check --format github") < runs.index("make test") < runs.index("make site")
    assert "apt-get install -y -q chromium" in runs
    assert workflow["jobs"]["check-test-build"]["container"] == "python:3.11-bookworm"
    upload = [s for s in workflow["jobs"]["check-test-build"]["steps"] if s.get("uses", "").startswith(
        "actions/upload-artifact@")]
    assert upload and upload[0]["with"]["path"] == "site/"


def test_main_is_built_and_deployed_to_github_pages():
    workflow = load_yaml(ROOT / ".github/workflows/deploy.yml")
    assert triggers(workflow)["push"]["branches"] == ["main"]
    assert uses(workflow) == ["actions/checkout", "actions/setup-python", "actions/upload-pages-artifact",
                              "actions/deploy-pages"]
    build = workflow["jobs"]["build"]["steps"]
    assert [s["with"]["python-version"] for s in build if s.get("uses", "").startswith("actions/setup-python")] == ["3.11"]
    assert workflow["jobs"]["deploy"]["environment"]["name"] == "github-pages"


def test_deploy_builds_the_offline_edition_with_the_site_from_full_history():
    workflow = load_yaml(ROOT / ".github/workflows/deploy.yml")
    checkout = next(s for s in workflow["jobs"]["build"]["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # the data's date is read from git
    assert run_lines(workflow) == ["make site",
                                   "cd site/downloads && sha256sum --check --strict factsite-offline.zip.sha256"]
    assert make_would_run("site") == [".venv/bin/factsite bundle", ".venv/bin/factsite build"]
    upload = next(s for s in workflow["jobs"]["build"]["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "site/"


def test_deploy_jobs_hold_least_privileges_and_pin_every_action_to_a_commit():
    text = (ROOT / ".github/workflows/deploy.yml").read_text(encoding="utf-8")
    workflow = yaml.safe_load(text)
    assert workflow["permissions"] == {}
    assert workflow["jobs"]["build"]["permissions"] == {"contents": "read"}
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    pins = [line.strip() for line in text.splitlines() if re.match(r"\s*(- )?uses:", line)]
    unpinned = [line for line in pins if not re.fullmatch(r"(- )?uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+", line)]
    assert len(pins) == 4 and unpinned == []


@pytest.mark.parametrize("name", ["correct-a-fact.yml", "add-an-entity.yml"])
def test_issue_forms_are_valid(name):
    form = load_yaml(ROOT / ".github/ISSUE_TEMPLATE" / name)
    assert form["name"] and form["description"] and form["body"]
    for field in form["body"]:
        assert field["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"}
        if field["type"] != "markdown":
            assert re.fullmatch(r"[a-z-]+", field["id"]) and field["attributes"]["label"]


def test_the_pull_request_template_has_the_citation_checklist():
    text = (ROOT / ".github/pull_request_template.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`([a-z_]+)`", text))
    assert {"source", "says", "at", "quote", "claimed_by"} <= named
    assert {"source", "says", "at", "quote", "claimed_by"} <= set(FACT.fields)  # fields the checker knows
    assert text.count("- [ ] ") >= 6


def test_the_pre_commit_hook_checks_the_whole_data_set_on_any_data_change():
    config = load_yaml(ROOT / ".pre-commit-config.yaml")
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    check = hooks["factsite-check"]
    assert check["entry"] == ".venv/bin/factsite check"
    assert check["files"] == "^data/" and check["pass_filenames"] is False and check["language"] == "system"
    schema = hooks["factsite-schema"]
    assert schema["entry"] == ".venv/bin/factsite schema"  # remakes the files; pre-commit fails if they changed
    assert re.match(schema["files"], "data/groups/new-group.yaml") and re.match(schema["files"], "factsite/schema.py")


def test_contributing_gives_the_commands_and_rules():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for needed in ["make check", "make check TEXTS=DIR", "make serve", "factsite new", "factsite source add",
                   "--licence public-domain", "paragraph_openings", "claimed_by", "about 25 words", "former_ids",
                   "aliases"]:
        assert needed in text, needed



def test_every_command_contributing_names_exists():
    from factsite.cli import cli

    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    commands = set(re.findall(r"`factsite ([a-z]+)", text))
    assert commands and commands - set(cli.commands) == set()
    for target in set(re.findall(r"`make ([a-z]+)", text)):
        assert make_would_run(target), target  # make knows the target (else it exits 2)


# ---------------------------------------------------------------- reproducible installs


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_dependency_is_pinned_in_the_lock_file():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = project["dependencies"] + [req for group in project["optional-dependencies"].values() for req in group]
    pins = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, sep, version = line.partition("==")
            assert sep and re.fullmatch(r"[0-9][0-9A-Za-z.+!-]*", version), f"not pinned with ==: {line}"
            pins[normalized(name)] = version
    for requirement in wanted:
        name = normalized(re.match(r"[A-Za-z0-9._-]+", requirement).group())
        assert name in pins, f"{name} (pyproject.toml) is not in requirements.lock: run `make lock`"


def make_would_run(target: str, remake: bool = False) -> list[str]:
    """The commands `make TARGET` would run here, without running them: all of its recipe with `remake`,
    else only the target's own (.venv taken as up to date)."""
    option = "--always-make" if remake else "--old-file=.venv/.installed"
    result = subprocess.run(["make", "--dry-run", "--no-print-directory", option, target], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    return result.stdout.splitlines()


def test_the_makefile_installs_from_the_lock_file():
    commands = make_would_run(".venv/.installed", remake=True)
    assert ".venv/bin/python -m pip install --quiet --disable-pip-version-check --requirement requirements.lock" in commands
    assert ".venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --editable ." in commands
