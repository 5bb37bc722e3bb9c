from ninja import Router

from pckb.api.crud import register_crud
from pckb.geo.fields import UNIT
from pckb.geo.filtersets import UnitFilterSet
from pckb.geo.models import AdministrativeUnit

router = Router()


register_crud(
    router,
    model=AdministrativeUnit,
    prefix="units",
    out_schema=UNIT.out_schema,
    filterset_class=UnitFilterSet,
    tag="Đơn vị hành chính",
)
