"""The Plan page's editing logic: every edit is validated, and only valid ones are written, each undoable.

The form shows the stored plan with the user's not-yet-valid edits laid over it ("pending" edits), so a
field keeps what the user typed, marked with its problem, while every valid edit elsewhere is written at
once. A pending edit is retried together with the next edit, so two fields that are only valid together
(an excluded process area and its reason) are written as one step once both are filled in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from app.domain.catalog import Catalog
from app.domain.plan import Plan, PlanError, PlanProblem
from app.domain.plan_data import merge_renames, validate_plan
from app.services import plan_editing
from app.services.errors import KnownError
from app.services.plan_editing import Impact
from app.ui.common.errors import show_error
from app.ui.plan.wording import describe
from app.ui.shell.commands import ServiceCommand
from app.ui.shell.document import Change, Document

KINDS = (Change.PLAN,)
"""What a plan edit changes for the other pages (they refresh on these kinds)."""
LOSS_KINDS = (Change.PLAN, Change.EVIDENCE, Change.INTERVIEWS, Change.CHARACTERIZATION, Change.RATINGS)
"""What a removal that deletes evidence changes."""


@dataclass(frozen=True)
class Edit:
    """One edit the user made.

    Attributes:
        key: the field it edits, as a plan-file path ("appraisal.sponsor", "basic_units[2].subgroup"); a
            later edit of the same field replaces a pending one.
        text: the undo step's name ("Edit sponsor").
        change: the edit itself, applied to the plan the form shows.
        renamed_units: old → new unit names, so a renamed unit keeps its evidence.
        removal: for an edit that removes something, what it removes ("basic unit Claims"); the user is asked.
        structural: adds or removes a row; such edits are tried at once and never left pending, because the
            rows of pending edits are numbered by position.
    """

    key: str
    text: str
    change: Callable[[Plan], Plan]
    renamed_units: Mapping[str, str] = field(default_factory=dict)
    removal: str = ""
    structural: bool = False


@dataclass(frozen=True)
class Notice:
    """A refused edit's problem, with its words fixed against the plan that was tried (whose rows it names)."""

    problem: PlanProblem
    text: str


def notices_for(plan: Plan, problems: list[PlanProblem]) -> list[Notice]:
    return [Notice(p, describe(plan, p)) for p in problems]


Asker = Callable[[QWidget, str, str, str, bool], bool]
"""(parent, title, question, details, destructive) -> whether the user agreed."""


