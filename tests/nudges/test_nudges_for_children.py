"""Nudges: the words a child sees in the moment, for every tactic and personal detail, per age band."""

from __future__ import annotations

import gettext
import io
import re

import pytest
from babel.messages.mofile import read_mo

from childsafe.errors import InvalidInput
from childsafe.nudges import (AGE_BANDS, DOMAIN, LOCALE_DIR, NUDGE_KINDS, PII_KINDS, TACTIC_KINDS, Helpline,
                              available_locales, nudge_for)
from childsafe.nudges.catalogues import compile_po, po_paths
from childsafe.pii import PII_KINDS as GUARD_KINDS
from eval.conversations.dataset import TACTICS

BLAMING = re.compile(r"\b((?<!not )your fault|you should have|you shouldn't have|why did you|why would you|stupid|silly|"
                     r"careless|naughty|blame|you were told|you know better|irresponsible|foolish|"
                     r"shame on|bad decision|your own fault|you let|in trouble for)\b", re.IGNORECASE)
ALL = [(kind, band) for kind in NUDGE_KINDS for band in AGE_BANDS]


def test_every_tactic_and_personal_detail_kind_has_nudges():
    assert set(TACTIC_KINDS) == set(TACTICS)
    assert set(PII_KINDS) == set(GUARD_KINDS)


@pytest.mark.parametrize("kind, band", ALL)
def test_each_kind_and_age_band_has_a_kind_message_with_actions(kind, band):
    nudge = nudge_for(kind, age_band=band)
    assert nudge is not None and nudge.audience == "child"
    assert len(nudge.text) > 30
    assert "You haven't done anything wrong." in nudge.text
    assert not BLAMING.search(nudge.text)
    assert {"block", "report", "talk_to_trusted_adult", "helpline"} <= set(nudge.actions)
    assert set(nudge.action_labels) == set(nudge.actions) and all(nudge.action_labels.values())
    assert "{" not in nudge.text and not any("{" in v for v in nudge.action_labels.values())


def test_age_bands_get_different_words():
    for kind in NUDGE_KINDS:
        texts = {nudge_for(kind, age_band=band).text for band in AGE_BANDS}
        assert len(texts) == 3, kind


def test_tactic_nudges_name_the_helpline_for_the_childs_country():
    assert "Childline" in nudge_for("secrecy").text and "0800 1111" in nudge_for("secrecy").text
    us = nudge_for("meeting_request", age_band="16-17", country="US")
    assert us.helpline.name == "Childhelp" and us.helpline.number in us.text
    unknown = nudge_for("secrecy", country="ZZ")
    assert unknown.helpline.number is None and "helplines" in unknown.helpline.url
    assert unknown.action_labels["helpline"] == "Contact a child helpline"
    own = nudge_for("secrecy", country="GB", helplines={"GB": Helpline("Our Support Team", "0800 000 0000", "https://x.example")})
    assert "Our Support Team" in own.text


def test_threats_offer_keeping_evidence_and_personal_details_offer_editing():
    assert nudge_for("threats_sextortion").actions[0] == "keep_evidence"
    assert nudge_for("phone").actions[0] == "edit_message"
    assert "Before you send" in nudge_for("phone", age_band="under_13").text


def test_adults_get_no_nudge_and_bad_arguments_are_named():
    assert nudge_for("secrecy", age_band="18+") is None and nudge_for("secrecy", age_band="adult") is None
    assert nudge_for("secrecy", age_band="minor").age_band == "13-15"
    assert nudge_for("secrecy", age_band="U13").age_band == "under_13"
    with pytest.raises(InvalidInput, match="age band"):
        nudge_for("secrecy", age_band="9-10")
    with pytest.raises(InvalidInput, match="no nudge for 'shoe_size'"):
        nudge_for("shoe_size")
    with pytest.raises(InvalidInput, match="locale"):
        nudge_for("secrecy", locale="../../etc")


def test_spanish_catalogue_translates_every_nudge():
    es = nudge_for("secrecy", age_band="13-15", locale="es")
    assert es.locale == "es"
    assert "No has hecho nada malo." in es.text and es.action_labels["block"] == "Bloquear"
    assert nudge_for("secrecy", age_band="13-15", locale="es-ES").text == es.text
    for kind, band in ALL:
        n = nudge_for(kind, age_band=band, locale="es")
        assert n.locale == "es" and "You haven't" not in n.text, (kind, band)
    assert nudge_for("secrecy", locale="fr").locale == "en"
    assert "es" in available_locales()


def test_a_partly_translated_locale_falls_back_to_english_for_the_whole_nudge(tmp_path, monkeypatch):
    import childsafe.nudges as nudges
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from childsafe.nudges import messages

    catalog = Catalog(locale="cy", domain=DOMAIN)
    catalog.add(messages.NOT_YOUR_FAULT, "Dwyt ti ddim wedi gwneud dim byd o'i le.")
    catalog.add(messages.TACTIC_TEXT["secrecy"]["13-15"], "(cy) secrecy line")
    target = tmp_path / "cy" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / f"{DOMAIN}.mo").open("wb") as fh:
        write_mo(fh, catalog)
    monkeypatch.setattr(nudges, "LOCALE_DIR", tmp_path)
    nudges._translation.cache_clear()
    try:
        translated = nudge_for("secrecy", age_band="13-15", locale="cy")
        assert translated.locale == "cy" and translated.text.startswith("(cy) secrecy line Dwyt ti")
        missing = nudge_for("meeting_request", age_band="13-15", locale="cy")
        assert missing.locale == "en" and "You haven't done anything wrong." in missing.text
        assert "Dwyt" not in missing.text
    finally:
        nudges._translation.cache_clear()


def test_compiled_catalogues_match_their_po_sources():
    paths = po_paths()
    assert paths
    def messages(mo: bytes) -> dict:
        # What gettext reads: every message and its translation; the header's "Generated-By" line names
        # the Babel release that compiled it, which a fresh install may have moved on from.
        catalog = read_mo(io.BytesIO(mo))
        return {(m.context, m.id if isinstance(m.id, str) else tuple(m.id)): m.string for m in catalog if m.id}

    for po in paths:
        assert messages(po.with_suffix(".mo").read_bytes()) == messages(compile_po(po)), \
            f"{po}: run python -m childsafe.nudges.catalogues"
        translations = gettext.translation(DOMAIN, LOCALE_DIR, languages=[po.parent.parent.name])
        assert translations.info()["language"] == po.parent.parent.name


def test_nudge_is_plain_data():
    d = nudge_for("photo_camera_request", age_band="under_13").to_dict()
    assert d["audience"] == "child" and d["kind"] == "photo_camera_request" and d["helpline"]["number"] == "0800 1111"
