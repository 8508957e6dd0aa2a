"""The BSN never leaves the login: not in an export, open data, letter, e-mail, log
record, page or database column (issue 17, AVG).

One full journey with the known test BSN (``DIGID_MIDDEN``, 999993653) through the real
OpenID provider: the resident logs in with DigiD, their organisation applies, the staff
decide it through the real services and the beschikking is made and mailed; the
resident opens it, logs out (at the provider too) and logs in again. Then every export
kind in every format, the open-data page and files, every stored file (the letters as
text), every e-mail, every log record at DEBUG level of every logger, the pages the
resident and the staff saw, every session and every text column of every table are
searched for the BSN. Each kind of material is checked to be there and to hold the
journey's application, so the search cannot pass on nothing.
"""

import io
import json
import logging
import re

import openpyxl
import pytest
import requests
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import models
from django.urls import reverse
from pypdf import PdfReader
from wagtail.fields import StreamField

from accounts.models import LoginIdentity
from accounts.roles import ADMINISTRATOR
from beoordeling.decisions.services import decisions
from beoordeling.decisions.services import letters as letter_services
from beoordeling.models import Decision, ExportFormat, ExportKind
from beoordeling.overviews.exports.filters import ExportFilters
from beoordeling.overviews.exports.services import export_now
from subsidies import contact_address, facts, services
from subsidies.models import BudgetLine
from subsidies.workflow import GRANTED_STATES
from tests.factories import (
    AddressedApplicantFactory,
    RoundFactory,
    UserFactory,
    WijkFactory,
    assessor,
    decision_maker,
)
from tests.services.oidc_provider import DIGID_MIDDEN, DIGID_MIDDEN_BSN

pytestmark = pytest.mark.django_db(transaction=True)

BSN = DIGID_MIDDEN_BSN
KVK = "69599084"


# --- the journey -------------------------------------------------------------------


def _digid_login(live_server, session=None):
    """Log in with DigiD Midden through the provider's page; returns the session."""
    session = session or requests.Session()
    page = session.get(f"{live_server.url}/inloggen/digid/", timeout=10)
    action = re.search(r'action="([^"]+)"', page.text).group(1)
    landed = session.post(
        page.url.split("/interaction")[0] + action,
        data={"account": DIGID_MIDDEN, "action": "login"},
        timeout=10,
    )
    assert landed.url == f"{live_server.url}/mijn-aanvragen/", landed.url
    return session, landed


def _logout(live_server, session):
    """Log out at the portal and confirm the provider's end-session page."""
    csrf = session.cookies.get("csrftoken")
    if csrf is None:
        session.get(f"{live_server.url}/inloggen/", timeout=10)
        csrf = session.cookies["csrftoken"]
    confirm = session.post(
        f"{live_server.url}/uitloggen/",
        data={"csrfmiddlewaretoken": csrf},
        headers={"X-CSRFToken": csrf, "Referer": f"{live_server.url}/"},
        timeout=10,
    )
    form = re.search(r'<form[^>]*id="op.logoutForm"[^>]*>', confirm.text).group(0)
    action = re.search(r'action="([^"]+)"', form).group(1)
    xsrf = re.search(r'name="xsrf" value="([^"]+)"', confirm.text).group(1)
    done = session.post(action, data={"xsrf": xsrf, "logout": "yes"}, timeout=10)
    assert done.url == f"{live_server.url}/uitgelogd/", done.url
    return done


def _concept(user):
    """The DigiD user's organisation fills in an application (a concept)."""
    round_ = RoundFactory(ceiling_cents=10_000_000)
    applicant = AddressedApplicantFactory(
        name="Stichting Buurtkracht", kvk_number=KVK, members=[user]
    )
    application = services.application_create(
        round=round_,
        applicant=applicant,
        created_by=user,
        title="Buurtmaaltijd Zuilen",
        summary="Elke maand koken buren samen en eten ze samen.",
        wijk=WijkFactory(code="noord", name="Noord"),
        activity_start=round_.closes_at.date(),
        activity_end=round_.closes_at.date().replace(year=round_.closes_at.year + 1),
        impact_plan="We tellen de deelnemers en vragen wat het hen oplevert.",
        truthful_declaration=True,
    )
    BudgetLine.objects.create(
        application=application,
        category=BudgetLine.Category.MATERIALS,
        description="Kookgerei en boodschappen",
        amount_cents=250_000,
    )
    services.application_recalculate_requested(application=application)
    return application


def _confirm_contact_address(live_server, browser, application, user):
    """A resident known only by DigiD has no login address: the contact address
    gets the e-mails once the resident confirmed it with the link sent there."""
    assert contact_address.send_confirmation(
        applicant=application.applicant, user=user, application=application
    )
    link = re.search(
        r"https?://\S+/contactadres/bevestigen/\?t=\S+", mail.outbox[-1].body
    )
    token = link.group(0).split("?t=")[1]
    page = browser.get(link.group(0), timeout=10)
    assert page.status_code == 200
    csrf = browser.cookies["csrftoken"]
    done = browser.post(
        f"{live_server.url}/contactadres/bevestigen/",
        data={"t": token, "csrfmiddlewaretoken": csrf},
        headers={"Referer": f"{live_server.url}/"},
        timeout=10,
    )
    assert done.status_code == 200
    application.applicant.refresh_from_db()
    assert application.applicant.contact_email_is_confirmed
    return page.text + done.text