def ask(parent: QWidget, title: str, question: str, details: str, destructive: bool) -> bool:
    icon = QMessageBox.Icon.Warning if destructive else QMessageBox.Icon.Question
    box = QMessageBox(icon, title, question, QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("planConfirm")
    box.setInformativeText(details)
    yes = box.addButton("Remove and delete" if destructive else "Remove", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    # Enter confirms an undoable removal, but must not destroy evidence by reflex: then Cancel is the default.
    box.setDefaultButton(cancel if destructive else yes)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is yes


class PlanEditor(QObject):
    """Signals:
    shown(Plan, bool): the plan the form must show (stored plan plus pending edits), and whether the form
        must also drop what the user typed that is not in it (after undo/redo or a change made elsewhere).
    problems_changed(list[PlanProblem], dict[str, list[Notice]]): problems of the plan shown, and notices
        (why an edit was refused) by the key of the field that made it.
    phase_changed(str): the appraisal's phase as stored.
    """

    shown = Signal(object, bool)
    problems_changed = Signal(object, object)
    phase_changed = Signal(str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.document: Document | None = None
        self.catalog: Catalog | None = None
        self.stored: Plan | None = None
        self.phase = "plan"
        self.pending: dict[str, Edit] = {}
        self.notices: dict[str, list[Notice]] = {}
        self.ask: Asker = ask
        self._committing = False

    # --- loading ---------------------------------------------------------------------------------------

    def load(self, document: Document | None) -> None:
        """Reload from the file. Pending edits survive this page's own writes, not undo/redo or other pages."""
        self.document = document
        if document is None:
            self.stored, self.catalog = None, None
            self.pending.clear()
            self.notices.clear()
            return
        self.catalog = document.workspace.catalog()
        self.stored = plan_editing.get_plan(document.workspace)
        self.phase = plan_editing.get_phase(document.workspace)
        if not self._committing:
            self.pending.clear()
            self.notices.clear()
        self._drop_stale()
        self.phase_changed.emit(self.phase)
        self.shown.emit(self.display(), not self._committing)
        self._report()

    def display(self) -> Plan:
        """The stored plan with the pending edits applied, in the order they were made."""
        assert self.stored is not None
        plan = self.stored
        for edit in self.pending.values():
            plan = edit.change(plan)
        return plan

    def _drop_stale(self) -> None:
        # A pending edit whose row went away (or that no longer changes anything) is forgotten.
        assert self.stored is not None
        for key, edit in list(self.pending.items()):
            try:
                changed = edit.change(self.stored) != self.stored
            except (IndexError, KeyError, ValueError):
                changed = False
            if not changed:
                del self.pending[key]

    def problems(self) -> list[PlanProblem]:
        if self.stored is None or self.catalog is None:
            return []
        return validate_plan(self.display(), self.catalog) if self.pending else []

    def _report(self) -> None:
        self.problems_changed.emit(self.problems(), dict(self.notices))

    def _show(self) -> None:
        if self.stored is not None:
            self.shown.emit(self.display(), False)
        self._report()

    # --- editing ---------------------------------------------------------------------------------------

    def check(self, edit: Edit) -> list[PlanProblem]:
        """The problems the form would have with `edit` made, without writing anything (for live hints)."""
        if self.stored is None or self.catalog is None:
            return []
        return validate_plan(edit.change(self.display()), self.catalog)

    def forget(self, key: str) -> None:
        """Drop the pending edit of a field (the user went back to the stored value or gave up)."""
        self.notices.pop(key, None)
        if self.pending.pop(key, None) is not None:
            self._show()
        else:
            self._report()

    def propose(self, edit: Edit) -> bool:
        """Validate the edit; write it when valid (asking first for removals); keep it pending otherwise."""
        if self.stored is None or self.catalog is None:
            return False
        self.notices.pop(edit.key, None)
        prior = self.pending.get(edit.key)
        if prior is not None and prior.renamed_units:
            # Renaming again a unit whose first rename is still pending: the file knows it by its first name.
            edit = replace(edit, renamed_units=merge_renames(prior.renamed_units, edit.renamed_units))
        others = [e for k, e in self.pending.items() if k != edit.key]
        chains = [[edit]] if edit.structural or not others else [[*others, edit]]
        if others and not edit.structural and ("[" not in edit.key or _same_rows(self.display(), self.stored)):
            # Also try the edit alone, so a problem elsewhere does not hold it back. A row edit counts rows
            # as the form shows them; it may go alone only while they stand where the file has them.
            chains.append([edit])
        for chain in chains:
            plan = self.stored
            for step in chain:
                plan = step.change(plan)
            if plan == self.stored:
                # The field is back at its stored value: nothing to write, nothing pending.
                self.pending.pop(edit.key, None)
                self._show()
                return True
            if not validate_plan(plan, self.catalog):
                return self._write(edit, chain, plan)
        if edit.structural:
            tried = edit.change(self.stored)
            self.notices[edit.key] = notices_for(tried, validate_plan(tried, self.catalog))
        else:
            self.pending.pop(edit.key, None)  # re-inserted last: applied after the edits made before it
            self.pending[edit.key] = edit
        self._show()
        return False

    def set_phase(self, phase: str) -> None:
        document = self.document
        if document is None or phase == self.phase:
            return
        ws, old = document.workspace, self.phase
        command = ServiceCommand(
            document,
            f"Set phase to {phase.capitalize()}",
            lambda: plan_editing.set_phase(ws, phase, expected=old),
            lambda: plan_editing.set_phase(ws, old, expected=phase),
            *KINDS,
        )
        self._execute(command, "appraisal.phase", self.stored)

    def _write(self, edit: Edit, chain: list[Edit], plan: Plan) -> bool:
        document, old = self.document, self.stored
        assert document is not None and old is not None
        renames = merge_renames(*(step.renamed_units for step in chain))
        impact = plan_editing.plan_change_impact(document.workspace, old, plan, renamed_units=renames)
        if impact.irreversible:
            return self._write_with_loss(edit, chain, plan, impact)
        if edit.removal and not self.ask(self.parent_widget, edit.text, *_removal_question(edit, impact), False):
            return False
        related = len(chain) - 1
        text = edit.text if not related else f"{edit.text} (with {related} related change{'s' if related > 1 else ''})"
        ws = document.workspace
        back = {new: old_name for old_name, new in renames.items()}
        command = ServiceCommand(
            document,
            text,
            lambda: plan_editing.update_plan(ws, plan, renamed_units=renames, expected=old),
            lambda: plan_editing.update_plan(ws, old, renamed_units=back, expected=plan),
            *KINDS,
        )
        return self._execute(command, edit.key, plan, chain)

    def _write_with_loss(self, edit: Edit, chain: list[Edit], plan: Plan, impact: Impact) -> bool:
        document = self.document
        assert document is not None
        units = ", ".join(f"“{name}”" for name in impact.removed_units)
        deletes = bool(impact.evidence_links or impact.characterizations)
        question = f"Remove {edit.removal or units}{' and delete the work recorded for it' if deletes else ''}?"
        why = "deleted work cannot be restored" if deletes else "the links to the unit cannot be restored"
        details = (
            "Of the work recorded for it:\n• "
            + "\n• ".join(impact.losses())
            + f"\n\nThis cannot be undone: {why}, so the undo history is cleared."
        )
        if not self.ask(self.parent_widget, edit.text, question, details, True):
            return False
        renames = merge_renames(*(step.renamed_units for step in chain))
        self._committing = True
        try:
            plan_editing.update_plan(document.workspace, plan, renamed_units=renames, allow_loss=True)
            self._settle(edit, chain)
            # Undoing a step from before this one would write back plans that still hold the deleted unit.
            document.undo_stack.clear()
            document.notify(*LOSS_KINDS)
        except Exception as exc:
            self._refused(edit.key, exc, plan)
            return False
        finally:
            self._committing = False
        return True

    def _execute(self, command: ServiceCommand, key: str, plan: Plan | None, chain: list[Edit] | None = None) -> bool:
        document = self.document
        assert document is not None
        self._committing = True
        saved = dict(self.pending)
        try:
            if chain:
                self._settle(chain[-1], chain)
            self.notices.clear()
            document.execute(command)
        except Exception as exc:
            self.pending = {k: e for k, e in saved.items() if k != key}
            self._refused(key, exc, plan)
            return False
        finally:
            self._committing = False
        return True

    def _settle(self, edit: Edit, chain: list[Edit]) -> None:
        """Forget the pending edits now written; after a row was added or removed, also those of other rows,
        whose positions may have moved."""
        for step in chain:
            self.pending.pop(step.key, None)
        if edit.structural:
            self.pending = {k: e for k, e in self.pending.items() if "[" not in k}
        self.notices.clear()

    def _refused(self, key: str, exc: Exception, plan: Plan | None) -> None:
        """The service refused the edit (e.g. the scale of a characterized appraisal): say why, at the field."""
        if isinstance(exc, PlanError) and plan is not None:
            self.notices[key] = notices_for(plan, exc.problems)
        elif isinstance(exc, KnownError):
            self.notices[key] = [Notice(PlanProblem(None, key, str(exc)), str(exc))]
        else:
            show_error(self.parent_widget, exc, title="The plan was not changed")
        self._show()


def _removal_question(edit: Edit, impact: Impact) -> tuple[str, str]:
    question = f"Remove {edit.removal}?"
    details = "You can undo this (Edit › Undo)."
    aside = impact.set_aside()
    if aside:
        areas = ", ".join(str(pa) for pa in impact.removed_scope)
        details = (
            f"{' and '.join(aside)} recorded for {areas} stay in the file but no longer count; "
            f"putting {areas} back in scope brings them back. " + details
        )
    return question, details


def _same_rows(a: Plan, b: Plan) -> bool:
    """Whether both plans list their rows in the same places (a unit whose kind changed moves)."""
    sections = ("scope", "sampling_factors", "subgroups", "team", "mini_teams")
    return all(len(getattr(a, s)) == len(getattr(b, s)) for s in sections) and [u.kind for u in a.units] == [
        u.kind for u in b.units
    ]
