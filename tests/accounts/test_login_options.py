"""The login pages offer what the environment allows: DigiD and eHerkenning where a
provider is configured, the login link by e-mail only where ``LOGIN_EMAIL_LINK`` is on
(and then nothing of it works where it is off), and staff sign-on on the admin's login
page next to the password form. Production switches the e-mail link off by default."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse
from sesame.utils import get_token

from accounts.models import User
from cms.demo import seed_pages
from tests.factories import UserFactory
from tests.services.production import production_environment

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
LOGIN = "/inloggen/"
BROKER = "https://broker.utrecht.example"


def configure(settings, *names):
    """Point the named providers at a broker (no request goes out: the login pages
    only need to know a provider is configured)."""
    providers = {name: dict(values) for name, values in settings.OIDC_PROVIDERS.items()}
    for name in providers:
        providers[name].update(issuer="", client_id="", client_secret="")
    for name in names:
        providers[name].update(
            issuer=BROKER,
            client_id=f"initiatiefloket-{name}",
            client_secret="geheim",
        )
    settings.OIDC_PROVIDERS = providers


def buttons(content):
    """The link buttons of a page, as {text: href}."""
    return {
        text.strip(): href.replace("&amp;", "&")
        for href, text in re.findall(
            r'<a class="utrecht-button-link[^"]*" href="([^"]+)">([^<]+)</a>', content
        )
    }


def main_column(content):
    """The page's own text, without the banner, header and help column."""
    return content.split('<h1 class="utrecht-heading-1">', 1)[1].split(
        "portal-two-columns__aside", 1
    )[0]


def test_with_only_the_email_link_the_page_is_as_before(client, settings):
    """The demo default: one e-mail field, no DigiD or eHerkenning button."""
    configure(settings)
    settings.LOGIN_EMAIL_LINK = True
    content = client.get(LOGIN).content.decode()
    assert 'name="email"' in content
    assert "Vul uw e-mailadres in. Wij sturen u een link waarmee u inlogt." in content
    assert "Stuur mij een inloglink" in content
    assert buttons(content) == {}
    assert "DigiD" not in main_column(content)
    assert "eHerkenning" not in main_column(content)


def test_configured_providers_get_a_button_that_keeps_where_the_resident_was_going(
    client, settings
):
    """DigiD for residents, eHerkenning for stichtingen and verenigingen, each saying
    who it is for; the e-mail link stays below them while it is switched on."""
    configure(settings, "digid", "eherkenning")
    settings.LOGIN_EMAIL_LINK = True
    content = client.get(LOGIN, {"next": "/mijn-aanvragen/"}).content.decode()
    assert buttons(content) == {
        "Inloggen met DigiD": "/inloggen/digid/?next=%2Fmijn-aanvragen%2F",
        "Inloggen met eHerkenning": "/inloggen/eherkenning/?next=%2Fmijn-aanvragen%2F",
    }
    assert "Vraagt u geld aan als bewoner" in content
    assert "voor een stichting of vereniging" in content
    assert "Heeft u geen DigiD of eHerkenning?" in content
    assert 'name="email"' in content
    assert content.index("Inloggen met DigiD") < content.index(
        "Inloggen met eHerkenning"
    )
    assert content.index("Inloggen met eHerkenning") < content.index('name="email"')


def test_a_next_to_another_site_is_not_passed_on(client, settings):
    configure(settings, "digid")
    content = client.get(LOGIN, {"next": "https://kwaad.example/"}).content.decode()
    assert buttons(content) == {"Inloggen met DigiD": "/inloggen/digid/"}


def test_only_the_configured_provider_is_offered(client, settings):
    configure(settings, "eherkenning")
    settings.LOGIN_EMAIL_LINK = False
    content = client.get(LOGIN).content.decode()
    assert list(buttons(content)) == ["Inloggen met eHerkenning"]
    assert 'name="email"' not in content
    assert client.get("/inloggen/digid/").status_code == 404


def test_with_the_email_link_off_nothing_of_it_works_and_no_mail_goes_out(
    client, settings
):
    """No form; asking for a link is refused and sends nothing; the page after asking
    is gone; a link sent before the switch no longer logs in."""
    configure(settings, "digid", "eherkenning")
    settings.LOGIN_EMAIL_LINK = False
    resident = UserFactory(email="bewoner@example.nl")

    content = client.get(LOGIN).content.decode()
    assert 'name="email"' not in content
    assert "Stuur mij een inloglink" not in content
    assert list(buttons(content)) == ["Inloggen met DigiD", "Inloggen met eHerkenning"]

    assert client.post(LOGIN, {"email": "bewoner@example.nl"}).status_code == 404
    assert client.post(LOGIN, {"email": "nieuw@example.nl"}).status_code == 404
    assert mail.outbox == []
    assert not User.objects.filter(email="nieuw@example.nl").exists()
    assert client.get(reverse("accounts:link_sent")).status_code == 404

    token = get_token(resident)
    page = client.get(reverse("accounts:magic_link"), {"t": token})
    assert page.status_code == 400
    assert "Deze link werkt niet meer" in page.content.decode()
    used = client.post(reverse("accounts:magic_link"), {"t": token})
    assert used.status_code == 400
    assert SESSION_KEY not in client.session


