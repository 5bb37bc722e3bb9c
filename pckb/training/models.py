"""Training conferences: the topic catalogue and question bank, conferences with their agenda, invitations,
participants and check-in, pre/post knowledge tests with attempts, and certificates."""

import secrets

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pckb.core.models import ClassifiedMixin, PckbModel, classification_via
from pckb.directory.models import Person
from pckb.training.choices import ConferenceFormat, ConferenceStatus, QuestionKind, SessionKind, TestKind

#: Personal codes avoid look-alike characters (0/O, 1/I/L) so they can be typed from a printed card.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
MATERIAL_EXTENSIONS = ["pdf", "docx", "pptx", "xlsx", "odt", "odp", "png", "jpg", "jpeg"]
MATERIAL_MAX_BYTES = 20 * 1024 * 1024


def new_code(length: int = 10) -> str:
    """An unguessable personal code: 10 characters of 31 → about 49 bits."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


validate_material_type = FileExtensionValidator(
    MATERIAL_EXTENSIONS,
    message=_("Không nhận tệp “.%(extension)s”; chỉ nhận: %(allowed_extensions)s."),
)


def validate_material_size(upload) -> None:
    if upload.size > MATERIAL_MAX_BYTES:
        raise ValidationError(_("Tệp vượt quá 20 MB."))


class Topic(PckbModel):
    """A training topic (chuyên đề) of the national catalogue, with materials and a question bank."""

    code = models.CharField(_("mã"), max_length=16, unique=True)
    title = models.CharField(_("tên chuyên đề"), max_length=300)
    description = models.TextField(_("mô tả"), blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)
    active = models.BooleanField(_("đang sử dụng"), default=True)

    search_fields = ("code", "title", "description")

    class Meta:
        verbose_name = _("chuyên đề")
        verbose_name_plural = pgettext_lazy("số nhiều", "chuyên đề")
        ordering = ("order", "code")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:topic", args=[self.pk])


class TopicMaterial(PckbModel):
    """A file for a topic (slides, handouts); a new upload with the same title is the next version."""

    topic = models.ForeignKey(
        Topic, verbose_name=_("chuyên đề"), on_delete=models.CASCADE, related_name="materials"
    )
    title = models.CharField(_("tên tài liệu"), max_length=255)
    file = models.FileField(
        _("tệp"),
        upload_to="training/materials/%Y/",
        validators=[validate_material_type, validate_material_size],
        help_text=_("PDF, DOCX, PPTX, XLSX, ODT, ODP, PNG, JPG; tối đa 20 MB."),
    )
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1)

    class Meta:
        verbose_name = _("tài liệu")
        verbose_name_plural = pgettext_lazy("số nhiều", "tài liệu")
        ordering = ("topic", "title", "-version")

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    def get_absolute_url(self) -> str:
        return reverse("training:topic", args=[self.topic_id])


class Question(PckbModel):
    """A multiple-choice question of a topic's bank."""

    topic = models.ForeignKey(
        Topic, verbose_name=_("chuyên đề"), on_delete=models.PROTECT, related_name="questions"
    )
    text = models.TextField(_("câu hỏi"))
    kind = models.CharField(
        _("loại"), max_length=16, choices=QuestionKind.choices, default=QuestionKind.SINGLE
    )
    explanation = models.TextField(_("giải thích đáp án"), blank=True)
    active = models.BooleanField(_("đang sử dụng"), default=True)

    search_fields = ("text",)

    class Meta:
        verbose_name = _("câu hỏi")
        verbose_name_plural = pgettext_lazy("số nhiều", "câu hỏi")
        ordering = ("topic", "id")

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("training:topic", args=[self.topic_id])


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("phương án"), max_length=500)
    is_correct = models.BooleanField(_("đúng"), default=False)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("phương án")
        verbose_name_plural = pgettext_lazy("số nhiều", "phương án")
        ordering = ("question", "order", "id")

    def __str__(self) -> str:
        return self.text


