"""The REST API (/api/v1/): one NinjaAPI, one router per app, the same access layer as the web UI."""
