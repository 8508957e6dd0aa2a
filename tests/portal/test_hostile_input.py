"""Bad input at scale: Hypothesis posts generated hostile values to every step of the
application form, as the application's owner, and to the quick check.

Whatever comes in (markup, SQL, control characters and NUL bytes, huge or exotic
text, negative, absurd or malformed amounts, wrong IBAN, KvK and dates, forged
formset counts and choices) the portal never answers with a server error, and never
writes half a step. What "half" means follows what the views promise
(``subsidies/views/form.py``):

- the steps that keep what was typed correctly (organisation, initiative, impact)
  store a field only when the form accepted it; a refused field keeps its stored
  value, and every stored value passes the model's own validation;
- the budget step stores all its lines and other funding or none of them;
- a document is stored only when its content was accepted, under a clean name;
- the last step submits the whole application once, or changes nothing.

Each example runs in a transaction that is rolled back, so examples do not see each
other. No example database is kept (``database=None``): a run leaves no files.
"""

from contextlib import contextmanager
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from subsidies.models import (
    Applicant,
    Application,
    BudgetLine,
    Buurt,
    Document,
    OtherFunding,
    Partner,
    QuestionSet,
    TargetGroup,
    Theme,
    TransitionLog,
)
from subsidies.uploads import EXTENSIONS
from subsidies.workflow import Status
from tests.factories import (
    AddressedApplicantFactory,
    ApplicationFactory,
    RoundFactory,
    SchemeFactory,
    WijkFactory,
)

pytestmark = pytest.mark.django_db

HOSTILE = settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

# --- hostile values --------------------------------------------------------------------

SCRIPT = '<script>alert("x")</script>'
NASTY = [
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE subsidies_application; --",
    "1 OR 1=1",
    "Robert'); DROP TABLE students;--",
    "\x00",
    "Buurt\x00feest",
    "\x00" * 8,
    "\x1b[31mrood",
    "\r\n\r\n",
    "\u202eevil",
    "\ufeff",
    "\u200b" * 5,
    "\U0001f3f3\ufe0f\u200d\U0001f308",
    "Z\u0364\u0354\u0367\u0311\u0313a\u0308\u0356\u032d",
    "ß" * 120,
    "İ" * 150,
    "{{ 7|add:7 }}",
    "{% debug %}",
    "${jndi:ldap://x}",
    "%00",
    "../../etc/passwd",
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "1e309",
    "1E5",
    "0x10",
    "-1",
    "-0",
    "\u22125",
    "0",
    "+0",
    "0,001",
    "\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668",
    "\u00b2" * 8,
    "\U0001d7d7" * 3,
    "9" * 30,
    "9" * 31,
    "9" * 5000,
    "1.234,567",
    "1,2,3",
    "1,234",
    "1.2.3",
    "€ -5",
    "€1.000.000,01",
    "999999999999999999999999",
    "31-02-2027",
    "00-00-0000",
    "29-02-2100",
    "31-12-9999",
    "01-01-0001",
    "2027-13-01",
    "1-1-1",
    "01-01-10000",
    "NL91ABNA0417164301",
    "NL91 ABNA 0417 1643 00",
    "nl91abna0417164300",
    "DE89370400440532013000",
    "NL00ABNA0000000000",
    "XX" + "9" * 32,
    "12345678",
    "1234567",
    "123456789",
    "00000000",
    "111222333",
    " ",
    "",
]

any_text = st.text(st.characters(codec="utf-8"), max_size=300)
huge_text = st.builds(
    lambda piece, times: piece * times,
    st.sampled_from(["x", "é", "😀", "\x00", "<b>", "1"]),
    st.integers(190, 60_000),
)
numbers = st.one_of(
    st.integers(-(10**30), 10**30).map(str),
    st.floats().map(repr),
    st.decimals().map(str),
)
hostile = st.one_of(st.sampled_from(NASTY), any_text, numbers, huge_text)

ABSENT = object()
ACTIONS = ["next", "previous", "save", "add_partner", "add_line", "add_other", "upload"]


