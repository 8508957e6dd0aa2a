"""The history import matches a portal applicant by KvK number only when an
eHerkenning login verified that number (issue 17): the organisation's members, and
every colleague who logs in with eHerkenning later, see its old applications. A KvK
number a resident typed still matches nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import LoginIdentity
from accounts.oidc import session as oidc_session
from accounts.oidc.backends import LoginFacts
from beoordeling.models import HistoryLink
from beoordeling.overviews.imports import import_check, import_confirm
from beoordeling.overviews.imports.linking import history_link
from subsidies.models import Application
from subsidies.selectors import applications_for_user
from tests.factories import (
    ApplicantFactory,
    ApplicationFactory,
    RoundFactory,
    SchemeFactory,
    UserFactory,
    WijkFactory,
    xlsx,
)

pytestmark = pytest.mark.django_db

VERIFIED = "69599084"
TYPED = "40222222"


def _eherkenning_user(key):
    user = get_user_model().objects.create_identified_user()
    LoginIdentity.objects.create(
        user=user,
        provider="eherkenning",
        subject_hash=f"{key:0>64}",
        kvk_number=VERIFIED,
    )
    return user


def _row(reference, name, kvk, title):
    return [reference, "Initiatievenfonds", "Tijdvak 2025", name, kvk, title,
            "zuid", "", "1000", "800", "toegekend", "2025-03-31", ""]  # fmt: skip


def _import(rows):
    admin = UserFactory(role="Beheerder")
    record = import_check(
        kind="historie", content=xlsx(rows), filename="oud.xlsx", user=admin
    )
    assert record.errors == [], record.errors
    import_confirm(record=record, user=admin)
    return record


def test_history_joins_the_applicant_whose_kvk_eherkenning_verified(client):
    """The row with the verified number joins that applicant: its member sees the
    old application on Mijn aanvragen, and so does a colleague after an eHerkenning
    login. The row with a typed number makes its own applicant, which the resident
    who typed the number never sees."""
    scheme = SchemeFactory(name="Initiatievenfonds")
    RoundFactory(scheme=scheme, name="Tijdvak 2025", closed=True)
    WijkFactory(code="zuid", name="Zuid")
    member = _eherkenning_user("1")
    verified = ApplicantFactory(
        name="Stichting Echt", kvk_number=VERIFIED, kvk_verified=True, members=[member]
    )
    typist = UserFactory(role="Aanvrager", email="typist@example.nl")
    typed = ApplicantFactory(
        name="Mijn eigen tekst", kvk_number=TYPED, kvk_verified=False, members=[typist]
    )
    record = _import(
        [
            _row("IF-2025-0201", "Stichting Echt", VERIFIED, "Buurtfeest 2025"),
            _row("IF-2025-0202", "Stichting Ander", TYPED, "Straatfeest 2025"),
        ]
    )
    assert [row["nieuwe_aanvrager"] for row in record.preview] == [False, True]

    old = Application.objects.get(reference="IF-2025-0201")
    other = Application.objects.get(reference="IF-2025-0202")
    assert old.applicant == verified
    assert other.applicant != typed
    assert other.applicant.name == "Stichting Ander"
    assert not other.applicant.members.exists()
    assert applications_for_user(member).filter(pk=old.pk).exists()
    assert not applications_for_user(typist).filter(pk=other.pk).exists()

    colleague = _eherkenning_user("2")
    oidc_session.logged_in_with_identity.send(
        sender=None,
        request=None,
        user=colleague,
        facts=LoginFacts(provider="eherkenning", kvk_number=VERIFIED),
    )
    client.force_login(colleague)
    mine = client.get(reverse("subsidies:my_applications")).content.decode()
    assert "IF-2025-0201" in mine and "IF-2025-0202" not in mine


def test_a_typed_kvk_never_matches_even_when_it_is_the_same_number():
    """Two portal applicants carry the same number, one typed and one verified: the
    import joins the verified one only."""
    scheme = SchemeFactory(name="Initiatievenfonds")
    RoundFactory(scheme=scheme, name="Tijdvak 2025", closed=True)
    WijkFactory(code="zuid", name="Zuid")
    typist = UserFactory(role="Aanvrager", email="typist@example.nl")
    ApplicantFactory(kvk_number=VERIFIED, kvk_verified=False, members=[typist])
    verified = ApplicantFactory(
        kvk_number=VERIFIED, kvk_verified=True, members=[_eherkenning_user("3")]
    )
    _import([_row("IF-2025-0301", "Stichting Echt", VERIFIED, "Buurtfeest")])
    assert Application.objects.get(reference="IF-2025-0301").applicant == verified
    assert not applications_for_user(typist).filter(reference="IF-2025-0301").exists()


def test_a_link_to_members_without_e_mail_names_them_by_their_login():
    """A Beheerder links imported history to a portal application whose member
    logged in with eHerkenning: the link records the member by the login (no e-mail
    address, never None) and the member sees the history."""
    scheme = SchemeFactory(name="Initiatievenfonds")
    RoundFactory(scheme=scheme, name="Tijdvak 2025", closed=True)
    WijkFactory(code="zuid", name="Zuid")
    _import([_row("IF-2025-0401", "Bewoners Tolsteeg", "", "Straatfeest")])
    imported = Application.objects.get(reference="IF-2025-0401").applicant
    portal = ApplicationFactory()
    member = _eherkenning_user("4")
    portal.applicant.members.set([member])
    link = history_link(
        imported_applicant=imported,
        portal_reference=portal.reference,
        motivation="Nagegaan met het uittreksel van de KvK.",
        by=UserFactory(role="Beheerder"),
    )
    assert HistoryLink.objects.get(pk=link.pk).members == [
        f"eHerkenning, KvK {VERIFIED}"
    ]
    assert applications_for_user(member).filter(reference="IF-2025-0401").exists()
