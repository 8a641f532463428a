"""Regenerate the shipped model catalogs in resources/models/ from the reference facts (a developer tool).

Usage (from the repository root):

    uv run python tools/convert_reference_models.py [REFERENCE_DIR] [--out resources/models] [--check]

REFERENCE_DIR defaults to ../shared/reference/models beside the repository; the seed presentation is read
from ../seed/forrester-cmmi-svc-rmm-security-2011.txt relative to it. `--check` writes nothing and fails when
a shipped file differs from what the reference gives, which is how to see whether the shipped files are current.

What it does:
- cmmi-svc-1.3.yaml and cert-rmm-1.1.yaml: IDs, titles, categories, maturity levels, aliases and the SSD
  addition flag as the reference has them. The reference marks a title it could not confirm only with a YAML
  comment (`# UNVERIFIED`) on the title's line, which a YAML parser drops, so the line text is read here: a
  title is unverified when the comment on its line starts with UNVERIFIED (a comment that merely mentions the
  word, as IMC:SG3.SP1's does, is not a mark). Each mark is cross-checked with the reference's own rule that a
  title without `src` is unverified. Comments beside CERT-RMM practices and above its process areas become notes.
- security-management-1.0.yaml and iso27001-2005.yaml from security-management-pseudo-pa.yaml.
- links.yaml: the seed's CMMI-SVC -> CERT-RMM relations and the SM -> ISO 27001 derivations (provenance seed),
  plus the curated SM -> CERT-RMM and SM -> CMMI-SVC links of tools/curated_links.yaml (provenance curated).
Every generated model and the links are validated with the app's own parser before anything is written.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from app.domain.catalog import (  # noqa: E402  (the repository root must be importable first)
    CrossLink,
    Goal,
    GoalKind,
    InformativeItem,
    Model,
    ModelKind,
    Practice,
    ProcessArea,
    Provenance,
    Ref,
)
from app.domain.catalog_writer import model_to_data  # noqa: E402
from app.domain.links_reader import parse_links, validate_catalog  # noqa: E402
from app.domain.model_reader import parse_model  # noqa: E402
from app.storage.catalog_files import links_to_yaml, model_to_yaml  # noqa: E402
from app.storage.yaml_source import load_yaml  # noqa: E402

DEFAULT_REFERENCE = REPO.parent / "shared" / "reference" / "models"
SEED_NAME = "forrester-cmmi-svc-rmm-security-2011.txt"
SEED_TITLE = "Forrester, 'Assembling a multi-model approach' (CMMI-SVC, CERT-RMM and security), April 2011"

# The links chosen by hand (SM -> CERT-RMM and CMMI-SVC) and the seed relations' rationales are data beside the tool.
CURATED_FILE = Path(__file__).with_name("curated_links.yaml")


def _curated_links() -> tuple[tuple[tuple[str, str, str, str, str, str], ...], dict[tuple[str, str], str]]:
    """(SM item, target model, target PA, target item, relation, rationale) per curated link, and the seed's
    rationales by (CMMI-SVC PA, CERT-RMM PA)."""
    data = yaml.safe_load(CURATED_FILE.read_text(encoding="utf-8"))
    curated = tuple(
        (str(c["from"]), str(c["model"]), str(c["pa"]), str(c["to"]), str(c["relation"]), str(c["why"]))
        for c in data["curated"]
    )
    seed = {(str(s["svc"]), str(s["rmm"])): str(s["why"]) for s in data["seed_rationales"]}
    return curated, seed


CURATED, SEED_RATIONALES = _curated_links()

RMM_SOURCES = (
    "Composite of public sources; the notes name them by key: CSET-1230 (CISA CSET data script quoting CERT-RMM "
    "v1.2 practice titles), TR10 (CMU/SEI-2010-TR-012, v1.0), BOOK-STUDMED and BOOK-BTE (the v1.1 book, Caralli, "
    "Allen and White, Addison-Wesley 2011), NOAH (third-party PA list and VAR titles), ELEOS (statements only), "
    "SCF-MAP, CSET-CRR-REF and CMMC-REF (practice IDs only), V12-DOCS, SEI-PAGES."
)


# --- reading the reference -------------------------------------------------------------------------------


def comment_of(line: str) -> str | None:
    """The comment on a YAML line, outside any quoted text ("Organization's" and '#' in quotes are not comments)."""
    quote: str | None = None
    i = 0
    while i < len(line):
        ch = line[i]
        if quote == '"':
            if ch == "\\":
                i += 1
            elif ch == '"':
                quote = None
        elif quote == "'":
            if ch == "'":
                quote = None
        elif ch in "\"'" and (i == 0 or line[i - 1] in " \t[{,:"):
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[i + 1 :].strip()
        i += 1
    return None


class Reference:
    """One reference file: its data (mappings know their lines) and its raw lines for the comments."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.text = path.read_text(encoding="utf-8")
        self.lines = self.text.splitlines()
        self.data = load_yaml(self.text, source=path.name)

    def title_comment(self, item: Mapping[str, Any]) -> str | None:
        line_of = getattr(item, "line_of", None)
        if not callable(line_of):
            raise SystemExit(f"{self.path.name}: no line information for {item!r}")
        return comment_of(self.lines[line_of("title") - 1])

    def line_comment(self, item: Mapping[str, Any], key: str) -> str | None:
        return comment_of(self.lines[item.line_of(key) - 1])  # type: ignore[attr-defined]

    def unverified(self, item: Mapping[str, Any]) -> bool:
        """The title's own line carries `# UNVERIFIED...`; must agree with 'no src' (the reference's rule)."""
        comment = self.title_comment(item) or ""
        marked = comment.startswith("UNVERIFIED")
        # A later verification may be written as a comment naming its source ("# verified: <source>").
        sourced = "src" in item or comment.startswith("verified:")
        if sourced and marked:
            raise SystemExit(f"{self.path.name}: {item['id']} has src and is marked UNVERIFIED")
        if self.path.name.startswith("cert-rmm") and not sourced and not marked:
            raise SystemExit(f"{self.path.name}: {item['id']} has no src and is not marked UNVERIFIED")
        return marked

    def block_above(self, item: Mapping[str, Any]) -> list[str]:
        """The comment lines directly above a list entry (the per-PA notes)."""
        index = item.line - 2  # type: ignore[attr-defined]
        found: list[str] = []
        while index >= 0 and self.lines[index].strip().startswith("#"):
            found.insert(0, self.lines[index].strip().lstrip("#").strip())
            index -= 1
        return found