def _submit_and_award(application, user):
    """The resident submits; the staff accept, assess and award it (a fixed
    allocation run), and the beschikking is made and mailed."""
    round_ = application.round
    application = services.fire(
        application=application, transition="submit", actor=user
    )
    staff = assessor()
    facts.record_preconditions(application, met=True)
    application = services.fire(
        application=application, transition="accept", actor=staff
    )
    facts.record_assessment(application, impact_score=80, proposed_cents=250_000)
    application = services.fire(
        application=application, transition="complete_assessment", actor=staff
    )
    deciding = decision_maker()
    run = decisions.allocation_run_create(round=round_, actor=deciding)
    decisions.allocation_run_fix(run=run, actor=deciding)
    batch = decisions.letter_batch_start(round=round_, actor=deciding, enqueue=False)
    letter_services.letter_batch_run(batch_id=batch.pk)
    application.refresh_from_db()
    assert application.status in GRANTED_STATES
    return application


# --- reading every kind of material as text ---------------------------------------


def _pdf_text(content):
    return "\n".join(
        page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages
    )


def _xlsx_text(content):
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        "\t".join("" if cell is None else str(cell) for cell in row)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
    )


def _file_text(content):
    """A stored file as text: a PDF's text, a workbook's cells, else the bytes."""
    if content.startswith(b"%PDF"):
        return _pdf_text(content)
    if content.startswith(b"PK"):
        return _xlsx_text(content)
    return content.decode("utf-8", errors="replace")


def _every_export(user):
    """Every export kind in every format (CSV also for Dutch Excel): name -> text."""
    texts = {}
    for kind in ExportKind:
        for fmt in ExportFormat:
            variants = (False, True) if fmt == ExportFormat.CSV else (False,)
            for excel_nl in variants:
                exported = export_now(
                    kind=kind,
                    fmt=fmt,
                    filters=ExportFilters(),
                    user=user,
                    excel_nl=excel_nl,
                )
                text = _file_text(exported.content)
                texts[f"{kind.value}.{fmt.value}{'-excel' if excel_nl else ''}"] = text
    return texts


def _every_stored_file():
    """Every file a FileField of any model points at: (model.field#pk) -> text."""
    texts = {}
    for model in apps.get_models():
        file_fields = [
            f for f in model._meta.concrete_fields if isinstance(f, models.FileField)
        ]
        for field in file_fields:
            for row in model._default_manager.exclude(**{field.name: ""}):
                stored = getattr(row, field.name)
                with stored.open("rb") as handle:
                    content = handle.read()
                texts[f"{model._meta.label}.{field.name}#{row.pk}"] = _file_text(
                    content
                )
    return texts


def _every_email():
    texts = []
    for message in mail.outbox:
        parts = [message.subject, message.body, " ".join(message.to)]
        parts += [content for content, _type in getattr(message, "alternatives", [])]
        for attachment in message.attachments:
            content = attachment[1] if isinstance(attachment, tuple) else attachment
            if isinstance(content, str):
                content = content.encode()
            elif not isinstance(content, bytes):
                content = content.as_bytes()
            parts.append(_file_text(content))
        texts.append("\n".join(parts))
    return texts


TEXT_TYPES = {"CharField", "TextField", "JSONField", "SlugField", "EmailField"}


def _every_text_column():
    """Every Char, Text and JSON value of every table: (table.column) -> values."""
    columns = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        fields = [
            f
            for f in meta.concrete_fields
            if f.get_internal_type() in TEXT_TYPES or isinstance(f, StreamField)
        ]
        for field in fields:
            values = model._default_manager.values_list(field.attname, flat=True)
            columns[f"{meta.db_table}.{field.column}"] = [
                v if isinstance(v, str) else json.dumps(v, default=str)
                for v in values
                if v not in (None, "")
            ]
    return columns


@pytest.fixture
def every_log_record(caplog):
    """caplog at DEBUG on the root and on every logger there is, also those that do
    not propagate (their records reach caplog's handler directly)."""
    caplog.set_level(logging.DEBUG)
    names = [
        name
        for name, logger in logging.root.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    ]
    for name in {*names, "mozilla_django_oidc", "requests", "urllib3"}:
        caplog.set_level(logging.DEBUG, logger=name)
    private = [
        logging.getLogger(name)
        for name in names
        if not logging.getLogger(name).propagate
    ]
    for logger in private:
        logger.addHandler(caplog.handler)
    yield caplog
    for logger in private:
        logger.removeHandler(caplog.handler)


def _log_text(record):
    text = record.getMessage()
    if record.exc_info:
        text += logging.Formatter().formatException(record.exc_info)
    if record.stack_info:
        text += record.stack_info
    return f"{record.name}: {text}"