def posts(valid, extra=()):
    """POST bodies around a valid one (``valid``: a strategy of dicts).

    Half are the valid body with up to three fields made hostile or left out, so the
    success path and the path with a single error both come up; the other half give
    every field (and the ``extra`` names) independently its valid value, a hostile
    value, or nothing.
    """
    broken = st.one_of(
        st.just(ABSENT), hostile, st.lists(hostile, min_size=1, max_size=3)
    )

    @st.composite
    def mutated(draw):
        data = dict(draw(valid))
        names = sorted({*data, *extra})
        for name in draw(st.lists(st.sampled_from(names), max_size=3, unique=True)):
            data[name] = draw(broken)
        return {k: v for k, v in data.items() if v is not ABSENT}

    @st.composite
    def scrambled(draw):
        base = draw(valid)
        data = {}
        for name in sorted({*base, *extra}):
            options = [broken] if name not in base else [st.just(base[name]), broken]
            data[name] = draw(st.one_of(*options))
        return {k: v for k, v in data.items() if v is not ABSENT}

    return st.one_of(mutated(), scrambled())


def several(valid):
    return st.lists(st.one_of(valid, hostile), max_size=4)


def _date(days):
    return (timezone.localdate() + timedelta(days=days)).strftime("%d-%m-%Y")


# --- the world and one fresh concept per example ---------------------------------------


@pytest.fixture
def world():
    """A scheme whose question set has every kind of question, an open round, and
    the choices the initiative step offers."""
    scheme = SchemeFactory()
    QuestionSet.objects.create(
        scheme=scheme,
        version=3,
        questions=[
            {"key": "open", "label": "Open?", "kind": "yesno", "required": True},
            {"key": "aantal", "label": "Aantal", "kind": "number"},
            {
                "key": "soort",
                "label": "Soort",
                "kind": "choice",
                "choices": [["a", "A"], ["b", "B"]],
            },
            {
                "key": "wat",
                "label": "Wat",
                "kind": "multichoice",
                "choices": [["x", "X"], ["y", "Y"]],
            },
            {"key": "kort", "label": "Kort", "kind": "text"},
            {"key": "lang", "label": "Lang", "kind": "textarea"},
        ],
    )
    wijk = WijkFactory(code="zuid", name="Zuid")
    other_wijk = WijkFactory(code="oost", name="Oost")
    return {
        "round": RoundFactory(scheme=scheme),
        "wijk": wijk,
        "buurt": Buurt.objects.create(wijk=wijk, name="Hoograven"),
        "other_wijk": other_wijk,
        "other_buurt": Buurt.objects.create(wijk=other_wijk, name="Lunetten"),
        "group": TargetGroup.objects.create(slug="ouderen", name="Ouderen"),
        "theme": Theme.objects.create(slug="ontmoeting", name="Ontmoeting"),
    }


@contextmanager
def fresh_concept(client, world):
    """A complete concept, its owner logged in; everything rolled back afterwards."""
    with transaction.atomic():
        application = ApplicationFactory(
            round=world["round"],
            wijk=world["wijk"],
            applicant=AddressedApplicantFactory(),
            expected_reach=30,
            volunteers=4,
            answers={"open": True},
        )
        application.target_groups.set([world["group"]])
        application.themes.set([world["theme"]])
        application.buurten.set([world["buurt"]])
        Partner.objects.create(application=application, name="Buurthuis De Boog")
        OtherFunding.objects.create(
            application=application,
            source="Eigen bijdrage",
            state=OtherFunding.State.OWN,
            amount_cents=5_000,
        )
        client.force_login(application.applicant_user)
        yield application
        transaction.set_rollback(True)


def step_url(application, step):
    return reverse("subsidies:step", args=[application.reference, step])


def snapshot(application):
    """Everything the applicant can change, as plain values, straight from the DB."""
    fresh = Application.objects.get(pk=application.pk)
    applicant = Applicant.objects.get(pk=fresh.applicant_id)
    return {
        "applicant": {
            f.name: getattr(applicant, f.name)
            for f in Applicant._meta.concrete_fields
            if f.name not in {"id", "created_at", "updated_at"}
        },
        "application": {
            f.attname: getattr(fresh, f.attname)
            for f in Application._meta.concrete_fields
            # How often each step was saved is bookkeeping (the two-tab check).
            if f.name not in {"updated_at", "current_step", "step_versions"}
        },
        "buurten": set(fresh.buurten.values_list("pk", flat=True)),
        "target_groups": set(fresh.target_groups.values_list("pk", flat=True)),
        "themes": set(fresh.themes.values_list("pk", flat=True)),
        "partners": list(
            fresh.partners.order_by("pk").values_list(
                "name", "kind", "role", "letter_of_support"
            )
        ),
        "budget_lines": list(
            fresh.budget_lines.order_by("pk").values_list(
                "category", "description", "amount_cents"
            )
        ),
        "other_funding": list(
            fresh.other_funding.order_by("pk").values_list(
                "source", "state", "amount_cents"
            )
        ),
        "documents": list(
            fresh.documents.order_by("pk").values_list("original_name", "kind")
        ),
        "log": list(
            TransitionLog.objects.filter(application=fresh).values_list(
                "transition", flat=True
            )
        ),
        "applications": Application.objects.count(),
        "applicants": Applicant.objects.count(),
    }