class Conference(ClassifiedMixin, PckbModel):
    """A training conference (hội nghị tập huấn) organised by a steering committee."""

    committee = models.ForeignKey(
        "directory.Committee",
        verbose_name=_("Ban Chỉ đạo tổ chức"),
        on_delete=models.PROTECT,
        related_name="conferences",
    )
    co_organisers = models.TextField(
        _("đơn vị phối hợp"),
        blank=True,
        help_text=_("Mỗi dòng một đơn vị, ví dụ: Văn phòng Thường trực Ban Chỉ đạo PCKB quốc gia."),
    )
    title = models.CharField(_("tên hội nghị"), max_length=300)
    start = models.DateTimeField(_("bắt đầu"))
    end = models.DateTimeField(_("kết thúc"))
    venue = models.CharField(_("địa điểm"), max_length=300)
    venue_unit = models.ForeignKey(
        "geo.AdministrativeUnit", verbose_name=_("địa bàn"), on_delete=models.PROTECT, related_name="+"
    )
    format = models.CharField(
        _("hình thức"), max_length=16, choices=ConferenceFormat.choices, default=ConferenceFormat.IN_PERSON
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=ConferenceStatus.choices, default=ConferenceStatus.PLANNED
    )
    requires_test = models.BooleanField(_("cấp chứng nhận khi đạt bài kiểm tra đầu ra"), default=False)
    pass_mark = models.PositiveSmallIntegerField(
        _("điểm đạt (%)"), default=50, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    # Who signs the report, the invitations and the certificates, and the report's date: printed as
    # recorded here, never looked up again when a document is made.
    signer = models.ForeignKey(
        "directory.Person",
        verbose_name=_("người ký văn bản"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signed_conferences",
        help_text=_("Người ký báo cáo, giấy mời và giấy chứng nhận của hội nghị."),
    )
    signer_authority = models.CharField(
        _("thẩm quyền ký"),
        max_length=64,
        blank=True,
        help_text=_("Ví dụ: TM. BAN CHỈ ĐẠO; KT. TRƯỞNG BAN. Để trống nếu người đứng đầu ký trực tiếp."),
    )
    signer_title = models.CharField(
        _("chức danh người ký"),
        max_length=120,
        blank=True,
        help_text=_("Ví dụ: TRƯỞNG BAN; PHÓ TRƯỞNG BAN THƯỜNG TRỰC."),
    )
    report_date = models.DateField(
        _("ngày ký báo cáo"),
        null=True,
        blank=True,
        help_text=_("Để trống khi chưa ký: báo cáo in “ngày … tháng … năm …” để ghi tay."),
    )

    #: The signer is a directory record with its own classification: shown only to who may see it.
    guarded_relations = ("signer",)
    scope_path = "committee__unit"
    search_fields = ("title", "venue", "co_organisers")

    class Meta:
        verbose_name = _("hội nghị tập huấn")
        verbose_name_plural = pgettext_lazy("số nhiều", "hội nghị tập huấn")
        ordering = ("-start", "id")

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("Thời gian kết thúc phải sau thời gian bắt đầu.")})
        if self.signer_id and not self.signer_title.strip():
            raise ValidationError({"signer_title": _("Cần nhập chức danh của người ký.")})
        if self.report_date and self.start and self.report_date < timezone.localtime(self.start).date():
            raise ValidationError({"report_date": _("Ngày ký báo cáo không thể trước ngày khai mạc.")})

    def get_absolute_url(self) -> str:
        return reverse("training:conference", args=[self.pk])

    @property
    def document_gaps(self) -> list[str]:
        """What the printed documents would leave blank, to be shown before anyone prints them."""
        gaps = []
        if not self.signer_id:
            gaps.append(
                _(
                    "Chưa chọn người ký: báo cáo, giấy mời và giấy chứng nhận sẽ in chỗ trống "
                    "“[Họ và tên người ký]”."
                )
            )
        if not self.report_date and self.status in (ConferenceStatus.HELD, ConferenceStatus.REPORTED):
            gaps.append(_("Chưa nhập ngày ký báo cáo: báo cáo sẽ in “ngày … tháng … năm …”."))
        return gaps

    @property
    def co_organiser_list(self) -> list[str]:
        return [line.strip() for line in self.co_organisers.splitlines() if line.strip()]

    @property
    def is_upcoming(self) -> bool:
        return self.start > timezone.now()


