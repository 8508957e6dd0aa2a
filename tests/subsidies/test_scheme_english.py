"""A scheme's own texts in English, and Dutch text marked lang="nl" (issue 18).

A resident who reads the portal in English sees a scheme's name, purpose, who it is
for and not for in English when an editor filled in the English text
(``Scheme.name_en`` ...). Without it the Dutch text is shown inside an element with
``lang="nl"`` (WCAG 3.1.2), so a screen reader reads it as Dutch. In Dutch nothing is
marked. A mail gets the bare text, never markup.
"""

import re

import pytest
from django.conf import settings as django_settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from accounts.roles import ADMINISTRATOR
from beoordeling.assessment.demo import seed_rules
from cms.demo import seed_english, seed_pages
from subsidies.demo import seed_reference_data, seed_rounds
from subsidies.demo_content import SCHEME_TEXTS_EN
from subsidies.local_text import dutch
from subsidies.models import Application, Scheme
from subsidies.selectors.submission import Section
from tests.drafts import QUICK_CHECK_ANSWERS
from tests.factories import ApplicationFactory, UserFactory
from tests.html_forms import form_data, with_values

pytestmark = pytest.mark.django_db

COOKIE = django_settings.LANGUAGE_COOKIE_NAME


@pytest.fixture
def site():
    seed_reference_data()
    seed_rounds(timezone.now())
    seed_rules()
    seed_english(seed_pages())


def _english(client):
    client.cookies[COOKIE] = "en"
    return client


def _main(response):
    html = response.content.decode()
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def _clear(slug, *fields):
    Scheme.objects.filter(slug=slug).update(**{f"{field}_en": "" for field in fields})
    return Scheme.objects.get(slug=slug)


def test_the_seed_gives_every_scheme_its_english_texts_once(site):
    """Each of the three schemes has its four English texts from the seed; a second
    run keeps a text an editor changed and fills only what is empty."""
    for scheme in Scheme.objects.all():
        for field in Scheme.TRANSLATED_FIELDS:
            assert (
                getattr(scheme, f"{field}_en")
                == SCHEME_TEXTS_EN[scheme.slug][f"{field}_en"]
            )
    Scheme.objects.filter(slug="duurzaam").update(
        purpose_en="Our own English text.", not_for_en=""
    )
    seed_reference_data()
    scheme = Scheme.objects.get(slug="duurzaam")
    assert scheme.purpose_en == "Our own English text."
    assert scheme.not_for_en == SCHEME_TEXTS_EN["duurzaam"]["not_for_en"]


def test_text_for_picks_the_language_and_marks_dutch_in_english(site):
    scheme = _clear("flexbudget", "purpose")
    assert scheme.text_for("name", "nl") == "Flexbudget sociaal makelaarschap"
    assert scheme.text_for("name", "en") == SCHEME_TEXTS_EN["flexbudget"]["name_en"]
    assert scheme.text_for("name", "en").__html__() == (
        "Flexbudget (flexible budget for residents&#x27; bids)"
    )
    dutch = scheme.text_for("purpose", "en")
    assert dutch == scheme.purpose
    assert dutch.__html__() == f'<span lang="nl">{scheme.purpose}</span>'
    assert scheme.text_for("purpose", "nl").__html__() == scheme.purpose
    with translation.override("en"):
        assert scheme.display_name == SCHEME_TEXTS_EN["flexbudget"]["name_en"]
    with pytest.raises(ValueError):
        scheme.text_for("legal_basis", "en")


def test_the_quick_check_in_english_names_the_schemes_in_english(client, site):
    """The verdicts name each scheme by its English name; a scheme without one shows
    the Dutch name inside <span lang="nl">, also in the button."""
    _clear("initiatievenfonds", "name")
    response = _english(client).post(reverse("subsidies:check"), QUICK_CHECK_ANSWERS)
    main = _main(response)
    assert "Duurzaam bewonersinitiatief (lasting resident initiatives): " in main
    assert "Apply to " in main
    assert '<span lang="nl">Initiatievenfonds</span>: fits your plan' in main
    assert 'Apply to <span lang="nl">Initiatievenfonds</span>' in main


def test_the_quick_check_in_dutch_marks_nothing(client, site):
    main = _main(client.post(reverse("subsidies:check"), QUICK_CHECK_ANSWERS))
    assert "Initiatievenfonds: past bij uw plan" in main
    assert "lang=" not in main


