"""A resident objects to a rejection in a real browser, and reads the decision on it.

From the status page of a rejected application the resident follows "Bezwaar maken",
picks the afwijzing, sends the form once with a mistake (the error summary above the
form, the typed name kept) and then in full; the confirmation page shows the BZ
reference and offers the ontvangstbevestiging as a PDF. Staff then handle and decide
the bezwaar through the services (as the other journeys seed their data), and the
resident downloads the beslissing op bezwaar. axe-core checks the list, the form
(with and without errors) and the confirmation page against WCAG 2.2 AA.
"""

import re
import subprocess

import pytest
from playwright.sync_api import expect

from beoordeling.models import Objection
from beoordeling.objections.services.deciding import (
    objection_decide,
    objection_record_decision,
)
from beoordeling.objections.services.handling import (
    objection_assign,
    objection_waive_hearing,
)
from beoordeling.objections.workflow import HearingWaiver, ObjectionState, Outcome
from tests.beoordeling.objections.factories import (
    decided_with_letter,
    objection_handler,
)

from .conftest import log_in_by_mail

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REASONS = "De score voor bereik klopt niet: er doen veertig buren mee."


def _pdf_text(path):
    """The text of a PDF as pdftotext reads it, whitespace folded to single spaces."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return " ".join(text.replace("\xa0", " ").split())


def _download(page, link_name, tmp_path):
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    download = info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF"), download.suggested_filename
    return _pdf_text(path)


def _decide_unfounded(objection):
    """Staff: an uninvolved handler takes it, the objector declined a hearing, and
    the bezwaar is decided ongegrond (no new amount, so no second decision maker)."""
    handler = objection_handler()
    objection = objection_assign(objection=objection, handler=handler, actor=handler)
    objection = objection_waive_hearing(
        objection=objection,
        waiver=HearingWaiver.OBJECTOR_DECLINED,
        motivation="De indiener liet weten niet gehoord te willen worden.",
        actor=handler,
    )
    objection_record_decision(
        objection=objection,
        outcome=Outcome.UNFOUNDED,
        motivation=(
            "Wij hebben de score opnieuw bekeken. Het bereik is juist beoordeeld "
            "volgens de beoordelingsmatrix van de regeling."
        ),
        actor=handler,
    )
    return objection_decide(
        objection=Objection.objects.get(pk=objection.pk), actor=handler
    )


def test_a_resident_objects_to_a_rejection_and_downloads_the_decision_on_it(
    live_server, settings, page, assert_accessible, tmp_path
):
    settings.PUBLIC_SITE_URL = live_server.url
    application, decision = decided_with_letter(status="afgewezen")
    email = application.applicant_user.email

    page.goto(f"{live_server.url}/inloggen/")
    log_in_by_mail(page, email)
    page.goto(f"{live_server.url}/mijn-aanvragen/{application.reference}/")
    page.get_by_role("link", name="Bezwaar maken", exact=True).click()

    # The list: the afwijzing with its kenmerk, and how bezwaar works.
    expect(page.get_by_role("heading", level=1, name="Bezwaar maken")).to_be_visible()
    expect(page.get_by_text("Bezwaar maken is gratis.")).to_be_visible()
    expect(page.get_by_text("Postbus 16200", exact=False).first).to_be_visible()
    assert_accessible(page, "the objection page")
    page.get_by_role(
        "link", name=f"Bezwaar maken tegen besluit {decision.kenmerk}"
    ).click()

    # The form, with the kenmerk from the letter chosen; first sent with a mistake.
    decision_select = page.get_by_label("Tegen welk besluit maakt u bezwaar?")
    expect(decision_select).to_have_value(decision.kenmerk)
    assert_accessible(page, "the objection form")
    page.get_by_label("Uw naam").fill("Fatima el Amrani")
    page.get_by_role("button", name="Bezwaar versturen").click()
    summary = page.locator(".portal-error-summary")
    expect(summary).to_contain_text(
        "Schrijf waarom u het niet eens bent met het besluit."
    )
    expect(summary).to_contain_text("Zet een vinkje")
    expect(page.get_by_label("Uw naam")).to_have_value("Fatima el Amrani")
    expect(decision_select).to_have_value(decision.kenmerk)
    assert_accessible(page, "the objection form with errors")
    assert not Objection.objects.exists()

    page.get_by_label("Waarom bent u het niet eens met het besluit?").fill(REASONS)
    page.get_by_label(re.compile("Ik maak dit bezwaar namens de aanvrager")).check()
    page.get_by_role("button", name="Bezwaar versturen").click()

    # The confirmation: the BZ reference, the date we decide by, the letter.
    expect(
        page.get_by_role("heading", level=1, name="Wij hebben uw bezwaar ontvangen")
    ).to_be_visible()
    objection = Objection.objects.get()
    assert (objection.decision_id, objection.reasons) == (decision.pk, REASONS)
    assert objection.objector_name == "Fatima el Amrani"
    expect(page.get_by_text(objection.reference).first).to_be_visible()
    assert_accessible(page, "the confirmation page")
    (tmp_path / "ack").mkdir()
    text = _download(
        page, re.compile("Download de ontvangstbevestiging"), tmp_path / "ack"
    )
    assert objection.reference in text

    # Staff decide; the resident reads the beslissing op bezwaar.
    decided = _decide_unfounded(objection)
    assert decided.state == ObjectionState.DECIDED
    page.goto(f"{live_server.url}/mijn-aanvragen/{application.reference}/bezwaar/")
    expect(page.get_by_text("Wij hebben beslist")).to_be_visible()
    assert_accessible(page, "the objection page after the decision")
    (tmp_path / "decision").mkdir()
    text = _download(
        page, re.compile("^Beslissing op bezwaar"), tmp_path / "decision"
    ).lower()
    assert "beslissing op uw bezwaar" in text or "beslissing op bezwaar" in text
    assert "ongegrond" in text
    assert objection.reference.lower() in text
