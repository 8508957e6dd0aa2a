"""Reference data for the seeded demo and a fresh installation.

The facts come from ../shared/docs/domain-brief.md (wijken §4.1 and §4.7, schemes §1,
randvoorwaarden §2, choice lists §5) and the law notes (§2.2, Utrecht's
initiatievenfonds). The texts are our own, in plain Dutch (B1). Amounts are in cents.
"""

from decimal import Decimal

# (code, name, fair-share weight in %, aandachtswijk). Weights: domain brief §4.7, from the
# 2013 buurtteam fte midpoints; Noordoost + Oost (15.4 %) split equally. Zuidwest is an
# aandachtswijk through Kanaleneiland.
WIJKEN = [
    ("binnenstad", "Binnenstad", Decimal("4.20"), False),
    ("oost", "Oost", Decimal("7.70"), False),
    ("noordoost", "Noordoost", Decimal("7.70"), False),
    ("noordwest", "Noordwest", Decimal("15.10"), True),
    ("overvecht", "Overvecht", Decimal("23.80"), True),
    ("west", "West", Decimal("5.80"), False),
    ("zuidwest", "Zuidwest", Decimal("15.80"), True),
    ("zuid", "Zuid", Decimal("7.10"), False),
    ("leidsche-rijn", "Leidsche Rijn", Decimal("5.10"), True),
    ("vleuten-de-meern", "Vleuten-De Meern", Decimal("7.60"), False),
]

BUURTEN = {
    "binnenstad": ["Binnenstad-centrum", "Lange Elisabethstraat e.o."],
    "oost": ["Oudwijk", "Watervogelbuurt"],
    "noordoost": ["Voordorp", "Tuindorp"],
    "noordwest": ["Zuilen", "Ondiep", "Pijlsweerd"],
    "overvecht": ["Overvecht-Noord", "Overvecht-Zuid", "De Gagel", "Tigrisdreef e.o."],
    "west": ["Lombok", "Oog in Al"],
    "zuidwest": ["Kanaleneiland", "Transwijk", "Rivierenwijk", "Dichterswijk"],
    "zuid": ["Hoograven", "Tolsteeg", "Lunetten"],
    "leidsche-rijn": ["Terwijde", "Parkwijk"],
    "vleuten-de-meern": ["Vleuterweide", "De Meern"],
}

TARGET_GROUPS = [
    ("kwetsbare-bewoners", "Bewoners voor wie meedoen niet vanzelf gaat"),
    ("ouderen", "Ouderen"),
    ("psychische-kwetsbaarheid", "Mensen met psychische problemen"),
    ("lvb", "Mensen met een licht verstandelijke beperking"),
    ("nah", "Mensen met niet-aangeboren hersenletsel"),
    ("beperking", "Mensen met een lichamelijke beperking"),
    ("migranten", "Mensen met verschillende culturele achtergronden"),
    ("mantelzorgers", "Mantelzorgers"),
    ("kinderen", "Kinderen en ouders"),
    ("jongeren", "Jongeren"),
    ("eenzamen", "Mensen die eenzaam zijn"),
    ("armoede", "Mensen met schulden of weinig geld"),
    ("laaggeletterden", "Mensen die moeite hebben met lezen, schrijven of digitaal"),
    ("nieuwe-bewoners", "Nieuwe bewoners"),
]

THEMES = [
    ("ontmoeting", "Ontmoeting en verbinding"),
    ("eenzaamheid", "Eenzaamheid"),
    ("buurtnetwerk", "Buurtnetwerk en burenhulp"),
    ("informatie", "Informatie in de wijk"),
    ("vrijwillige-inzet", "Vrijwillige inzet"),
    ("mantelzorg", "Mantelzorg en respijt"),
    ("meedoen", "Meedoen en activering"),
    ("digitaal", "Taal en digitale vaardigheden"),
    ("sport", "Sport en bewegen"),
    ("cultuur", "Cultuur"),
    ("opgroeien", "Opvoeden en opgroeien"),
    ("gezondheid", "Gezondheid"),
    ("samen-eten", "Samen eten"),
    ("groen", "Groen en natuur in de buurt"),
]

LEGAL_BASIS = (
    "Algemene wet bestuursrecht, titel 4.2 (subsidies); Algemene Subsidieverordening gemeente "
    "Utrecht (ASV); de nadere regel van de regeling."
)

