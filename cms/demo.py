"""The public pages of the seeded demo: home, one page per scheme, help, FAQ and more.

Idempotent: pages are found by slug (scheme pages by their scheme) before they are
made, and an existing page is only filled where it is still empty, so editors' changes
stay. Texts are our own plain Dutch (B1), written from the domain brief and the law
notes. The randvoorwaarden on a scheme page are not seeded here: the page reads the
scheme's ``beoordeling.PreconditionRule`` rows when it is shown.
"""

from wagtail.models import Locale, Page, Site

from subsidies.models import Scheme

from . import demo_en
from .models import ContentPage, HomePage, SchemePage

HOME_TITLE = "Geld voor uw plan in de buurt"
HOME_INTRO = (
    "<p>Heeft u een goed idee voor uw buurt? Wilt u iets organiseren met en voor andere "
    "bewoners? Dan kan de gemeente Utrecht u helpen met geld. Hier leest u welke "
    "regeling bij uw plan past en vraagt u het geld online aan.</p>"
)
HOME_BODY = [
    (
        "steps",
        {
            "title": "Zo vraagt u geld aan",
            "steps": [
                {
                    "title": "Doe de snelle check",
                    "text": "Beantwoord een paar vragen met ja of nee. Dan ziet u welke "
                    "regeling bij uw plan past. Dit duurt ongeveer 2 minuten.",
                },
                {
                    "title": "Log in met uw e-mailadres",
                    "text": "U krijgt een link in uw mail. Een wachtwoord is niet nodig.",
                },
                {
                    "title": "Vul de aanvraag in",
                    "text": "Dit duurt ongeveer een half uur. Wij bewaren alles, dus u "
                    "kunt stoppen en later verder gaan.",
                },
                {
                    "title": "Wij nemen een besluit",
                    "text": "U ziet in 'Mijn aanvragen' hoe het met uw aanvraag staat en "
                    "wanneer u uiterlijk een besluit krijgt.",
                },
            ],
        },
    ),
    (
        "callout",
        {
            "title": "Vraag het geld op tijd aan",
            "text": "<p>Vraag het geld aan voordat uw activiteit begint. Wij hebben een "
            "paar weken nodig om te beslissen. Voor een activiteit die al begonnen is, "
            "kunt u geen geld meer krijgen.</p>",
        },
    ),
    ("button", {"text": "Doe de snelle check", "page": None, "url": "/aanvragen/"}),
]

SCHEME_INTROS = {
    "initiatievenfonds": (
        "Voor bewoners met een plan voor hun buurt of voor de stad. Bijvoorbeeld een "
        "buurtmaaltijd, een straatfeest of een taalcafé."
    ),
    "duurzaam": (
        "Voor initiatieven die al jaren bestaan en langer steun nodig hebben. Het geld "
        "is voor buurtnetwerken en voor informatie door bewoners."
    ),
    "flexbudget": (
        "Voor bewoners die zelf werk van de sociaal makelaar willen doen. Of die met "
        "partners in de wijk iets nieuws willen beginnen."
    ),
}


SCHEME_BODIES = {
    "initiatievenfonds": [
        ("heading", "Waar kunt u geld voor krijgen?"),
        (
            "paragraph",
            "<p>Voor de kosten van uw activiteit. Bijvoorbeeld materiaal, de huur van "
            "een ruimte, eten en drinken, of flyers. Spullen die u koopt, moeten passen "
            "bij de totale kosten. Fietsenrekken betaalt het fonds niet.</p>",
        ),
        (
            "callout",
            {
                "title": "Twijfelt u of uw plan past?",
                "text": "<p>Bel het wijkbureau of vraag de sociaal makelaar in uw "
                "buurt. Zij denken graag met u mee, ook voordat u de aanvraag "
                "invult.</p>",
            },
        ),
    ],
    "duurzaam": [
        ("heading", "Wat betekent 'langer steun'?"),
        (
            "paragraph",
            "<p>Veel initiatieven beginnen met geld uit het Initiatievenfonds. Werken er "
            "na een paar jaar vrijwilligers en betaalde krachten samen, en wil het "
            "initiatief doorgaan? Dan is dit budget er om dat mogelijk te maken.</p>",
        ),
    ],
    "flexbudget": [
        ("heading", "Samen met de wijk"),
        (
            "paragraph",
            "<p>Elk jaar kijkt de gemeente samen met bewoners waar het geld in de wijk "
            "het meest nodig is. Daarbij gebruiken we de wijkanalyse. Uw plan maakt de "
            "meeste kans als het daarbij past.</p>",
        ),
    ],
}

