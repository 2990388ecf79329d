"""Who a message's sender and recipients are, as the policy sees them: a stored age record when
there is one (it carries how the age was established), else the age the platform sent with the event.
"""

from __future__ import annotations

from childsafe.conversation.models import band_for_age
from childsafe.service.schemas import Party

CHILD_BANDS = ("under_13", "13-15", "16-17")


def person_for(svc, party: Party):
    from childsafe.policy import Person

    stored = svc.stored_person(party.id)
    if stored.age is not None or stored.age_low is not None or stored.age_high is not None or stored.band:
        return stored
    if party.age is None and party.band is None:
        return stored
    return Person(id=party.id, age=party.age, band=party.band, assurance="self_declared")


def child_band(svc, person) -> str | None:
    """The nudge age band when the person is known to be a child, else None (adults and unknown ages)."""
    if person.age is not None:
        band = band_for_age(person.age)
    elif person.band in CHILD_BANDS:
        band = person.band
    elif getattr(person, "age_high", None) is not None and person.age_high < 18:
        band = band_for_age(person.age_high)
    else:
        return None
    return band if band in CHILD_BANDS else None
