"""The public pages of the seeded demo: home, one page per scheme, help and FAQ.

Idempotent: pages are found by slug before they are made. Texts are our own plain
Dutch (B1), grounded in the domain brief and the law notes.
"""

from wagtail.models import Page, Site

from subsidies.models import Scheme

from .models import ContentPage, HomePage, SchemePage

HOME_INTRO = (
    "<p>Heeft u een goed idee voor uw buurt? Wilt u iets organiseren voor en met andere "
    "bewoners? Dan kunt u bij de gemeente Utrecht geld aanvragen. Op deze site leest u welke "
    "regeling bij uw plan past en vraagt u het geld online aan.</p>"
)

SCHEME_INTROS = {
    "initiatievenfonds": "Voor bewoners met een plan voor hun buurt. U kunt tot € 20.000 per jaar aanvragen.",
    "duurzaam": "Voor initiatieven die zich al hebben bewezen en langer steun nodig hebben.",
    "flexbudget": "Voor bewoners die werk van de sociaal makelaar zelf willen doen, of iets nieuws met partners.",
}

HELP_BODY = [
    ("heading", "Hulp bij uw aanvraag"),
    (
        "paragraph",
        "<p>Komt u er niet uit? Het wijkbureau in uw wijk helpt u graag. Bel 14 030 en vraag "
        "naar het wijkbureau. De sociaal makelaar in uw buurt kan ook met u meedenken over uw plan "
        "en over de aanvraag.</p>",
    ),
]

FAQ_BODY = [
    (
        "faq",
        {
            "question": "Wanneer hoor ik of ik geld krijg?",
            "answer": "<p>Dat hangt af van de regeling. Op de pagina van de regeling staat hoeveel weken "
            "wij de tijd hebben. Vragen wij u om iets aan te vullen? Dan telt de tijd tot uw "
            "antwoord niet mee.</p>",
        },
    ),
    (
        "faq",
        {
            "question": "Mag ik al beginnen met mijn activiteit?",
            "answer": "<p>Nee. U vraagt het geld aan vóórdat de activiteit begint. Voor een activiteit die "
            "al is begonnen, kunt u geen subsidie meer krijgen.</p>",
        },
    ),
    (
        "faq",
        {
            "question": "Kan ik mijn aanvraag later afmaken?",
            "answer": "<p>Ja. Elke stap wordt bewaard. Log later opnieuw in en u gaat verder waar u was, "
            "ook op een andere computer of telefoon.</p>",
        },
    ),
]


def seed_pages():
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        # The site's root page has no slug in any URL; Wagtail's own welcome page goes.
        home = HomePage(
            title="Geld voor uw initiatief in de buurt",
            slug="initiatiefloket",
            intro=HOME_INTRO,
        )
        root.add_child(instance=home)
        home.save_revision().publish()
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
    for scheme in Scheme.objects.all():
        if SchemePage.objects.filter(scheme=scheme).exists():
            continue
        page = SchemePage(
            title=scheme.name,
            slug=scheme.slug,
            scheme=scheme,
            intro=SCHEME_INTROS.get(scheme.slug, ""),
        )
        home.add_child(instance=page)
        page.save_revision().publish()
    for slug, title, body in (
        ("hulp", "Hulp nodig?", HELP_BODY),
        ("veelgestelde-vragen", "Veelgestelde vragen", FAQ_BODY),
    ):
        if ContentPage.objects.filter(slug=slug).exists():
            continue
        page = ContentPage(title=title, slug=slug, body=body)
        home.add_child(instance=page)
        page.save_revision().publish()
    return home