def post(client, url, data):
    response = client.post(url, data)
    event(f"status {response.status_code}")
    assert response.status_code < 500
    assert response.status_code in (200, 302, 400)
    return response


def unchanged_except(before, after, *parts):
    """Nothing outside ``parts`` of the snapshot changed."""
    for key in before.keys() - set(parts):
        assert after[key] == before[key], key


def assert_clean_text(value):
    assert "\x00" not in value


def changed_fields(before, after):
    return {name for name in after if after[name] != before[name]}


def form_of(response, name="form"):
    """The bound form the view rendered (None after a redirect)."""
    if response.status_code != 200 or response.context is None:
        return None
    return response.context.get(name)


# --- step 1: organisation ---------------------------------------------------------------


@st.composite
def valid_organisation(draw):
    kind = draw(st.sampled_from(["organisatie", "bewonersgroep"]))
    penvoerder = kind == "bewonersgroep" and draw(st.booleans())
    return {
        "kind": kind,
        "name": "Stichting Buurtkracht",
        "kvk_number": "41234567" if kind == "organisatie" else "",
        "rsin": draw(st.sampled_from(["", "111222333"])),
        "penvoerder_name": "Buurthuis De Boog" if penvoerder else "",
        "penvoerder_kvk": "40123456" if penvoerder else "",
        "contact_name": "Sanne Visser",
        "contact_email": "sanne@example.nl",
        "contact_phone": "030 123 45 67",
        "street": "Oudegracht 1",
        "postcode": draw(st.sampled_from(["3511 AB", "3511ab"])),
        "city": "Utrecht",
        "iban": draw(st.sampled_from(["NL91ABNA0417164300", "NL02 RABO 0123 4567 89"])),
        "account_holder": "Stichting Buurtkracht",
        "action": draw(st.sampled_from(ACTIONS)),
    }


organisation_posts = posts(valid_organisation())


@HOSTILE
@given(data=organisation_posts)
def test_the_organisation_step_stores_only_what_it_accepted(client, world, data):
    """Step 1: never a 500; refused fields keep their value, changed ones are valid."""
    with fresh_concept(client, world) as application:
        before = snapshot(application)
        response = post(client, step_url(application, "organisatie"), data)
        after = snapshot(application)
        unchanged_except(before, after, "applicant")
        changed = changed_fields(before["applicant"], after["applicant"])
        form = form_of(response)
        if form is not None:
            assert not changed & set(form.errors)
        applicant = Applicant.objects.get(pk=application.applicant_id)
        applicant.clean_fields(exclude=set(after["applicant"]) - changed)
        for name in changed:
            assert_clean_text(str(after["applicant"][name]))


# --- step 2: the initiative and its partners --------------------------------------------


def initiative_posts(world):
    pks = [
        world[name].pk
        for name in ("buurt", "other_buurt", "group", "theme", "wijk", "other_wijk")
    ]
    pk = st.sampled_from([*map(str, pks), "0", "-1", "99999999999999999999"])

    @st.composite
    def valid_initiative(draw):
        partners = draw(st.integers(0, 2))
        data = {
            "title": "Buurtmaaltijd Hoograven",
            "summary": "Elke maand koken buren voor buren.",
            "wijk": str(world["wijk"].pk),
            "buurten": [str(world["buurt"].pk)],
            "activity_start": _date(40),
            "activity_end": _date(draw(st.sampled_from([40, 120]))),
            "target_groups": [str(world["group"].pk)],
            "themes": [str(world["theme"].pk)],
            "partners-TOTAL_FORMS": str(partners),
            "partners-INITIAL_FORMS": "0",
            "action": draw(st.sampled_from(ACTIONS)),
        }
        for index in range(partners):
            data[f"partners-{index}-name"] = f"Partner {index}"
            data[f"partners-{index}-kind"] = draw(
                st.sampled_from(["anders", "wijkbureau"])
            )
            data[f"partners-{index}-role"] = "Geeft de ruimte."
            if draw(st.booleans()):
                data[f"partners-{index}-letter_of_support"] = "on"
        return data

    extra = [
        "partners-MAX_NUM_FORMS",
        "partners-0-DELETE",
        "partners-2-name",
        "partners-0-name",
    ]
    forged = st.fixed_dictionaries(
        {"wijk": pk, "buurten": several(pk), "themes": several(pk)}
    )
    return st.one_of(
        posts(valid_initiative(), extra),
        st.builds(lambda body, more: {**body, **more}, valid_initiative(), forged),
    )