def _leaks(texts):
    """The texts (name -> text) that hold the BSN."""
    return sorted(name for name, text in texts.items() if BSN in text)


# --- the test ----------------------------------------------------------------------


def test_the_bsn_is_in_no_export_letter_email_log_page_or_column_after_a_journey(
    oidc, live_server, client, every_log_record
):
    """After a DigiD login with BSN 999993653, an application that is awarded with
    its beschikking mailed, a logout at the provider and a second login, the BSN is
    in no export (every kind, CSV, XLSX and JSON), no open-data page or file, no
    stored file or letter, no e-mail, no log record, no page the resident or the
    staff saw, no session and no text column; only its keyed hash is kept."""
    mail.outbox.clear()
    pages = {}

    # The resident logs in with DigiD; the account is made for the person.
    browser, landed = _digid_login(live_server)
    pages["mijn-aanvragen (eerste keer)"] = landed.text
    identity = LoginIdentity.objects.get(provider="digid")
    user = identity.user
    assert user.email is None
    assert len(identity.subject_hash) == 64

    # Their organisation applies; the staff award it and the beschikking is mailed.
    application = _concept(user)
    pages["contactadres bevestigen"] = _confirm_contact_address(
        live_server, browser, application, user
    )
    application = _submit_and_award(application, user)
    decision = Decision.objects.get(application=application)
    assert decision.document is not None

    # The resident sees it, opens the letter, logs out everywhere and comes back.
    for name, url in {
        "mijn-aanvragen": reverse("subsidies:my_applications"),
        "detail": reverse("subsidies:detail", args=[application.reference]),
        "besluit": reverse("subsidies:letter", args=[application.reference]),
    }.items():
        response = browser.get(live_server.url + url, timeout=10)
        assert response.status_code == 200, (name, response.status_code)
        pages[name] = response.text
    letter = browser.get(
        live_server.url
        + reverse(
            "subsidies:letter_document",
            args=[application.reference, decision.document.pk],
        ),
        timeout=10,
    )
    assert letter.content.startswith(b"%PDF")
    pages["beschikking (download)"] = _pdf_text(letter.content)
    pages["uitgelogd"] = _logout(live_server, browser).text
    again, landed = _digid_login(live_server, requests.Session())
    pages["mijn-aanvragen (opnieuw)"] = landed.text
    assert application.reference in landed.text
    assert LoginIdentity.objects.filter(provider="digid").count() == 1

    # The open-data page and its files, as anyone downloads them.
    for name in ("", "subsidies.csv", "subsidies.excel.csv", "subsidies.json"):
        response = requests.get(f"{live_server.url}/open-data/{name}", timeout=10)
        assert response.status_code == 200, name
        pages[f"open-data/{name}"] = response.content.decode("utf-8-sig")
    assert application.title in pages["open-data/subsidies.csv"]

    # What the staff see of the resident and the application.
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    for name, url in {
        "wagtail users": reverse("wagtailusers_users:index"),
        "wagtail user": reverse("wagtailusers_users:edit", args=[user.pk]),
    }.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        pages[f"staff: {name}"] = response.content.decode()
    administrator = UserFactory(role=ADMINISTRATOR)
    client.force_login(administrator)
    for name, url in {
        "beoordelen": reverse("beoordelen:detail", args=[application.pk]),
        "overzichten": reverse(
            "overzichten:list", args=[ExportKind.APPLICATIONS.value]
        ),
    }.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        pages[f"staff: {name}"] = response.content.decode()
    assert application.reference in pages["staff: beoordelen"]

    exports = _every_export(administrator)
    files = _every_stored_file()
    emails = _every_email()
    records = [_log_text(record) for record in every_log_record.records]
    columns = _every_text_column()
    sessions = {
        f"session {s.session_key}": json.dumps(s.get_decoded(), default=str)
        for s in Session.objects.all()
    }

    # Nothing was searched vacuously: each kind holds the journey.
    assert len(exports) == len(ExportKind) * (len(ExportFormat) + 1)
    assert application.reference in exports["aanvragen.csv"]
    assert application.reference in exports["aanvragen.xlsx"]
    assert application.title in exports["open-data.xlsx"]
    letters = {
        name: text for name, text in files.items() if application.reference in text
    }
    assert any(name.startswith("subsidies.Document") for name in letters), files.keys()
    assert emails and any(application.reference in text for text in emails)
    assert len(records) > 0
    logged_by = {record.name.split(".")[0] for record in every_log_record.records}
    assert {"initiatiefloket", "urllib3", "django"} <= logged_by, logged_by
    assert any(
        application.reference in v for v in columns["subsidies_application.reference"]
    )
    assert any(
        identity.subject_hash in v
        for v in columns["accounts_loginidentity.subject_hash"]
    )
    assert len(sessions) >= 1

    # And the BSN is in none of it.
    assert _leaks(pages) == []
    assert _leaks(exports) == []
    assert _leaks(files) == []
    assert _leaks(dict(enumerate(emails))) == []
    assert [r for r in records if BSN in r] == []
    assert _leaks({name: "\n".join(values) for name, values in columns.items()}) == []
    assert _leaks(sessions) == []
