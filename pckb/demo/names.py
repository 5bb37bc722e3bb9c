"""Fictional Vietnamese names, drawn deterministically. No real official is named anywhere in the demo."""

import random

SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Trương",
    "Lâm",
    "Mai",
]
MIDDLE = [
    "Văn",
    "Thị",
    "Minh",
    "Quốc",
    "Thanh",
    "Hữu",
    "Ngọc",
    "Đức",
    "Hoài",
    "Xuân",
    "Thu",
    "Bảo",
    "Gia",
    "Trọng",
    "Kim",
    "Phương",
]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hiếu",
    "Hòa",
    "Hùng",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Nhân",
    "Phong",
    "Phúc",
    "Quang",
    "Quyên",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thắng",
    "Thịnh",
    "Trang",
    "Trí",
    "Trung",
    "Tuấn",
    "Uyên",
    "Việt",
    "Vinh",
    "Xuân",
    "Yến",
]


#: Officials named in the source reports: never generated, so no demo person carries a real official's name.
REAL_NAMES = {"Đồng Văn Thanh", "Võ Hùng Minh", "Nguyễn Văn Thắng", "Lê Hồng Nam"}


class NameGenerator:
    def __init__(self, seed: int = 2024):
        self.rng = random.Random(seed)  # noqa: S311 - demo names, not security
        self.used: set[str] = set()

    def __call__(self) -> str:
        while True:
            name = f"{self.rng.choice(SURNAMES)} {self.rng.choice(MIDDLE)} {self.rng.choice(GIVEN)}"
            if name not in self.used and name not in REAL_NAMES:
                self.used.add(name)
                return name

    def phone(self) -> str:
        return f"0{self.rng.choice([2, 9, 8, 3])}{self.rng.randrange(10**8):08d}"