def test_the_same_link_works_while_the_email_link_is_on(client, settings):
    """The counterpart: the refusal above is the switch, not a broken token."""
    settings.LOGIN_EMAIL_LINK = True
    resident = UserFactory(email="bewoner@example.nl")
    response = client.post(reverse("accounts:magic_link"), {"t": get_token(resident)})
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == resident.pk


def test_with_no_login_at_all_the_page_says_where_to_get_help(client, settings):
    configure(settings)
    settings.LOGIN_EMAIL_LINK = False
    response = client.get(LOGIN)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Inloggen kan nu niet" in content
    assert "Bel de gemeente op 14 030" in content
    assert 'name="email"' not in content
    assert buttons(content) == {}


def test_a_resident_known_only_by_digid_is_told_they_are_logged_in(client, settings):
    """An account without an e-mail address (DigiD only) reads well on the page."""
    configure(settings, "digid")
    resident = User.objects.create_identified_user()
    client.force_login(resident)
    content = client.get(LOGIN).content.decode()
    assert "U bent al ingelogd." in content
    assert "None" not in content


def staff_sign_on_link(content):
    match = re.search(
        r'<a class="button button-primary[^"]*"[^>]* href="([^"]+)">'
        r"Inloggen met uw gemeente-account</a>",
        content,
    )
    return match.group(1).replace("&amp;", "&") if match else None


def test_the_admin_login_offers_the_gemeente_account_above_the_password_form(
    client, settings
):
    configure(settings, "medewerker")
    content = client.get("/admin/login/", {"next": "/admin/pages/"}).content.decode()
    assert (
        staff_sign_on_link(content) == "/inloggen/medewerker/?next=%2Fadmin%2Fpages%2F"
    )
    assert 'name="password"' in content
    assert content.index("Inloggen met uw gemeente-account") < content.index(
        'name="password"'
    )


def test_the_admin_login_has_only_the_password_form_without_staff_sign_on(
    client, settings
):
    configure(settings, "digid", "eherkenning")
    content = client.get("/admin/login/").content.decode()
    assert staff_sign_on_link(content) is None
    assert "gemeente-account" not in content
    assert 'name="password"' in content
    assert client.get("/inloggen/medewerker/").status_code == 404


PRODUCTION_LOGINS = (
    "import django; django.setup(); from django.conf import settings; "
    "from accounts.oidc import providers; "
    "print('LOGIN_EMAIL_LINK', settings.LOGIN_EMAIL_LINK); "
    "print('METHODS', ','.join(providers.resident_methods()))"
)


def run_production(**overrides):
    unset = dict.fromkeys(
        (
            "LOGIN_EMAIL_LINK",
            "BSN_HASH_KEY",
            "OIDC_DIGID_ISSUER",
            "OIDC_DIGID_CLIENT_ID",
            "OIDC_EHERKENNING_ISSUER",
            "OIDC_EHERKENNING_CLIENT_ID",
        )
    )
    env = production_environment(**{**unset, **overrides})
    return subprocess.run(
        [sys.executable, "-c", PRODUCTION_LOGINS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_offers_no_email_link_unless_the_gemeente_switches_it_on():
    result = run_production()
    assert result.returncode == 0, result.stderr[-3000:]
    assert "LOGIN_EMAIL_LINK False" in result.stdout
    result = run_production(LOGIN_EMAIL_LINK="1")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "LOGIN_EMAIL_LINK True" in result.stdout
    assert "METHODS email" in result.stdout


def test_production_refuses_to_start_with_digid_but_no_bsn_hash_key():
    digid = {
        "OIDC_DIGID_ISSUER": BROKER,
        "OIDC_DIGID_CLIENT_ID": "initiatiefloket-digid",
    }
    result = run_production(**digid)
    assert result.returncode == 1
    assert "refuses to start" in result.stderr
    assert "BSN_HASH_KEY" in result.stderr
    assert "METHODS" not in result.stdout

    result = run_production(BSN_HASH_KEY="een-lange-geheime-sleutel", **digid)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "METHODS digid" in result.stdout


def test_the_privacy_page_says_what_a_login_keeps(client):
    """The seeded privacy page tells residents, in plain Dutch, that the BSN itself is
    not kept (only a code made from it), that eHerkenning keeps the KVK number, for
    how long, and what their rights are."""
    seed_pages()
    content = client.get("/privacy/").content.decode()
    for sentence in (
        "Wij bewaren uw BSN niet.",
        "alleen die code bewaren wij",
        "het KVK-nummer van uw organisatie",
        "Wij bewaren ze zolang uw account bestaat.",
        "Doet u 15 minuten niets op de website? Dan loggen wij u uit.",
        "Autoriteit Persoonsgegevens",
    ):
        assert sentence in content


def test_the_demo_banner_warns_about_the_email_link_only_where_it_is_offered(
    client, settings
):
    settings.DEMO_BANNER = True
    warning = "Inloggen met alleen een e-mailadres is niet geschikt"
    page = client.get(LOGIN).content.decode()
    assert "Dit is een oefenomgeving." in page and warning in page
    settings.LOGIN_EMAIL_LINK = False
    configure(settings, "digid")
    page = client.get(LOGIN).content.decode()
    assert "Dit is een oefenomgeving." in page and warning not in page
