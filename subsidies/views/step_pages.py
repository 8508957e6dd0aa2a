"""A form in steps, the one law of the application form (``views.form``) and the
verantwoording (``views.report``).

Every step saves: what is valid is stored even when the step has errors (when the
step ``saves_valid_parts``), and the page comes back with everything as it was typed,
the errors at the fields and in a summary above the form. A step page carries, in a
hidden field, how often the step had been saved when it was shown; a save from a page
shown before another tab's save is refused with what is stored now ("Nu bewaard"),
and the form keeps what was typed, to save again on purpose. The same form arriving
twice (a double click) saves once.

``StepFlow`` is that law; a subclass says where its steps are stored (the
application or its report), how they are called in URLs and what "Opslaan" leads to.
``StepPage`` is one step: its forms, how they fill and how they are stored.
``DocumentsPage`` is the step that adds and removes single files; it replaces
nothing, so it has no version check.
"""

import hashlib
from contextlib import contextmanager

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import selectors, services, steps
from ..forms import error_summary
from ..money import euros_to_cents
from ..services import WorkflowError

#: Buttons that keep the resident on the same step after saving.
STAY_ACTIONS = {"add_partner", "add_line", "add_other", "upload"}
#: The hidden field with the number of saves of the step the page was shown with.
VERSION_FIELD = "stap_versie"


class StepPage:
    """One step of a form: which forms it has, how they fill, how they are stored."""

    template = ""
    #: Does the step store its correct fields when other fields have errors?
    saves_valid_parts = True
    #: Does a save replace what the step stored (and so need the version check)?
    versioned = True

    def __init__(self, request, application):
        self.request = request
        self.application = application
        self.user = request.user

    def bind(self, data=None, files=None):  # pragma: no cover - abstract
        raise NotImplementedError

    def save(self, forms):  # pragma: no cover - abstract
        raise NotImplementedError

    def save_valid_parts(self, forms):
        """Store what was typed correctly on a step that still has errors."""

    def context(self, forms):
        return {}


class DocumentsPage(StepPage):
    """The step that adds one file at a time to the application and lists the
    resident's files, each with a button to remove it (``remove_document``).

    A subclass names the form (``form_class``), the services that add and remove
    (``add`` and ``remove``, static methods called with keywords), the files it lists
    (``documents``), which kinds it may remove (``kinds``, None for any the
    resident may) and where it lives (``url_name`` and ``slug``)."""

    saves_valid_parts = False
    versioned = False
    form_class = None
    add = remove = documents = None
    kinds = None
    url_name = ""
    slug = ""

    def bind(self, data=None, files=None):
        action = (data or {}).get("action")
        return {
            "form": self.form_class(
                data,
                files,
                require_file=action == "upload",
                usage=selectors.document_usage(self.application),
            )
        }

    def added_fields(self, form):
        """What the ``add`` service needs beyond the file (the form's own fields)."""
        return {}

    def save(self, forms):
        form = forms["form"]
        if form.cleaned_data.get("file"):
            self.add(
                application=self.application,
                user=self.user,
                uploaded_file=form.cleaned_data["file"],
                checked=form.checked,
                **self.added_fields(form),
            )
            messages.success(
                self.request,
                _("Wij hebben het bestand %(name)s toegevoegd.")
                % {"name": form.checked.name},
            )

    def context(self, forms):
        return {"documents": self.documents(self.application)}

    @classmethod
    def remove_document(cls, request, reference, pk):
        """The "Verwijderen" button: remove the file, back to the step."""
        documents = selectors.documents_for_user(request.user)
        if cls.kinds is not None:
            documents = documents.filter(kind__in=cls.kinds)
        document = get_object_or_404(documents, application__reference=reference, pk=pk)
        try:
            cls.remove(document=document, user=request.user)
        except WorkflowError as error:
            messages.error(request, str(error))
            return redirect("subsidies:detail", reference=reference)
        messages.success(
            request, _("Het bestand %(name)s is verwijderd.") % {"name": document}
        )
        return redirect(cls.url_name, reference=reference, step=cls.slug)


