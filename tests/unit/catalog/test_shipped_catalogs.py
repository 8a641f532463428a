"""The shipped catalogs under resources/models/ match the reference facts item by item.

The reference files (and the seed presentation) live beside the repository in ../shared; these tests read them
independently of the converter, including the reference's `# UNVERIFIED` comment marks from the line text.
"""

from __future__ import annotations

import importlib.util
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from app.domain.catalog import Catalog, CrossLink, Model, ModelKind, Provenance, Ref
from app.domain.catalog_writer import links_to_data, model_to_data
from app.domain.links_reader import parse_links, validate_catalog
from app.domain.model_reader import parse_model
from app.storage.yaml_source import load_yaml

REPO = Path(__file__).resolve().parents[3]
MODELS = REPO / "resources" / "models"
SHARED = (REPO / ".." / "shared").resolve()
REFERENCE = SHARED / "reference" / "models"
SEED = SHARED / "seed" / "forrester-cmmi-svc-rmm-security-2011.txt"

needs_reference = pytest.mark.skipif(
    not REFERENCE.is_dir() or not SEED.is_file(),
    reason=f"the reference facts are not present at {SHARED} (they sit beside the repository in development)",
)
MODEL_FILES = ("cmmi-svc-1.3.yaml", "cert-rmm-1.1.yaml", "security-management-1.0.yaml", "iso27001-2005.yaml")


def shipped(name: str) -> Model:
    return parse_model(load_yaml((MODELS / name).read_text(encoding="utf-8"), source=name), source=name)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    models = tuple(shipped(name) for name in MODEL_FILES)
    data = load_yaml((MODELS / "links.yaml").read_text(encoding="utf-8"), source="links.yaml")
    return Catalog(models, parse_links(data, source="links.yaml", models=models))


def reference(name: str) -> Any:
    return load_yaml((REFERENCE / name).read_text(encoding="utf-8"), source=name)


def unverified_ids(name: str) -> set[str]:
    """IDs whose title line carries a comment starting with UNVERIFIED, read straight from the reference's text."""
    marked: set[str] = set()
    last_id: str | None = None
    for line in (REFERENCE / name).read_text(encoding="utf-8").splitlines():
        found = re.search(r'(?:^|[{\s])id: "?([A-Za-z0-9:.]+)"?', line)
        if found:
            last_id = found.group(1)
        title = re.search(r'title: "(?:[^"\\]|\\.)*"(.*)$', line)
        if title and last_id and re.match(r"[^#]*#\s*UNVERIFIED", title.group(1)):
            marked.add(last_id)
    return marked


def counts(model: Model) -> tuple[int, int, int, int, int]:
    goals = [g for pa in model.process_areas for g in pa.goals]
    return (
        len(model.process_areas),
        len(goals),
        sum(len(g.practices) for g in goals),
        len(model.generic_goals),
        sum(len(g.practices) for g in model.generic_goals),
    )


def items(model: Model) -> list[tuple[str, ...]]:
    """Every PA, goal and practice as (level, PA, ID, title) in file order."""
    rows: list[tuple[str, ...]] = [("GG", "", g.code, g.title) for g in model.generic_goals]
    rows += [("GP", "", p.code, p.title) for g in model.generic_goals for p in g.practices]
    for pa in model.process_areas:
        rows.append(("PA", pa.acronym, pa.name, pa.category))
        for goal in pa.goals:
            rows.append(("SG", pa.acronym, goal.code, goal.title))
            rows += [("SP", pa.acronym, p.code, p.title) for p in goal.practices]
    return rows


def reference_items(data: Any) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = [("GG", "", g["id"], g["title"]) for g in data["generic_goals"]]
    rows += [("GP", "", p["id"], p["title"]) for g in data["generic_goals"] for p in g["practices"]]
    for pa in data["process_areas"]:
        rows.append(("PA", pa["acronym"], pa["name"], pa["category"]))
        for goal in pa["specific_goals"]:
            rows.append(("SG", pa["acronym"], goal["id"], goal["title"]))
            rows += [("SP", pa["acronym"], p["id"], p["title"]) for p in goal["practices"]]
    return rows


