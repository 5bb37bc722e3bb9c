"""What the live module adds: the SSE endpoints under /truc-tiep/ (no menu, no grants of its own: a stream is
readable by whoever may view its object)."""

from pckb.core.registry import Registration

registration = Registration(urls=("truc-tiep/", "pckb.live.urls"))