@HOSTILE
@given(data=st.data())
def test_the_initiative_step_stores_only_what_it_accepted(client, world, data):
    """Step 2: never a 500; refused fields keep their value, partners all or none."""
    posted = data.draw(initiative_posts(world))
    with fresh_concept(client, world) as application:
        before = snapshot(application)
        response = post(client, step_url(application, "initiatief"), posted)
        after = snapshot(application)
        unchanged_except(
            before,
            after,
            "application",
            "buurten",
            "target_groups",
            "themes",
            "partners",
        )
        changed = changed_fields(before["application"], after["application"])
        relations = {
            name
            for name in ("buurten", "target_groups", "themes")
            if after[name] != before[name]
        }
        form = form_of(response)
        if form is not None:
            refused = {"wijk_id" if n == "wijk" else n for n in form.errors}
            assert not (changed | relations) & refused
        fresh = Application.objects.get(pk=application.pk)
        fresh.clean_fields(exclude=set(after["application"]) - changed)
        assert len(fresh.title) <= 200 and len(fresh.summary) <= 3000
        for name in ("title", "summary"):
            assert_clean_text(getattr(fresh, name))
        assert not buurten_outside_wijk(fresh)
        if after["partners"] != before["partners"]:
            for name, kind, role, _letter in after["partners"]:
                assert name.strip() and len(name) <= 200 and len(role) <= 300
                assert kind in Partner.Kind.values
                assert_clean_text(name + role)


# --- step 3: impact and the scheme's questions ------------------------------------------


@st.composite
def valid_impact(draw):
    return {
        "impact_plan": "Buren leren elkaar kennen.",
        "expected_reach": draw(st.sampled_from(["40", "1.000", " 7 "])),
        "volunteers": draw(st.sampled_from(["6", "0"])),
        "q_open": draw(st.sampled_from(["ja", "nee"])),
        "q_aantal": draw(st.sampled_from(["12", ""])),
        "q_soort": draw(st.sampled_from(["a", "b", ""])),
        "q_wat": draw(st.lists(st.sampled_from(["x", "y"]), max_size=2, unique=True)),
        "q_kort": "Kort antwoord",
        "q_lang": "Een langer antwoord.",
        "action": draw(st.sampled_from(ACTIONS)),
    }


impact_posts = posts(valid_impact())
ANSWER_CHECKS = {
    "open": lambda v: v in (True, False),
    "aantal": lambda v: v is None or (type(v) is int and 0 <= v <= 1_000_000),
    "soort": lambda v: v in ("", "a", "b"),
    "wat": lambda v: isinstance(v, list) and set(v) <= {"x", "y"},
    "kort": lambda v: isinstance(v, str) and len(v) <= 300 and "\x00" not in v,
    "lang": lambda v: isinstance(v, str) and len(v) <= 3000 and "\x00" not in v,
}


@HOSTILE
@given(data=impact_posts)
def test_the_impact_step_stores_only_what_it_accepted(client, world, data):
    """Step 3: never a 500; counts within limits, answers of their question's type."""
    with fresh_concept(client, world) as application:
        before = snapshot(application)
        response = post(client, step_url(application, "impact"), data)
        after = snapshot(application)
        unchanged_except(before, after, "application")
        changed = changed_fields(before["application"], after["application"])
        assert changed <= {"impact_plan", "expected_reach", "volunteers", "answers"}
        form = form_of(response)
        if form is not None:
            assert not changed & set(form.errors)
            old, new = before["application"]["answers"], after["application"]["answers"]
            for key in ANSWER_CHECKS:
                if f"q_{key}" in form.errors:
                    assert new.get(key) == old.get(key)
        fresh = Application.objects.get(pk=application.pk)
        assert len(fresh.impact_plan) <= 5000
        assert_clean_text(fresh.impact_plan)
        for value in (fresh.expected_reach, fresh.volunteers):
            assert value is None or 0 <= value <= 1_000_000
        for key, value in fresh.answers.items():
            if key in ANSWER_CHECKS:
                assert ANSWER_CHECKS[key](value), (key, value)