# --- CMMI-SVC --------------------------------------------------------------------------------------------


def test_cmmi_svc_has_the_model_s_counts_levels_addition_and_aliases() -> None:
    svc = shipped("cmmi-svc-1.3.yaml")
    assert (svc.key, svc.version, svc.kind) == ("CMMI-SVC", "1.3", ModelKind.MODEL)
    assert counts(svc) == (24, 53, 181, 3, 13)
    assert [len(g.practices) for g in svc.generic_goals] == [1, 10, 2]
    assert svc.has_maturity_levels and svc.max_capability_level == 3
    assert all(pa.maturity_level in (2, 3, 4, 5) for pa in svc.process_areas)
    assert [pa.acronym for pa in svc.process_areas if pa.addition] == ["SSD"]
    renamed = {old: svc.process_area(old) for old in ("PP", "PMC", "IPM", "QPM")}
    assert {old: pa.acronym for old, pa in renamed.items() if pa} == {
        "PP": "WP",
        "PMC": "WMC",
        "IPM": "IWM",
        "QPM": "QWM",
    }
    assert not any(pa.unverified or g.unverified for pa in svc.process_areas for g in pa.goals)


@needs_reference
def test_cmmi_svc_items_equal_the_reference() -> None:
    svc = shipped("cmmi-svc-1.3.yaml")
    ref = reference("cmmi-svc-1.3.yaml")
    assert items(svc) == reference_items(ref)
    levels = {pa["acronym"]: pa["maturity_level"] for pa in ref["process_areas"]}
    assert {pa.acronym: pa.maturity_level for pa in svc.process_areas} == levels
    aliases = {pa["acronym"]: tuple(a["acronym"] for a in pa.get("aliases", ())) for pa in ref["process_areas"]}
    assert {pa.acronym: pa.aliases for pa in svc.process_areas} == aliases
    assert not unverified_ids("cmmi-svc-1.3.yaml")


# --- CERT-RMM --------------------------------------------------------------------------------------------


def test_cert_rmm_has_26_pas_in_4_categories_and_capability_levels_only() -> None:
    rmm = shipped("cert-rmm-1.1.yaml")
    assert (rmm.key, rmm.version, rmm.kind) == ("CERT-RMM", "1.1-2", ModelKind.MODEL)  # catalog revision 2
    assert counts(rmm) == (26, 94, 249, 3, 13)
    assert rmm.categories == ("Engineering", "Enterprise Management", "Operations Management", "Process Management")
    assert Counter(pa.category for pa in rmm.process_areas) == {
        "Engineering": 6,
        "Enterprise Management": 7,
        "Operations Management": 9,
        "Process Management": 4,
    }
    assert not rmm.has_maturity_levels and rmm.max_capability_level == 3
    assert all(pa.maturity_level is None for pa in rmm.process_areas)


@needs_reference
def test_cert_rmm_items_and_unverified_marks_equal_the_reference() -> None:
    rmm = shipped("cert-rmm-1.1.yaml")
    ref = reference("cert-rmm-1.1.yaml")
    assert items(rmm) == reference_items(ref)
    marked = unverified_ids("cert-rmm-1.1.yaml")
    shown = {g.code for g in rmm.generic_goals if g.unverified}
    shown |= {p.code for g in rmm.generic_goals for p in g.practices if p.unverified}
    for pa in rmm.process_areas:
        shown |= {g.code for g in pa.goals if g.unverified}
        shown |= {p.code for g in pa.goals for p in g.practices if p.unverified}
    assert shown == marked
    # The reference's own tally (36/249 in its header) plus OTA:SG3.SP1, verified later: 7/94 goal, 37/249
    # practice, 2/3 GG and 8/13 GP titles verified.
    goals = [g for pa in rmm.process_areas for g in pa.goals]
    assert sum(not g.unverified for g in goals) == 7
    assert sum(not p.unverified for g in goals for p in g.practices) == 37
    assert sum(not g.unverified for g in rmm.generic_goals) == 2
    assert sum(not p.unverified for g in rmm.generic_goals for p in g.practices) == 8


