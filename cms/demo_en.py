"""The English versions of the demo's public pages (issue 18).

Plain English (about B1) written from the Dutch texts in ``cms/demo.py``. Dutch names
of schemes, offices and legal terms stay, with an English explanation on first use
(docs/glossary.md). The pages are Wagtail translations of the Dutch pages (same
``translation_key``, locale ``en``, same slugs), so every URL stays the same and the
language cookie decides which one a resident sees.
"""

HOME_TITLE = "Money for your plan in the neighbourhood"
HOME_INTRO = (
    "<p>Do you have a good idea for your neighbourhood? Do you want to organise "
    "something with and for other residents? Then the municipality of Utrecht can help "
    "you with money. Here you can read which scheme fits your plan and apply for the "
    "money online.</p>"
)
HOME_BODY = [
    (
        "steps",
        {
            "title": "How to apply for money",
            "steps": [
                {
                    "title": "Do the quick check",
                    "text": "Answer a few questions with yes or no. Then you see which "
                    "scheme fits your plan. This takes about 2 minutes.",
                },
                {
                    "title": "Log in",
                    "text": "With DigiD, eHerkenning or a link in your e-mail. You do "
                    "not need a password.",
                },
                {
                    "title": "Fill in the application",
                    "text": "This takes about half an hour. We save everything, so you "
                    "can stop and continue later.",
                },
                {
                    "title": "We take a decision",
                    "text": "In 'My applications' you see how your application is doing "
                    "and the latest date you will get a decision.",
                },
            ],
        },
    ),
    (
        "callout",
        {
            "title": "Apply for the money in time",
            "text": "<p>Apply for the money before your activity starts. We need a few "
            "weeks to decide. You can no longer get money for an activity that has "
            "already started.</p>",
        },
    ),
    ("button", {"text": "Do the quick check", "page": None, "url": "/aanvragen/"}),
]

SCHEME_TITLES = {
    "initiatievenfonds": "Initiatievenfonds (fund for resident initiatives)",
    "duurzaam": "Duurzaam bewonersinitiatief (lasting resident initiatives)",
    "flexbudget": "Flexbudget (flexible budget for residents' bids)",
}

SCHEME_INTROS = {
    "initiatievenfonds": (
        "For residents with a plan for their neighbourhood or for the city. For example "
        "a neighbourhood meal, a street party or a language café."
    ),
    "duurzaam": (
        "For initiatives that have existed for years and need support for longer. The "
        "money is for neighbourhood networks and for information by residents."
    ),
    "flexbudget": (
        "For residents who want to do work of the sociaal makelaar (community worker) "
        "themselves. Or who want to start something new with partners in the district."
    ),
}

SCHEME_BODIES = {
    "initiatievenfonds": [
        ("heading", "What can you get money for?"),
        (
            "paragraph",
            "<p>For the costs of your activity. For example materials, the rent of a "
            "space, food and drink, or flyers. Things you buy must fit the total costs. "
            "The fund does not pay for bicycle racks.</p>",
        ),
        (
            "callout",
            {
                "title": "Not sure whether your plan fits?",
                "text": "<p>Call the wijkbureau (district office) or ask the sociaal "
                "makelaar in your neighbourhood. They are happy to think along with "
                "you, also before you fill in the application.</p>",
            },
        ),
    ],
    "duurzaam": [
        ("heading", "What does 'support for longer' mean?"),
        (
            "paragraph",
            "<p>Many initiatives start with money from the Initiatievenfonds. After a "
            "few years, do volunteers and paid staff work together, and does the "
            "initiative want to continue? Then this budget is there to make that "
            "possible.</p>",
        ),
    ],
    "flexbudget": [
        ("heading", "Together with the district"),
        (
            "paragraph",
            "<p>Every year the municipality looks together with residents at where the "
            "money is needed most in the district. For this we use the wijkanalyse "
            "(district analysis). Your plan has the best chance if it fits in with "
            "it.</p>",
        ),
    ],
}

