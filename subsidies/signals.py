"""Receivers that keep cached public figures honest.

The scheme facts (``selectors.scheme_public_facts``: money committed and in process,
the open round, the verdeelregel, the wijk guarantee) are cached between visits. Any
saved change that can move one of them drops that cache: an application that is not
a concept (submitted, withdrawn, assessed, decided: a decision is a save of the
application), or a round, scheme, published verdeelregel or wijk. A concept's saves
move no figure and leave the cache alone. The cache is dropped at once, for the rest
of the transaction, and again after the commit, so a visit between the two cannot
keep the old figures.

The reference lists of the form (``subsidies.reference_lists``) are dropped when a wijk,
buurt, doelgroep or thema is saved or deleted.

An eHerkenning login (``accounts.oidc.session.logged_in_with_identity``) makes the
user a member of every applicant whose KvK number an eHerkenning login verified and is
the organisation's: a colleague sees the organisation's applications. An applicant
whose KvK number was only typed is never joined: typing a number proves nothing.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from accounts.oidc import providers as oidc_providers
from accounts.oidc import session as oidc_session

from .models import (
    AllocationRule,
    Applicant,
    Application,
    Buurt,
    Round,
    Scheme,
    TargetGroup,
    Theme,
    Wijk,
)
from .reference_lists import reference_changed
from .selectors.schemes import scheme_facts_changed
from .workflow import Status


def drop_scheme_facts():
    """Drop the cached scheme facts now and again after the commit."""
    scheme_facts_changed()
    transaction.on_commit(scheme_facts_changed)


def application_saved(sender, instance, **kwargs):
    if instance.status != Status.DRAFT:
        drop_scheme_facts()


def facts_source_changed(sender, **kwargs):
    drop_scheme_facts()


def reference_list_changed(sender, **kwargs):
    """Forget the cached lists now (this transaction reads its own change) and
    again after the commit: another process that read the old rows meanwhile has
    stored them under the token of the first change."""
    reference_changed()
    transaction.on_commit(reference_changed)


def join_verified_organisation(sender, request, user, facts, **kwargs):
    """After an eHerkenning login: the user joins the organisation's verified
    applicants (same KvK number, verified), never one with a typed number."""
    if facts.provider != oidc_providers.EHERKENNING or not facts.kvk_number:
        return
    applicants = Applicant.objects.filter(
        kvk_number=facts.kvk_number, kvk_verified=True
    ).exclude(members=user)
    user.applicants.add(*applicants)


def connect():
    oidc_session.logged_in_with_identity.connect(
        join_verified_organisation, dispatch_uid="join-verified-organisation"
    )
    post_save.connect(application_saved, sender=Application, dispatch_uid="facts-app")
    post_delete.connect(
        facts_source_changed, sender=Application, dispatch_uid="facts-app-delete"
    )
    for model in (Round, Scheme, AllocationRule, Wijk):
        for signal in (post_save, post_delete):
            signal.connect(
                facts_source_changed,
                sender=model,
                dispatch_uid=f"facts-{model.__name__}-{signal is post_save}",
            )
    for model in (Wijk, Buurt, TargetGroup, Theme):
        for signal in (post_save, post_delete):
            signal.connect(
                reference_list_changed,
                sender=model,
                dispatch_uid=f"reference-{model.__name__}-{signal is post_save}",
            )
