"""A stand-in for the app: edits an appraisal through the services as fast as it can, acknowledging each edit
on stdout only after its commit returned. The crash tests SIGKILL it at a random moment.

Usage: python editor_process.py FILE [PASSPHRASE] [--reopen-every N]
Prints "ready N" with the number of cells, then one "ack KIND N DETAIL" line per committed edit. With
--reopen-every N it closes the file and opens it again after every N edits, as a user closing and reopening
the window does (each opening starts a new write-ahead log).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from app.services import appraisals, characterize
from app.services import evidence as ev
from app.services.characterize import CellKey, CellState
from app.services.workspace import Workspace
from app.storage.errors import FileLockedError
from app.storage.instantiation_repo import instantiations


def main() -> None:
    args = sys.argv[1:]
    reopen_every = 0
    if "--reopen-every" in args:
        at = args.index("--reopen-every")
        reopen_every = int(args[at + 1])
        del args[at : at + 2]
    path = Path(args[0])
    passphrase = args[1] if len(args) > 1 else None
    ws = appraisals.open_appraisal(path, who="editor", passphrase=passphrase)
    with ws.uow() as uow:
        cells = [CellKey(c.model, c.pa, c.goal, c.practice, c.unit) for c in instantiations(uow.session, ws.catalog())]
    print(f"ready {len(cells)}", flush=True)
    values = ("FI", "LI", "PI", "NI", None)
    doc = path.with_name("attachment.bin")
    n = 0
    while True:
        n += 1
        if reopen_every and n % reopen_every == 0:
            ws.close()
            ws = _open_when_free(path, passphrase)
        if n % 10 == 0:
            # A bigger transaction now and then: a 2 MB attachment streamed into the file.
            doc.write_bytes(n.to_bytes(4, "big") * (512 * 1024))
            artifact = ev.add_artifact_from_file(ws, doc, ev.ArtifactMeta(f"doc {n}", "document"))
            print(f"ack artifact {n} {artifact}", flush=True)
            continue
        key = cells[n % len(cells)]
        characterize.set_cell(ws, key, CellState(values[n % len(values)], notes=f"edit {n}"))
        print(f"ack cell {n} {n % len(cells)}", flush=True)


def _open_when_free(path: Path, passphrase: str | None) -> Workspace:
    """Open again; a reader tidying its sidecars holds the lock for a moment, so retry briefly as a user would."""
    for _ in range(200):
        try:
            return appraisals.open_appraisal(path, who="editor", passphrase=passphrase)
        except FileLockedError:
            time.sleep(0.01)
    return appraisals.open_appraisal(path, who="editor", passphrase=passphrase)


if __name__ == "__main__":
    main()