# --- step 4: the budget, all or nothing --------------------------------------------------


@st.composite
def valid_budget(draw):
    lines, other = draw(st.integers(1, 3)), draw(st.integers(0, 2))
    amount = st.sampled_from(["100", "1.250,50", "0,01", "6.000", "€ 75"])
    data = {
        "lines-TOTAL_FORMS": str(lines),
        "lines-INITIAL_FORMS": "0",
        "other-TOTAL_FORMS": str(other),
        "other-INITIAL_FORMS": "0",
        "action": draw(st.sampled_from(ACTIONS)),
    }
    for index in range(lines):
        data[f"lines-{index}-category"] = draw(
            st.sampled_from(["materiaal", "huur", "communicatie"])
        )
        data[f"lines-{index}-description"] = "Pannen"
        data[f"lines-{index}-amount"] = draw(amount)
    for index in range(other):
        data[f"other-{index}-source"] = "Fonds"
        data[f"other-{index}-state"] = draw(
            st.sampled_from(["aangevraagd", "toegezegd", "eigen_bijdrage"])
        )
        data[f"other-{index}-amount"] = draw(amount)
    return data


budget_posts = posts(
    valid_budget(), ["lines-0-DELETE", "lines-3-amount", "other-0-DELETE"]
)


@HOSTILE
@given(data=budget_posts)
def test_the_budget_step_stores_every_line_or_none(client, world, data):
    """Step 4: never a 500; every budget line stored and valid, or nothing changed."""
    with fresh_concept(client, world) as application:
        before = snapshot(application)
        response = post(client, step_url(application, "begroting"), data)
        after = snapshot(application)
        budget = ("budget_lines", "other_funding")
        if response.status_code != 302:
            unchanged_except(before, after)
            return
        unchanged_except(before, after, *budget, "application")
        assert changed_fields(before["application"], after["application"]) <= {
            "requested_cents"
        }
        lines = after["budget_lines"]
        assert lines
        for category, description, cents in lines:
            assert category in BudgetLine.Category.values
            assert description.strip() and len(description) <= 200
            assert_clean_text(description)
            assert 0 < cents <= 100_000_000
        for source, state, cents in after["other_funding"]:
            assert state in OtherFunding.State.values
            assert source.strip() and len(source) <= 200
            assert 0 < cents <= 100_000_000
        total = sum(cents for _c, _d, cents in lines)
        assert after["application"]["requested_cents"] == total
        assert total <= world["round"].scheme.max_amount_cents


# --- step 5: documents ------------------------------------------------------------------

CONTENTS = [
    b"%PDF-1.4 een echte begroting",
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 20,
    b"Gewone tekst, met een regel.\n",
    b"MZ\x90\x00\x03" + b"\x00" * 50,
    b"<script>alert(1)</script>",
    b"PK\x03\x04geen zip",
    b"tekst met een \x00 erin",
    b"",
]
file_names = st.one_of(
    st.sampled_from(
        [
            "begroting.pdf",
            "../../etc/passwd",
            "a\x00b.pdf",
            "x" * 400 + ".pdf",
            "\u202efdp.exe",
            "con.txt",
            "<script>.png",
        ]
    ),
    st.text(st.characters(codec="utf-8", exclude_characters='"\r\n/\\'), max_size=80),
)
uploads = st.builds(
    lambda name, content: SimpleUploadedFile(name or "leeg", content),
    file_names,
    st.one_of(st.sampled_from(CONTENTS), st.binary(max_size=200)),
)
valid_documents = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["begroting", "draagvlak", "overig"]),
        "action": st.sampled_from(["upload", "next"]),
        "file": st.builds(
            lambda: SimpleUploadedFile("begroting.pdf", b"%PDF-1.4 een begroting")
        ),
    }
)
document_posts = st.one_of(
    posts(valid_documents),
    st.builds(
        lambda body, kind, upload: {**body, "kind": kind, "file": upload},
        valid_documents,
        st.sampled_from(["begroting", "beschikking", "aanvulling"]),
        uploads,
    ),
)