@needs_reference
def test_cert_rmm_categories_agree_with_the_seed_slide() -> None:
    text = SEED.read_text(encoding="utf-8")
    slide = text[text.index("CERT-RMM at a glance") : text.index("26 Process Areas in 4 categories")]
    seed: dict[str, str] = {}
    category = ""
    for line in (raw.strip() for raw in slide.splitlines()):
        if line in ("Engineering", "Enterprise Management", "Operations Management", "Process Management"):
            category = line
        elif match := re.match(r"([A-Z]{2,4}) [A-Z]", line):
            seed[match.group(1)] = category
    assert {pa.acronym: pa.category for pa in shipped("cert-rmm-1.1.yaml").process_areas} == seed


# --- SM and ISO 27001 ------------------------------------------------------------------------------------


def test_security_management_is_the_seed_s_pseudo_pa(catalog: Catalog) -> None:
    sm = shipped("security-management-1.0.yaml")
    assert (sm.key, sm.kind, sm.generic_goals_from) == ("SM", ModelKind.PSEUDO_PA, "CMMI-SVC")
    (pa,) = sm.process_areas
    assert [(g.code, g.title, [p.code for p in g.practices]) for g in pa.goals] == [
        ("ESG1", "Establish a Security Management System", [f"ESP1.{n}" for n in range(1, 7)]),
        ("ESG2", "Provide Security", ["ESP2.1", "ESP2.2"]),
    ]
    practice = pa.practice("ESP1.2")
    assert practice is not None
    assert practice.statement == (
        "Establish and maintain an approach to assessing vulnerabilities and threats to essential assets."
    )
    assert [(i.kind, i.text) for i in practice.informative] == [
        ("subpractice", "Select methods for assessing security threats."),
        ("subpractice", "Define criteria for evaluating and quantifying security threats."),
        ("subpractice", "Describe responsibility and resources for evaluating vulnerabilities and threats."),
    ]
    # Rated with CMMI-SVC's generic goals, as the seed says.
    assert [g.code for g in catalog.generic_goals_for(sm)] == ["GG1", "GG2", "GG3"]


@needs_reference
def test_security_management_titles_are_the_seed_s() -> None:
    seed = dict(re.findall(r"(ESP\d\.\d) (.+?)\s*$", SEED.read_text(encoding="utf-8"), flags=re.MULTILINE))
    (pa,) = shipped("security-management-1.0.yaml").process_areas
    assert {p.code: p.title for g in pa.goals for p in g.practices} == seed
    sm_ref = reference("security-management-pseudo-pa.yaml")
    assert items(shipped("security-management-1.0.yaml")) == reference_items({"generic_goals": [], **sm_ref})


@needs_reference
def test_iso27001_holds_clauses_4_2_1_to_4_2_4_with_the_seed_s_summaries() -> None:
    iso = shipped("iso27001-2005.yaml")
    assert iso.kind is ModelKind.REFERENCE and iso.max_capability_level == 0
    clauses = reference("security-management-pseudo-pa.yaml")["iso27001_2005_clauses"]
    (pa,) = iso.process_areas
    practices = [p for g in pa.goals for p in g.practices]
    assert [(p.code, p.title) for p in practices] == [(c["id"], c["title"]) for c in clauses]
    assert [[i.text for i in p.informative] for p in practices] == [c["seed_summary"] for c in clauses]


# --- links -----------------------------------------------------------------------------------------------


def test_every_shipped_link_resolves_and_explains_itself(catalog: Catalog) -> None:
    validate_catalog(catalog)
    assert all(link.rationale.strip() and "\n" not in link.rationale for link in catalog.links)
    assert {link.provenance for link in catalog.links} == {Provenance.SEED, Provenance.CURATED}