HELP_BODY = [
    (
        "paragraph",
        "<p>Een aanvraag invullen is niet voor iedereen makkelijk. Dat is niet erg: u "
        "hoeft het niet alleen te doen.</p>",
    ),
    ("heading", "Het wijkbureau"),
    (
        "paragraph",
        "<p>Elke wijk heeft een wijkbureau. De mensen daar kennen de buurt en de "
        "initiatieven. Zij helpen u met uw aanvraag en vertellen welke regeling past. "
        "Bel 14 030 en vraag naar het wijkbureau van uw wijk.</p>",
    ),
    ("heading", "De sociaal makelaar"),
    (
        "paragraph",
        "<p>De sociaal makelaar werkt in uw buurt. Hij of zij helpt bewoners om plannen "
        "uit te voeren en brengt u in contact met anderen. Dat is gratis.</p>",
    ),
    ("heading", "Liever niet online?"),
    (
        "paragraph",
        "<p>U kunt de aanvraag ook samen met het wijkbureau invullen, of op papier "
        "sturen. Bel ons, dan regelen we dat.</p>",
    ),
]

FAQ_BODY = [
    (
        "faq",
        {
            "question": "Wie kan geld aanvragen?",
            "answer": "<p>Bewoners, groepen bewoners, en stichtingen of verenigingen. "
            "U hoeft geen stichting te zijn. Een groep bewoners kan ook een organisatie "
            "vragen om het geld voor hen te beheren: een penvoerder.</p>",
        },
    ),
    (
        "faq",
        {
            "question": "Mag ik al beginnen met mijn activiteit?",
            "answer": "<p>Nee. U vraagt het geld aan voordat de activiteit begint. Voor "
            "een activiteit die al begonnen is, kunt u geen geld meer krijgen.</p>",
        },
    ),
    (
        "faq",
        {
            "question": "Hoe log ik in?",
            "answer": "<p>Vraagt u geld aan als bewoner? Log dan in met DigiD. Vraagt u "
            "geld aan voor een stichting of vereniging? Log dan in met eHerkenning. Op de "
            "pagina Inloggen ziet u welke manieren er zijn.</p><p>Kunt u daar inloggen "
            "met uw e-mailadres? Dan sturen wij u een link. Klik op de link en u bent "
            "ingelogd. De link werkt 15 minuten en één keer. U heeft geen wachtwoord "
            "nodig.</p>",
        },
    ),
    (
        "faq",
        {
            "question": "Kan ik mijn aanvraag later afmaken?",
            "answer": "<p>Ja. Wij bewaren elke stap. Log later opnieuw in en u gaat "
            "verder waar u was, ook op een andere computer of telefoon.</p>",
        },
    ),
    (
        "faq",
        {
            "question": "Wanneer hoor ik of ik geld krijg?",
            "answer": "<p>Op de pagina van elke regeling staat hoeveel weken wij de tijd "
            "hebben. In 'Mijn aanvragen' ziet u de uiterste datum. Vragen wij u om iets "
            "aan te vullen? Dan telt de tijd tot uw antwoord niet mee.</p>",
        },
    ),
    (
        "faq",
        {
            "question": "Hoe bepaalt de gemeente hoeveel geld ik krijg?",
            "answer": "<p>Wij kijken wat uw initiatief oplevert voor de buurt: de "
            "impact. Hoe groter de impact, hoe meer van het gevraagde bedrag u krijgt. "
            "Het aantal uren dat u werkt, telt niet.</p>",
        },
    ),
    (
        "faq",
        {
            "question": "Wat als er niet genoeg geld is voor iedereen?",
            "answer": "<p>Elke ronde heeft een maximum: het subsidieplafond. Op de "
            "pagina van de regeling staat hoe wij het geld dan verdelen. Elke wijk "
            "krijgt een deel dat gegarandeerd is, zodat het geld niet allemaal naar één "
            "deel van de stad gaat.</p>",
        },
    ),
    (
        "faq",
        {
            "question": "Kan ik mijn aanvraag intrekken?",
            "answer": "<p>Ja, zolang er nog geen besluit is. Ga naar 'Mijn aanvragen', "
            "open de aanvraag en kies 'Aanvraag intrekken'.</p>",
        },
    ),
    (
        "faq",
        {
            "question": "Ik ben het niet eens met het besluit. Wat kan ik doen?",
            "answer": "<p>U kunt bezwaar maken binnen 6 weken na de datum waarop wij "
            "het besluit verstuurden. In het besluit staat hoe dat gaat. Bel ons gerust "
            "eerst: vaak lossen we het samen op.</p>",
        },
    ),
]