SCHEMES = [
    {
        "slug": "initiatievenfonds",
        "name": "Initiatievenfonds",
        "reference_prefix": "IF",
        "purpose": (
            "Geld voor activiteiten die bewoners zelf bedenken en uitvoeren voor hun buurt of "
            "voor de stad. Bijvoorbeeld een buurtmaaltijd, een straatfeest of een taalcafé."
        ),
        "for_whom": (
            "Bewoners en groepen bewoners in Utrecht, met of zonder stichting of vereniging. Uw "
            "activiteit is voor de buurt en niet voor uzelf. U doet zelf ook iets: tijd, geld of "
            "materiaal."
        ),
        "not_for": (
            "Activiteiten die al zijn begonnen. Initiatieven met betaalde krachten die al drie jaar "
            "geld uit het fonds kregen. Fietsenrekken."
        ),
        "legal_basis": LEGAL_BASIS,
        "min_amount_cents": 0,
        "max_amount_cents": 2_000_000,
        "allocation_mode": "receipt",
        "decision_weeks": 4,
        "extension_weeks": 4,
        "supplement_days": 14,
        "assessors_required": 1,
        "letter_obligations": (
            "U voert de activiteit uit zoals in uw aanvraag staat. Verandert er iets belangrijks, "
            "of gaat de activiteit niet door? Meld dat dan zo snel mogelijk bij het wijkbureau. "
            "U regelt zelf de vergunningen die nodig zijn. Bewaar de bonnen en rekeningen vijf jaar."
        ),
        "letter_accountability": (
            "Is de subsidie niet hoger dan € 5.000? Dan stellen wij de subsidie direct vast. U hoeft "
            "dan alleen aan te tonen dat de activiteit is doorgegaan, als wij daarom vragen. Is de "
            "subsidie hoger? Stuur dan binnen 13 weken na afloop een kort verslag met foto's en een "
            "overzicht van inkomsten en uitgaven."
        ),
        "letter_payment": (
            "Wij betalen het bedrag binnen 10 werkdagen na dit besluit op het rekeningnummer dat u "
            "heeft opgegeven."
        ),
        "questions": [
            {
                "key": "volledig_vrijwillig",
                "label": "Draait uw initiatief helemaal op vrijwilligers?",
                "kind": "yesno",
                "required": True,
                "help": "",
            },
            {
                "key": "jaren_gefinancierd",
                "label": "In hoeveel eerdere jaren kreeg dit initiatief geld uit het Initiatievenfonds?",
                "kind": "number",
                "required": True,
                "help": "Vul 0 in als dit de eerste keer is.",
            },
            {
                "key": "draagvlak",
                "label": "Hoe weet u dat de buurt dit wil?",
                "kind": "textarea",
                "required": True,
                "help": "Bijvoorbeeld een handtekeningenlijst of gesprekken met buren.",
            },
            {
                "key": "toegankelijk",
                "label": "Is uw activiteit toegankelijk voor mensen met een beperking?",
                "kind": "yesno",
                "required": True,
                "help": "",
            },
        ],
    },
    {
        "slug": "duurzaam",
        "name": "Budget duurzaam bewonersinitiatief Wmo",
        "reference_prefix": "DB",
        "purpose": (
            "Steun voor langere tijd aan bewonersinitiatieven die zich al hebben bewezen. Het geld is "
            "voor buurtnetwerken en voor informatie door en voor bewoners in de buurt."
        ),
        "for_whom": (
            "Initiatieven die al een aantal jaren bestaan en niet meer bij het Initiatievenfonds of "
            "een andere gemeentelijke regeling terecht kunnen. Vaak werken er vrijwilligers en een "
            "paar betaalde krachten samen."
        ),
        "not_for": (
            "Nieuwe initiatieven: die kunnen naar het Initiatievenfonds. Initiatieven die nog geld "
            "kunnen krijgen uit een andere gemeentelijke regeling. Het bedrag hangt niet af van het "
            "aantal uren dat u werkt."
        ),
        "legal_basis": LEGAL_BASIS,
        "min_amount_cents": 0,
        "max_amount_cents": 3_000_000,
        "allocation_mode": "ranking",
        "decision_weeks": 8,
        "extension_weeks": 4,
        "supplement_days": 14,
        "assessors_required": 2,
        "letter_obligations": (
            "U voert de activiteiten uit zoals in uw aanvraag en begroting staat. U werkt samen met de "
            "sociaal makelaar en andere partners in de wijk. U meldt grote wijzigingen vooraf. U "
            "vraagt voor dezelfde kosten geen andere subsidie aan. Bewaar uw administratie zeven jaar."
        ),
        "letter_accountability": (
            "Na afloop vraagt u de vaststelling van de subsidie aan, uiterlijk 13 weken na het einde van "
            "de subsidieperiode. U stuurt een inhoudelijk verslag (wat heeft u gedaan, wie heeft u "
            "bereikt, wat heeft het opgeleverd) en een financieel verslag mee."
        ),
        "letter_payment": (
            "U krijgt 80% van het bedrag als voorschot, in vier gelijke delen per kwartaal. De rest "
            "betalen wij na de vaststelling."
        ),
        "questions": [
            {
                "key": "jaren_actief",
                "label": "Hoeveel jaar bestaat uw initiatief?",
                "kind": "number",
                "required": True,
                "help": "",
            },
            {
                "key": "wmo_doelen",
                "label": "Aan welk doel draagt uw initiatief bij?",
                "kind": "multichoice",
                "required": True,
                "help": "",
                "choices": [
                    ["prettig_samenleven", "Prettig samenleven in de buurt"],
                    [
                        "meedoen_kwetsbaren",
                        "Meedoen van mensen in een kwetsbare situatie",
                    ],
                ],
            },
            {
                "key": "kernactiviteit",
                "label": "Wat doet uw initiatief vooral?",
                "kind": "multichoice",
                "required": True,
                "help": "Kies minstens één.",
                "choices": [
                    ["bewonersbuurtnetwerk", "Een buurtnetwerk van bewoners"],
                    [
                        "bewonersinformatievoorziening",
                        "Informatie voor bewoners in de buurt",
                    ],
                ],
            },
            {
                "key": "betaalde_inzet",
                "label": "Werken er (ook) betaalde krachten in uw initiatief?",
                "kind": "yesno",
                "required": True,
                "help": "",
            },
            {
                "key": "andere_financiering_mogelijk",
                "label": "Kunt u nog geld krijgen uit het Initiatievenfonds of een andere gemeentelijke regeling?",
                "kind": "yesno",
                "required": True,
                "help": "",
            },
        ],
    },
    {
        "slug": "flexbudget",
        "name": "Flexbudget sociaal makelaarschap",
        "reference_prefix": "SF",
        "purpose": (
            "Geld voor bewoners die een deel van het werk van de sociaal makelaar zelf willen doen, en "
            "voor nieuwe activiteiten die bewoners samen met partners opzetten."
        ),
        "for_whom": (
            "Bewonersinitiatieven in een wijk. Samen met bewoners kiest de gemeente elk jaar waar het "
            "geld het meeste nodig is, op basis van de wijkanalyse."
        ),
        "not_for": "Zorg of behandeling: dat is het werk van het buurtteam en van zorgaanbieders.",
        "legal_basis": LEGAL_BASIS,
        "min_amount_cents": 0,
        "max_amount_cents": 500_000,
        "allocation_mode": "ranking",
        "decision_weeks": 6,
        "extension_weeks": 4,
        "supplement_days": 10,
        "assessors_required": 2,
        "letter_obligations": (
            "U voert de activiteit uit zoals beschreven, in overleg met de sociaal makelaar van uw wijk. "
            "U doet geen zorg- of behandeltaken. U meldt wijzigingen vooraf."
        ),
        "letter_accountability": (
            "Wij stellen de subsidie direct vast. Na afloop vertelt u in een gesprek met de sociaal "
            "makelaar wat de activiteit heeft opgeleverd."
        ),
        "letter_payment": "Wij betalen het hele bedrag binnen 10 werkdagen na dit besluit.",
        "questions": [
            {
                "key": "spoor",
                "label": "Wat wilt u doen?",
                "kind": "choice",
                "required": True,
                "help": "",
                "choices": [
                    [
                        "A",
                        "Een deel van het werk van de sociaal makelaar zelf uitvoeren",
                    ],
                    ["B", "Een nieuwe activiteit samen met partners"],
                ],
            },
            {
                "key": "sm_taken",
                "label": "Welke taken van de sociaal makelaar neemt u over?",
                "kind": "multichoice",
                "required": False,
                "help": "Alleen als u hierboven de eerste keuze maakte.",
                "choices": [
                    ["ondersteunen", "Bewonersinitiatieven helpen"],
                    ["verbinden", "Mensen en partijen verbinden"],
                    ["informeren", "Bewoners wegwijs maken"],
                    ["sociaal_beheer", "Sociaal beheer van een buurtcentrum"],
                ],
            },
            {
                "key": "geen_zorgtaken",
                "label": "Ik verklaar dat wij geen zorg- of behandeltaken uitvoeren.",
                "kind": "yesno",
                "required": True,
                "help": "",
            },
            {
                "key": "wijkprioriteit",
                "label": "Bij welke prioriteit uit de wijkanalyse past uw activiteit?",
                "kind": "textarea",
                "required": True,
                "help": "",
            },
        ],
    },
]

# Per scheme: (open round ceiling, closed round ceiling), in cents.
ROUND_CEILINGS = {
    "initiatievenfonds": (420_000_000, 420_000_000),
    "duurzaam": (45_500_000, 45_500_000),
    "flexbudget": (32_000_000, 30_000_000),
}