def sentence(text: str) -> str:
    """Capitalized, ending in a full stop unless it already ends in punctuation."""
    text = text.strip()
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?'\"" else text + "."


def practice_note(ref: Reference, item: Mapping[str, Any], prefix: str = "") -> str | None:
    """Where the reference saw a title ('src' and page comments), or what it saw of an unverified one."""
    comment = ref.title_comment(item) or ""
    if "src" in item:
        seen = f"Title seen in {', '.join(item['src'])}" + (f" ({comment})" if comment else "")
        parts = [prefix, sentence(seen)]
    else:
        rest = re.sub(r"^UNVERIFIED\s*;?\s*", "", comment)
        parts = [prefix, sentence(rest) if rest else ""]
    return " ".join(p for p in parts if p) or None


def seed_rmm_categories(seed_text: str) -> dict[str, str]:
    """The seed's 'CERT-RMM at a glance' slide: PA acronym -> category."""
    start = seed_text.index("CERT-RMM at a glance")
    end = seed_text.index("26 Process Areas in 4 categories", start)
    categories = ("Engineering", "Enterprise Management", "Operations Management", "Process Management")
    result: dict[str, str] = {}
    current: str | None = None
    for raw in seed_text[start:end].splitlines()[1:]:
        line = raw.strip()
        if line in categories:
            current = line
        elif (match := re.match(r"([A-Z]{2,4}) \S", line)) and current:
            result[match.group(1)] = current
    return result


# --- building models -------------------------------------------------------------------------------------


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise SystemExit(f"expected text, found {value!r}")
    return value


