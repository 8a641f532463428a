"""What `appraisal-desk info` and the Overview show of an appraisal: its plan in brief and its counts.

`quick_info` answers for a plain file without SQLAlchemy (app/storage/file_summary.py), so the command
answers at once; `appraisals.appraisal_info` reads the same from an open workspace.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.domain.plan import UnitKind
from app.storage.file_summary import read_summary


@dataclass(frozen=True)
class ScopeLine:
    model: str
    pa: str
    name: str
    target_capability_level: int | None
    excluded: bool


@dataclass(frozen=True)
class AppraisalInfo:
    name: str
    sponsor: str
    lead_appraiser: str
    method: str
    scale: str
    phase: str
    start_date: str | None
    end_date: str | None
    org_unit: str
    target_maturity_level: int | None
    schema_revision: str | None
    location: str
    scope: tuple[ScopeLine, ...]
    counts: dict[str, int]
    migrated_from: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "sponsor": self.sponsor,
            "lead_appraiser": self.lead_appraiser,
            "method": self.method,
            "scale": self.scale,
            "phase": self.phase,
            "start_date": self.start_date,
            "end_date": self.end_date,
            "organizational_unit": self.org_unit,
            "target_maturity_level": self.target_maturity_level,
            "schema_revision": self.schema_revision,
            "location": self.location,
            "scope": [
                {
                    "model": line.model,
                    "pa": line.pa,
                    "name": line.name,
                    "target_capability_level": line.target_capability_level,
                    "excluded": line.excluded,
                }
                for line in self.scope
            ],
            "counts": dict(self.counts),
        }


def quick_info(target: str | Path) -> AppraisalInfo | None:
    """The info of the plain appraisal file at `target` read with sqlite3 alone, or None where the ordinary
    opening must answer (a server, an encrypted file, an older schema): `appraisals.open_appraisal` then."""
    summary = read_summary(target)
    if summary is None:
        return None
    row = summary.appraisal
    counts = {
        "basic_units": summary.units_by_kind.get(UnitKind.BASIC_UNIT.value, 0),
        "support_functions": summary.units_by_kind.get(UnitKind.SUPPORT_FUNCTION.value, 0),
        **summary.counts,
    }
    return AppraisalInfo(
        name=str(row["name"]),
        sponsor=str(row["sponsor"]),
        lead_appraiser=str(row["lead_appraiser"]),
        method=str(row["method"]),
        scale=str(row["scale"]),
        phase=str(row["phase"]),
        start_date=_text_or_none(row["start_date"]),
        end_date=_text_or_none(row["end_date"]),
        org_unit=str(row["org_unit_name"]),
        target_maturity_level=_int_or_none(row["target_maturity_level"]),
        schema_revision=summary.revision,
        location=summary.location,
        scope=tuple(ScopeLine(*line) for line in summary.scope),
        counts=counts,
    )


def _text_or_none(value: object) -> str | None:
    return None if value is None else str(value)


def _int_or_none(value: object) -> int | None:
    return None if value is None else int(str(value))
