"""Export an overview to a file, for scheduled use; logged like an export from the admin.

    manage.py export_overview --kind besluiten --format xlsx --round 12 --out besluiten.xlsx
    manage.py export_overview --kind open-data --format csv --from 2026-01-01 --to 2026-12-31 --out woo.csv

A round, scheme or wijk is given by its id, or by its name (a round also as
"Regeling: Ronde"), a scheme also by its code, a wijk also by its code. The log row
names the command and the operating-system user, or ``--user`` (an e-mail address).
"""

import getpass
from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from beoordeling.models import ExportFormat, ExportKind
from beoordeling.overviews.exports.filters import ExportFilters
from beoordeling.overviews.exports.services import export_to_file
from subsidies.models import Round, Scheme, Wijk
from subsidies.workflow import Status


def _one(queryset, label, value):
    found = list(queryset[:2])
    if len(found) != 1:
        problem = "niet gevonden" if not found else "niet eenduidig"
        raise CommandError(f"{label} '{value}' {problem}.")
    return found[0]


def _scheme(value):
    if value.isdigit():
        return _one(Scheme.objects.filter(pk=int(value)), "Regeling", value)
    queryset = Scheme.objects.filter(slug__iexact=value) | Scheme.objects.filter(
        name__iexact=value
    )
    return _one(queryset.distinct(), "Regeling", value)


def _round(value):
    if value.isdigit():
        return _one(Round.objects.filter(pk=int(value)), "Ronde", value)
    scheme_name, _sep, round_name = value.rpartition(":")
    queryset = Round.objects.filter(name__iexact=round_name.strip())
    if scheme_name:
        queryset = queryset.filter(scheme__name__iexact=scheme_name.strip())
    return _one(queryset, "Ronde", value)


def _wijk(value):
    if value.isdigit():
        return _one(Wijk.objects.filter(pk=int(value)), "Wijk", value)
    queryset = Wijk.objects.filter(code__iexact=value) | Wijk.objects.filter(
        name__iexact=value
    )
    return _one(queryset.distinct(), "Wijk", value)


def _date(value):
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"'{value}' is geen datum (jjjj-mm-dd).") from error


class Command(BaseCommand):
    help = "Exporteert een overzicht (besluiten, aanvragen, scores, open data) naar een bestand."

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, choices=ExportKind.values)
        parser.add_argument("--format", required=True, choices=ExportFormat.values)
        parser.add_argument("--out", required=True, help="Het bestand om te schrijven.")
        parser.add_argument("--scheme", help="Regeling: id, code of naam.")
        parser.add_argument("--round", help="Ronde: id, naam of 'Regeling: Ronde'.")
        parser.add_argument("--wijk", help="Wijk: id, code of naam.")
        parser.add_argument(
            "--status", choices=[s for s in Status.values if s != Status.DRAFT]
        )
        parser.add_argument("--from", dest="date_from", help="Vanaf (jjjj-mm-dd).")
        parser.add_argument("--to", dest="date_to", help="Tot en met (jjjj-mm-dd).")
        parser.add_argument(
            "--user", help="E-mailadres van de gebruiker namens wie geëxporteerd wordt."
        )

    def handle(self, *args, **options):
        filters = ExportFilters(
            scheme_id=_scheme(options["scheme"]).pk if options["scheme"] else None,
            round_id=_round(options["round"]).pk if options["round"] else None,
            wijk_id=_wijk(options["wijk"]).pk if options["wijk"] else None,
            status=options["status"] or "",
            date_from=_date(options["date_from"]) if options["date_from"] else None,
            date_to=_date(options["date_to"]) if options["date_to"] else None,
        )
        user = None
        if options["user"]:
            user = (
                get_user_model().objects.filter(email__iexact=options["user"]).first()
            )
            if user is None:
                raise CommandError(f"Gebruiker '{options['user']}' niet gevonden.")
            actor = f"{user.email} (manage.py export_overview)"
        else:
            actor = f"manage.py export_overview ({getpass.getuser()})"
        log = export_to_file(
            kind=options["kind"],
            fmt=options["format"],
            filters=filters,
            path=options["out"],
            actor_label=actor,
            user=user,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{log.row_count} regels geschreven naar {options['out']} "
                f"({log.get_kind_display()}; {log.filters_text})."
            )
        )