def generic_goals(ref: Reference, rmm: bool) -> tuple[Goal, ...]:
    goals = []
    for goal in ref.data["generic_goals"]:
        practices = []
        for gp in goal["practices"]:
            note = practice_note(ref, gp, f"CERT-RMM writes it {gp['rmm_id']}.") if rmm else None
            practices.append(Practice(_text(gp["id"]), _text(gp["title"]), unverified=ref.unverified(gp), note=note))
        goals.append(
            Goal(goal["id"], goal["title"], GoalKind.GENERIC, tuple(practices), unverified=ref.unverified(goal))
        )
    return tuple(goals)


def specific_goals(ref: Reference, pa: Mapping[str, Any], notes: bool) -> tuple[Goal, ...]:
    goals = []
    for goal in pa["specific_goals"]:
        practices = []
        for sp in goal["practices"]:
            note = practice_note(ref, sp) if notes else None
            informative = tuple(InformativeItem("subpractice", _text(s)) for s in sp.get("subpractices", ()))
            practices.append(
                Practice(
                    _text(sp["id"]),
                    _text(sp["title"]),
                    statement=sp.get("statement"),
                    informative=informative,
                    unverified=ref.unverified(sp),
                    note=note,
                )
            )
        goals.append(
            Goal(
                _text(goal["id"]),
                _text(goal["title"]),
                GoalKind.SPECIFIC,
                tuple(practices),
                unverified=ref.unverified(goal),
            )
        )
    return tuple(goals)


def svc_model(ref: Reference) -> Model:
    head = ref.data["model"]
    areas = []
    for pa in ref.data["process_areas"]:
        aliases = tuple(a["acronym"] for a in pa.get("aliases", ()))
        notes = [f"CMMI-DEV and CMMI-ACQ v1.3 call it {a['name']} ({a['acronym']})." for a in pa.get("aliases", ())]
        if pa.get("addition"):
            notes.append("An addition in CMMI-SVC (TR-034 glossary): rated only when the appraisal puts it in scope.")
        areas.append(
            ProcessArea(
                pa["acronym"],
                pa["name"],
                pa["category"],
                specific_goals(ref, pa, notes=False),
                maturity_level=pa["maturity_level"],
                addition=bool(pa.get("addition")),
                aliases=aliases,
                note=" ".join(notes) or None,
            )
        )
    return Model(
        key=head["id"],
        version=head["version"],
        name=head["name"],
        kind=ModelKind.MODEL,
        process_areas=tuple(areas),
        generic_goals=generic_goals(ref, rmm=False),
        categories=tuple(sorted({pa.category for pa in areas})),
        has_maturity_levels=True,
        max_capability_level=3,
        source=head["report"],
        description="Process areas, specific and generic goals and practices with their titles. Statements and "
        "subpractices are not included (copyrighted); import a licensed copy as a custom model to add them.",
    )


def rmm_model(ref: Reference, seed_categories: dict[str, str]) -> Model:
    head = ref.data["model"]
    areas = []
    for pa in ref.data["process_areas"]:
        notes = [sentence(" ".join(ref.block_above(pa)))] if ref.block_above(pa) else []
        category_comment = ref.line_comment(pa, "category") or ""
        if category_comment.startswith("UNVERIFIED"):
            if seed_categories.get(pa["acronym"]) != pa["category"]:
                raise SystemExit(f"CERT-RMM {pa['acronym']}: the seed does not confirm category {pa['category']}")
            notes.append(
                "The reference's sources did not show this PA's category; the seed's 'CERT-RMM at a glance' "
                f"slide lists it under {pa['category']}."
            )
        areas.append(
            ProcessArea(
                pa["acronym"],
                pa["name"],
                pa["category"],
                specific_goals(ref, pa, notes=True),
                note=" ".join(notes) or None,
            )
        )
    levels = [item["level"] for item in head["capability_levels"]]
    return Model(
        key=head["id"],
        version=CATALOG_VERSIONS.get(head["id"], head["version"]),
        name=head["name"],
        kind=ModelKind.MODEL,
        process_areas=tuple(areas),
        generic_goals=generic_goals(ref, rmm=True),
        categories=tuple(head["categories"]),
        has_maturity_levels=False,
        max_capability_level=max(levels),
        source=RMM_SOURCES,
        description="Model v1.1 (the Addison-Wesley book). Only some titles could be confirmed in a source; every "
        "other title is marked unverified and must be checked against the licensed model before it is relied on. "
        "Capability levels 0-3 (Incomplete, Performed, Managed, Defined); no maturity levels.",
    )