class Session(PckbModel):
    """An agenda item: a speech, a thematic report, a discussion."""

    conference = models.ForeignKey(
        Conference, verbose_name=_("hội nghị"), on_delete=models.CASCADE, related_name="sessions"
    )
    start = models.DateTimeField(_("bắt đầu"))
    end = models.DateTimeField(_("kết thúc"))
    kind = models.CharField(_("nội dung"), max_length=16, choices=SessionKind.choices)
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("chuyên đề"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    title = models.CharField(_("tiêu đề"), max_length=300)
    presenter = models.ForeignKey(
        "directory.Person",
        verbose_name=_("báo cáo viên (trong danh bạ)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_sessions",
    )
    external_presenter = models.CharField(
        _("báo cáo viên bên ngoài"),
        max_length=300,
        blank=True,
        help_text=_("Cấp bậc, chức vụ, đơn vị, ví dụ: Báo cáo viên Văn phòng Thường trực BCĐ PCKB quốc gia."),
    )
    material = models.FileField(
        _("tài liệu phiên"),
        upload_to="training/sessions/%Y/",
        blank=True,
        validators=[validate_material_type, validate_material_size],
    )

    scope_path = "conference__committee__unit"
    classification_paths = classification_via("conference", Conference)
    guarded_relations = ("presenter",)  # a presenter's record may be above the reader's clearance
    search_fields = ("title", "external_presenter")

    class Meta:
        verbose_name = _("phiên hội nghị")
        verbose_name_plural = pgettext_lazy("số nhiều", "chương trình hội nghị")
        ordering = ("conference", "start", "id")

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.kind == SessionKind.REPORT and not self.topic_id:
            raise ValidationError({"topic": _("Báo cáo chuyên đề cần chọn chuyên đề.")})
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("Thời gian kết thúc phải sau thời gian bắt đầu.")})
        self._clean_within_conference_days()

    def _clean_within_conference_days(self) -> None:
        """An agenda item happens on the conference's own day(s): a typing slip in the date (2042 for 2024,
        the wrong month) is refused with the days it may take."""
        if not self.conference_id or not (self.conference.start and self.conference.end):
            return
        first = timezone.localtime(self.conference.start).date()
        last = max(first, timezone.localtime(self.conference.end).date())
        if first == last:
            days = _("ngày {day}").format(day=first.strftime("%d/%m/%Y"))
        else:
            days = _("từ ngày {first} đến ngày {last}").format(
                first=first.strftime("%d/%m/%Y"), last=last.strftime("%d/%m/%Y")
            )
        errors = {}
        for name in ("start", "end"):
            moment = getattr(self, name)
            if moment and not first <= timezone.localtime(moment).date() <= last:
                errors[name] = _("Phiên phải diễn ra trong thời gian hội nghị ({days}).").format(days=days)
        if errors:
            raise ValidationError(errors)

    @property
    def presenter_display(self) -> str:
        person = self.presenter if self.presenter_id else None  # None too when withheld from the reader
        if person is not None:
            return " ".join(p for p in (person.rank, person.full_name) if p) + f", {person.title}"
        return self.external_presenter

    def get_absolute_url(self) -> str:
        return reverse("training:conference", args=[self.conference_id])


#: More delegates than this from one agency is a typing slip (and 70,000 does not fit the column).
MAX_QUOTA = 500


