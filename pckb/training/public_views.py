"""Pages reached with a personal code (no account): the delegate's own page, the tests, and the public
certificate check. Code look-ups are rate-limited per address (sized for a hall of delegates behind one
NAT address) and per code, and an unknown code says only that."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views import View

from pckb.core import ratelimit
from pckb.training import forms, selectors
from pckb.training import services as training
from pckb.training.models import Certificate, KnowledgeTest, Participant


def _lookup_allowed(request, bucket: str, code: str) -> None:
    """Count one look-up of ``code`` against the address's and the code's own limit per minute."""
    by_address = ratelimit.hit(request, bucket, limit=settings.PCKB_CODE_LOOKUPS_PER_ADDRESS_PER_MINUTE)
    by_code = ratelimit.allow(
        f"{bucket}-code", code.strip().upper(), limit=settings.PCKB_CODE_LOOKUPS_PER_CODE_PER_MINUTE
    )
    if not (by_address and by_code):
        raise TooManyLookups


def _participant(request, code: str) -> Participant:
    _lookup_allowed(request, "code", code)
    participant = (
        Participant.objects.select_related("person", "person__agency", "conference")
        .filter(code=code.strip().upper())
        .first()
    )
    if participant is None:
        raise Http404
    return participant


class TooManyLookups(Exception):
    pass


class _CodeView(View):
    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except TooManyLookups:
            return render(request, "training/public/too_many.html", status=429)


class CodeEntryView(_CodeView):
    """Type the code from the invitation card (or scan its QR code, which opens the page directly)."""

    def get(self, request):
        code = request.GET.get("ma", "").strip().upper()
        if code:
            _participant(request, code)  # 404 for an unknown code, rate-limited
            return HttpResponseRedirect(reverse("training:public_home", args=[code]))
        return render(request, "training/public/entry.html", {"title": _("Nhập mã đại biểu")})


class PublicHomeView(_CodeView):
    """The delegate's own page: the conference, open tests, own results, own certificate. Nothing else."""

    def get(self, request, code):
        participant = _participant(request, code)
        tests = participant.conference.tests.all()
        attempts = {a.test_id: a for a in selectors.own_attempts(participant)}
        return render(
            request,
            "training/public/home.html",
            {
                "participant": participant,
                "title": participant.conference.title,
                "now": timezone.now(),
                "tests": [(t, attempts.get(t.pk)) for t in tests],
                "certificate": Certificate.objects.filter(participant=participant, revoked=False).first(),
            },
        )


class TakeTestView(_CodeView):
    """A timed, single attempt on a phone; scored on submission; refused after the deadline."""

    def _setup(self, request, code, kind):
        participant = _participant(request, code)
        test = KnowledgeTest.objects.filter(conference=participant.conference, kind=kind).first()
        if test is None:
            raise Http404
        items = list(test.items.select_related("question").prefetch_related("question__choices"))
        return participant, test, items

    def get(self, request, code, kind):
        participant, test, items = self._setup(request, code, kind)
        try:
            attempt = training.attempt_start(participant=participant, test=test)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(reverse("training:public_home", args=[participant.code]))
        items = training.attempt_items(attempt, items)  # this attempt's own order of questions and options
        deadline = training._deadline(attempt)
        return render(
            request,
            "training/public/test.html",
            {
                "participant": participant,
                "test": test,
                "form": forms.AnswerForm(items=items),
                "deadline": deadline,
                "title": test.get_kind_display(),
                "seconds_left": max(0, int((deadline - timezone.now()).total_seconds())),
            },
        )

    def post(self, request, code, kind):
        participant, test, items = self._setup(request, code, kind)
        form = forms.AnswerForm(request.POST, items=items)
        if form.is_valid():
            try:
                attempt = training.attempt_submit(participant=participant, test=test, answers=form.answers())
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(
                    request,
                    _("Đã nộp bài: {score}/{max} câu đúng.").format(
                        score=int(attempt.score), max=int(attempt.max_score)
                    ),
                )
        else:
            messages.error(request, _("Bài làm không hợp lệ."))
        return HttpResponseRedirect(reverse("training:public_home", args=[participant.code]))


class ReviewAttemptView(_CodeView):
    """After a test closes, the delegate reviews their own answers: what they chose, the correct options and
    the explanation (Moodle's "review after the quiz is closed"). Before it closes, nothing is shown."""

    def get(self, request, code, kind):
        participant = _participant(request, code)
        test = KnowledgeTest.objects.filter(conference=participant.conference, kind=kind).first()
        attempt = selectors.own_attempts(participant).filter(test=test, submitted_at__isnull=False).first()
        if test is None or attempt is None:
            raise Http404
        if timezone.now() < test.closes_at:
            messages.info(
                request,
                _("Bạn xem lại bài làm được sau khi bài kiểm tra đóng lúc {t}.").format(
                    t=formats.date_format(timezone.localtime(test.closes_at), "H:i d/m/Y")
                ),
            )
            return HttpResponseRedirect(reverse("training:public_home", args=[participant.code]))
        items = list(test.items.select_related("question").prefetch_related("question__choices"))
        answers = {a.question_id: a for a in attempt.answers.all()}
        rows = []
        for number, item in enumerate(training.attempt_items(attempt, items), start=1):
            answer = answers.get(item.question_id)
            chosen = set(answer.selected) if answer else set()
            rows.append(
                {
                    "number": number,
                    "question": item.question,
                    "choices": [(c, c.pk in chosen) for c in item.choices_in_order],
                    "score": answer.score if answer else 0,
                }
            )
        return render(
            request,
            "training/public/review.html",
            {
                "participant": participant,
                "test": test,
                "attempt": attempt,
                "rows": rows,
                "title": _("Xem lại bài làm: {test}").format(test=test.get_kind_display()),
            },
        )


class OwnCertificateView(_CodeView):
    """The delegate downloads their own certificate (and only theirs) with the personal code."""

    def get(self, request, code):
        from django.http import HttpResponse

        from pckb.training.reports import certificates_pdf

        participant = _participant(request, code)
        made = certificates_pdf(
            participant.conference, request, Participant.objects.filter(pk=participant.pk)
        )
        if made is None:
            raise Http404
        response = HttpResponse(made[0], content_type=made[1])
        response["Content-Disposition"] = f'attachment; filename="chung-nhan-{participant.pk}.pdf"'
        return response


class CertificateVerifyView(_CodeView):
    """Public: name, conference, date and validity — nothing more."""

    def get(self, request, code):
        _lookup_allowed(request, "verify", code)
        certificate = (
            Certificate.objects.select_related("participant__person", "participant__conference")
            .filter(verify_code=code.strip().upper())
            .first()
        )
        return render(
            request,
            "training/public/verify.html",
            {
                "certificate": certificate,
                "title": _("Xác minh giấy chứng nhận"),
                "code": code,
            },
            status=200 if certificate else 404,
        )