def test_the_scheme_page_in_english_shows_the_english_texts(client, site):
    texts = SCHEME_TEXTS_EN["duurzaam"]
    main = _main(_english(client).get("/duurzaam/"))
    for field in ("purpose_en", "for_whom_en", "not_for_en"):
        assert texts[field] in main
    scheme = Scheme.objects.get(slug="duurzaam")
    assert scheme.purpose not in main
    # The round's name and the randvoorwaarden are Dutch texts from the database.
    round_name = scheme.open_round().name
    assert f'<span lang="nl">{round_name}</span>' in main
    assert re.search(r'class="portal-checklist__text"><span lang="nl">', main)


def test_the_scheme_page_marks_a_dutch_text_without_english(client, site):
    scheme = _clear("duurzaam", "purpose", "not_for")
    main = _main(_english(client).get("/duurzaam/"))
    assert (
        f'<p class="utrecht-paragraph"><span lang="nl">{scheme.purpose}</span></p>'
        in (main)
    )
    assert "Not for" in main
    assert f'<span lang="nl">{scheme.not_for}</span>' in main
    assert SCHEME_TEXTS_EN["duurzaam"]["for_whom_en"] in main


def test_the_scheme_page_in_dutch_marks_nothing(client, site):
    scheme = Scheme.objects.get(slug="duurzaam")
    main = _main(client.get("/duurzaam/"))
    assert scheme.purpose in main and scheme.for_whom in main
    assert "lang=" not in main
    assert "This page is only available in Dutch." not in main


@pytest.fixture
def draft(client, site):
    user = UserFactory(role="Aanvrager", email="bewoner@example.nl")
    client.force_login(user)
    client.post(reverse("subsidies:start", args=["initiatievenfonds"]))
    return Application.objects.get(created_by=user)


def _step(client, application, step):
    return client.get(reverse("subsidies:step", args=[application.reference, step]))


def test_a_form_step_in_english_names_the_scheme_in_english(client, draft):
    response = _step(_english(client), draft, "impact")
    html = response.content.decode()
    name = SCHEME_TEXTS_EN["initiatievenfonds"]["name_en"]
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert f"step 3 of 6 - {name} - " in title
    main = _main(response)
    assert f"{name} - application {draft.reference}" in main
    assert f"Questions for {name}</h2>" in main
    # The scheme's own questions are Dutch: each is marked.
    assert '<div lang="nl">' in main
    assert (
        "Draait uw initiatief helemaal op vrijwilligers?"
        in main.split('<div lang="nl">', 1)[1]
    )


def test_a_form_step_without_an_english_name_marks_the_dutch_name(client, draft):
    _clear("initiatievenfonds", "name")
    response = _step(_english(client), draft, "impact")
    html = response.content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "<span" not in title and " - Initiatievenfonds - " in title
    main = _main(response)
    assert (
        f'<span lang="nl">Initiatievenfonds</span> - application {draft.reference}'
        in main
    )
    assert 'Questions for <span lang="nl">Initiatievenfonds</span>' in main


def test_a_form_step_in_dutch_marks_nothing(client, draft):
    main = _main(_step(client, draft, "impact"))
    assert f"Initiatievenfonds - aanvraag {draft.reference}" in main
    assert "lang=" not in main


def test_my_applications_and_the_status_page_in_english(client, draft):
    _english(client)
    name = SCHEME_TEXTS_EN["initiatievenfonds"]["name_en"]
    mine = _main(client.get(reverse("subsidies:my_applications")))
    assert f"<dd>{name}</dd>" in mine
    _clear("initiatievenfonds", "name")
    detail = _main(client.get(reverse("subsidies:detail", args=[draft.reference])))
    assert '<dd><span lang="nl">Initiatievenfonds</span></dd>' in detail


def test_the_receipt_mail_gets_the_bare_name(site):
    """The mail is plain text: the English name, or without one the Dutch name, but
    never markup."""
    scheme = Scheme.objects.get(slug="initiatievenfonds")
    application = ApplicationFactory(round=scheme.open_round(), submitted=True)
    context = {"application": application, "site_url": "https://example.org"}
    with translation.override("en"):
        body = render_to_string("subsidies/emails/receipt.txt", context)
    assert f"application to {scheme.name_en} on" in body
    _clear("initiatievenfonds", "name")
    application.round.scheme.refresh_from_db()
    with translation.override("en"):
        body = render_to_string("subsidies/emails/receipt.txt", context)
    assert "application to Initiatievenfonds on" in body
    assert "<span" not in body and "lang=" not in body
    with translation.override("nl"):
        body = render_to_string("subsidies/emails/receipt.txt", context)
    assert "aanvraag bij Initiatievenfonds ontvangen" in body


