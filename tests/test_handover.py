"""Shift handover against the real demo: the report's contents (pdftotext), the audit trail."""

from __future__ import annotations

import hashlib
import subprocess

from PySide6.QtWidgets import QApplication

from console.assets import layouts_dir
from console.domain.records import IncidentStatus
from console.site.model import site_for_backend
from tests.conftest import needs_display
from tests.test_wall_integration import run_console, wait_for

pytestmark = needs_display()


def test_end_shift_writes_a_report_the_next_operator_accepts(
    qapp: QApplication, demo_url: str
) -> None:
    from ioc_console.app import Console
    from widgets.incidents.handover import HandoverDialog

    site = site_for_backend(demo_url).model_copy(
        update={"procedures": layouts_dir() / "demo.procedures.yaml"}
    )

    async def scenario(console: Console) -> None:
        store = console.context.incidents
        await wait_for(lambda: len(store.columns) > 20, lambda: len(store.columns))
        shift = console.shift
        shift.start = min(i.created_at for i in store.incidents())  # the whole demo history
        dialog = HandoverDialog(shift)
        dialog.outgoing.setText("ca-sang")
        dialog.notes.setPlainText("Đèn <b>QL14</b> chờ điện lực\nCamera CAM-07 mất tín hiệu")
        dialog.hand_over_button.click()
        assert not dialog.saved and "Both operators" in dialog.problem.text()  # who takes over?
        dialog.incoming.setText("ca-chieu")
        dialog.hand_over_button.click()
        assert dialog.saved is not None and dialog.result() == dialog.DialogCode.Accepted
        report = shift.report("ca-sang", "")
        assert shift.start == report.start  # the next shift began at the handover
        pdf = dialog.saved
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Shift handover" in text and "outgoing operator: ca-sang" in text
        assert "Đèn <b>QL14</b> chờ điện lực" in text  # the notes as typed, not as markup
        assert "Camera CAM-07 mất tín hiệu" in text
        open_now = [i for i in store.incidents() if i.status is not IncidentStatus.RESOLVED]
        assert f"Open incidents ({len(open_now)})" in " ".join(text.split())
        assert "To do: 1." in text  # procedure steps left on open incidents
        assert "Resolved during the shift" in text and "New during the shift" in text
        entries = shift.audit.entries()
        handover = next(e for e in reversed(entries) if e["action"] == "handover")
        accepted = next(e for e in reversed(entries) if e["action"] == "handover-accepted")
        digest = hashlib.sha256(pdf.read_bytes()).hexdigest()
        assert handover["user"] == "ca-sang" and digest in handover["result"]
        assert accepted["user"] == "ca-chieu" and pdf.name in accepted["result"]

    run_console(qapp, site, scenario)
