"""PCKB Hub — nền tảng điều hành công tác phòng, chống khủng bố."""

__version__ = "0.1.0"
