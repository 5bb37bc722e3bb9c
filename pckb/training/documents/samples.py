"""Fictional sample documents (names, agencies and numbers are invented) for tests, the benchmark and
previews. ``sample_report(agencies=20, topics=5, …)`` scales up to a full-size report."""

from __future__ import annotations

import datetime

from .data import (
    AgencyAttendance,
    AgendaLine,
    Certificate,
    ConferenceReport,
    DocumentHeader,
    GainRow,
    InvitationLetter,
    Signer,
)

AGENCIES = [
    "Sở Y tế thành phố Cần Thơ",
    "Sở Giáo dục và Đào tạo",
    "Sở Giao thông vận tải",
    "Sở Công Thương",
    "Sở Thông tin và Truyền thông",
    "Sở Tài nguyên và Môi trường",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Xây dựng",
    "Sở Tư pháp",
    "Sở Kế hoạch và Đầu tư",
    "Sở Tài chính",
    "Sở Nội vụ",
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Ngoại vụ",
    "Sở Khoa học và Công nghệ",
    "UBND quận Ninh Kiều",
    "UBND quận Bình Thủy",
    "UBND quận Cái Răng",
    "UBND huyện Phong Điền",
    "UBND huyện Cờ Đỏ",
    "UBND huyện Thới Lai",
]
TOPICS = [
    (
        "07 giờ 30 - 08 giờ 00",
        "Khai mạc, quán triệt mục đích, yêu cầu của hội nghị",
        "Đ/c Trần Văn Đặng",
        False,
    ),
    ("08 giờ 00 - 09 giờ 30", "Tình hình khủng bố trên thế giới, khu vực và trong nước", "Đ/c Lê Thị Ngữ"),
    (
        "09 giờ 45 - 11 giờ 00",
        "Luật Phòng, chống khủng bố và các văn bản hướng dẫn thi hành",
        "Đ/c Phạm Đức Mặn",
    ),
    (
        "13 giờ 30 - 15 giờ 00",
        "Nhận diện, phát hiện và xử lý ban đầu các tình huống khủng bố",
        "Đ/c Võ Thị Hặng",
    ),
    (
        "15 giờ 15 - 16 giờ 30",
        "Phương án bảo vệ mục tiêu trọng điểm và diễn tập tình huống",
        "Đ/c Huỳnh Minh Đức",
    ),
    ("16 giờ 30 - 17 giờ 00", "Kiểm tra nhận thức sau tập huấn và bế mạc", "Ban Tổ chức", False),
]
RECOMMENDATIONS = [
    "Các sở, ngành, địa phương tổ chức quán triệt nội dung tập huấn đến cán bộ, công chức của đơn vị",
    "Rà soát, bổ sung phương án phòng, chống khủng bố tại các mục tiêu do đơn vị quản lý",
    "Tăng cường tuyên truyền, nâng cao nhận thức về phòng, chống khủng bố trong Nhân dân",
    "Duy trì chế độ thông tin, báo cáo định kỳ về Cơ quan Thường trực Ban Chỉ đạo",
    "Đề nghị bố trí kinh phí tổ chức diễn tập phòng, chống khủng bố cấp huyện năm 2025",
    "Tiếp tục tổ chức kiểm tra nhận thức trước và sau các lớp tập huấn để đánh giá hiệu quả",
    "Phối hợp chặt chẽ với lực lượng Công an trong trao đổi, xử lý thông tin có liên quan",
    "Nhân rộng mô hình điểm về phòng, chống khủng bố tại cơ sở",
]

HEADER = DocumentHeader(
    issuer_parent="UBND THÀNH PHỐ CẦN THƠ",
    issuer="BAN CHỈ ĐẠO PHÒNG, CHỐNG KHỦNG BỐ",
    number="12/GM-BCĐ",
    place="Cần Thơ",
    date=datetime.date(2024, 6, 5),
)
SIGNER = Signer(authority="KT. TRƯỞNG BAN", title="PHÓ TRƯỞNG BAN THƯỜNG TRỰC", name="Nguyễn Văn Đặng")
START = datetime.datetime(2024, 6, 12, 7, 30)  # noqa: DTZ001 - local wall-clock time of the event
END = datetime.datetime(2024, 6, 12, 17, 0)  # noqa: DTZ001


def sample_invitation() -> InvitationLetter:
    return InvitationLetter(
        header=HEADER,
        recipient="Sở Y tế thành phố Cần Thơ",
        conference_title="Hội nghị tập huấn công tác phòng, chống khủng bố năm 2024",
        start=START,
        end=END,
        venue="Hội trường Công an thành phố Cần Thơ, số 09 đường Trần Hưng Đạo, quận Ninh Kiều",
        agenda=[AgendaLine(*t) for t in TOPICS],
        quota=2,
        participant_note="là lãnh đạo và cán bộ phụ trách công tác phòng, chống khủng bố",
        contact="đồng chí Lê Thị Ngữ, Cơ quan Thường trực Ban Chỉ đạo, điện thoại 0292.3000.000",
        signer=SIGNER,
        distribution=["Như trên", "Trưởng ban, các Phó Trưởng ban (để b/c)", "Lưu: VT, PV01"],
    )


