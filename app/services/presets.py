"""Starting scopes for a new appraisal, so the appraiser rarely starts from an empty plan."""

from __future__ import annotations

from dataclasses import dataclass, replace

from app.domain.catalog import Catalog
from app.domain.plan import PaKey, Plan, ScopeEntry

SECURITY_SVC = ("IRP", "RSKM", "SCON", "SST", "SAM", "MA")
SECURITY_RMM = ("IMC", "VAR", "KIM", "CTRL", "SC", "EXD", "MON")


@dataclass(frozen=True)
class ScopePreset:
    key: str
    label: str
    description: str


PRESETS = (
    ScopePreset(
        "security",
        "Security appraisal (SM + CMMI-SVC + CERT-RMM)",
        "The SM pseudo PA with CMMI-SVC IRP, RSKM, SCON, SST, SAM, MA and CERT-RMM IMC, VAR, KIM, CTRL, SC, EXD, "
        "MON, all targeting capability level 2.",
    ),
    ScopePreset("svc-ml2", "CMMI-SVC maturity level 2", "The eight ML2 process areas; target ML2."),
    ScopePreset("svc-ml3", "CMMI-SVC maturity level 3", "The ML2 and ML3 process areas (SSD optional); target ML3."),
    ScopePreset("empty", "Empty scope", "Choose process areas later on the Plan page."),
)


def apply_preset(plan: Plan, key: str, catalog: Catalog) -> Plan:
    """`plan` with the preset's scope (and target maturity level, for the staged presets)."""
    if key == "empty":
        return replace(plan, scope=())
    svc = catalog.model("CMMI-SVC")
    if key == "security":
        entries = [ScopeEntry(PaKey("SM", "SM"), 2)]
        entries += [ScopeEntry(PaKey("CMMI-SVC", pa), 2) for pa in SECURITY_SVC]
        entries += [ScopeEntry(PaKey("CERT-RMM", pa), 2) for pa in SECURITY_RMM]
        present = [e for e in entries if (m := catalog.model(e.pa.model)) and m.process_area(e.pa.pa)]
        return replace(plan, scope=tuple(present), target_maturity_level=None)
    if key in ("svc-ml2", "svc-ml3") and svc is not None:
        level = 2 if key == "svc-ml2" else 3
        entries = [
            ScopeEntry(PaKey("CMMI-SVC", pa.acronym), None)
            for pa in svc.process_areas
            if pa.maturity_level is not None and pa.maturity_level <= level and not pa.addition
        ]
        return replace(plan, scope=tuple(entries), target_maturity_level=level)
    raise ValueError(f"unknown scope preset {key!r}")
