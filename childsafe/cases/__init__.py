"""Cases: anything that needs a human becomes a case (trigger, evidence references, priority, state)."""

from childsafe.cases.models import CASE_PRIORITIES, CASE_STATES, Case
from childsafe.cases.records import get_case, list_cases, open_case, open_case_for_conversation, set_state

__all__ = [
    "CASE_PRIORITIES",
    "CASE_STATES",
    "Case",
    "get_case",
    "list_cases",
    "open_case",
    "open_case_for_conversation",
    "set_state",
]