def _gain(label: str, k: int, n: int) -> GainRow:
    pre = 5.0 + (k * 37 % 20) / 10
    post = min(pre + 1.5 + (k * 13 % 15) / 10, 9.8)
    return GainRow(label, n, round(pre, 2), round(post, 2), round((post - pre) / (10 - pre), 2))


def sample_report(
    *, agencies: int = 6, topics: int = 5, tests: int = 3, gain_rows: int = 6, recommendations: int = 4
) -> ConferenceReport:
    names = [
        AGENCIES[k % len(AGENCIES)] + ("" if k < len(AGENCIES) else f" ({k // len(AGENCIES) + 1})")
        for k in range(agencies)
    ]
    attendance = [AgencyAttendance(name, 8, 8 - k % 2, 7 - k % 3 // 2) for k, name in enumerate(names)]
    invited = sum(a.invited for a in attendance)
    attended = sum(a.attended for a in attendance)
    test_labels = [
        "Kiểm tra đầu vào - đầu ra (tổng hợp)",
        "Phần kiến thức pháp luật",
        "Phần kỹ năng xử lý tình huống",
        "Phần nhận diện đối tượng",
    ]
    half = (gain_rows + 1) // 2
    return ConferenceReport(
        header=DocumentHeader(
            HEADER.issuer_parent, HEADER.issuer, "35/BC-BCĐ", "Cần Thơ", datetime.date(2024, 6, 20)
        ),
        title="Báo cáo kết quả Hội nghị tập huấn công tác PCKB năm 2024",
        organisers=["Ban Chỉ đạo phòng, chống khủng bố thành phố Cần Thơ"],
        co_organisers=["Công an thành phố Cần Thơ", "Bộ Chỉ huy Quân sự thành phố"],
        start=START,
        end=END,
        venue="Hội trường Công an thành phố Cần Thơ",
        sessions=[AgendaLine(*t) for t in TOPICS[1 : 1 + topics]]
        + [AgendaLine(*TOPICS[k % len(TOPICS)]) for k in range(max(0, topics - len(TOPICS) + 1))],
        attendance=attendance,
        attendance_rate=attended / invited if invited else 0.0,
        test_summary=[_gain(test_labels[k % len(test_labels)], k, attended) for k in range(tests)],
        gain_by_agency=[_gain(names[k % len(names)], k, 6) for k in range(half)],
        gain_by_topic=[_gain(TOPICS[1 + k % 5][1], k + 3, attended) for k in range(gain_rows - half)],
        recommendations=[RECOMMENDATIONS[k % len(RECOMMENDATIONS)] for k in range(recommendations)],
        signer=Signer("TM. BAN CHỈ ĐẠO", "PHÓ TRƯỞNG BAN THƯỜNG TRỰC", "Nguyễn Văn Đặng"),
        distribution=[
            "Thường trực Thành ủy (để b/c)",
            "Thường trực UBND thành phố (để b/c)",
            "Các thành viên Ban Chỉ đạo",
            "Các sở, ban, ngành, UBND quận, huyện",
            "Lưu: VT, PV01",
        ],
    )


FULL_NAMES = [
    "Trần Thị Đặng Hữu",
    "Lê Văn Mặn",
    "Phạm Thị Ngữ",
    "Đỗ Minh Trường",
    "Huỳnh Thị Lặng",
    "Võ Đức Thuận",
    "Ngô Thị Hữu Hạnh",
    "Đặng Quốc Bảo",
]


def sample_certificates(count: int = 3) -> list[Certificate]:
    return [
        Certificate(
            full_name=FULL_NAMES[k % len(FULL_NAMES)],
            agency=AGENCIES[k % len(AGENCIES)],
            conference_title="Hội nghị tập huấn công tác phòng, chống khủng bố năm 2024",
            start=datetime.date(2024, 6, 12),
            end=datetime.date(2024, 6, 13),
            place="Cần Thơ",
            number=f"{k + 1:03d}/GCN-BCĐ",
            verify_code=f"PCKB-2024-{k + 1:04d}-X7Q",
            verify_url=f"https://pckb.example.vn/xac-minh/PCKB-2024-{k + 1:04d}-X7Q",
            issuer="BAN CHỈ ĐẠO PHÒNG, CHỐNG KHỦNG BỐ THÀNH PHỐ CẦN THƠ",
            signer=SIGNER,
            issued_on=datetime.date(2024, 6, 13),
        )
        for k in range(count)
    ]