@needs_reference
def test_the_seed_s_svc_to_rmm_relations_are_links_with_provenance_seed(catalog: Catalog) -> None:
    relations = reference("security-management-pseudo-pa.yaml")["svc_to_rmm_relations_from_seed"]
    seed_links = {(link.source, link.target): link for link in catalog.links if link.source.model == "CMMI-SVC"}
    for relation in relations:
        link = seed_links[Ref("CMMI-SVC", relation["svc"]), Ref("CERT-RMM", relation["rmm"])]
        assert link.provenance is Provenance.SEED
        assert link.relation == "extended-by"  # the RMM PA goes further: read from the SVC side
    assert len(seed_links) == len(relations) == 7


@needs_reference
def test_sm_links_to_iso27001_follow_the_reference_s_maps_to(catalog: Catalog) -> None:
    clauses = reference("security-management-pseudo-pa.yaml")["iso27001_2005_clauses"]
    expected = {(item, clause["id"]) for clause in clauses for item in clause["maps_to"]}
    found = {
        (link.source.item, link.target.item)
        for link in catalog.links
        if link.target.model == "ISO27001" and link.relation == "derived-from" and link.provenance is Provenance.SEED
    }
    assert found == expected
    assert {clause for _item, clause in found} == {"4.2.1", "4.2.2", "4.2.3", "4.2.4"}


def _targets(links: tuple[CrossLink, ...], item: str, model: str) -> set[str]:
    return {link.target.pa for link in links if link.source == Ref("SM", "SM", item) and link.target.model == model}


def test_curated_sm_links_reach_the_rmm_and_svc_practices_an_appraiser_would_look_at(catalog: Catalog) -> None:
    curated = tuple(link for link in catalog.links if link.provenance is Provenance.CURATED)
    assert all(link.source.model == "SM" and link.target.item for link in curated)
    for threat_practice in ("ESP1.2", "ESP1.3", "ESP1.4"):
        assert {"RISK", "VAR"} <= _targets(curated, threat_practice, "CERT-RMM")
    assert {"RISK", "SC"} <= _targets(curated, "ESP1.5", "CERT-RMM")
    assert {"IMC", "CTRL"} <= _targets(curated, "ESP2.1", "CERT-RMM")
    assert "MON" in _targets(curated, "ESP2.2", "CERT-RMM") and "MA" in _targets(curated, "ESP2.2", "CMMI-SVC")
    to_svc = {link.target.pa for link in curated if link.target.model == "CMMI-SVC"}
    assert {"IRP", "RSKM", "SCON"} <= to_svc
    every_practice = {f"ESP1.{n}" for n in range(1, 7)} | {"ESP2.1", "ESP2.2"}
    assert every_practice <= {link.source.item for link in curated if link.target.model == "CERT-RMM"}


# --- canonical form ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", MODEL_FILES)
def test_shipped_model_files_are_in_canonical_form(name: str) -> None:
    data = load_yaml((MODELS / name).read_text(encoding="utf-8"), source=name)
    assert model_to_data(parse_model(data, source=name)) == data


def test_shipped_links_file_is_in_canonical_form() -> None:
    data = load_yaml((MODELS / "links.yaml").read_text(encoding="utf-8"), source="links.yaml")
    assert links_to_data(parse_links(data, source="links.yaml")) == data


@needs_reference
def test_shipped_files_are_what_the_converter_makes_of_the_reference() -> None:
    spec = importlib.util.spec_from_file_location(
        "convert_reference_models", REPO / "tools" / "convert_reference_models.py"
    )
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    built = tool.build(REFERENCE)
    assert sorted(built) == sorted((*MODEL_FILES, "links.yaml"))
    for name, text in built.items():
        assert (MODELS / name).read_text(encoding="utf-8") == text, f"{name} is stale: run the converter"
