"""A CyberTipline report in the XML shape NCMEC's reporting API takes (``/submit`` body ``<report>``,
then one ``<fileDetails>`` per uploaded file).

Element names follow NCMEC's published ISP web-service documentation (report.cybertip.org/ispws):
``incidentSummary`` (``incidentType``, ``escalateToHighPriority``, ``incidentDateTime``),
``internetDetails`` (``chatImIncident`` with ``content``), ``reporter`` (``reportingPerson``),
``personOrUserReported`` (``espIdentifier``, ``espService``, ``screenName``) and ``fileDetails``
(``originalFileHash`` with ``hashType``). This module writes the documents; it does not send them:
sending needs NCMEC credentials and a human's confirmation first (see ``childsafe.reports.store``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

INCIDENT_TYPES = {
    "csam": "Child Pornography (possession, manufacture, and distribution)",
    "enticement": "Online Enticement of Children for Sexual Act",
}


def incident_type_for(trigger_kind: str) -> str:
    """Known-media matches are CSAM reports; grooming conversations are online enticement."""
    return INCIDENT_TYPES["enticement"] if trigger_kind == "conversation" else INCIDENT_TYPES["csam"]


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    if text is not None:
        el.text = str(text)
    return el


def _xml(root: ET.Element) -> str:
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def report_xml(facts: dict) -> str:
    """``facts``: case, reporter, messages, files, escalate (see :func:`childsafe.reports.store.gather`)."""
    case, reporter = facts["case"], facts["reporter"]
    root = ET.Element("report")
    summary = _sub(root, "incidentSummary")
    _sub(summary, "incidentType", incident_type_for(case["trigger"]["kind"]))
    if facts.get("escalate"):
        _sub(summary, "escalateToHighPriority", facts["escalate"])
    _sub(summary, "incidentDateTime", case["opened_at"])
    _sub(summary, "incidentDateTimeDescription", "time the platform detected the incident")
    if facts.get("messages"):
        internet = _sub(root, "internetDetails")
        chat = _sub(internet, "chatImIncident")
        _sub(chat, "chatClient", reporter.get("esp_service") or "in-app messaging")
        _sub(chat, "content", "\n".join(f"[{m['sent_at']}] {m['sender_id']}: {m['text']}" for m in facts["messages"]))
        _sub(chat, "additionalInfo", f"conversation {case['conversation_id']}")
    rep = _sub(root, "reporter")
    person = _sub(rep, "reportingPerson")
    for tag, key in (("firstName", "first_name"), ("lastName", "last_name"), ("email", "email"), ("phone", "phone")):
        if reporter.get(key):
            _sub(person, tag, reporter[key])
    if reporter.get("company"):
        _sub(rep, "companyTemplate", reporter["company"])
    if reporter.get("terms_of_service"):
        _sub(rep, "termsOfService", reporter["terms_of_service"])
    if reporter.get("legal_url"):
        _sub(rep, "legalUrl", reporter["legal_url"])
    if case.get("subject_user_id"):
        reported = _sub(root, "personOrUserReported")
        _sub(reported, "espIdentifier", case["subject_user_id"])
        if reporter.get("esp_service"):
            _sub(reported, "espService", reporter["esp_service"])
        _sub(reported, "screenName", case["subject_user_id"])
    _sub(root, "additionalInfo", f"childsafe case {case['id']}: {case['trigger']['reason']}; "
                                 f"confirmed by a human reviewer ({case.get('decided_by') or 'unknown'})")
    return _xml(root)


def file_details_xml(file: dict) -> str:
    """One ``<fileDetails>`` document for an uploaded file (hashes, whether the reviewer viewed it)."""
    root = ET.Element("fileDetails")
    _sub(root, "reportId", "REPORT_ID")  # NCMEC assigns it when the report is opened
    _sub(root, "fileId", "FILE_ID")
    _sub(root, "fileName", file["name"])
    _sub(root, "fileViewedByEsp", "true" if file.get("viewed") else "false")
    _sub(root, "publiclyAvailable", "false")
    if file.get("sha256"):
        _sub(root, "originalFileHash", file["sha256"], hashType="SHA256")
    if file.get("md5"):
        _sub(root, "originalFileHash", file["md5"], hashType="MD5")
    if file.get("pdq"):
        pair = _sub(_sub(root, "details", type="HASH"), "nameValuePair")
        _sub(pair, "name", "PDQ")
        _sub(pair, "value", file["pdq"])
    if file.get("additional_info"):
        _sub(root, "additionalInfo", file["additional_info"])
    return _xml(root)
