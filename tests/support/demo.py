"""Names of the demo data that tests refer to."""

DEMO_PASSWORD = "Demo-Pass-2026!"
CAN_THO_COMMITTEE = "Ban Chỉ đạo Phòng, chống khủng bố thành phố Cần Thơ"
HCM_COMMITTEE = "Ban Chỉ đạo Phòng, chống khủng bố Thành phố Hồ Chí Minh"
NATIONAL_COMMITTEE = "Ban Chỉ đạo Phòng, chống khủng bố quốc gia"
ROLES = [
    "quantri",
    "vptt.quocgia",
    "vptt.cantho",
    "vptt.hcm",
    "lanhdao.cantho",
    "daumoi.cantho",
    "xa.ninhkieu",
    "thanhtra",
    "vanthu.cantho",
]
#: The Mật conference of Cần Thơ (delegates, tests, certificates) and the Mật decision that appoints a member.
CLASSIFIED_CONFERENCE = "Hội nghị tập huấn chuyên sâu xử lý tình huống tại mục tiêu trọng điểm năm 2025"
CLASSIFIED_DECISION = "77/QĐ-BCĐ-DEMO"
