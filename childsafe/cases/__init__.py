"""Cases: anything that needs a human becomes a case (trigger, evidence references, priority, state),
and what reviewers decide about it (lifecycle, assignment, statements of reasons, feedback)."""

from childsafe.cases.models import CASE_PRIORITIES, CASE_STATES, Case, CaseFeedback, Report, StatementOfReasons
from childsafe.cases.records import (
    apply_follow_up,
    assign,
    check_version,
    claim,
    decide,
    get_case,
    list_cases,
    mark_reported,
    open_case,
    open_case_for_conversation,
    queue,
    raise_priority,
    set_legal_hold,
    set_state,
    user_view,
)

__all__ = [
    "CASE_PRIORITIES", "CASE_STATES", "Case", "CaseFeedback", "Report", "StatementOfReasons",
    "apply_follow_up", "assign", "check_version", "claim", "decide", "get_case", "list_cases",
    "mark_reported", "open_case", "open_case_for_conversation", "queue", "raise_priority", "set_legal_hold", "set_state", "user_view",
]