ACCESSIBILITY_BODY = [
    (
        "paragraph",
        "<p>Iedereen moet deze website kunnen gebruiken, ook mensen met een beperking. "
        "Daarom volgen wij de eisen van de overheid (WCAG 2.2, niveau AA). En wij "
        "gebruiken het NL Design System.</p>",
    ),
    ("heading", "Wat wij doen"),
    (
        "paragraph",
        "<ul><li>U kunt alles met het toetsenbord bedienen.</li><li>Foutmeldingen staan "
        "boven het formulier en bij het veld, en zeggen wat u kunt doen.</li><li>Wat u "
        "invult, raakt u niet kwijt.</li><li>Bij elke nieuwe versie controleren wij de "
        "pagina's automatisch met axe.</li></ul>",
    ),
    ("heading", "Werkt iets niet?"),
    (
        "paragraph",
        "<p>Laat het ons weten. Bel 14 030. Wij zoeken dan samen met u een oplossing en "
        "passen de site aan.</p>",
    ),
]

PRIVACY_BODY = [
    (
        "paragraph",
        "<p>Voor uw aanvraag hebben wij gegevens van u nodig. Wij vragen niet meer dan "
        "nodig is.</p>",
    ),
    ("heading", "Welke gegevens?"),
    (
        "paragraph",
        "<p>Uw naam, e-mailadres en adres. De gegevens van uw organisatie of groep. Het "
        "rekeningnummer waarop wij betalen. En wat u over uw plan vertelt.</p>",
    ),
    ("heading", "Waarvoor?"),
    (
        "paragraph",
        "<p>Alleen om uw aanvraag te behandelen, het geld te betalen en te controleren "
        "of het goed is besteed. Wij publiceren nooit de namen van bewoners. Van "
        "organisaties maken wij wel bekend hoeveel subsidie zij kregen.</p>",
    ),
    ("heading", "Inloggen met DigiD"),
    (
        "paragraph",
        "<p>Logt u in met DigiD? Dan geeft DigiD ons uw burgerservicenummer (BSN). Wij "
        "bewaren uw BSN niet. Wij maken er met een geheime sleutel een code van, en "
        "alleen die code bewaren wij. Zo herkennen wij u als u opnieuw inlogt, ook op "
        "een andere computer of telefoon. Uit de code is uw BSN niet terug te halen."
        "</p><p>Uw BSN staat nooit op het scherm of in een brief. Ook niet in een "
        "e-mail, een overzicht of de open data. Het komt ook niet in onze logbestanden.</p>",
    ),
    ("heading", "Inloggen met eHerkenning"),
    (
        "paragraph",
        "<p>Logt u in voor een stichting of vereniging met eHerkenning? Dan bewaren wij "
        "het KVK-nummer van uw organisatie. Stuurt eHerkenning het nummer van uw "
        "vestiging mee? Dan bewaren wij dat ook. Zo weten wij zeker dat de aanvraag van die organisatie komt. "
        "Uw collega's die met eHerkenning voor dezelfde organisatie inloggen, zien de "
        "aanvragen van de organisatie ook.</p><p>Uw eigen naam krijgen wij niet van "
        "eHerkenning. Wij krijgen een code voor u, en ook daarvan bewaren wij alleen "
        "een code die wij er zelf van maken.</p>",
    ),
    ("heading", "Wat wij nog meer bewaren als u inlogt"),
    (
        "paragraph",
        "<p>Hoe sterk u inlogde (bijvoorbeeld DigiD Midden of eHerkenning EH3). En "
        "wanneer u de eerste en de laatste keer inlogde.</p><p>Doet u 15 "
        "minuten niets op de website? Dan loggen wij u uit. Even daarvoor ziet u een "
        "melding. Logt u zelf uit, dan logt u ook uit bij DigiD of eHerkenning.</p>",
    ),
    ("heading", "Hoe lang?"),
    (
        "paragraph",
        "<p>Wij bewaren uw aanvraag zo lang als de wet zegt. Dat is meestal zeven jaar "
        "na het laatste besluit.</p><p>De code waarmee wij u herkennen, het "
        "KVK-nummer en de datums van inloggen horen bij uw account. Wij bewaren ze "
        "zolang uw account bestaat. Verwijderen wij uw account, dan verwijderen wij "
        "ze ook.</p>",
    ),
    ("heading", "Uw rechten"),
    (
        "paragraph",
        "<p>U mag altijd vragen welke gegevens wij van u hebben. Klopt er iets niet? "
        "Dan mag u vragen om het te verbeteren. Hebben wij uw gegevens niet meer "
        "nodig? Dan mag u vragen om ze te verwijderen. Bel hiervoor 14 030.</p><p>Bent "
        "u het niet eens met hoe wij met uw gegevens omgaan? Dan kunt u een klacht "
        "indienen bij de Autoriteit Persoonsgegevens.</p>",
    ),
]

