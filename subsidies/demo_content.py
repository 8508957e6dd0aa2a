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

# The buurten of each wijk as the gemeente names them on its wijk pages (utrecht.nl, "De
# wijk ... bestaat uit de buurten ..."), a few merged where the gemeente's own name is a
# pair. Every name belongs to one wijk only; the buurt picklist shows "Buurt (Wijk)".
BUURTEN = {
    "binnenstad": [
        "Wijk C",
        "Breedstraat en Plompetorengracht",
        "Nieuwegracht-Oost",
        "Springweg en Geertebuurt",
        "Lange Elisabethstraat en Mariaplaats",
        "Domplein, Neude en Janskerkhof",
        "Vaartsebuurt",
        "Hooch Boulandt",
        "Stationsgebied",
    ],
    "oost": [
        "Buiten Wittevrouwen",
        "Oudwijk",
        "Abstede",
        "Lodewijk Napoleonplantsoen",
        "Sterrenwijk",
        "Watervogelbuurt",
        "Schildersbuurt",
        "Wilhelminapark en Rubenslaan",
        "Rijnsweerd",
        "Galgenwaard",
        "Maarschalkerweerd",
        "Utrecht Science Park",
    ],
    "noordoost": [
        "Wittevrouwen",
        "Vogelenbuurt",
        "Tuinwijk",
        "Lauwerecht",
        "Staatsliedenbuurt",
        "Zeeheldenbuurt",
        "Huizingabuurt",
        "Tuindorp",
        "Tuindorp-Oost",
        "Voordorp",
    ],
    "noordwest": [
        "Pijlsweerd-Noord",
        "Pijlsweerd-Zuid",
        "2e Daalsebuurt",
        "Ondiep",
        "Zuilen-Oost",
        "Zuilen-Noord",
        "Elinkwijk",
        "Geuzenwijk",
    ],
    "overvecht": [
        "Taag- en Rubicondreef",
        "Zamenhofdreef",
        "Wolga- en Donaudreef",
        "Neckardreef",
        "Zambesidreef",
        "Tigrisdreef",
        "Vechtzoom-Noord en Klopvaart",
        "Vechtzoom-Zuid",
        "Poldergebied Overvecht",
    ],
    "west": [
        "Lombok",
        "Leidseweg",
        "Nieuw Engeland",
        "Schepenbuurt",
        "Oog in Al",
        "Welgelegen",
    ],
    "zuidwest": [
        "Kanaleneiland-Noord",
        "Kanaleneiland-Zuid",
        "Transwijk-Noord",
        "Transwijk-Zuid",
        "Rivierenwijk",
        "Dichterswijk",
        "Merwede",
    ],
    "zuid": ["Hoograven", "Tolsteeg", "Bokkenbuurt", "Rotsoord", "Lunetten"],
    "leidsche-rijn": [
        "Terwijde",
        "Parkwijk",
        "Het Zand",
        "Langerak",
        "Leidsche Rijn Centrum",
        "Hogeweide",
        "Papendorp",
    ],
    "vleuten-de-meern": [
        "Vleuten",
        "De Meern",
        "Vleuterweide",
        "Veldhuizen",
        "Haarzuilens",
        "De Woerd",
        "De Balije",
        "Haarzicht",
    ],
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

# The title and date of each scheme's nadere regel are not in the seeds or the notes: the
# Beheerder fills them in (Scheme.regulation_title and regulation_date); until then the
# beschikking names only these grounds.
LEGAL_BASIS = (
    "Algemene wet bestuursrecht, titel 4.2 (subsidies); Algemene Subsidieverordening gemeente "
    "Utrecht (ASV)."
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
        # Up to € 5.000 the subsidy is fixed in the beschikking itself; above it, it is
        # granted, paid as one voorschot and fixed after the report.
        "settlement_route": "direct_tot_grens",
        "direct_settlement_max_cents": 500_000,
        "letter_accountability_direct": (
            "U hoeft alleen aan te tonen dat de activiteit is doorgegaan, als wij daarom vragen. "
            "Bewaar daarvoor foto's en de bonnen."
        ),
        "letter_accountability": (
            "Stuur binnen 13 weken na het einde van de activiteiten een kort verslag met foto's en "
            "een overzicht van inkomsten en uitgaven."
        ),
        "advance_percent": 100,
        "advance_part_months": 12,
        "letter_payment": (
            "Heeft u een betalingsregeling of een uitkering? Dan kunt u het geld ook op een "
            "prepaidkaart krijgen. Vraag het wijkbureau daarnaar."
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
        "settlement_route": "verlening",
        # 80 % as a voorschot, one part per quarter of the activity period.
        "advance_percent": 80,
        "advance_part_months": 3,
        "letter_payment": "",
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
        "settlement_route": "direct",
        "letter_accountability": "",
        "letter_accountability_direct": (
            "Na afloop vertelt u in een gesprek met de sociaal makelaar wat de activiteit heeft "
            "opgeleverd."
        ),
        "letter_payment": "",
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

# The schemes' texts in plain English for residents who read the portal in English
# (issue 18), written from the Dutch texts above. The names keep the Dutch name with an
# English explanation, like the English scheme pages (cms/demo_en.py): the letters and
# the staff use the Dutch name. ``seed_reference_data`` fills an empty English field
# and never overwrites one an editor changed.
SCHEME_TEXTS_EN = {
    "initiatievenfonds": {
        "name_en": "Initiatievenfonds (fund for resident initiatives)",
        "purpose_en": (
            "Money for activities that residents think of and organise themselves, for "
            "their neighbourhood or for the city. For example a neighbourhood meal, a "
            "street party or a language café."
        ),
        "for_whom_en": (
            "Residents and groups of residents in Utrecht, with or without a foundation "
            "or association. Your activity is for the neighbourhood, not for yourself. "
            "You also give something yourself: time, money or materials."
        ),
        "not_for_en": (
            "Activities that have already started. Initiatives with paid staff that "
            "already got money from the fund for three years. Bicycle racks."
        ),
    },
    "duurzaam": {
        "name_en": "Duurzaam bewonersinitiatief (lasting resident initiatives)",
        "purpose_en": (
            "Support for a longer time for resident initiatives that have already shown "
            "what they can do. The money is for neighbourhood networks and for "
            "information by and for residents in the neighbourhood."
        ),
        "for_whom_en": (
            "Initiatives that have existed for some years and can no longer get money "
            "from the Initiatievenfonds or another scheme of the municipality. Often "
            "volunteers and a few paid workers work together."
        ),
        "not_for_en": (
            "New initiatives: they can apply to the Initiatievenfonds. Initiatives that "
            "can still get money from another scheme of the municipality. The amount "
            "does not depend on the number of hours you work."
        ),
    },
    "flexbudget": {
        "name_en": "Flexbudget (flexible budget for residents' bids)",
        "purpose_en": (
            "Money for residents who want to do part of the work of the sociaal "
            "makelaar (community worker) themselves. And for new activities that "
            "residents start together with partners."
        ),
        "for_whom_en": (
            "Resident initiatives in a district. Every year the municipality and "
            "residents choose together where the money is needed most. They use the "
            "district analysis for this."
        ),
        "not_for_en": (
            "Care or treatment: that is the work of the buurtteam (neighbourhood team) "
            "and of care providers."
        ),
    },
}

# Per scheme: (open round ceiling, closed round ceiling), in cents.
ROUND_CEILINGS = {
    "initiatievenfonds": (420_000_000, 420_000_000),
    "duurzaam": (45_500_000, 45_500_000),
    "flexbudget": (32_000_000, 30_000_000),
}


# --- the demo only: applicants and their initiatives ---------------------------------

# Each applicant lives and works in one wijk; its postcode lies in that wijk.
# (key, name, kind, KvK, wijk, contact, street, postcode, IBAN, demo user or None).
# The demo users are indexes into subsidies.demo.DEMO_USERS (5: Sanne Visser,
# 6: Kees Mulder); the others get a contact person without a login.
DEMO_APPLICANTS = [
    (
        "bewonershuis",
        "Stichting Bewonershuis Binnenstad",
        "organisatie",
        "56789012",
        "binnenstad",
        "Ellen de Graaf",
        "Lange Nieuwstraat 41",
        "3512 PD",
        "NL69INGB0123456789",
        None,
    ),
    (
        "buren-oost",
        "Stichting Buren in Oost",
        "organisatie",
        "67890123",
        "oost",
        "Jeroen Smit",
        "Oudwijkerdwarsstraat 120",
        "3581 LE",
        "NL12TRIO0198765432",
        None,
    ),
    (
        "forza",
        "Vereniging G-voetbal Forza",
        "organisatie",
        "45678901",
        "oost",
        "Mohamed Ouali",
        "Laan van Maarschalkerweerd 4",
        "3585 LJ",
        "NL39RABO0300065264",
        None,
    ),
    (
        "ons-buiten",
        "Vereniging Tuinenpark Ons Buiten",
        "organisatie",
        "40123456",
        "noordoost",
        "Ria van Dijk",
        "Voordorpsedijk 31",
        "3573 AA",
        "NL20INGB0001234567",
        None,
    ),
    (
        "buurtkracht",
        "Stichting Buurtkracht Zuilen",
        "organisatie",
        "41234567",
        "noordwest",
        "",
        "Amsterdamsestraatweg 587",
        "3553 EE",
        "NL91ABNA0417164300",
        5,
    ),
    (
        "julianapark",
        "Bewonersgroep Buurtkamer Julianapark",
        "bewonersgroep",
        "",
        "noordwest",
        "Fatma Yildiz",
        "Burgemeester Norbruislaan 24",
        "3554 CT",
        "NL86INGB0002445588",
        None,
    ),
    (
        "oke-nu",
        "Bewonersgroep Oké Nu",
        "bewonersgroep",
        "",
        "overvecht",
        "",
        "Zambesidreef 41",
        "3564 CL",
        "NL76ASNB0712345678",
        6,
    ),
    (
        "buurtleven-west",
        "Stichting Buurtleven West",
        "organisatie",
        "58901234",
        "west",
        "Sara Bakker",
        "Kanaalstraat 80",
        "3531 CM",
        "NL75SNSB0934567812",
        None,
    ),
    (
        "taalhuis",
        "Stichting Taalhuis Kanaleneiland",
        "organisatie",
        "69012345",
        "zuidwest",
        "Hanan Amrani",
        "Marshalllaan 40",
        "3527 TD",
        "NL31RABO0317654321",
        None,
    ),
    (
        "matchpoint",
        "Stichting Matchpoint Hoograven",
        "organisatie",
        "63456789",
        "zuid",
        "Wim Hendriks",
        "Duurstedelaan 60",
        "3525 AR",
        "NL44RABO0123456789",
        None,
    ),
    (
        "jutter",
        "Stichting De Nieuwe Jutter",
        "organisatie",
        "74567890",
        "leidsche-rijn",
        "Lotte Vermeulen",
        "Carnegiedreef 12",
        "3544 BG",
        "NL18RABO0123459876",
        None,
    ),
    (
        "wil",
        "Stichting Wil, de Wijk Informatie Lijn",
        "organisatie",
        "52345678",
        "vleuten-de-meern",
        "Henk Schouten",
        "Hindersteinlaan 14",
        "3451 EX",
        "NL78ABNA0552233445",
        None,
    ),
]

# One row per demo application, in the order of subsidies.demo.DEMO_STATUS_PLAN (the
# first five stay concept, the last two are withdrawn): (wijk, scheme, applicant key,
# title, summary, buurten). Titles, summaries and buurten stay inside the row's wijk.
DEMO_APPLICATIONS = [
    (
        "binnenstad",
        "initiatievenfonds",
        "bewonershuis",
        "Eettafel in Wijk C",
        "Elke donderdag koken buren in Wijk C samen een maaltijd. Wie alleen woont, "
        "schuift aan voor een kleine bijdrage.",
        ["Wijk C"],
    ),
    (
        "noordwest",
        "duurzaam",
        "buurtkracht",
        "Burenhulp in Zuilen-Oost en Elinkwijk",
        "Een vast netwerk van buren helpt ouderen en mensen met weinig contact met "
        "boodschappen, kleine klussen en een bezoekje.",
        ["Zuilen-Oost", "Elinkwijk"],
    ),
    (
        "zuidwest",
        "flexbudget",
        "taalhuis",
        "Taalmaatjes in Kanaleneiland",
        "Vrijwilligers oefenen elke week Nederlands met buren die de taal nog leren. "
        "Samen met de sociaal makelaar zoeken we nieuwe deelnemers.",
        ["Kanaleneiland-Noord", "Kanaleneiland-Zuid"],
    ),
    (
        "vleuten-de-meern",
        "initiatievenfonds",
        "wil",
        "Vragenuur op de Cultuurcampus",
        "Op dinsdagmiddag beantwoorden bewoners vragen van buren over wonen, zorg en "
        "vrijwilligerswerk, in de Cultuurcampus in Vleuterweide.",
        ["Vleuterweide"],
    ),
    (
        "noordoost",
        "initiatievenfonds",
        "ons-buiten",
        "Oogstfeest op Ons Buiten",
        "De tuinders nodigen de buurt uit voor een middag met soep van eigen groente, "
        "spelletjes en een rondleiding door het tuinenpark.",
        ["Voordorp", "Tuindorp-Oost"],
    ),
    (
        "west",
        "duurzaam",
        "buurtleven-west",
        "Informatiepunt Nieuw Engeland",
        "Bewoners houden elke week een informatiepunt in het buurthuis. Buren komen er "
        "met vragen over zorg, geld en vrijwilligerswerk.",
        ["Nieuw Engeland", "Schepenbuurt"],
    ),
    (
        "leidsche-rijn",
        "flexbudget",
        "jutter",
        "Speelmiddag in Terwijde",
        "Ouders halen samen met de sociaal makelaar kinderen naar buiten voor spel en "
        "sport op het plein. Buren zorgen voor drinken.",
        ["Terwijde"],
    ),
    (
        "oost",
        "initiatievenfonds",
        "buren-oost",
        "Straatfeest Sterrenwijk",
        "Een middag in de straat met muziek, eten en spelletjes, zodat nieuwe en oude "
        "bewoners elkaar leren kennen.",
        ["Sterrenwijk"],
    ),
    (
        "overvecht",
        "initiatievenfonds",
        "oke-nu",
        "Moestuin aan de Zambesidreef",
        "Buren kweken samen groente op een stuk grond naast de flat en delen de oogst "
        "met de voedselbank.",
        ["Zambesidreef"],
    ),
    (
        "zuid",
        "duurzaam",
        "matchpoint",
        "Matchpoint Hoograven: vraag en aanbod",
        "Elke maandag brengt een bewoner buren die hulp zoeken in contact met buren die "
        "willen helpen. Het netwerk draait op vrijwilligers.",
        ["Hoograven"],
    ),
    (
        "binnenstad",
        "flexbudget",
        "bewonershuis",
        "Huiskamer in de Geertebuurt",
        "Bewoners houden twee ochtenden per week een open huiskamer. Zij doen een deel "
        "van het werk van de sociaal makelaar: mensen welkom heten en op weg helpen.",
        ["Springweg en Geertebuurt"],
    ),
    (
        "noordwest",
        "initiatievenfonds",
        "julianapark",
        "Buurtkamer op woensdag",
        "Een open huiskamer bij het Julianapark, waar buren koffie drinken, een spel "
        "doen en nieuwe mensen leren kennen.",
        ["Zuilen-Noord", "Elinkwijk"],
    ),
    (
        "zuidwest",
        "initiatievenfonds",
        "taalhuis",
        "Huiswerkklas in Transwijk",
        "Vrijwilligers helpen kinderen na school met hun huiswerk in het buurthuis.",
        ["Transwijk-Noord", "Transwijk-Zuid"],
    ),
    (
        "vleuten-de-meern",
        "duurzaam",
        "wil",
        "Wijk Informatie Lijn",
        "Bewoners van Vleuterweide en Veldhuizen helpen elkaar met vragen over wonen, "
        "zorg en geld, via een telefoonlijn en een spreekuur.",
        ["Vleuterweide", "Veldhuizen"],
    ),
    (
        "noordoost",
        "flexbudget",
        "ons-buiten",
        "Groene les voor kinderen",
        "Tuinders geven schoolkinderen uit Voordorp en Tuindorp les over groente en "
        "de bodem, samen met de sociaal makelaar.",
        ["Voordorp", "Tuindorp"],
    ),
    (
        "west",
        "initiatievenfonds",
        "buurtleven-west",
        "Bankjes voor de deur in Oog in Al",
        "Bewoners zetten op zaterdag bankjes bij hun voordeur en nodigen buren uit voor "
        "koffie en een praatje.",
        ["Oog in Al", "Welgelegen"],
    ),
    (
        "leidsche-rijn",
        "initiatievenfonds",
        "jutter",
        "Repaircafé Leidsche Rijn",
        "Samen spullen repareren in plaats van weggooien, met koffie en een praatje, in "
        "het buurthuis tussen Parkwijk en Het Zand.",
        ["Parkwijk", "Het Zand"],
    ),
    (
        "oost",
        "duurzaam",
        "buren-oost",
        "Buurtnetwerk Oudwijk en Abstede",
        "Een netwerk van buren regelt klussen, boodschappen en een wekelijks bezoek voor "
        "ouderen die alleen wonen.",
        ["Oudwijk", "Abstede"],
    ),
    (
        "overvecht",
        "flexbudget",
        "oke-nu",
        "Wegwijs aan de Tigrisdreef",
        "Bewoners die de weg kennen, helpen buren met brieven, formulieren en vragen "
        "over geld. Zij doen dat samen met de sociaal makelaar.",
        ["Tigrisdreef", "Neckardreef"],
    ),
    (
        "zuid",
        "initiatievenfonds",
        "matchpoint",
        "Digitale buddies in Lunetten",
        "Studenten helpen ouderen met de telefoon, de computer en DigiD.",
        ["Lunetten"],
    ),
    (
        "binnenstad",
        "initiatievenfonds",
        "bewonershuis",
        "Buurttuin achter de Nieuwegracht",
        "Bewoners maken van een kale binnenplaats een tuin met bankjes, waar buren "
        "elkaar ontmoeten.",
        ["Nieuwegracht-Oost"],
    ),
    (
        "noordwest",
        "duurzaam",
        "buurtkracht",
        "Buurtkrant en spreekuur in Zuilen",
        "Bewoners maken vier keer per jaar een buurtkrant en houden elke week een "
        "spreekuur. Zo weten buren waar ze terechtkunnen.",
        ["Zuilen-Oost", "Zuilen-Noord", "Geuzenwijk"],
    ),
    (
        "zuidwest",
        "flexbudget",
        "taalhuis",
        "Koffieochtend voor moeders",
        "Moeders uit de Rivierenwijk en de Dichterswijk praten elke week over opvoeden, "
        "school en gezondheid. Een bewoner is gastvrouw in plaats van de sociaal "
        "makelaar.",
        ["Rivierenwijk", "Dichterswijk"],
    ),
    (
        "vleuten-de-meern",
        "initiatievenfonds",
        "wil",
        "Wandelgroep in het Máximapark",
        "Twee keer per week wandelen ouderen uit Vleuten en De Meern samen door het park.",
        ["Vleuten", "De Meern"],
    ),
    (
        "noordoost",
        "initiatievenfonds",
        "ons-buiten",
        "Moestuin voor de buurt",
        "Op een eigen stuk van het tuinenpark kweken buren samen groente en delen ze de "
        "oogst met de voedselbank.",
        ["Voordorp"],
    ),
    (
        "west",
        "duurzaam",
        "buurtleven-west",
        "Buurtkeuken Lombok",
        "Bewoners koken drie keer per week samen en brengen maaltijden naar buren die "
        "slecht ter been zijn. Zo blijft niemand buiten beeld.",
        ["Lombok", "Leidseweg"],
    ),
    (
        "leidsche-rijn",
        "flexbudget",
        "jutter",
        "Huiswerkhulp in Langerak",
        "Bewoners helpen kinderen met hun huiswerk, samen met de sociaal makelaar en de "
        "school.",
        ["Langerak"],
    ),
    (
        "oost",
        "initiatievenfonds",
        "forza",
        "G-voetbal op Maarschalkerweerd",
        "Elke zaterdag voetballen mensen met en zonder beperking samen op het sportpark.",
        ["Maarschalkerweerd", "Galgenwaard"],
    ),
    (
        "overvecht",
        "initiatievenfonds",
        "oke-nu",
        "Samen koken aan de dreven",
        "Buren koken elke week voor buren die alleen wonen of weinig contact hebben.",
        ["Taag- en Rubicondreef", "Wolga- en Donaudreef"],
    ),
    (
        "zuid",
        "duurzaam",
        "matchpoint",
        "Burenhulp Hoograven en Tolsteeg",
        "Een netwerk van buren die elkaar helpen met kleine klussen en boodschappen.",
        ["Hoograven", "Tolsteeg"],
    ),
    (
        "binnenstad",
        "flexbudget",
        "bewonershuis",
        "Welkom in Hooch Boulandt",
        "Nieuwe bewoners leren hun buren kennen via een welkomstpakket en een "
        "maandelijkse borrel. Een bewoner doet dit samen met de sociaal makelaar.",
        ["Hooch Boulandt"],
    ),
    (
        "noordwest",
        "initiatievenfonds",
        "julianapark",
        "Speelmiddag in het Julianapark",
        "Kinderen spelen buiten met spullen uit de speelkist. Ouders helpen mee.",
        ["Elinkwijk"],
    ),
    (
        "zuidwest",
        "initiatievenfonds",
        "taalhuis",
        "Taalcafé voor nieuwe buren",
        "Elke week Nederlands praten met vrijwilligers uit de buurt, in het buurthuis "
        "in Kanaleneiland.",
        ["Kanaleneiland-Zuid"],
    ),
    (
        "vleuten-de-meern",
        "duurzaam",
        "wil",
        "Buurtapp De Meern",
        "Een app waarin buren vragen en aanbod delen. Vrijwilligers beheren de app en "
        "helpen wie hem nog niet kan gebruiken.",
        ["De Meern"],
    ),
    (
        "noordoost",
        "flexbudget",
        "ons-buiten",
        "Kookles met groente uit de tuin",
        "Buren koken samen met groente van het tuinenpark en leren gezond eten met weinig "
        "geld.",
        ["Tuindorp"],
    ),
    (
        "west",
        "initiatievenfonds",
        "buurtleven-west",
        "Fotowedstrijd Welgelegen",
        "Bewoners maken foto's van hun straat. De mooiste komen in een tentoonstelling "
        "in het buurthuis.",
        ["Welgelegen"],
    ),
    (
        "leidsche-rijn",
        "initiatievenfonds",
        "jutter",
        "Burendag in Het Zand",
        "Buren knappen samen de speeltuin op en eten daarna met elkaar.",
        ["Het Zand"],
    ),
    (
        "oost",
        "duurzaam",
        "buren-oost",
        "Informatiepunt Watervogelbuurt",
        "Bewoners beantwoorden elke week vragen van buren over zorg, wonen en "
        "vrijwilligerswerk.",
        ["Watervogelbuurt", "Schildersbuurt"],
    ),
    (
        "overvecht",
        "flexbudget",
        "oke-nu",
        "Vrouwenochtend in de Vechtzoom",
        "Vrouwen uit de buurt ontmoeten elkaar en leren samen fietsen en zwemmen.",
        ["Vechtzoom-Zuid"],
    ),
    (
        "zuid",
        "initiatievenfonds",
        "matchpoint",
        "Zomertoernooi Rotsoord",
        "Een voetbaltoernooi voor jongeren uit de buurt, met vrijwilligers als "
        "scheidsrechter.",
        ["Rotsoord", "Bokkenbuurt"],
    ),
    (
        "binnenstad",
        "initiatievenfonds",
        "bewonershuis",
        "Zomerconcert op het Janskerkhof",
        "Een middag met muziek van buurtbewoners, voor jong en oud.",
        ["Domplein, Neude en Janskerkhof"],
    ),
]
