"""Reference tables of public first-responder safety distances (JSON), read by ``pckb.response.safety``."""
