"""English keeps the Vietnamese calendar conventions (dd/mm/yyyy, 24-hour time) with English numbers."""

from pckb.formats.vi.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
