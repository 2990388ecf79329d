"""Age records: provider results normalised, stored, expired, appealed."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from childsafe.errors import InvalidInput, NotFound
from childsafe.policy import AgeRecord, AgeStore, Person, PolicyEngine, normalise_provider_result
from childsafe.store import open_database

NOW = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)
ENGINE = PolicyEngine()


@pytest.fixture
def store(data_dir):
    db = open_database(data_dir)
    yield AgeStore(db)
    db.dispose()


def test_facial_estimate_becomes_a_range_with_a_buffer():
    rec = normalise_provider_result("yoti", {"user_id": "u", "check_id": "c", "age_estimate": 24.6, "st_dev": 1.4},
                                    now=NOW)
    assert (rec.age_low, rec.age_high, rec.method, rec.outcome) == (21, 28, "facial_estimation", "established")
    assert rec.expires_at == NOW + timedelta(days=365)
    assert ENGINE.standing(rec.to_person(NOW), now=NOW)["verified_adult"] is True


def test_estimate_near_the_adult_age_does_not_establish_an_adult():
    rec = normalise_provider_result("yoti", {"user_id": "u", "age_estimate": 19.0, "st_dev": 1.0}, now=NOW)
    standing = ENGINE.standing(rec.to_person(NOW), now=NOW)
    assert standing["treated_as"] == "child" and standing["band"] == "unknown" and standing["assured"]


def test_low_confidence_or_failed_liveness_is_inconclusive():
    for extra in ({"confidence": 0.5}, {"liveness": False}):
        rec = normalise_provider_result("yoti", {"user_id": "u", "age_estimate": 30} | extra, now=NOW)
        assert rec.outcome == "inconclusive"
        assert rec.to_person(NOW) == Person(id="u")


def test_threshold_pass_fail_and_inconclusive():
    passed = normalise_provider_result("bank", {"user_id": "u", "method": "open_banking", "threshold": 18,
                                                "result": "pass"}, now=NOW)
    assert (passed.age_low, passed.age_high) == (18, None)
    assert ENGINE.standing(passed.to_person(NOW), now=NOW)["verified_adult"]
    failed = normalise_provider_result("bank", {"user_id": "u", "method": "open_banking", "threshold": 18,
                                                "result": "fail"}, now=NOW)
    assert (failed.age_low, failed.age_high) == (None, 17)
    assert ENGINE.standing(failed.to_person(NOW), now=NOW)["treated_as"] == "child"
    unsure = normalise_provider_result("bank", {"user_id": "u", "method": "open_banking", "threshold": 18,
                                                "result": "inconclusive"}, now=NOW)
    assert unsure.outcome == "inconclusive" and not ENGINE.standing(unsure.to_person(NOW), now=NOW)["assured"]


def test_document_date_of_birth_gives_an_age_that_grows_up():
    rec = normalise_provider_result("docs", {"user_id": "u", "date_of_birth": "2010-06-02"}, now=NOW)
    assert rec.method == "id_document" and rec.expires_at is None
    assert rec.age_on(NOW) == 15
    assert rec.age_on(NOW + timedelta(days=1)) == 16


@pytest.mark.parametrize("payload,match", [
    ({"age_estimate": 20}, "no user_id"),
    ({"user_id": "u"}, "unrecognised result"),
    ({"user_id": "u", "age_estimate": "old"}, "must be a number"),
    ({"user_id": "u", "age_estimate": 200}, "not a plausible age"),
    ({"user_id": "u", "age_estimate": 20, "confidence": 3}, "between 0 and 1"),
    ({"user_id": "u", "threshold": 18, "result": "maybe", "method": "digital_id"}, "pass, fail or inconclusive"),
    ({"user_id": "u", "threshold": -1, "result": "pass", "method": "digital_id"}, "negative"),
    ({"user_id": "u", "threshold": 18, "result": "pass"}, "must name its method"),
    ({"user_id": "u", "age_estimate": 20, "check_id": "x" * 201}, "check_id"),
    ({"user_id": "u", "date_of_birth": "yesterday"}, "not an ISO date"),
    ({"user_id": "u", "date_of_birth": "2090-01-01"}, "after the check"),
    ({"user_id": "u", "age_estimate": 20, "method": "palm_reading"}, "unknown assurance method"),
    ({"user_id": "u", "age_estimate": 20, "checked_at": "noon"}, "not an ISO 8601 time"),
])
def test_bad_provider_results_are_clear_errors(payload, match):
    with pytest.raises(InvalidInput, match=match):
        normalise_provider_result("p", payload, now=NOW)


def test_stored_record_is_what_the_policy_sees(store):
    assert store.person("nobody") == Person(id="nobody")
    store.set_age("u1", method="id_document", birth_date=date(2012, 1, 1), checked_at=NOW)
    person = store.person("u1", now=NOW)
    assert person.age == 14 and person.assurance == "id_document"
    assert not ENGINE.check("start_dm", Person(age=40, assurance="id_document"), person).allowed


def test_self_declaration_never_overrides_a_checked_age(store):
    store.set_age("kid", method="facial_estimation", age=13, checked_at=NOW)
    store.set_age("kid", method="self_declared", age=25, checked_at=NOW + timedelta(minutes=5))
    current = store.current("kid", now=NOW + timedelta(minutes=10))
    assert current.method == "facial_estimation" and current.declared_age == 13
    assert len(store.history("kid")) == 2


def test_conflicting_checks_keep_the_child_protected_until_an_appeal(store):
    store.set_age("kid", method="id_document", birth_date=date(2012, 1, 1), checked_at=NOW)
    store.apply_provider_result("face", {"user_id": "kid", "check_id": "f1", "age_estimate": 31, "st_dev": 1.0},
                                now=NOW + timedelta(days=1))
    later = NOW + timedelta(days=2)
    assert store.current("kid", now=later).method == "id_document"
    assert ENGINE.standing(store.person("kid", now=later), now=later)["treated_as"] == "child"
    store.appeal("kid", now=later)
    store.resolve_appeal("kid", upheld=True, now=later)
    assert store.current("kid", now=later).method == "facial_estimation"
    assert ENGINE.standing(store.person("kid", now=later), now=later)["verified_adult"] is True


def test_a_newer_check_replaces_an_older_one_of_the_same_age(store):
    store.set_age("u", method="facial_estimation", age=15, checked_at=NOW)
    store.set_age("u", method="id_document", age=15, checked_at=NOW + timedelta(minutes=1))
    assert store.current("u", now=NOW + timedelta(minutes=2)).method == "id_document"


def test_expired_check_falls_back_and_is_not_trusted(store):
    store.set_age("u", method="self_declared", age=30, checked_at=NOW - timedelta(days=800))
    store.set_age("u", method="facial_estimation", age=30, checked_at=NOW - timedelta(days=400))
    later = store.current("u", now=NOW)
    assert later.method == "facial_estimation" and later.is_expired(NOW) and not later.is_trusted(NOW)
    person = store.person("u", now=NOW)
    assert person.assurance is None
    assert ENGINE.standing(person, now=NOW)["treated_as"] == "child"


def test_declared_age_moves_on_with_time():
    rec = AgeRecord(user_id="u", method="self_declared", declared_age=12, checked_at=NOW - timedelta(days=800))
    assert rec.age_on(NOW) == 14


def test_appeal_states(store):
    store.set_age("u", method="facial_estimation", age=16, checked_at=NOW)
    with pytest.raises(InvalidInput, match="cannot move to 'upheld'"):
        store.resolve_appeal("u", upheld=True)
    assert store.appeal("u").appeal_state == "pending"
    assert store.person("u").assurance == "facial_estimation"  # the result stands meanwhile
    assert store.resolve_appeal("u", upheld=True).appeal_state == "upheld"
    assert store.person("u").assurance is None  # withdrawn: a new check is needed
    with pytest.raises(NotFound):
        store.appeal("someone-else")


def test_same_provider_check_is_stored_once(store):
    payload = {"user_id": "u", "check_id": "chk-1", "age_estimate": 15.0, "st_dev": 0.5}
    first = store.apply_provider_result("yoti", payload, now=NOW)
    again = store.apply_provider_result("yoti", payload, now=NOW)
    assert first.id == again.id and len(store.history("u")) == 1
    with pytest.raises(InvalidInput, match="another user"):
        store.apply_provider_result("yoti", payload | {"user_id": "v"}, now=NOW)


def test_records_reject_bad_values():
    with pytest.raises(InvalidInput):
        AgeRecord(user_id="", method="self_declared", declared_age=3, checked_at=NOW)
    with pytest.raises(InvalidInput):
        AgeRecord(user_id="u", method="self_declared", checked_at=NOW)
    with pytest.raises(InvalidInput):
        AgeRecord(user_id="u", method="self_declared", declared_age=131, checked_at=NOW)
    with pytest.raises(InvalidInput):
        AgeRecord(user_id="u", method="id_document", age_low=20, age_high=10, checked_at=NOW)