HELP_BODY = [
    (
        "paragraph",
        "<p>Filling in an application is not easy for everyone. That is fine: you do "
        "not have to do it alone.</p>",
    ),
    ("heading", "The wijkbureau (district office)"),
    (
        "paragraph",
        "<p>Every district has a wijkbureau. The people there know the neighbourhood "
        "and the initiatives. They help you with your application and tell you which "
        "scheme fits. Call 14 030 and ask for the wijkbureau of your district.</p>",
    ),
    ("heading", "The sociaal makelaar (community worker)"),
    (
        "paragraph",
        "<p>The sociaal makelaar works in your neighbourhood. They help residents carry "
        "out plans and put you in touch with others. This is free.</p>",
    ),
    ("heading", "Prefer not to apply online?"),
    (
        "paragraph",
        "<p>You can also fill in the application together with the wijkbureau, or send "
        "it on paper. Call us and we will arrange it.</p>",
    ),
]

FAQ_BODY = [
    (
        "faq",
        {
            "question": "Who can apply for money?",
            "answer": "<p>Residents, groups of residents, and foundations or "
            "associations. You do not need to be a foundation. A group of residents can "
            "also ask an organisation to manage the money for them: a penvoerder "
            "(money holder).</p>",
        },
    ),
    (
        "faq",
        {
            "question": "May I already start my activity?",
            "answer": "<p>No. You apply for the money before the activity starts. You "
            "can no longer get money for an activity that has already started.</p>",
        },
    ),
    (
        "faq",
        {
            "question": "How do I log in?",
            "answer": "<p>Are you applying as a resident? Then log in with DigiD. Are "
            "you applying for a foundation or association? Then log in with "
            "eHerkenning. The Log in page shows which ways there are.</p><p>Can you log "
            "in there with your e-mail address? Then we send you a link. Click the link "
            "and you are logged in. The link works for 15 minutes and once. You do not "
            "need a password.</p>",
        },
    ),
    (
        "faq",
        {
            "question": "Can I finish my application later?",
            "answer": "<p>Yes. We save every step. Log in again later and you continue "
            "where you left off, also on another computer or phone.</p>",
        },
    ),
    (
        "faq",
        {
            "question": "When will I hear whether I get money?",
            "answer": "<p>The page of each scheme says how many weeks we have. In 'My "
            "applications' you see the latest date. Do we ask you to add something? "
            "Then the time until your answer does not count.</p>",
        },
    ),
    (
        "faq",
        {
            "question": "How does the municipality decide how much money I get?",
            "answer": "<p>We look at what your initiative brings to the neighbourhood: "
            "the impact. The bigger the impact, the more of the amount requested you "
            "get. The number of hours you work does not count.</p>",
        },
    ),
    (
        "faq",
        {
            "question": "What if there is not enough money for everyone?",
            "answer": "<p>Every round has a maximum: the subsidieplafond (ceiling). The "
            "page of the scheme says how we then divide the money. Every district gets "
            "a guaranteed part, so that the money does not all go to one part of the "
            "city.</p>",
        },
    ),
    (
        "faq",
        {
            "question": "Can I withdraw my application?",
            "answer": "<p>Yes, as long as there is no decision yet. Go to 'My "
            "applications', open the application and choose 'Withdraw "
            "application'.</p>",
        },
    ),
    (
        "faq",
        {
            "question": "I do not agree with the decision. What can I do?",
            "answer": "<p>You can make an objection (bezwaar) within 6 weeks after the "
            "date we sent the decision. The decision letter explains how. Feel free to "
            "call us first: often we solve it together.</p>",
        },
    ),
]

ACCESSIBILITY_BODY = [
    (
        "paragraph",
        "<p>Everyone must be able to use this website, also people with a disability. "
        "That is why we follow the government's accessibility rules (WCAG 2.2, level "
        "AA). And we use the NL Design System.</p>",
    ),
    ("heading", "What we do"),
    (
        "paragraph",
        "<ul><li>You can use everything with the keyboard.</li><li>Error messages are "
        "above the form and next to the field, and say what you can do.</li><li>You do "
        "not lose what you fill in.</li><li>With every new version we check the pages "
        "automatically with axe, in Dutch and in English.</li></ul>",
    ),
    ("heading", "Is something not working?"),
    (
        "paragraph",
        "<p>Let us know. Call 14 030. We will find a solution together with you and "
        "change the site.</p>",
    ),
]