@HOSTILE
@given(data=document_posts)
def test_the_documents_step_stores_only_accepted_files_under_a_clean_name(
    client, world, data
):
    """Step 5: never a 500; at most one accepted file, of an allowed kind, clean name."""
    with fresh_concept(client, world) as application:
        before = snapshot(application)
        post(client, step_url(application, "bijlagen"), data)
        after = snapshot(application)
        unchanged_except(before, after, "documents")
        added = Document.objects.filter(application=application)
        assert added.count() <= 1
        for document in added:
            assert document.kind not in ("beschikking", "aanvulling")
            assert document.content_type in EXTENSIONS
            assert 0 < len(document.original_name) <= 200
            assert "/" not in document.original_name
            assert all(ch.isprintable() for ch in document.original_name)


# --- step 6: review and submit -----------------------------------------------------------

review_posts = posts(
    st.fixed_dictionaries(
        {
            "truthful_declaration": st.sampled_from(["on", "true"]),
            "decisions_by_email": st.sampled_from(["on", ""]),
            "action": st.sampled_from(ACTIONS),
        }
    )
)


@HOSTILE
@given(data=review_posts)
def test_the_last_step_submits_once_or_changes_nothing(client, world, data):
    """Step 6: never a 500; submitted with one submit in the log, or left as it was."""
    with fresh_concept(client, world) as application:
        before = snapshot(application)
        response = post(client, step_url(application, "controle"), data)
        after = snapshot(application)
        fresh = Application.objects.get(pk=application.pk)
        if fresh.status == Status.DRAFT:
            unchanged_except(before, after)
            return
        assert response.status_code == 302
        assert fresh.status == Status.SUBMITTED
        assert after["log"] == before["log"] + ["submit"]
        again = client.post(step_url(application, "controle"), data)
        assert again.status_code == 302
        assert snapshot(application)["log"] == after["log"]


# --- NUL bytes, field by field ------------------------------------------------------------
# PostgreSQL cannot store a NUL character in text: Django's form fields refuse it
# (ProhibitNullCharactersValidator), so it must come back as a message, never a 500.


def nul_bodies(world):
    return {
        "organisatie": {
            "kind": "organisatie",
            "name": "Stichting Buurtkracht",
            "kvk_number": "41234567",
            "rsin": "111222333",
            "penvoerder_name": "",
            "penvoerder_kvk": "",
            "contact_name": "Sanne Visser",
            "contact_email": "sanne@example.nl",
            "contact_phone": "030 123 45 67",
            "street": "Oudegracht 1",
            "postcode": "3511 AB",
            "city": "Utrecht",
            "iban": "NL91ABNA0417164300",
            "account_holder": "Stichting Buurtkracht",
        },
        "initiatief": {
            "title": "Buurtmaaltijd",
            "summary": "Koken voor buren.",
            "wijk": str(world["wijk"].pk),
            "buurten": str(world["buurt"].pk),
            "activity_start": _date(40),
            "activity_end": _date(90),
            "target_groups": str(world["group"].pk),
            "themes": str(world["theme"].pk),
            "partners-TOTAL_FORMS": "1",
            "partners-INITIAL_FORMS": "0",
            "partners-0-name": "Buurthuis",
            "partners-0-kind": "anders",
            "partners-0-role": "Ruimte",
        },
        "impact": {
            "impact_plan": "Buren leren elkaar kennen.",
            "expected_reach": "40",
            "volunteers": "6",
            "q_open": "ja",
            "q_aantal": "3",
            "q_soort": "a",
            "q_wat": "x",
            "q_kort": "Kort",
            "q_lang": "Lang",
        },
        "begroting": {
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-0-category": "materiaal",
            "lines-0-description": "Pannen",
            "lines-0-amount": "100",
            "other-TOTAL_FORMS": "1",
            "other-INITIAL_FORMS": "0",
            "other-0-source": "Fonds",
            "other-0-state": "toegezegd",
            "other-0-amount": "50",
        },
        "bijlagen": {"kind": "begroting"},
        "controle": {"truthful_declaration": "on", "decisions_by_email": "on"},
    }