class Invitation(PckbModel):
    """An invited agency with its delegate quota."""

    conference = models.ForeignKey(
        Conference, verbose_name=_("hội nghị"), on_delete=models.CASCADE, related_name="invitations"
    )
    agency = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("cơ quan, đơn vị được mời"),
        on_delete=models.PROTECT,
        related_name="training_invitations",
    )
    quota = models.PositiveSmallIntegerField(
        _("số đại biểu"), default=1, validators=[MinValueValidator(1), MaxValueValidator(MAX_QUOTA)]
    )
    letter_number = models.CharField(_("số giấy mời"), max_length=64, blank=True)
    sent_on = models.DateField(_("ngày gửi"), null=True, blank=True)

    scope_path = "conference__committee__unit"
    classification_paths = classification_via("conference", Conference)

    class Meta:
        verbose_name = _("giấy mời")
        verbose_name_plural = pgettext_lazy("số nhiều", "giấy mời")
        ordering = ("conference", "agency__sort_key", "id")
        constraints = [
            models.UniqueConstraint(fields=["conference", "agency"], name="invitation_once_per_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} — {self.conference}"

    def get_absolute_url(self) -> str:
        return reverse("training:conference", args=[self.conference_id])


class Participant(PckbModel):
    """A delegate of a conference, with a personal code for check-in and tests (no account needed)."""

    # PROTECT: a conference with delegates (and so with results) cannot be deleted; it is a record.
    conference = models.ForeignKey(
        Conference, verbose_name=_("hội nghị"), on_delete=models.PROTECT, related_name="participants"
    )
    person = models.ForeignKey(
        "directory.Person",
        verbose_name=_("đại biểu"),
        on_delete=models.PROTECT,
        related_name="training_participations",
    )
    invitation = models.ForeignKey(
        Invitation,
        verbose_name=_("theo giấy mời"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participants",
    )
    code = models.CharField(_("mã cá nhân"), max_length=16, unique=True, default=new_code, editable=False)
    checked_in_at = models.DateTimeField(_("điểm danh lúc"), null=True, blank=True)
    walk_in = models.BooleanField(_("đến không theo danh sách"), default=False)
    checkin_override_reason = models.TextField(
        _("lý do điểm danh ngoài thời gian hội nghị"),
        blank=True,
        editable=False,
        help_text=_("Ghi khi Văn phòng Thường trực cho điểm danh ngoài thời gian của hội nghị."),
    )

    scope_path = "conference__committee__unit"
    #: A delegate is as classified as the conference and as the official's own record.
    classification_paths = (
        *classification_via("conference", Conference),
        *classification_via("person", Person),
        *classification_via("invitation", Invitation),  # nullable: a walk-in has none, and stays visible
    )

    class Meta:
        verbose_name = _("đại biểu")
        verbose_name_plural = pgettext_lazy("số nhiều", "đại biểu")
        ordering = ("conference", "person__sort_key", "id")
        constraints = [
            models.UniqueConstraint(fields=["conference", "person"], name="participant_once_per_conference"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.conference}"

    def get_absolute_url(self) -> str:
        return reverse("training:participant", args=[self.pk])


class KnowledgeTest(PckbModel):
    """A pre- or post-test built from the question bank, taken on a phone with the personal code."""

    conference = models.ForeignKey(
        Conference, verbose_name=_("hội nghị"), on_delete=models.CASCADE, related_name="tests"
    )
    kind = models.CharField(_("loại bài"), max_length=8, choices=TestKind.choices)
    opens_at = models.DateTimeField(_("mở lúc"))
    closes_at = models.DateTimeField(_("đóng lúc"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("thời gian làm bài (phút)"), default=15, validators=[MinValueValidator(1), MaxValueValidator(180)]
    )
    questions = models.ManyToManyField(Question, through="TestItem", related_name="tests")

    scope_path = "conference__committee__unit"
    classification_paths = classification_via("conference", Conference)

    class Meta:
        verbose_name = _("bài kiểm tra")
        verbose_name_plural = pgettext_lazy("số nhiều", "bài kiểm tra")
        ordering = ("conference", "kind")
        constraints = [models.UniqueConstraint(fields=["conference", "kind"], name="one_test_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.conference}"

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("Thời điểm đóng phải sau thời điểm mở.")})

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def get_absolute_url(self) -> str:
        return reverse("training:test", args=[self.pk])


class TestItem(models.Model):
    test = models.ForeignKey(KnowledgeTest, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("test", "order")
        constraints = [models.UniqueConstraint(fields=["test", "question"], name="question_once_per_test")]

    def __str__(self) -> str:
        return f"{self.order}. {self.question}"


class Attempt(models.Model):
    """One attempt per participant and test; scored when submitted."""

    test = models.ForeignKey(KnowledgeTest, on_delete=models.CASCADE, related_name="attempts")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="attempts")
    started_at = models.DateTimeField(_("bắt đầu làm bài"))
    submitted_at = models.DateTimeField(_("nộp bài lúc"), null=True, blank=True)
    score = models.FloatField(_("điểm"), null=True, blank=True)
    max_score = models.FloatField(_("điểm tối đa"), default=0)
    #: The order this attempt shows, drawn once when it starts so a reload shows the same order:
    #: {"questions": [question id, …], "choices": {"<question id>": [choice id, …]}}. Scoring is by choice id.
    order = models.JSONField(_("thứ tự câu hỏi và phương án"), default=dict, blank=True)

    class Meta:
        verbose_name = _("lượt làm bài")
        verbose_name_plural = pgettext_lazy("số nhiều", "lượt làm bài")
        constraints = [models.UniqueConstraint(fields=["test", "participant"], name="one_attempt")]

    def __str__(self) -> str:
        return f"{self.participant.person} — {self.test.get_kind_display()}"

    @property
    def percent(self) -> float | None:
        return None if self.score is None or not self.max_score else 100 * self.score / self.max_score


class Answer(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    selected = models.JSONField(_("phương án đã chọn"), default=list)
    score = models.FloatField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.question_id}"


class Certificate(PckbModel):
    """A certificate of attendance; its verification code opens a public page with minimal data."""

    participant = models.OneToOneField(Participant, on_delete=models.PROTECT, related_name="certificate")
    number = models.CharField(_("số chứng nhận"), max_length=32, unique=True)
    verify_code = models.CharField(_("mã xác minh"), max_length=24, unique=True, default=new_code)
    issued_on = models.DateField(_("ngày cấp"))
    revoked = models.BooleanField(_("đã thu hồi"), default=False)

    scope_path = "participant__conference__committee__unit"
    classification_paths = classification_via("participant", Participant)

    class Meta:
        verbose_name = _("giấy chứng nhận")
        verbose_name_plural = pgettext_lazy("số nhiều", "giấy chứng nhận")
        ordering = ("number",)

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("training:participant", args=[self.participant_id])
