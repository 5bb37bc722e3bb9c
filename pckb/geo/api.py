import datetime as dt

from ninja import Router, Schema

from pckb.api.crud import register_crud
from pckb.geo.filtersets import UnitFilterSet
from pckb.geo.models import AdministrativeUnit

router = Router()


class UnitOut(Schema):
    id: int
    code: str
    name: str
    division_type: str
    level: str
    parent_id: int | None
    path: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    successor_id: int | None


register_crud(
    router,
    model=AdministrativeUnit,
    prefix="units",
    out_schema=UnitOut,
    filterset_class=UnitFilterSet,
    tag="Đơn vị hành chính",
)
