"""Child-facing nudges: what to say to a child, in the moment, when a tactic or a personal detail is seen.

``nudge_for(kind, age_band="13-15", locale="en")`` gives the words (for the child's age band, in the
child's language via gettext catalogues) and the actions to offer: block, report, talk to an adult
they trust, a helpline. Nudges never blame ("You haven't done anything wrong.").

A nudge is for the child only. It must never be shown, sent or hinted to the other person: the
sender learns nothing about what was detected, so an offender cannot learn to avoid the words.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from childsafe.errors import InvalidInput
from childsafe.nudges import messages
from childsafe.nudges.helplines import FALLBACK, HELPLINES, Helpline, helpline_for
from childsafe.nudges.messages import AGE_BANDS

DOMAIN = "childsafe_nudges"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
TACTIC_KINDS = tuple(messages.TACTIC_TEXT)
PII_KINDS = tuple(messages.PII_TEXT)
NUDGE_KINDS = TACTIC_KINDS + PII_KINDS
ADULT_BANDS = ("18+", "adult", "over_18", "18-plus")
# other spellings of the bands; a minor of unknown band gets the 13-15 words
BAND_ALIASES = {"under13": "under_13", "u13": "under_13", "<13": "under_13", "13_15": "13-15", "teen": "13-15",
                "16_17": "16-17", "minor": "13-15", "unknown": "13-15", "": "13-15", "18_plus": "18+", "18plus": "18+"}
BASE_ACTIONS = ("block", "report", "talk_to_trusted_adult", "helpline")

__all__ = ["AGE_BANDS", "NUDGE_KINDS", "PII_KINDS", "TACTIC_KINDS", "HELPLINES", "Helpline", "Nudge",
           "helpline_for", "nudge_for", "available_locales"]


@dataclass(frozen=True)
class Nudge:
    """Words and choices for the child. ``audience`` is always ``"child"``: never show it to the sender."""

    text: str
    actions: list[str]
    kind: str = ""
    age_band: str = "13-15"
    locale: str = "en"
    action_labels: dict[str, str] = field(default_factory=dict)
    helpline: Helpline = FALLBACK
    audience: str = "child"

    def to_dict(self) -> dict:
        return {"kind": self.kind, "age_band": self.age_band, "locale": self.locale, "audience": self.audience,
                "text": self.text, "actions": list(self.actions), "action_labels": dict(self.action_labels),
                "helpline": self.helpline.to_dict()}


@lru_cache(maxsize=64)
def _translation(locale: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[locale], fallback=True)


def _language_of(locale: str) -> tuple[gettext.NullTranslations, str]:
    code = locale.replace("-", "_").strip()
    if not re.fullmatch(r"[A-Za-z]{2,3}(?:_[A-Za-z0-9]{2,8})*", code):
        raise InvalidInput(f"locale {locale!r} is not a language code like 'en', 'es' or 'pt_BR'")
    t = _translation(code)
    used = t.info().get("language", "en") if isinstance(t, gettext.GNUTranslations) else "en"
    return t, used


def available_locales() -> list[str]:
    """English plus every locale with a compiled catalogue."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return ["en", *found]


def nudge_for(kind: str, *, age_band: str | None = "13-15", locale: str = "en", country: str | None = "GB",
              helplines: dict[str, Helpline] | None = None) -> Nudge | None:
    """The nudge for a tactic name or personal-detail kind; ``None`` for an adult (band ``18+``).

    Where the locale's catalogue lacks this nudge's main line, the whole nudge is given in English
    (``Nudge.locale`` says which), so a partial translation never mixes languages in one message. ``country`` picks the helpline; ``helplines`` overrides the table.
    """
    age_band = BAND_ALIASES.get(str(age_band).strip().lower(), age_band) if age_band is not None else "13-15"
    if age_band in ADULT_BANDS:
        return None
    if age_band not in AGE_BANDS:
        raise InvalidInput(f"unknown age band {age_band!r}; use one of {', '.join(AGE_BANDS)} (or 18+ for adults)")
    if kind not in NUDGE_KINDS:
        raise InvalidInput(f"no nudge for {kind!r}; kinds are tactics ({', '.join(TACTIC_KINDS)}) and personal "
                           f"details ({', '.join(PII_KINDS)})")
    t, used = _language_of(locale)
    main = messages.TACTIC_TEXT[kind][age_band] if kind in messages.TACTIC_TEXT else messages.PII_TEXT[kind][
        "under_13" if age_band == "under_13" else "teen"]
    if used != "en" and t.gettext(main) == main:
        t, used = gettext.NullTranslations(), "en"  # a nudge is never half translated
    _ = t.gettext
    line = helpline_for(country, helplines)
    fill = {"helpline_name": line.name, "helpline_number": line.number or ""}
    reassurance = _(messages.NOT_YOUR_FAULT)
    if kind in messages.TACTIC_TEXT:
        helpline_line = _(messages.HELPLINE_LINE if line.number else messages.HELPLINE_LINE_NO_NUMBER).format(**fill)
        text = f"{_(messages.TACTIC_TEXT[kind][age_band])} {reassurance} {helpline_line}"
        actions = list(BASE_ACTIONS)
        if kind in ("threats_sextortion", "guilt_pressure"):
            actions.insert(0, "keep_evidence")
        if kind in ("meeting_request", "platform_move", "photo_camera_request", "threats_sextortion"):
            actions.append("leave_chat")
    else:
        detail = _(messages.PII_TEXT[kind]["under_13" if age_band == "under_13" else "teen"])
        text = f"{_(messages.PII_FRAME[age_band]).format(detail=detail)} {reassurance}"
        actions = ["edit_message", *BASE_ACTIONS]
    labels = {}
    for action in actions:
        key = "helpline_no_number" if action == "helpline" and not line.number else action
        labels[action] = _(messages.ACTION_LABELS[key]).format(**fill)
    return Nudge(text=text, actions=actions, kind=kind, age_band=age_band, locale=used, action_labels=labels,
                 helpline=line)