def sm_model(ref: Reference) -> Model:
    head = ref.data["model"]
    (pa,) = ref.data["process_areas"]
    category_note = ref.line_comment(pa, "category") or ""
    area = ProcessArea(
        pa["acronym"],
        pa["name"],
        pa["category"],
        specific_goals(ref, pa, notes=False),
        note=f"Category: {category_note}." if category_note else None,
    )
    return Model(
        key=head["id"],
        version="1.0",
        name=head["name"],
        kind=ModelKind.PSEUDO_PA,
        process_areas=(area,),
        generic_goals_from="CMMI-SVC",
        categories=(pa["category"],),
        has_maturity_levels=False,
        max_capability_level=3,
        source=f"Seed presentation: {SEED_TITLE}.",
        description="A 'bolt on' process area for CMMI-SVC, rated with the CMMI-SVC generic goals and practices "
        "like any other PA. Its content was suggested by ISO 27001:2005 clauses 4.2.1-4.2.4 ('information' "
        "dropped from the name); CERT-RMM is the source for more detail and rigor. Tested on a number of appraisals.",
    )


def iso_model(ref: Reference) -> Model:
    clauses = ref.data["iso27001_2005_clauses"]
    practices = tuple(
        Practice(
            _text(c["id"]),
            _text(c["title"]),
            informative=tuple(InformativeItem("summary", _text(b)) for b in c["seed_summary"]),
        )
        for c in clauses
    )
    goal = Goal("4.2", "Establish, implement, monitor and improve the ISMS", GoalKind.SPECIFIC, practices)
    area = ProcessArea(
        "4.2",
        "ISMS requirements, clauses 4.2.1-4.2.4",
        "Clause 4 (ISMS)",
        (goal,),
        note="Only the clauses the seed derives SM from. Titles are the clause titles; the summaries are the "
        "seed's own bullets, not the standard's text.",
    )
    return Model(
        key="ISO27001",
        version="2005",
        name="ISO/IEC 27001:2005 (clauses 4.2.1-4.2.4)",
        kind=ModelKind.REFERENCE,
        process_areas=(area,),
        categories=(area.category,),
        max_capability_level=0,
        source=f"Clause titles and the seed presentation's summary bullets: {SEED_TITLE}.",
        description="A reference standard that SM practices link to; it is never rated.",
    )


def links(ref: Reference, iso: Model) -> tuple[CrossLink, ...]:
    result: list[CrossLink] = []
    seed_pairs = {(r["svc"], r["rmm"]): r for r in ref.data["svc_to_rmm_relations_from_seed"]}
    if set(seed_pairs) != set(SEED_RATIONALES):
        raise SystemExit(f"the seed relations changed: {sorted(seed_pairs)} vs {sorted(SEED_RATIONALES)}")
    for (svc, rmm), relation in seed_pairs.items():
        if relation["relation"] != "extends":
            raise SystemExit(f"unexpected relation {relation['relation']!r}")
        # The reference says "RMM PA extends SVC PA"; written from the SVC side the relation is extended-by.
        result.append(
            CrossLink(
                Ref("CMMI-SVC", svc), Ref("CERT-RMM", rmm), "extended-by", SEED_RATIONALES[svc, rmm], Provenance.SEED
            )
        )
    (area,) = iso.process_areas
    for clause in ref.data["iso27001_2005_clauses"]:
        for item in clause["maps_to"]:
            why = f"SM was derived from ISO 27001:2005 clause {clause['id']} '{clause['title']}' (seed)."
            if clause["id"] == "4.2.4":
                why = why[:-1] + "; its improvement half is what the generic practices GP2.8 and GP3.2 cover."
            result.append(
                CrossLink(
                    Ref("SM", "SM", item),
                    Ref(iso.key, area.acronym, clause["id"]),
                    "derived-from",
                    why,
                    Provenance.SEED,
                )
            )
    for item, model, pa, target, relation, why in CURATED:
        result.append(CrossLink(Ref("SM", "SM", item), Ref(model, pa, target), relation, why, Provenance.CURATED))
    return tuple(result)


# --- writing -------------------------------------------------------------------------------------------------