class StepFlow:
    """The steps of one form for one application, shown and saved by one law.

    A subclass names its steps (``sequence``), their pages (``pages``, slug to
    ``StepPage``), the URL name of a step (``url_name``) and fills in where the steps
    are stored (the methods that raise ``NotImplementedError``)."""

    sequence = ()
    pages = {}
    url_name = ""

    def __init__(self, request, application):
        self.request = request
        self.user = request.user
        self.application = application

    # --- what each form stores where ------------------------------------------------

    def page(self, slug):
        return self.pages[slug](self.request, self.application)

    def step_saving(self, *, step, version, fingerprint):  # pragma: no cover
        """The service's version check around one save of ``step``."""
        raise NotImplementedError

    def step_version(self, step, *, posted):  # pragma: no cover
        """How often ``step`` was saved, for the page's hidden field."""
        raise NotImplementedError

    def reload(self):  # pragma: no cover
        """Read the stored record again after another request saved it."""
        raise NotImplementedError

    def set_step(self, slug):  # pragma: no cover
        """Remember the step the resident is on, to resume there later."""
        raise NotImplementedError

    def visit(self, slug):
        """A step page is shown: remember it."""
        self.set_step(slug)

    def sections(self):  # pragma: no cover
        """What is stored, step by step, as the last step shows it."""
        raise NotImplementedError

    def steps_done(self):  # pragma: no cover
        raise NotImplementedError

    def saved(self):  # pragma: no cover
        """Where "Opslaan" leads, with its message."""
        raise NotImplementedError

    def extra_context(self):
        return {}

    last_template = ""

    def send(self, form):  # pragma: no cover
        """Send the valid form of the last step; the response after sending. A
        ``WorkflowError`` says why it cannot go (``refusal``)."""
        raise NotImplementedError

    def refusal(self, error):
        """The error summary's items for a send that was refused."""
        return [{"href": "#versturen", "text": str(error)}]

    def last_context(self):  # pragma: no cover
        """What the last step shows besides its form: all that is stored, what is
        missing, read fresh from the database after the visit is remembered."""
        raise NotImplementedError

    # --- the law ----------------------------------------------------------------------

    def step_url(self, slug):
        return reverse(self.url_name, args=[self.application.reference, slug])

    def show(self, current):
        """The step page: on a POST save it, then go on or show it with the errors."""
        request, step = self.request, current.slug
        page = self.page(step)
        conflict = None
        posted = request.method == "POST"
        if posted:
            forms = page.bind(request.POST, request.FILES)
            action = request.POST.get("action", "next")
            valid = _valid(forms)
            try:
                if valid or page.saves_valid_parts:
                    with self._saving(page, step):
                        if valid:
                            page.save(forms)
                        else:
                            page.save_valid_parts(forms)
            except services.StepSavedElsewhere as error:
                conflict = str(error)
                self.reload()
            except services.StepAlreadySaved:
                # The same form arrived twice (a double click): the first one saved it.
                if valid:
                    return self.after_save(current, action)
                self.reload()
            else:
                if valid:
                    return self.after_save(current, action)
        else:
            forms = page.bind()
        step_version = self.step_version(step, posted=posted)
        self.visit(step)
        return render(
            request,
            page.template,
            {
                **self.context(current, forms),
                "saves_valid_parts": page.saves_valid_parts,
                "step_version": step_version if page.versioned else None,
                "version_field": VERSION_FIELD,
                "conflict": conflict,
                "stored_now": self.stored_now(step) if conflict else None,
                **page.context(forms),
            },
        )

    def show_last(self, current, form):
        """The last step: send when the form is valid and the rest complete, else
        show all that is stored with what is missing."""
        extra_errors = []
        if self.request.method == "POST" and form.is_valid():
            try:
                return self.send(form)
            except WorkflowError as error:
                extra_errors = self.refusal(error)
        self.set_step(current.slug)
        # First: it reads the stored record again, which the list of steps shows.
        shown = self.last_context()
        return render(
            self.request,
            self.last_template,
            {**self.context(current, {"form": form}, extra_errors), **shown},
        )

    @contextmanager
    def _saving(self, page, step):
        """The version check around a step's save; none for a documents step."""
        if not page.versioned:
            yield
            return
        with self.step_saving(
            step=step,
            version=self.request.POST.get(VERSION_FIELD),
            fingerprint=_post_fingerprint(self.request),
        ):
            yield

    def stored_now(self, step):
        """What is stored for ``step`` now, as on the last step: (label, value) rows."""
        return next(
            (section for section in self.sections() if section.step == step), None
        )

    def after_save(self, current, action):
        if action in STAY_ACTIONS:
            return redirect(self.step_url(current.slug))
        if action == "save":
            return self.saved()
        target = (
            steps.previous_step(current.slug, self.sequence)
            if action == "previous"
            else steps.next_step(current.slug, self.sequence)
        ) or current
        self.set_step(target.slug)
        return redirect(self.step_url(target.slug))

    def context(self, current, forms, extra_errors=()):
        """What every step page shows: the list of steps, the way back and on, and
        the errors of its forms (and ``extra_errors``) in a summary."""
        done = self.steps_done()
        return {
            "application": self.application,
            "step": current,
            "steps": [
                {
                    "step": item,
                    "is_current": item.slug == current.slug,
                    "done": item.slug in done,
                    "url": self.step_url(item.slug),
                }
                for item in self.sequence
            ],
            "previous": steps.previous_step(current.slug, self.sequence),
            "next": steps.next_step(current.slug, self.sequence),
            "errors": error_summary(*forms.values()) + list(extra_errors),
            **self.extra_context(),
            **forms,
        }


def _valid(forms):
    # Validate every form (no short cut), so every error shows at once.
    results = [form.is_valid() for form in forms.values()]
    return all(results)


def _post_fingerprint(request):
    """What was posted, without the CSRF token: the same twice means a double click."""
    digest = hashlib.sha256()
    for key in sorted(request.POST):
        if key == "csrfmiddlewaretoken":
            continue
        for value in request.POST.getlist(key):
            digest.update(f"{key}\0{value}\0".encode())
    return digest.hexdigest()


def typed_total(formset, name="amount"):
    """The sum of the amounts a bound formset could read, rows to remove left out."""
    total = 0
    for form in formset.forms:
        data = getattr(form, "cleaned_data", {})
        if data.get(name) is not None and not data.get("DELETE"):
            total += euros_to_cents(data[name])
    return total