CONTENT_PAGES = (
    (
        "hulp",
        "Hulp bij uw aanvraag",
        "Komt u er niet uit? Het wijkbureau en de sociaal makelaar helpen u graag.",
        HELP_BODY,
    ),
    (
        "veelgestelde-vragen",
        "Veelgestelde vragen",
        "Antwoorden op vragen die bewoners vaak stellen.",
        FAQ_BODY,
    ),
    (
        "toegankelijkheid",
        "Toegankelijkheid",
        "Deze website moet voor iedereen werken.",
        ACCESSIBILITY_BODY,
    ),
    (
        "privacy",
        "Privacy",
        "Wat wij met uw gegevens doen.",
        PRIVACY_BODY,
    ),
)


def _publish(page):
    page.save_revision().publish()


def _root():
    """The tree's root; made when a flushed test database lost it."""
    root = Page.get_first_root_node()
    if root is None:
        Locale.objects.get_or_create(language_code="nl")
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    return root


def _dutch():
    return Locale.objects.get_or_create(language_code="nl")[0]


def seed_pages():
    root = _root()
    nl = _dutch()
    home = HomePage.objects.filter(locale=nl).first()
    if home is None:
        # The site's root page has no slug in any URL; Wagtail's own welcome page goes.
        home = HomePage(
            title=HOME_TITLE, slug="initiatiefloket", intro=HOME_INTRO, body=HOME_BODY
        )
        root.add_child(instance=home)
        _publish(home)
        Site.objects.filter(is_default_site=True).exclude(root_page=home).delete()
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={
                "hostname": "localhost",
                "port": 80,
                "root_page": home,
                "site_name": "Initiatiefloket",
            },
        )
        for welcome in Page.objects.filter(depth=2).exclude(pk=home.pk):
            if welcome.specific_class is Page:
                welcome.delete()
    elif not home.body:
        home.body = HOME_BODY
        _publish(home)
    order = list(SCHEME_INTROS)
    schemes = sorted(
        Scheme.objects.all(),
        key=lambda s: (order.index(s.slug) if s.slug in order else len(order), s.name),
    )
    for scheme in schemes:
        page = SchemePage.objects.filter(scheme=scheme, locale=nl).first()
        if page is None:
            page = SchemePage(
                title=scheme.name,
                slug=scheme.slug,
                scheme=scheme,
                intro=SCHEME_INTROS.get(scheme.slug, scheme.purpose[:600]),
                body=SCHEME_BODIES.get(scheme.slug, []),
            )
            home.add_child(instance=page)
            _publish(page)
    for slug, title, intro, body in CONTENT_PAGES:
        page = ContentPage.objects.filter(slug=slug, locale=nl).first()
        if page is None:
            page = ContentPage(title=title, slug=slug, intro=intro, body=body)
            home.add_child(instance=page)
            _publish(page)
    return home


def _translate(page, locale, **fields):
    """The English translation of ``page``: made with Wagtail's own
    ``copy_for_translation`` when missing, filled with ``fields`` where still equal to
    the Dutch text (an editor's English stays), and published."""
    translation = page.get_translation_or_none(locale)
    if translation is None:
        translation = page.copy_for_translation(locale)
        # The copy of the site's root page sits next to it under the tree root, where
        # Wagtail adds "-en" to the slug; the slug is not part of any URL there.
    else:
        translation = translation.specific
    changed = translation.live is False
    for name, value in fields.items():
        field = page._meta.get_field(name)
        if field.value_to_string(translation) != field.value_to_string(page):
            continue  # already translated
        setattr(translation, name, value)
        changed = True
    if changed:
        _publish(translation)
    return translation


def seed_english(home=None):
    """The English home, scheme and content pages (Wagtail's own locales, issue 18).

    Run after ``seed_pages`` (it returns ``home``); idempotent like it."""
    if home is None:
        home = HomePage.objects.get(locale=_dutch())
    en, _created = Locale.objects.get_or_create(language_code="en")
    _translate(
        home,
        en,
        title=demo_en.HOME_TITLE,
        intro=demo_en.HOME_INTRO,
        body=demo_en.HOME_BODY,
    )
    for page in SchemePage.objects.child_of(home).select_related("scheme"):
        slug = page.scheme.slug
        _translate(
            page,
            en,
            title=demo_en.SCHEME_TITLES.get(slug, page.title),
            intro=demo_en.SCHEME_INTROS.get(slug, page.intro),
            body=demo_en.SCHEME_BODIES.get(slug, []),
        )
    for page in ContentPage.objects.child_of(home):
        if page.slug in demo_en.CONTENT_PAGES:
            title, intro, body = demo_en.CONTENT_PAGES[page.slug]
            _translate(page, en, title=title, intro=intro, body=body)
