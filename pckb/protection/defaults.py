"""The categories of key targets the product starts with (the list stays editable by the national office).
Loaded by a data migration and, after a test database is flushed, by the demo loader."""

CATEGORIES = [
    ("co-quan-dang-nha-nuoc", "Cơ quan Đảng, Nhà nước", "Trụ sở cơ quan Đảng, Nhà nước, Mặt trận các cấp."),
    (
        "ngoai-giao-quoc-te",
        "Cơ quan ngoại giao, tổ chức quốc tế",
        "Cơ quan đại diện ngoại giao, lãnh sự, văn phòng tổ chức quốc tế, nơi ở của đoàn khách quốc tế.",
    ),
    ("cang-hang-khong", "Cảng hàng không, sân bay", "Đầu mối giao thông: cảng hàng không, sân bay."),
    ("cang-bien", "Cảng biển, cảng thủy nội địa", "Đầu mối giao thông: cảng biển, cảng, bến thủy nội địa."),
    ("nha-ga-ben-xe", "Nhà ga, bến xe", "Đầu mối giao thông: nhà ga đường sắt, metro, bến xe khách."),
    ("cau-ham", "Cầu, hầm giao thông", "Đầu mối giao thông: cầu lớn, hầm đường bộ."),
    (
        "nang-luong",
        "Công trình năng lượng",
        "Nhà máy điện, trạm biến áp, đường dây truyền tải, kho xăng dầu, khí.",
    ),
    ("cap-nuoc", "Công trình cấp nước", "Nhà máy nước, trạm bơm, hồ chứa phục vụ cấp nước."),
    (
        "vien-thong-du-lieu",
        "Viễn thông, trung tâm dữ liệu",
        "Trạm viễn thông, trung tâm dữ liệu, phát thanh, truyền hình.",
    ),
    ("cho", "Chợ", "Nơi tập trung đông người: chợ, chợ đầu mối."),
    (
        "trung-tam-thuong-mai",
        "Trung tâm thương mại",
        "Nơi tập trung đông người: trung tâm thương mại, siêu thị.",
    ),
    ("san-van-dong", "Sân vận động, nhà thi đấu", "Nơi tập trung đông người: sân vận động, nhà thi đấu."),
    (
        "co-so-ton-giao",
        "Cơ sở tôn giáo, tín ngưỡng",
        "Nơi tập trung đông người: nhà thờ, chùa, đền, thánh thất.",
    ),
    ("truong-hoc", "Trường học", "Nơi tập trung đông người: trường học, cơ sở giáo dục."),
    ("benh-vien", "Bệnh viện", "Nơi tập trung đông người: bệnh viện, cơ sở y tế."),
    (
        "cong-nghiep-hoa-chat",
        "Cơ sở công nghiệp có hóa chất nguy hiểm",
        "Nhà máy, kho có hóa chất, vật liệu nguy hiểm.",
    ),
    ("khac", "Khác", ""),
]


def categories_ensure(model=None) -> int:
    """Create the default categories that are missing (by code); returns how many were created. ``model`` is
    the historical model inside a migration."""
    from pckb.core.text import fold, vi_sort_key

    if model is None:
        from pckb.protection.models import TargetCategory as model
    created = 0
    for order, (code, name, description) in enumerate(CATEGORIES, start=1):
        _obj, was_created = model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "description": description,
                "order": order * 10,
                "active": True,
                "search_text": fold(f"{code} {name}"),
                "sort_key": vi_sort_key(name)[:400],
            },
        )
        created += was_created
    return created
