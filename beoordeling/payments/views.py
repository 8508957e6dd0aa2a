"""Views of the payment screens in the Wagtail admin (thin: parse, call, redirect).

Every view needs the permission to manage payments (``subsidies.manage_payments``);
anyone else gets 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.roles import MANAGE_PAYMENTS

from ..models import (
    BankStatement,
    BatchStatus,
    PaymentBatch,
    PaymentInstruction,
    PaymentStatus,
    StatementStatus,
)
from . import selectors
from .exports import CONTENT_TYPES
from .forms import ComposeForm, DueUntilForm, MarkPaidForm, StatementForm
from .services import PaymentError, batches, planning, statements

TEMPLATES = "beoordeling/payments/"
#: The largest bank statement the upload takes (the parser refuses more as well).
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class ManagerMixin:
    """The permission is checked before any object is looked up (in ``setup``), so a
    user without it learns nothing, not even whether a batch exists."""

    def setup(self, request, *args, **kwargs):
        if not request.user.has_perm(MANAGE_PAYMENTS):
            raise PermissionDenied
        super().setup(request, *args, **kwargs)


class Page(ManagerMixin, WagtailAdminTemplateMixin, TemplateView):
    header_icon = "doc-full"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("betalingen:index"), "label": _("Betalingen")},
            {"url": "", "label": self.get_page_title()},
        ]


class IndexView(Page):
    template_name = TEMPLATES + "index.html"
    page_title = gettext_lazy("Betalingen")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        out, back = selectors.totals_due()
        context.update(
            due=selectors.open_outgoing()[:200],
            reclaims=selectors.open_reclaims()[:200],
            batches=selectors.batches(),
            statements=selectors.statements(),
            total_out=out,
            total_back=back,
        )
        return context


class SyncView(ManagerMixin, View):
    """Bring every ledger in line with its application (``plan_payments``)."""

    def post(self, request):
        changed = planning.plan_all()
        messages.success(
            request,
            _("De betalingen zijn bijgewerkt (%(count)s aanvragen gewijzigd).")
            % {"count": changed},
        )
        return redirect("betalingen:index")


class ComposeView(Page):
    template_name = TEMPLATES + "compose.html"
    page_title = gettext_lazy("Betaalbatch samenstellen")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        filter_form = DueUntilForm(request.GET or None)
        due_until = selectors.default_due_until()
        if filter_form.is_bound and filter_form.is_valid():
            due_until = filter_form.cleaned_data["tot"] or due_until
        self.filter_form = (
            filter_form
            if filter_form.is_bound
            else DueUntilForm(initial={"tot": due_until})
        )
        self.due_until = due_until
        self.candidates = selectors.composable(due_until=due_until)

    def rows(self, form):
        if form.is_bound:
            ticked = {str(v) for v in form.data.getlist("instructions")}
            accepted = {str(v) for v in form.data.getlist("accepted")}
        else:
            ticked, accepted = None, set()
        rows = []
        for instruction in self.candidates:
            check = batches.verify_payee(instruction.application.applicant)
            needs_tick = check.outcome.value in batches.NEEDS_TICK
            rows.append(
                {
                    "instruction": instruction,
                    "check": check,
                    "needs_tick": needs_tick,
                    "ticked": (not needs_tick)
                    if ticked is None
                    else str(instruction.pk) in ticked,
                    "accepted": str(instruction.pk) in accepted,
                }
            )
        return rows

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        form = form or ComposeForm(
            candidates=self.candidates,
            initial={"execution_date": selectors.default_execution_date()},
        )
        context.update(
            form=form,
            filter_form=self.filter_form,
            rows=self.rows(form),
            due_until=self.due_until,
        )
        return context

    def post(self, request, *args, **kwargs):
        form = ComposeForm(request.POST, candidates=self.candidates)
        if form.is_valid():
            try:
                batch = batches.batch_compose(
                    actor=request.user,
                    instruction_ids=[i.pk for i in form.cleaned_data["instructions"]],
                    accepted_ids=[i.pk for i in form.cleaned_data["accepted"]],
                    execution_date=form.cleaned_data["execution_date"],
                )
            except PaymentError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _(
                        "Batch %(reference)s is samengesteld. Een andere financieel "
                        "beheerder moet hem nu goedkeuren."
                    )
                    % {"reference": batch.reference},
                )
                return redirect("betalingen:batch", batch.pk)
        return self.render_to_response(self.get_context_data(form=form))


class BatchMixin:
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.batch = get_object_or_404(
            PaymentBatch.objects.select_related(
                "composed_by", "approved_by", "exported_by"
            ),
            pk=kwargs["payment_batch_id"],
        )


class BatchView(BatchMixin, Page):
    template_name = TEMPLATES + "batch.html"

    def get_page_title(self):
        return _("Betaalbatch %(reference)s") % {"reference": self.batch.reference}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        batch = self.batch
        context.update(
            batch=batch,
            items=selectors.batch_rows(batch),
            may_approve=batch.status == BatchStatus.CONCEPT
            and batch.composed_by_id != self.request.user.pk,
            is_composer=batch.composed_by_id == self.request.user.pk,
            may_cancel=batch.status in (BatchStatus.CONCEPT, BatchStatus.APPROVED),
            may_download=batch.status in (BatchStatus.APPROVED, BatchStatus.EXPORTED),
            may_release=batch.status == BatchStatus.EXPORTED,
        )
        return context


class BatchActionView(BatchMixin, ManagerMixin, View):
    action = None

    def post(self, request, payment_batch_id):
        service = {"approve": batches.batch_approve, "cancel": batches.batch_cancel}
        try:
            service[self.action](batch=self.batch, actor=request.user)
        except PaymentError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("De batch is goedgekeurd. U kunt de bestanden nu downloaden.")
                if self.action == "approve"
                else _("De batch is geannuleerd. De betalingen staan weer open."),
            )
        return redirect("betalingen:batch", payment_batch_id)


class BatchItemReleaseView(BatchMixin, ManagerMixin, View):
    """Take an unpaid item out of an exported batch (the bank did not pay it)."""

    def post(self, request, payment_batch_id, item_id):
        item = get_object_or_404(self.batch.items, pk=item_id)
        try:
            batches.batch_item_release(item=item, actor=request.user)
        except PaymentError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _(
                    "%(id)s is uit de batch gehaald en staat weer open. Zet hem in een "
                    "nieuwe batch of registreer de betaling met de hand."
                )
                % {"id": item.instruction.end_to_end_id},
            )
        return redirect("betalingen:batch", payment_batch_id)


class BatchDownloadView(BatchMixin, ManagerMixin, View):
    """POST, because the first download marks the batch exported."""

    def post(self, request, payment_batch_id, file_format):
        if file_format not in ("sepa", *CONTENT_TYPES):
            raise Http404
        batch = self.batch
        try:
            if file_format == "sepa":
                data = batches.batch_sepa(batch=batch, actor=request.user)
                content_type, extension = "application/xml", "xml"
            else:
                data = batches.batch_table(
                    batch=batch, actor=request.user, file_format=file_format
                )
                content_type, extension = CONTENT_TYPES[file_format], file_format
        except PaymentError as error:
            messages.error(request, str(error))
            return redirect("betalingen:batch", payment_batch_id)
        response = HttpResponse(data, content_type=content_type)
        name = f"betaalbatch-{batch.reference}.{extension}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class StatementUploadView(Page):
    template_name = TEMPLATES + "statement_upload.html"
    page_title = gettext_lazy("Bankafschrift inlezen")

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = form or StatementForm()
        return context

    def post(self, request, *args, **kwargs):
        form = StatementForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_UPLOAD_BYTES:
                form.add_error("file", _("Het bestand is groter dan 10 MB."))
            else:
                try:
                    statement = statements.statement_upload(
                        actor=request.user, file_name=upload.name, data=upload.read()
                    )
                except PaymentError as error:
                    form.add_error("file", str(error))
                else:
                    return redirect("betalingen:statement", statement.pk)
        return self.render_to_response(self.get_context_data(form=form))


class StatementView(Page):
    """The dry run of an uploaded statement, and its confirmation."""

    template_name = TEMPLATES + "statement.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.statement = get_object_or_404(BankStatement, pk=kwargs["statement_id"])

    def get_page_title(self):
        return _("Bankafschrift %(name)s") % {"name": self.statement.file_name}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        statement = self.statement
        lines = statements.statement_preview(statement)
        earlier = statements.already_processed(statement)
        context.update(
            statement=statement,
            lines=lines,
            changes=sum(1 for line in lines if line.changes),
            earlier=earlier,
            may_confirm=statement.status == StatementStatus.DRY_RUN and earlier is None,
        )
        return context

    def post(self, request, statement_id):
        try:
            lines = statements.statement_confirm(
                statement=self.statement, actor=request.user
            )
        except PaymentError as error:
            messages.error(request, str(error))
        else:
            done = sum(1 for line in lines if line.changes)
            messages.success(
                request,
                _("Het bankafschrift is verwerkt: %(count)s betalingen bijgewerkt.")
                % {"count": done},
            )
        return redirect("betalingen:statement", statement_id)


class MarkPaidView(Page):
    template_name = TEMPLATES + "mark_paid.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.instruction = get_object_or_404(
            PaymentInstruction.objects.select_related("application__applicant"),
            pk=kwargs["instruction_id"],
        )

    def get_page_title(self):
        return _("%(id)s met de hand registreren") % {
            "id": self.instruction.end_to_end_id
        }

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            instruction=self.instruction,
            form=form or MarkPaidForm(),
            is_open=self.instruction.status == PaymentStatus.OPEN,
            ledger=selectors.ledger_for(self.instruction.application),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = MarkPaidForm(request.POST)
        if form.is_valid():
            try:
                statements.mark_paid_by_hand(
                    instruction=self.instruction,
                    actor=request.user,
                    paid_on=form.cleaned_data["paid_on"],
                    note=form.cleaned_data["note"],
                )
            except PaymentError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("%(id)s is geregistreerd als betaald.")
                    % {"id": self.instruction.end_to_end_id},
                )
                return redirect("betalingen:index")
        return self.render_to_response(self.get_context_data(form=form))
