"""Defaults and limits of the force-allocation planner (Bố trí lực lượng); see docs/deployment.md."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Plan(models.TextChoices):
    """The plan a run computes (``plan`` of the engine's GAME.json)."""

    SSE = "sse", _("Chuẩn (đối tượng tính toán hoàn hảo)")
    MATCH = "match", _("MATCH (β): hạn chế thiệt hại khi đối tượng chọn sai")
    QR = "qr", _("Phản ứng lượng tử (λ): đối tượng hay sai")


#: The payoff rule's defaults (docs/deployment.md, "Quy tắc quy đổi").
DEFAULT_DEFENDER_WEIGHT = 1.0
DEFAULT_COVERED_FRACTION = 0.2
DEFAULT_ATTACKER_WEIGHT = 1.0
DEFAULT_ATTACKER_PENALTY = 0.5
DEFAULT_BETA = 1.0
DEFAULT_LAMBDA = 1.0
DEFAULT_DAYS = 7
MAX_DAYS = 31
#: Robust plans (MATCH, quantal response) are compared side by side up to this many targets (each costs
#: one LP per target with team types).
ROBUST_LIMIT = 60
#: Daily orders are drawn (Birkhoff–von Neumann decomposition in the engine) up to this many
#: target × team pairs; a larger run keeps its coverage and is split by area for orders.
ORDERS_LIMIT = 60_000
#: Rows of the coverage table shown on the page (all rows are in the API and the CSV of the solution).
TABLE_ROWS = 100
#: Mobile team types (patrol routes): defaults and bounds.
DEFAULT_SHIFT_MINUTES = 480
DEFAULT_DWELL_MINUTES = 30
DEFAULT_MAX_TARGETS = 3
MAX_ROUTE_TARGETS = 5
DEFAULT_SPEED_KMH = 30.0
DEFAULT_DETOUR = 1.3
#: A mobile team type plans routes over at most this many targets (routes grow combinatorially).
ROUTE_TARGET_LIMIT = 30
#: Robust plans of a run with patrol routes (column generation for every plan) up to this many targets; the
#: quantal-response plan with routes is refused above it.
ROUTE_ROBUST_LIMIT = 30
#: Attacker types: at most this many per run; weights of a criterion at most this.
MAX_ATTACKER_TYPES = 5
MAX_CRITERION_WEIGHT = 10.0
DEFAULT_CATEGORY_FACTOR = 1.5
#: Risk criteria of an assessment, in the order of an attacker type's weights.
CRITERIA = ("criticality", "symbolism", "population", "size", "threat")
#: The planner's example attacker types (docs/deployment.md): categories each prefers.
SYMBOLIC_CATEGORIES = ("co-quan-dang-nha-nuoc", "ngoai-giao-quoc-te", "cang-hang-khong")
CROWDED_CATEGORIES = ("cho", "trung-tam-thuong-mai", "san-van-dong", "nha-ga-ben-xe", "co-so-ton-giao")