HEADERS = {
    "CMMI-SVC": "CMMI for Services v1.3 (CMU/SEI-2010-TR-034): structure and titles.\n"
    "Generated by tools/convert_reference_models.py from the reference catalog cmmi-svc-1.3.yaml;\n"
    "format: docs/model-format.md. Edit the reference and regenerate rather than editing by hand.",
    "CERT-RMM": "CERT Resilience Management Model v1.1: structure and titles.\n"
    "Generated by tools/convert_reference_models.py from the reference catalog cert-rmm-1.1.yaml;\n"
    "every title the reference could not confirm carries unverified: true. Format: docs/model-format.md.",
    "SM": "Security Management (SM) pseudo process area, exactly as the seed presentation defines it.\n"
    "Generated by tools/convert_reference_models.py from security-management-pseudo-pa.yaml.",
    "ISO27001": "ISO/IEC 27001:2005 clauses 4.2.1-4.2.4, the reference standard SM was derived from.\n"
    "Generated by tools/convert_reference_models.py from security-management-pseudo-pa.yaml.",
}
CATALOG_VERSIONS = {"CERT-RMM": "1.1-2"}
"""Shipped catalogs whose content changed after release carry a new version, so an appraisal or a user's library
holding the earlier content keeps its meaning (docs/model-format.md). CERT-RMM 1.1-2: OTA:SG3.SP1 is "Establish
Training Needs", confirmed in the v1.1 book (p.69)."""
FILES = {"CMMI-SVC": "cmmi-svc-1.3.yaml", "CERT-RMM": "cert-rmm-1.1.yaml", "SM": "security-management-1.0.yaml",
         "ISO27001": "iso27001-2005.yaml"}  # fmt: skip
LINKS_HEADER = (
    "Cross-model links of the built-in models, read 'from <relation> to'. Generated by\n"
    "tools/convert_reference_models.py: provenance seed = stated by the seed presentation (via the reference\n"
    "file security-management-pseudo-pa.yaml); curated = chosen for this app (see CURATED in the tool).\n"
    "Relation kinds: docs/model-format.md."
)


def build(reference_dir: Path) -> dict[str, str]:
    """File name -> content for every shipped catalog file, all validated."""
    seed_path = reference_dir.parent.parent / "seed" / SEED_NAME
    seed_categories = seed_rmm_categories(seed_path.read_text(encoding="utf-8"))
    sm_ref = Reference(reference_dir / "security-management-pseudo-pa.yaml")
    models = [
        svc_model(Reference(reference_dir / "cmmi-svc-1.3.yaml")),
        rmm_model(Reference(reference_dir / "cert-rmm-1.1.yaml"), seed_categories),
        sm_model(sm_ref),
        iso_model(sm_ref),
    ]
    all_links = links(sm_ref, models[3])
    from app.domain.catalog import Catalog

    validate_catalog(Catalog(tuple(models), all_links), source="generated catalog")
    out: dict[str, str] = {}
    for model in models:
        text = model_to_yaml(model, header=HEADERS[model.key])
        if parse_model(load_yaml(text, source=FILES[model.key]), source=FILES[model.key]) != model:
            raise SystemExit(f"{model.ident} does not read back unchanged")
        if model_to_data(model) != load_yaml(text, source=FILES[model.key]):
            raise SystemExit(f"{model.ident} is not in canonical form")
        out[FILES[model.key]] = text
    links_text = links_to_yaml(all_links, header=LINKS_HEADER)
    parse_links(load_yaml(links_text, source="links.yaml"), source="links.yaml", models=models)
    out["links.yaml"] = links_text
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("reference", nargs="?", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--out", type=Path, default=REPO / "resources" / "models")
    parser.add_argument("--check", action="store_true", help="write nothing; fail if a shipped file differs")
    args = parser.parse_args(argv)
    files = build(args.reference)
    stale = [
        name
        for name, text in files.items()
        if not (args.out / name).is_file() or (args.out / name).read_text(encoding="utf-8") != text
    ]
    if args.check:
        for name in stale:
            print(f"differs from the reference: {args.out / name}", file=sys.stderr)
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (args.out / name).write_text(text, encoding="utf-8")
        print(f"wrote {args.out / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
