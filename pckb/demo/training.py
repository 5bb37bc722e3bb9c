"""Training demo: the five topics with a question bank, the two source conferences as they happened
(Hậu Giang — now Cần Thơ — on 11/6/2024 and TP.HCM on 23/7/2024) with fictional people, one upcoming
Cần Thơ conference with open invitations and a pre-test, and one Mật conference of Cần Thơ (delegates, tests
and certificates that accounts cleared only for Thường must never see)."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo

from django.utils import timezone

from pckb.core.choices import Classification
from pckb.directory.choices import AgencyKind as K
from pckb.directory.models import Agency, Committee, Person
from pckb.geo.models import AdministrativeUnit
from pckb.training.choices import ConferenceStatus, QuestionKind, SessionKind, TestKind
from pckb.training.models import (
    Answer,
    Attempt,
    Certificate,
    Choice,
    Conference,
    Invitation,
    KnowledgeTest,
    Participant,
    Question,
    Session,
    TestItem,
    Topic,
)

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")

TOPICS = [
    (
        "CD1",
        "Khái quát tình hình khủng bố trong và ngoài nước",
        "Tình hình khủng bố trên thế giới, khu vực và trong nước; đặc điểm, xu hướng.",
    ),
    (
        "CD2",
        "Nguy cơ khủng bố đối với Việt Nam và một số giải pháp",
        "Các nguy cơ đối với mục tiêu, sự kiện, đoàn khách; giải pháp phòng ngừa.",
    ),
    (
        "CD3",
        "Quy định của pháp luật về phòng, chống khủng bố",
        "Luật Phòng, chống khủng bố 2013 và các văn bản hướng dẫn; trách nhiệm của cơ quan, tổ chức.",
    ),
    (
        "CD4",
        "Một số tình huống khủng bố có thể xảy ra và xử lý ban đầu",
        "Nhận biết tình huống, báo tin, phong tỏa, sơ tán, phối hợp lực lượng.",
    ),
    (
        "CD5",
        "Nhận diện một số hóa chất, vật liệu nổ trong các vụ án",
        "Chỉ gồm nội dung an toàn công khai cho lực lượng ứng phó: nhận biết dấu hiệu nguy hiểm, "
        "giữ khoảng cách, sơ tán và báo tin. Không có nội dung về chế tạo hay sử dụng.",
    ),
]

# (topic code, question, [(option, correct)], explanation)
QUESTIONS = [
    (
        "CD1",
        "Xu hướng nổi bật của hoạt động khủng bố những năm gần đây là gì?",
        [
            ("Tấn công đơn lẻ, khó phát hiện trước", True),
            ("Chỉ nhằm vào cơ sở quân sự", False),
            ("Chỉ xảy ra ở vùng có chiến sự", False),
            ("Không sử dụng không gian mạng", False),
        ],
        "",
    ),
    (
        "CD1",
        "Mục tiêu thường bị nhắm tới trong các vụ khủng bố gần đây là?",
        [
            ("Nơi tập trung đông người", True),
            ("Khu vực không có người", False),
            ("Kho lưu trữ bỏ hoang", False),
        ],
        "",
    ),
    (
        "CD1",
        "Không gian mạng được các tổ chức khủng bố sử dụng để làm gì?",
        [("Tuyên truyền, lôi kéo", True), ("Huy động tài chính", True), ("Không sử dụng", False)],
        "Cả tuyên truyền và huy động tài chính đều là cách sử dụng phổ biến.",
    ),
    (
        "CD1",
        "Đánh giá chung về tình hình khủng bố trong nước theo các báo cáo là?",
        [
            ("Chưa xảy ra khủng bố nhưng tiềm ẩn nguy cơ", True),
            ("Không có bất kỳ nguy cơ nào", False),
            ("Xảy ra thường xuyên", False),
        ],
        "",
    ),
    (
        "CD2",
        "Thời điểm nào cần tăng cường biện pháp phòng ngừa?",
        [
            ("Khi diễn ra sự kiện chính trị quan trọng", True),
            ("Chỉ vào ban đêm", False),
            ("Không cần tăng cường", False),
        ],
        "",
    ),
    (
        "CD2",
        "Giải pháp phòng ngừa cơ bản đối với mục tiêu trọng điểm là?",
        [
            ("Xây dựng phương án bảo vệ và tổ chức diễn tập", True),
            ("Chỉ lắp camera", False),
            ("Giao toàn bộ cho bảo vệ dân sự", False),
        ],
        "",
    ),
    (
        "CD2",
        "Đối tượng nào cần được bảo vệ tuyệt đối an toàn theo nhiệm vụ của Ban Chỉ đạo?",
        [
            ("Đoàn công tác Trung ương và đoàn khách quốc tế", True),
            ("Chỉ trụ sở Ban Chỉ đạo", False),
            ("Không có", False),
        ],
        "",
    ),
    (
        "CD2",
        "Yếu tố quan trọng nhất để phát hiện sớm nguy cơ là?",
        [
            ("Nắm chắc tình hình và phối hợp thông tin", True),
            ("Chờ có sự việc mới xử lý", False),
            ("Hạn chế trao đổi giữa các cơ quan", False),
        ],
        "",
    ),
    (
        "CD3",
        "Luật Phòng, chống khủng bố hiện hành được Quốc hội thông qua năm nào?",
        [("2013", True), ("2003", False), ("2019", False), ("2025", False)],
        "Luật số 28/2013/QH13.",
    ),
    (
        "CD3",
        "Người phát hiện dấu hiệu khủng bố phải làm gì theo luật?",
        [
            ("Báo ngay cho lực lượng chống khủng bố hoặc Công an, Quân đội, UBND nơi gần nhất", True),
            ("Tự xử lý", False),
            ("Đăng lên mạng xã hội", False),
        ],
        "",
    ),
    (
        "CD3",
        "Cơ quan tiếp nhận tin báo có trách nhiệm gì đối với người báo tin?",
        [
            ("Giữ bí mật thông tin về người báo tin", True),
            ("Công khai danh tính", False),
            ("Yêu cầu người báo tin tự xác minh", False),
        ],
        "",
    ),
    (
        "CD3",
        "Ai thành lập Ban Chỉ đạo phòng, chống khủng bố cấp tỉnh?",
        [
            ("Chủ tịch Ủy ban nhân dân cấp tỉnh", True),
            ("Bộ Công an", False),
            ("Hội đồng nhân dân cấp xã", False),
        ],
        "",
    ),
    (
        "CD4",
        "Khi nhận tin về tình huống nghi khủng bố, việc đầu tiên của cơ quan nơi xảy ra là?",
        [
            ("Áp dụng biện pháp xử lý ban đầu và báo cáo ngay", True),
            ("Chờ cấp trên đến hiện trường", False),
            ("Tổ chức họp báo", False),
        ],
        "",
    ),
    (
        "CD4",
        "Biện pháp nào thuộc xử lý ban đầu tại hiện trường?",
        [("Phong tỏa khu vực", True), ("Sơ tán người", True), ("Cho người dân vào xem", False)],
        "Phong tỏa và sơ tán là biện pháp ban đầu.",
    ),
    (
        "CD4",
        "Ai là người chỉ huy xử lý khi lực lượng chuyên trách chưa đến?",
        [
            ("Người đứng đầu cơ quan, đơn vị, địa phương nơi xảy ra", True),
            ("Người phát hiện đầu tiên", False),
            ("Không có ai", False),
        ],
        "",
    ),
    (
        "CD4",
        "Khi sơ tán, cần ưu tiên điều gì?",
        [
            ("An toàn tính mạng của người dân", True),
            ("Bảo vệ tài sản trước", False),
            ("Ghi hình hiện trường", False),
        ],
        "",
    ),
    (
        "CD5",
        "Khi phát hiện vật khả nghi, không rõ nguồn gốc, cần làm gì trước tiên?",
        [
            ("Không chạm vào, giữ khoảng cách và báo ngay cho Công an", True),
            ("Mở ra kiểm tra", False),
            ("Di chuyển đến nơi khác", False),
        ],
        "",
    ),
    (
        "CD5",
        "Dấu hiệu nào gợi ý một vật có thể nguy hiểm?",
        [
            ("Có dây điện, mùi lạ hoặc bị bỏ lại bất thường", True),
            ("Có nhãn của cửa hàng", False),
            ("Được người quen gửi", False),
        ],
        "",
    ),
    (
        "CD5",
        "Khoảng cách an toàn khi sơ tán quanh vật khả nghi do ai quyết định?",
        [
            ("Lực lượng chuyên trách tại hiện trường theo hướng dẫn an toàn", True),
            ("Người dân tự quyết định", False),
            ("Không cần khoảng cách", False),
        ],
        "",
    ),
    (
        "CD5",
        "Vì sao không dùng điện thoại ngay sát vật khả nghi?",
        [
            ("Để bảo đảm an toàn theo khuyến cáo của lực lượng ứng phó", True),
            ("Vì không có sóng", False),
            ("Không có lý do", False),
        ],
        "",
    ),
]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def build(builder, ctx: dict) -> dict:
    """Create the topics, questions and the three conferences. ``builder`` is the directory demo builder."""
    topics = {
        code: Topic.objects.create(code=code, title=title, description=desc, order=i)
        for i, (code, title, desc) in enumerate(TOPICS, start=1)
    }
    for code, text, options, explanation in QUESTIONS:
        kind = QuestionKind.MULTIPLE if sum(c for _o, c in options) > 1 else QuestionKind.SINGLE
        question = Question.objects.create(topic=topics[code], text=text, kind=kind, explanation=explanation)
        Choice.objects.bulk_create(
            [Choice(question=question, text=o, is_correct=c, order=i) for i, (o, c) in enumerate(options)]
        )

    national = Committee.objects.get(level="national")
    # Presenters from the Ministry are external to the provincial directory: recorded with rank, title and
    # unit as the conference programme prints them (fictional names).
    minister_deputy = f"Thiếu tướng {builder.names()}, Phó Cục trưởng Cục An ninh nội địa"
    reporters = [
        f"Thượng tá {builder.names()}, Báo cáo viên Văn phòng Thường trực BCĐ PCKB quốc gia" for _ in range(2)
    ]

    # Hậu Giang, before the 2025 merger: the committee and agencies keep their names under the old province.
    hau_giang = AdministrativeUnit.objects.get(code="L93")
    hg_ubnd = builder.agency("Ủy ban nhân dân tỉnh Hậu Giang", K.PEOPLES_COMMITTEE, hau_giang)
    hg_police = Agency.objects.get(name="Công an tỉnh Hậu Giang")
    hg_committee = Committee.objects.create(
        name="Ban Chỉ đạo Phòng, chống khủng bố tỉnh Hậu Giang",
        level="province",
        unit=hau_giang,
        parent=national,
        host_authority=hg_ubnd,
        standing_agency=hg_police,
        standing_office=(
            "Văn phòng Thường trực đặt tại Phòng An ninh nội địa, Công an tỉnh Hậu Giang (đến 30/6/2025)"
        ),
    )
    hg_agencies = [hg_ubnd, hg_police] + [
        builder.agency(f"{name} tỉnh Hậu Giang", kind, hau_giang)
        for name, kind in (
            ("Bộ Chỉ huy Quân sự", K.MILITARY),
            ("Sở Y tế", K.DEPARTMENT),
            ("Sở Giao thông vận tải", K.DEPARTMENT),
            ("Sở Văn hóa, Thể thao và Du lịch", K.DEPARTMENT),
            ("Sở Thông tin và Truyền thông", K.DEPARTMENT),
        )
    ]
    hg_head = builder.person(hg_ubnd, "Chủ tịch Ủy ban nhân dân tỉnh, Trưởng Ban Chỉ đạo PCKB tỉnh")
    held_hg = _held_conference(
        builder,
        committee=hg_committee,
        day=dt.date(2024, 6, 11),
        agencies=hg_agencies,
        per_agency=4,
        title="Hội nghị tập huấn công tác phòng, chống khủng bố năm 2024",
        venue="Hội trường Ủy ban nhân dân tỉnh Hậu Giang",
        venue_unit=hau_giang,
        opener=hg_head,
        presenters=[minister_deputy, *reporters],
        topics=topics,
        seed=611,
    )

    hcm = ctx["hcm"]
    hcm_agencies = list(Agency.objects.filter(unit=hcm).exclude(kind=K.ENTERPRISE).order_by("pk")[:8])
    hcm_committee = Committee.objects.get(unit=hcm)
    hcm_police = Agency.objects.get(name="Công an Thành phố Hồ Chí Minh")
    hcm_opener = Person.objects.filter(agency=hcm_police, title__startswith="Giám đốc").first()
    held_hcm = _held_conference(
        builder,
        committee=hcm_committee,
        day=dt.date(2024, 7, 23),
        agencies=hcm_agencies,
        per_agency=4,
        title="Hội nghị tập huấn, triển khai công tác phòng, chống khủng bố năm 2024",
        venue="Hội trường Công an Thành phố Hồ Chí Minh",
        venue_unit=hcm,
        opener=hcm_opener,
        presenters=[minister_deputy, *reporters],
        topics=topics,
        seed=723,
    )

    # An upcoming Cần Thơ conference: invitations open, a few nominations, the pre-test open until it starts.
    can_tho = ctx["can_tho"]
    ct_committee = Committee.objects.get(unit=can_tho)
    start_day = timezone.localdate() + dt.timedelta(days=23)
    upcoming = Conference.objects.create(
        committee=ct_committee,
        title="Hội nghị tập huấn công tác phòng, chống khủng bố năm 2026",
        co_organisers="Văn phòng Thường trực Ban Chỉ đạo PCKB quốc gia",
        start=_at(start_day, 8),
        end=_at(start_day, 11, 30),
        venue="Hội trường Ủy ban nhân dân thành phố Cần Thơ",
        venue_unit=can_tho,
        status=ConferenceStatus.INVITED,
        requires_test=True,
        pass_mark=60,
    )
    _agenda(
        upcoming,
        start_day,
        topics,
        opener=Person.objects.filter(agency__name="Ủy ban nhân dân thành phố Cần Thơ").first(),
        presenters=[minister_deputy, *reporters],
    )
    ct_agencies = list(
        Agency.objects.filter(unit=can_tho).exclude(name__startswith="Ủy ban").order_by("pk")[:6]
    )
    for n, agency in enumerate(ct_agencies, start=1):
        invitation = Invitation.objects.create(
            conference=upcoming,
            agency=agency,
            quota=2,
            letter_number=f"{40 + n}/GM-BCĐ-DEMO",
            sent_on=timezone.localdate() - dt.timedelta(days=2),
        )
        for person in Person.objects.filter(agency=agency, classification=0).order_by("pk")[:1]:
            Participant.objects.create(conference=upcoming, person=person, invitation=invitation)
    pre = KnowledgeTest.objects.create(
        conference=upcoming,
        kind=TestKind.PRE,
        opens_at=timezone.now() - dt.timedelta(days=1),
        closes_at=upcoming.start,
        duration_minutes=15,
    )
    _items(pre, topics, per_topic=2, seed=2026)
    # The discussion is chaired by the standing office's liaison officer, whose record is Mật: accounts
    # cleared for Thường see the agenda item without the name.
    liaison = (
        Person.objects.filter(agency__unit=can_tho, classification=Classification.CONFIDENTIAL)
        .order_by("pk")
        .first()
    )
    if liaison is not None:
        Session.objects.filter(conference=upcoming, kind=SessionKind.DISCUSSION).update(presenter=liaison)

    # A Mật conference: the conference, its agenda, delegates, tests and certificates are all Mật. The Sở Y
    # tế's focal point (cleared for Thường) has delegates of its own agency here: they stay out of its reach.
    health = Agency.objects.get(name="Sở Y tế thành phố Cần Thơ")
    classified_agencies = list(dict.fromkeys([*ct_agencies[:2], health]))
    classified = _held_conference(
        builder,
        committee=ct_committee,
        day=dt.date(2025, 11, 18),
        agencies=classified_agencies,
        per_agency=2,
        title="Hội nghị tập huấn chuyên sâu xử lý tình huống tại mục tiêu trọng điểm năm 2025",
        venue="Hội trường Công an thành phố Cần Thơ",
        venue_unit=can_tho,
        opener=Person.objects.filter(agency__name="Công an thành phố Cần Thơ").order_by("pk").first(),
        presenters=[minister_deputy, *reporters],
        topics=topics,
        seed=1118,
        classification=Classification.CONFIDENTIAL,
        certificate_prefix="M",
    )

    # Who signs each conference's documents, and when the held ones' reports were signed (fictional people).
    _sign(held_hg, hg_head, "TM. BAN CHỈ ĐẠO", "TRƯỞNG BAN", dt.date(2024, 6, 14))
    _sign(held_hcm, hcm_opener, "KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN THƯỜNG TRỰC", dt.date(2024, 7, 26))
    ct_deputy = Person.objects.filter(agency__unit=can_tho, title__startswith="Giám đốc Công an").first()
    _sign(upcoming, ct_deputy, "KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN THƯỜNG TRỰC")
    _sign(classified, ct_deputy, "KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN THƯỜNG TRỰC", dt.date(2025, 11, 21))
    return {"conferences": [held_hg, held_hcm, upcoming, classified]}


def _sign(conference, person, authority: str, title: str, report_date: dt.date | None = None) -> None:
    conference.signer, conference.signer_authority, conference.signer_title = person, authority, title
    conference.report_date = report_date
    conference.save(update_fields=["signer", "signer_authority", "signer_title", "report_date"])


def _agenda(conference, day, topics, *, opener, presenters) -> None:
    sessions = [
        Session(
            conference=conference,
            start=_at(day, 8),
            end=_at(day, 8, 15),
            kind=SessionKind.OPENING,
            title="Phát biểu khai mạc",
            presenter=opener,
        )
    ]
    minute = 15
    for i, topic in enumerate(topics.values()):
        presenter = presenters[0] if i == 0 else presenters[1 + i % (len(presenters) - 1)]
        start = _at(day, 8) + dt.timedelta(minutes=minute)
        sessions.append(
            Session(
                conference=conference,
                start=start,
                end=start + dt.timedelta(minutes=35),
                kind=SessionKind.REPORT,
                topic=topic,
                title=topic.title,
                external_presenter=presenter,
            )
        )
        minute += 35
    start = _at(day, 8) + dt.timedelta(minutes=minute)
    sessions.append(
        Session(
            conference=conference,
            start=start,
            end=start + dt.timedelta(minutes=20),
            kind=SessionKind.DISCUSSION,
            title="Thảo luận",
        )
    )
    sessions.append(
        Session(
            conference=conference,
            start=start + dt.timedelta(minutes=20),
            end=start + dt.timedelta(minutes=30),
            kind=SessionKind.CLOSING,
            title="Bế mạc",
            presenter=opener,
        )
    )
    for session in sessions:
        session.full_clean()
        session.save()


def _items(test, topics, *, per_topic: int, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - demo data
    order = 0
    for topic in topics.values():
        for qid in sorted(rng.sample(list(topic.questions.values_list("pk", flat=True)), per_topic)):
            TestItem.objects.create(test=test, question_id=qid, order=order)
            order += 1


def _held_conference(
    builder,
    *,
    committee,
    day,
    agencies,
    per_agency,
    title,
    venue,
    venue_unit,
    opener,
    presenters,
    topics,
    seed,
    classification=Classification.NORMAL,
    certificate_prefix="",
) -> Conference:
    """A conference that took place: invitations, delegates checked in, pre/post tests with answers that
    improve after the training, certificates."""
    rng = random.Random(seed)  # noqa: S311 - demo data
    conference = Conference.objects.create(
        committee=committee,
        title=title,
        co_organisers="Văn phòng Thường trực Ban Chỉ đạo PCKB quốc gia",
        start=_at(day, 8),
        end=_at(day, 11, 30),
        venue=venue,
        venue_unit=venue_unit,
        status=ConferenceStatus.REPORTED,
        requires_test=False,
        classification=classification,
    )
    _agenda(conference, day, topics, opener=opener, presenters=presenters)
    pre = KnowledgeTest.objects.create(
        conference=conference,
        kind=TestKind.PRE,
        opens_at=_at(day, 7, 30),
        closes_at=_at(day, 8, 15),
        duration_minutes=15,
    )
    post = KnowledgeTest.objects.create(
        conference=conference,
        kind=TestKind.POST,
        opens_at=_at(day, 11),
        closes_at=_at(day, 12),
        duration_minutes=15,
    )
    _items(pre, topics, per_topic=2, seed=seed)
    _items(post, topics, per_topic=2, seed=seed + 1)
    correct = {c.question_id: c.pk for c in Choice.objects.filter(is_correct=True, question__kind="single")}
    wrong = {}
    for c in Choice.objects.filter(is_correct=False):
        wrong.setdefault(c.question_id, []).append(c.pk)
    multi = {}
    for c in Choice.objects.filter(is_correct=True, question__kind="multiple"):
        multi.setdefault(c.question_id, []).append(c.pk)
    number = 0
    for agency in agencies:
        invitation = Invitation.objects.create(
            conference=conference,
            agency=agency,
            quota=per_agency,
            letter_number=f"{rng.randint(10, 99)}/GM-BCĐ-DEMO",
            sent_on=day - dt.timedelta(days=10),
        )
        attending = per_agency - (1 if rng.random() < 0.25 else 0)
        for _ in range(per_agency):
            person = builder.person(agency, "Cán bộ " + agency.name.split(" tỉnh")[0].split(" Thành phố")[0])
            present = attending > 0
            attending -= 1
            participant = Participant.objects.create(
                conference=conference,
                person=person,
                invitation=invitation,
                checked_in_at=_at(day, 7, rng.randint(20, 59)) if present else None,
            )
            if not present:
                continue
            skill = rng.uniform(0.3, 0.7)
            for test, p_correct in ((pre, skill), (post, min(0.97, skill + rng.uniform(0.15, 0.35)))):
                attempt = Attempt.objects.create(
                    test=test, participant=participant, started_at=test.opens_at + dt.timedelta(minutes=2)
                )
                answers, total = [], 0.0
                for item in test.items.all():
                    qid = item.question_id
                    if qid in multi:
                        ok = rng.random() < p_correct
                        selected = multi[qid] if ok else multi[qid][:1]
                    else:
                        ok = rng.random() < p_correct
                        selected = [correct[qid]] if ok else [rng.choice(wrong[qid])]
                    total += 1.0 if ok else 0.0
                    answers.append(
                        Answer(attempt=attempt, question_id=qid, selected=selected, score=1.0 if ok else 0.0)
                    )
                Answer.objects.bulk_create(answers)
                attempt.submitted_at = attempt.started_at + dt.timedelta(minutes=rng.randint(6, 13))
                attempt.score, attempt.max_score = total, len(answers)
                attempt.save()
            number += 1
            Certificate.objects.create(
                participant=participant,
                number=f"{certificate_prefix}{conference.pk}/{number:04d}-CN",
                issued_on=day,
            )
    return conference