def test_the_beheerder_writes_the_english_texts_in_the_admin(client, site):
    """The scheme's edit screen groups the English texts with a help text; what is
    saved there is in the database and on the English scheme page."""
    scheme = Scheme.objects.get(slug="flexbudget")
    client.force_login(UserFactory(role=ADMINISTRATOR))
    url = f"/admin/scheme/edit/{scheme.pk}/"
    page = client.get(url).content.decode()
    assert "Engelse teksten (voor bewoners die Engels kiezen)" in page
    assert "Laat u een veld leeg? Dan zien zij de Nederlandse tekst." in page
    new = client.get("/admin/scheme/new/")
    assert new.status_code == 200
    assert "Engelse teksten (voor bewoners die Engels kiezen)" in new.content.decode()
    data = with_values(
        form_data(page),
        name_en="Flexbudget (money for residents' own work)",
        purpose_en="Money for residents who do work in their district.",
        for_whom_en="",
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    scheme.refresh_from_db()
    assert scheme.name_en == "Flexbudget (money for residents' own work)"
    assert scheme.purpose_en == "Money for residents who do work in their district."
    assert scheme.for_whom_en == ""
    # Amounts are still typed and stored the euro way.
    assert scheme.max_amount_cents == 500_000
    client.logout()
    main = _main(_english(client).get("/flexbudget/"))
    assert "Money for residents who do work in their district." in main
    assert f'<span lang="nl">{scheme.for_whom}</span>' in main


def test_the_copy_page_names_the_scheme_in_english_the_text_copy_in_dutch(client, site):
    """The copy to keep on screen follows the resident's language; the downloads are
    Dutch (the language of the file) and never carry markup."""
    scheme = Scheme.objects.get(slug="initiatievenfonds")
    application = ApplicationFactory(round=scheme.open_round(), submitted=True)
    client.force_login(application.applicant_user)
    _english(client)
    copy = reverse("subsidies:copy", args=[application.reference])
    assert (
        f'<dd class="utrecht-data-list__item-value portal-data-list__value">{scheme.name_en}</dd>'
        in _main(client.get(copy))
    )
    _clear("initiatievenfonds", "name")
    assert '<span lang="nl">Initiatievenfonds</span></dd>' in _main(client.get(copy))
    text = client.get(reverse("subsidies:copy_text", args=[application.reference]))
    body = b"".join(text.streaming_content) if text.streaming else text.content
    assert "Initiatievenfonds" in body.decode() and "<span" not in body.decode()


def test_the_review_step_marks_the_schemes_own_questions_dutch(client, draft):
    """The review step lists the scheme's own questions (Dutch, from the database):
    in English each label is marked lang="nl"; in Dutch nothing is."""
    question = draft.question_set.questions[0]["label"]
    english = _main(_step(_english(client), draft, "controle"))
    assert f'<span lang="nl">{escape(question)}</span>' in english
    client.cookies.pop(django_settings.LANGUAGE_COOKIE_NAME)
    dutch_page = _main(_step(client, draft, "controle"))
    assert escape(question) in dutch_page and "lang=" not in dutch_page


def test_a_dutch_choice_answer_is_marked_on_an_english_copy():
    """A choice answer is the scheme's own Dutch label: on an English page it is
    marked lang="nl" like its question; a typed answer is not marked."""
    with translation.override("en"):
        html = render_to_string(
            "subsidies/includes/submission_copy.html",
            {
                "sections": [
                    Section(
                        step="impact",
                        title="Impact",
                        rows=(
                            (dutch("Doelgroep?"), dutch("Ouderen, Jongeren")),
                            ("Number of volunteers", "4"),
                        ),
                    )
                ]
            },
        )
    assert '<span lang="nl">Ouderen, Jongeren</span>' in html
    assert '<span lang="nl">Doelgroep?</span>' in html
    assert '<span lang="nl">4</span>' not in html
