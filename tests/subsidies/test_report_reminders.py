"""Reminders about the verantwoording: 14 days before the due date, 1 and 14 days
after it, each once (a second run the same day, or the next day, sends nothing more),
none once the report is in, and a moved due date is reminded of again."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from subsidies import reports
from subsidies.models import Application, OutgoingMail, ReportReminder
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def _mails(application):
    return list(
        OutgoingMail.objects.filter(reference=application.reference)
        .filter(subject__icontains="verantwoording")
        .order_by("pk")
    )


def test_each_reminder_goes_once_on_its_day():
    application = ApplicationFactory(awarded=True)
    due = application.report_due_on
    assert reports.send_report_reminders(today=due - timedelta(days=15)) == 0
    assert reports.send_report_reminders(today=due - timedelta(days=14)) == 1
    assert reports.send_report_reminders(today=due - timedelta(days=14)) == 0
    assert reports.send_report_reminders(today=due - timedelta(days=3)) == 0
    assert reports.send_report_reminders(today=due) == 0
    assert reports.send_report_reminders(today=due + timedelta(days=1)) == 1
    assert reports.send_report_reminders(today=due + timedelta(days=2)) == 0
    assert reports.send_report_reminders(today=due + timedelta(days=14)) == 1
    assert reports.send_report_reminders(today=due + timedelta(days=40)) == 0
    mails = _mails(application)
    assert [m.subject.strip() for m in mails] == [
        f"Herinnering: verantwoording van {application.reference}",
        f"Wij missen uw verantwoording van {application.reference}",
        f"Wij missen uw verantwoording van {application.reference}",
    ]
    assert "uiterlijk op" in mails[0].body
    assert list(
        ReportReminder.objects.filter(application=application)
        .order_by("sent_at", "pk")
        .values_list("kind", flat=True)
    ) == ["voor", "te_laat", "te_laat_2"]


def test_a_late_first_run_sends_only_the_latest_reminder():
    application = ApplicationFactory(awarded=True)
    due = application.report_due_on
    assert reports.send_report_reminders(today=due + timedelta(days=20)) == 1
    assert ReportReminder.objects.get(application=application).kind == "te_laat_2"


def test_no_reminder_once_the_report_is_in_or_without_a_report(client):
    application = ApplicationFactory(awarded=True)
    Application.objects.filter(pk=application.pk).update(
        status="verantwoording_ingediend"
    )
    due = application.report_due_on
    assert reports.send_report_reminders(today=due + timedelta(days=1)) == 0


def test_the_command_runs_the_same_rule(capsys):
    application = ApplicationFactory(awarded=True)
    # The command reads today's date: nothing is due yet for a fresh award.
    call_command("send_report_reminders")
    assert "Herinneringen verstuurd: 0." in capsys.readouterr().out
    assert not _mails(application)