PRIVACY_BODY = [
    (
        "paragraph",
        "<p>We need some of your details for your application. We do not ask for more "
        "than we need.</p>",
    ),
    ("heading", "Which details?"),
    (
        "paragraph",
        "<p>Your name, e-mail address and address. The details of your organisation or "
        "group. The account number we pay into. And what you tell us about your "
        "plan.</p>",
    ),
    ("heading", "What for?"),
    (
        "paragraph",
        "<p>Only to handle your application, pay the money and check that you spent it "
        "well. We never publish the names of residents. For organisations we do "
        "publish how much subsidy they got.</p>",
    ),
    ("heading", "Logging in with DigiD"),
    (
        "paragraph",
        "<p>Do you log in with DigiD? Then DigiD gives us your citizen service number "
        "(BSN). We do not keep your BSN. We turn it into a code with a secret key, and "
        "we keep only that code. This is how we recognise you when you log in again, "
        "also on another computer or phone. No one can work out your BSN from the "
        "code.</p><p>Your BSN never appears on the screen or in a letter. Nor in an "
        "e-mail, an overview or the open data. It does not go into our log files "
        "either.</p>",
    ),
    ("heading", "Logging in with eHerkenning"),
    (
        "paragraph",
        "<p>Do you log in for a foundation or association with eHerkenning? Then we "
        "keep the KVK number of your organisation, and the branch number if "
        "eHerkenning sends it. This way we know for sure that the application comes "
        "from that organisation. Your colleagues who log in with eHerkenning for the "
        "same organisation also see the organisation's applications.</p><p>We do not "
        "get your own name from eHerkenning. We get a code for you, and of that too we "
        "keep only a code we make from it ourselves.</p>",
    ),
    ("heading", "What else we keep when you log in"),
    (
        "paragraph",
        "<p>How strongly you logged in (for example DigiD Midden or eHerkenning EH3). "
        "And when you logged in for the first and the last time.</p><p>Do "
        "you do nothing on the website for 15 minutes? Then we log you out. Shortly "
        "before that you see a message. If you log out yourself, you also log out of "
        "DigiD or eHerkenning.</p>",
    ),
    ("heading", "For how long?"),
    (
        "paragraph",
        "<p>We keep your application as long as the law says. That is usually seven "
        "years after the last decision.</p><p>The code we recognise you by, the KVK "
        "number and the dates you logged in belong to your account. We keep them as "
        "long as your account exists. If we delete your account, we delete them "
        "too.</p>",
    ),
    ("heading", "Your rights"),
    (
        "paragraph",
        "<p>You may always ask which details we have about you. Is something wrong? "
        "Then you may ask us to correct it. Do we no longer need your details? Then "
        "you may ask us to delete them. Call 14 030 for this.</p><p>Do you not agree "
        "with how we handle your details? Then you can make a complaint to the Dutch "
        "Data Protection Authority (Autoriteit Persoonsgegevens).</p>",
    ),
]

#: slug -> (title, intro, body) of the content pages.
CONTENT_PAGES = {
    "hulp": (
        "Help with your application",
        "Stuck? The wijkbureau (district office) and the sociaal makelaar are happy to "
        "help you.",
        HELP_BODY,
    ),
    "veelgestelde-vragen": (
        "Frequently asked questions",
        "Answers to questions residents often ask.",
        FAQ_BODY,
    ),
    "toegankelijkheid": (
        "Accessibility",
        "This website must work for everyone.",
        ACCESSIBILITY_BODY,
    ),
    "privacy": ("Privacy", "What we do with your details.", PRIVACY_BODY),
}