def stored_texts(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from stored_texts(item)
    elif isinstance(value, list | tuple | set):
        for item in value:
            yield from stored_texts(item)


def test_a_nul_byte_in_any_field_of_any_step_is_refused_not_a_500(client, world):
    """A NUL byte in any field of any step gives a page, never a 500, and is not stored."""
    for step, body in nul_bodies(world).items():
        for name in [*body, "action"]:
            for value in ("a\x00b", ["ok", "\x00"]):
                with fresh_concept(client, world) as application:
                    data = {**body, "action": "next", name: value}
                    response = client.post(step_url(application, step), data)
                    assert response.status_code < 500, (step, name, value)
                    after = snapshot(application)
                    assert not any("\x00" in t for t in stored_texts(after)), (
                        step,
                        name,
                    )


# --- before the form, and the URLs themselves --------------------------------------------

QUICK_CHECK_KEYS = [
    "started",
    "in_utrecht",
    "for_neighbourhood",
    "care",
    "three_years",
    "fully_volunteer",
    "fund_three_years",
    "network_or_information",
    "other_municipal_money",
    "social_broker_work",
]


@HOSTILE
@given(
    data=posts(
        st.fixed_dictionaries(
            {key: st.sampled_from(["ja", "nee"]) for key in QUICK_CHECK_KEYS}
        )
    ),
    chosen=hostile,
)
def test_the_quick_check_answers_any_input_without_a_server_error(
    client, world, data, chosen
):
    """Any answers and any ?regeling= give the quick check page and write nothing; a
    NUL byte in the query string is the Dutch 400 page before any view reads it."""
    applications = Application.objects.count()
    response = client.post(
        f"{reverse('subsidies:check')}?regeling={quote(chosen)}", data
    )
    assert response.status_code == (400 if "\x00" in chosen else 200)
    assert SCRIPT not in response.content.decode()
    assert Application.objects.count() == applications


@HOSTILE
@given(
    reference=st.one_of(st.sampled_from(NASTY), any_text).map(
        lambda text: text if text.strip("/") else f"x{text}"
    ),
    step=st.one_of(st.sampled_from(["organisatie", "controle", "onbekend"]), any_text),
    data=posts(st.fixed_dictionaries({"title": st.just("Nieuw")}), ["action"]),
)
def test_any_reference_or_step_in_the_url_is_a_404_not_a_500(
    client, world, reference, step, data
):
    """A forged reference or step in the URL never gives a 500 and changes nothing."""
    with fresh_concept(client, world) as application:
        before = snapshot(application)
        url = f"/mijn-aanvragen/{quote(reference, safe='')}/invullen/{quote(step, safe='')}/"
        for response in (client.get(url), client.post(url, data)):
            assert response.status_code < 500
        if reference != application.reference:
            assert snapshot(application) == before


# --- findings of the properties above, fixed; kept as examples -------------------------


def buurten_outside_wijk(application):
    if not application.wijk_id:
        return False
    return application.buurten.exclude(wijk_id=application.wijk_id).exists()


@pytest.mark.parametrize(
    "path",
    ["", "invullen/controle/", "besluit/", "documenten/1/", "intrekken/"],
)
def test_a_nul_byte_or_a_foreign_character_in_the_reference_is_a_404(
    client, world, path
):
    """Found on PostgreSQL, which refuses a NUL byte in a query: a kenmerk with one
    (or with any character a kenmerk never has) is not found, on every resident URL."""
    with fresh_concept(client, world) as application:
        for reference in (application.reference + "%00", "IF%E2%80%AE2026", "%00"):
            response = client.get(f"/mijn-aanvragen/{reference}/{path}")
            assert response.status_code == 404, reference


def test_an_rsin_typed_with_dots_or_dashes_is_stored_as_nine_digits(client, world):
    """An RSIN typed with dots or dashes is refused or stored as its nine digits."""
    with fresh_concept(client, world) as application:
        response = client.post(
            step_url(application, "organisatie"),
            {"rsin": "01-01-0001", "action": "next"},
        )
        assert response.status_code == 200
        rsin = Applicant.objects.get(pk=application.applicant_id).rsin
        assert rsin in ("", "001010001")


@pytest.mark.parametrize(
    "kvk", ["\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668", "\u00b2" * 8]
)
def test_a_kvk_number_of_non_ascii_digits_is_refused(client, world, kvk):
    """A KvK number is eight digits 0-9; other Unicode digits are refused."""
    with fresh_concept(client, world) as application:
        stored = Applicant.objects.get(pk=application.applicant_id).kvk_number
        client.post(
            step_url(application, "organisatie"),
            {"kind": "organisatie", "kvk_number": kvk, "action": "next"},
        )
        assert Applicant.objects.get(pk=application.applicant_id).kvk_number == stored


def test_a_changed_wijk_never_keeps_buurten_of_another_wijk(client, world):
    """After any post, the stored buurten lie in the stored wijk."""
    other_wijk = world["other_wijk"]
    with fresh_concept(client, world) as application:
        client.post(
            step_url(application, "initiatief"),
            {
                "wijk": str(other_wijk.pk),
                "buurten": [str(world["buurt"].pk)],
                "partners-TOTAL_FORMS": "0",
                "partners-INITIAL_FORMS": "0",
                "action": "next",
            },
        )
        fresh = Application.objects.get(pk=application.pk)
        assert not buurten_outside_wijk(fresh)


# --- staff forms -------------------------------------------------------------------------
# The same property for the staff screens of the assessment and the four-eyes approval:
# whatever an assessor or decision maker types, never a server error, and a stored
# hersteltermijn always lies within its bounds.


@pytest.fixture
def staff_world():
    from tests.beoordeling.assessment.test_assessment_services import (
        accept,
        assign_and_declare,
    )
    from tests.factories import assessment_case

    waiting = assessment_case()
    scoring = assessment_case()
    accept(scoring)
    mine, _other = assign_and_declare(scoring)
    return {"waiting": waiting, "scoring": scoring, "assessment": mine}


def _staff_posts():
    supplement = st.fixed_dictionaries(
        {"message": st.just("Begroting ontbreekt."), "due_on": st.just(_date(14))}
    )
    amend = st.fixed_dictionaries({"reason": st.just("Ik ken de aanvrager.")})
    codes = ["I1", "I2", "I3", "I4", "I5"]
    score = st.fixed_dictionaries(
        {
            **{f"score_{c}": st.sampled_from(["0", "1", "2", "3", "4"]) for c in codes},
            **{f"motivation_{c}": st.just("Onderbouwd.") for c in codes},
            "advice": st.just(""),
            "action": st.sampled_from(["save", "submit"]),
        }
    )
    return st.one_of(
        st.tuples(st.just("supplement"), posts(supplement)),
        st.tuples(st.just("declare_amend"), posts(amend)),
        st.tuples(st.just("score"), posts(score)),
    )


@HOSTILE
@given(data=_staff_posts())
def test_the_staff_assessment_forms_never_fail_and_keep_their_bounds(
    client, staff_world, data
):
    """Hostile values posted to the aanvulling, amended declaration and scoring
    forms: a form error or a redirect, never a 500; a stored hersteltermijn ends
    between HERSTELTERMIJN_MIN_DAYS and _MAX_DAYS from today."""
    from beoordeling.assessment.services import hersteltermijn_bounds

    name, body = data
    case = staff_world["waiting" if name == "supplement" else "scoring"]
    application = case.application
    with transaction.atomic():
        client.force_login(
            case.assessors[0]
            if name == "supplement"
            else staff_world["assessment"].assessor
        )
        post(client, reverse(f"beoordelen:{name}", args=[application.pk]), body)
        application.refresh_from_db()
        if application.status == Status.SUPPLEMENT_REQUESTED:
            first, last = hersteltermijn_bounds(today=timezone.localdate())
            due = timezone.localdate(application.supplement_due_at)
            assert first <= due <= last
        transaction.set_rollback(True)


@HOSTILE
@given(
    data=posts(
        st.fixed_dictionaries(
            {
                "ceiling_cents": st.just("250.000"),
                "four_eyes_threshold_cents": st.just("5.000"),
                "min_partial_cents": st.just("0"),
            }
        )
    )
)
def test_the_round_amounts_never_fail_and_stay_bounded(data):
    """The round's euro fields take any text: a form error, or cents within the
    field's bounds (never an overflow on save)."""
    from subsidies.wagtail_hooks import RoundViewSet

    form = RoundViewSet("rondes").get_form_class()(data=data)
    form.is_valid()
    for name in ("ceiling_cents", "four_eyes_threshold_cents", "min_partial_cents"):
        value = form.cleaned_data.get(name)
        assert value is None or 0 <= value <= 10_000_000_000
