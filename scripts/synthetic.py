"""The benchmark's synthetic fact base: a deterministic project of any size, every kind of entity, sources
with numbered paragraphs and verification data, quotes that verify, relations from the vocabulary.
scripts/bench.py and scripts/bench_search.py both measure it."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from factsite.vocabulary import RELATION_TYPES  # noqa: E402

SEED = 20171217
ENTITIES_PER_SOURCE = 100  # sources grow with the fact base, so every size has the same shape
PARAGRAPHS_PER_SOURCE = 60

# ---------------------------------------------------------------- synthetic data

ROOTS = ["Kharan", "Zabul", "Tarin", "Helmand", "Nangar", "Kunar", "Paktia", "Ghazni", "Faryab", "Badakh", "Logar",
         "Wardak", "Khost", "Laghman", "Sarobi", "Baghlan", "Takhar", "Jowzjan", "Farah", "Uruzgan", "Nimroz",
         "Samangan", "Parwan", "Kapisa", "Bamyan", "Daikundi", "Herat", "Balkh", "Kundu", "Panjsh"]
SUFFIXES = ["", "i", "an", "abad", "stan", "gar", "oun"]
GROUP_WORDS = ["Front", "Network", "Movement", "Brigade", "Shura", "Council", "Army", "Tehrik", "Jamaat", "Lashkar"]
ORG_WORDS = ["Corps", "Command", "Police", "Directorate", "Mission", "Ministry", "Division", "Task Force", "Centre",
             "Mechanism"]
PLACE_WORDS = ["Valley", "Province", "District", "Border Region", "Pass", "Plateau", "Corridor"]
EVENT_WORDS = ["Talks", "Offensive", "Conference", "Agreement", "Operation", "Summit", "Meeting", "Attack"]
STATE_WORDS = ["Republic of", "State of", "Kingdom of", "Federation of"]
ADJECTIVES = ["Northern", "Southern", "Eastern", "Western", "Upper", "Lower", "Greater", "New", "Free", "United"]
VERBS = ["operates in", "retains freedom of movement in", "cooperates with", "receives support from", "acts against",
         "has built a presence in", "draws fighters from", "is an affiliate of", "met officials of",
         "was formed by", "trains forces of", "accuses"]
FILLER = ["according to the report", "the report says", "officials said", "in 2017", "during the period",
          "despite pressure", "the article adds", "over the past year", "in the border region", "as the report notes",
          "while talks continued", "without naming its leaders"]
KIND_SHARE = [("groups", 0.30), ("organizations", 0.28), ("places", 0.14), ("events", 0.16), ("states", 0.12)]


def slug(text: str) -> str:
    out, dash = [], False
    for char in text.lower():
        if char.isalnum() and char.isascii():
            out.append(char)
            dash = False
        elif not dash and out:
            out.append("-")
            dash = True
    return "".join(out).strip("-")


def quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def bench_summary(entity: dict) -> str:
    """The first fact, credited to its source, as the summary rule asks (factsite/summaries.py)."""
    return f"According to the [[{entity['facts'][0]['source']}]]: {entity['facts'][0]['says']}"


class Synthetic:
    """A deterministic fact base: names, aliases, abbreviations, facts quoting real paragraphs, relations."""

    def __init__(self, size: int, seed: int = SEED):
        self.rng = random.Random(seed + size)
        self.size = size
        self.entities: list[dict] = []
        self.ids: set[str] = set()
        self.sources: list[dict] = []

    def unique(self, name: str) -> tuple[str, str]:
        base, n = slug(name), 1
        ident, shown = base, name
        while ident in self.ids:
            n += 1
            ident, shown = f"{base}-{n}", f"{name} {self.roman(n)}"
        self.ids.add(ident)
        return ident, shown

    @staticmethod
    def roman(n: int) -> str:
        numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
        out = ""
        for value, letters in numerals:
            while n >= value:
                out, n = out + letters, n - value
        return out

    def place_root(self) -> str:
        return self.rng.choice(ROOTS) + self.rng.choice(SUFFIXES)

    def name_for(self, kind: str) -> str:
        r = self.rng
        if kind == "groups":
            return f"{r.choice(ADJECTIVES)} {self.place_root()} {r.choice(GROUP_WORDS)}"
        if kind == "organizations":
            return f"{self.place_root()} {r.choice(ORG_WORDS)}"
        if kind == "places":
            return f"{self.place_root()} {r.choice(PLACE_WORDS)}"
        if kind == "events":
            return f"{self.place_root()} {r.choice(EVENT_WORDS)}"
        return f"{r.choice(STATE_WORDS)} {self.place_root()}"

    def build(self) -> None:
        r = self.rng
        for index in range(max(1, self.size // ENTITIES_PER_SOURCE)):
            ident, name = self.unique(f"Synthetic Report {index + 1}")
            paragraphs = []
            for _ in range(PARAGRAPHS_PER_SOURCE):
                sentences = []
                for _ in range(r.randint(3, 5)):
                    words = f"The {self.name_for('groups')} {r.choice(VERBS)} the {self.name_for('places')}"
                    sentences.append(f"{words}, {r.choice(FILLER)}.")
                paragraphs.append(" ".join(sentences))
            self.sources.append({"id": ident, "name": name, "paragraphs": paragraphs})
        counts = {kind: int(self.size * share) for kind, share in KIND_SHARE}
        counts["groups"] += self.size - len(self.sources) - sum(counts.values())
        for kind, count in counts.items():
            for _ in range(count):
                ident, name = self.unique(self.name_for(kind))
                self.entities.append({"kind": kind, "id": ident, "name": name})
        types = [t for t in RELATION_TYPES if t not in {"published-by", "reports-on"}]
        all_ids = [e["id"] for e in self.entities]
        for entity in self.entities:
            words = entity["name"].split()
            entity["abbreviation"] = "".join(w[0] for w in words).upper() if r.random() < 0.3 else ""
            entity["aliases"] = [f"{entity['name']} ({r.choice(ROOTS)})", entity["name"].replace(" ", "-")][
                :r.randint(0, 2)]
            entity["facts"] = [self.citation(r) | {"says": self.says(r, entity, all_ids)} for _ in range(r.randint(3, 6))]
            entity["relations"] = []
            targets = r.sample(all_ids, 6)
            for target in targets[:r.randint(2, 5)]:
                if target != entity["id"]:
                    entity["relations"].append(self.citation(r) | {"type": r.choice(types), "to": target})
            if entity["kind"] == "events":
                entity["date"] = f"{r.randint(2001, 2017)}-{r.randint(1, 12):02d}" + (
                    f"-{r.randint(1, 28):02d}" if r.random() < 0.5 else "")

    def citation(self, r: random.Random) -> dict:
        source = r.choice(self.sources)
        at = r.randint(1, PARAGRAPHS_PER_SOURCE)
        words = source["paragraphs"][at - 1].split()
        start = r.randint(0, max(0, len(words) - 12))
        return {"source": source["id"], "at": at, "quote": " ".join(words[start:start + r.randint(6, 12)])}

    def says(self, r: random.Random, entity: dict, all_ids: list[str]) -> str:
        other = r.choice(all_ids)
        link = f" with the [[{other}]]" if other != entity["id"] and r.random() < 0.5 else ""
        return (f"The report says the {entity['name']} {r.choice(VERBS)} the region{link}, "
                f"{r.choice(FILLER)}, {r.choice(FILLER)}.")

    def write(self, data: Path, texts: Path) -> None:
        for kind, _ in KIND_SHARE + [("sources", 0)]:
            (data / kind).mkdir(parents=True, exist_ok=True)
        texts.mkdir(parents=True, exist_ok=True)
        for source in self.sources:
            (texts / f"{source['id']}.txt").write_text("\n\n".join(source["paragraphs"]) + "\n", encoding="utf-8")
            # made-up text, so public-domain: its quotes are verified against the text itself, kept beside it
            (data / "sources" / f"{source['id']}.txt").write_text("\n\n".join(source["paragraphs"]) + "\n",
                                                                encoding="utf-8")
            (data / "sources" / f"{source['id']}.yaml").write_text(
                f"name: {quoted(source['name'])}\nmedium: report\npublished: 2017-12-15\nlicence: public-domain\n"
                f"paragraphs: {PARAGRAPHS_PER_SOURCE}\nsummary: A synthetic report for the benchmark.\n",
                encoding="utf-8")
        for entity in self.entities:
            lines = [f"name: {quoted(entity['name'])}"]
            if entity["abbreviation"]:
                lines.append(f"abbreviation: {quoted(entity['abbreviation'])}")
            if entity["aliases"]:
                lines.append("aliases:")
                lines += [f"  - {quoted(a)}" for a in entity["aliases"]]
            if "date" in entity:
                lines.append(f"date: {quoted(entity['date'])}")
            lines.append(f"summary: {quoted(bench_summary(entity))}")
            lines.append("facts:")
            for fact in entity["facts"]:
                lines += [f"  - says: {quoted(fact['says'])}", f"    source: {fact['source']}",
                          f"    at: {fact['at']}", f"    quote: {quoted(fact['quote'])}"]
            if entity["relations"]:
                lines.append("relations:")
                for relation in entity["relations"]:
                    lines += [f"  - type: {relation['type']}", f"    to: {relation['to']}",
                              f"    source: {relation['source']}", f"    at: {relation['at']}",
                              f"    quote: {quoted(relation['quote'])}"]
            (data / entity["kind"] / f"{entity['id']}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (data / "glossary.yaml").write_text(
            "terms:\n  - term: IED\n    expansion: improvised explosive device\n", encoding="utf-8")


# ---------------------------------------------------------------- the project and the runs
