"""Age assurance and safety by default: who may contact, match with or watch whom.

``PolicyEngine().check(action, actor, target, context)`` answers with a :class:`PolicyDecision`;
the rules come from a YAML policy file (the shipped default follows the UK codes). Age records,
provider results and signed provider webhooks live in :mod:`childsafe.policy.records`,
:mod:`childsafe.policy.providers` and :mod:`childsafe.policy.store`.
"""

from childsafe.policy.assurance import METHODS, AssuranceLevel, AssuranceMethod, level_of
from childsafe.policy.bands import BAND_PRESETS, MAX_AGE, UNKNOWN_BAND, Band, BandScheme
from childsafe.policy.engine import PolicyEngine
from childsafe.policy.people import ACTIONS, Actor, Context, Person, PolicyDecision
from childsafe.policy.policyfile import InvalidPolicy, Policy, default_policy_text, load_policy
from childsafe.policy.records import AgeRecord, normalise_provider_result
from childsafe.policy.store import AgeStore
from childsafe.policy.webhooks import (
    AgeProviderSettings,
    MemorySeenWebhookIds,
    VerifiedWebhook,
    WebhookRejected,
    WebhookReplayed,
    sign_webhook,
    signed_headers,
    verify_provider_webhook,
    verify_signature,
)

__all__ = [
    "AgeProviderSettings", "AgeRecord", "AgeStore", "MemorySeenWebhookIds", "VerifiedWebhook", "WebhookRejected",
    "WebhookReplayed", "normalise_provider_result", "sign_webhook", "signed_headers", "verify_provider_webhook",
    "verify_signature",
    "ACTIONS", "Actor", "AssuranceLevel", "AssuranceMethod", "BAND_PRESETS", "Band", "BandScheme", "Context",
    "InvalidPolicy", "MAX_AGE", "METHODS", "Person", "Policy", "PolicyDecision", "PolicyEngine", "UNKNOWN_BAND",
    "default_policy_text", "level_of", "load_policy",
]
