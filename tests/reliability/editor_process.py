"""A stand-in for the app: edits an appraisal through the services as fast as it can, acknowledging each edit
on stdout only after its commit returned. The crash tests SIGKILL it at a random moment.

Usage: python editor_process.py FILE [PASSPHRASE]
Prints "ready N" with the number of cells, then one "ack KIND N DETAIL" line per committed edit.
"""

from __future__ import annotations

import sys
from pathlib import Path

from app.services import appraisals, characterize
from app.services import evidence as ev
from app.services.characterize import CellKey, CellState
from app.storage.instantiation_repo import instantiations


def main() -> None:
    path = Path(sys.argv[1])
    passphrase = sys.argv[2] if len(sys.argv) > 2 else None
    ws = appraisals.open_appraisal(path, who="editor", passphrase=passphrase)
    with ws.uow() as uow:
        cells = [CellKey(c.model, c.pa, c.goal, c.practice, c.unit) for c in instantiations(uow.session, ws.catalog())]
    print(f"ready {len(cells)}", flush=True)
    values = ("FI", "LI", "PI", "NI", None)
    doc = path.with_name("attachment.bin")
    n = 0
    while True:
        n += 1
        if n % 10 == 0:
            # A bigger transaction now and then: a 2 MB attachment streamed into the file.
            doc.write_bytes(n.to_bytes(4, "big") * (512 * 1024))
            artifact = ev.add_artifact_from_file(ws, doc, ev.ArtifactMeta(f"doc {n}", "document"))
            print(f"ack artifact {n} {artifact}", flush=True)
            continue
        key = cells[n % len(cells)]
        characterize.set_cell(ws, key, CellState(values[n % len(values)], notes=f"edit {n}"))
        print(f"ack cell {n} {n % len(cells)}", flush=True)


if __name__ == "__main__":
    main()
