"""Defaults and limits of the force-allocation planner (Bố trí lực lượng); see docs/deployment.md."""

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
