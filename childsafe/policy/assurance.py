"""Age assurance methods and the level each one gives.

The level follows from the method, never from what a platform claims about it. Ofcom's guidance on
highly effective age assurance (January 2025) lists open banking, photo-ID matching, facial age
estimation, mobile-network-operator checks, credit card checks and digital identity services as
*capable* of being highly effective, and says self-declaration is not. Parental confirmation is not
on that list: it is recorded (it is useful evidence that a child is a child) but does not count as
assured unless a policy file says otherwise.
"""

from __future__ import annotations

from enum import Enum

from childsafe.errors import InvalidInput


class AssuranceMethod(str, Enum):
    SELF_DECLARED = "self_declared"
    FACIAL_ESTIMATION = "facial_estimation"
    ID_DOCUMENT = "id_document"
    CREDIT_CARD = "credit_card"
    OPEN_BANKING = "open_banking"
    MOBILE_OPERATOR = "mobile_operator"
    DIGITAL_ID = "digital_id"
    PARENTAL_CONFIRMATION = "parental_confirmation"


class AssuranceLevel(str, Enum):
    NONE = "none"  # no age at all, or an expired / overturned check
    SELF_DECLARED = "self_declared"
    PARENTAL = "parental"
    HIGHLY_EFFECTIVE = "highly_effective"


METHODS: tuple[str, ...] = tuple(m.value for m in AssuranceMethod)

LEVEL_OF_METHOD: dict[str, AssuranceLevel] = {
    "self_declared": AssuranceLevel.SELF_DECLARED,
    "facial_estimation": AssuranceLevel.HIGHLY_EFFECTIVE,
    "id_document": AssuranceLevel.HIGHLY_EFFECTIVE,
    "credit_card": AssuranceLevel.HIGHLY_EFFECTIVE,
    "open_banking": AssuranceLevel.HIGHLY_EFFECTIVE,
    "mobile_operator": AssuranceLevel.HIGHLY_EFFECTIVE,
    "digital_id": AssuranceLevel.HIGHLY_EFFECTIVE,
    "parental_confirmation": AssuranceLevel.PARENTAL,
}

# How long a check is trusted by default (days; None: does not expire). Children age out of bands,
# so estimates and parental confirmations are re-checked; document checks establish a birth date.
DEFAULT_VALID_DAYS: dict[str, int | None] = {
    "self_declared": None,
    "facial_estimation": 365,
    "id_document": None,
    "credit_card": 365,
    "open_banking": 365,
    "mobile_operator": 365,
    "digital_id": None,
    "parental_confirmation": 365,
}

# Methods that can only show "over a threshold" (the card or SIM holder is an adult) and
# never an exact age.
THRESHOLD_ONLY_METHODS = frozenset({"credit_card", "mobile_operator"})


def check_method(method: object, what: str = "assurance method") -> str:
    """The method name, or a clear error listing the valid names."""
    if isinstance(method, AssuranceMethod):
        return method.value
    if not isinstance(method, str) or method not in LEVEL_OF_METHOD:
        raise InvalidInput(f"unknown {what} {method!r} (valid: {', '.join(METHODS)})", code="bad_assurance")
    return method


def level_of(method: str | None) -> AssuranceLevel:
    if method is None:
        return AssuranceLevel.NONE
    return LEVEL_OF_METHOD[check_method(method)]
