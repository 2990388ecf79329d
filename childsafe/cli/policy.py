"""``childsafe policy ...`` and ``childsafe age ...``: thin layers over :mod:`childsafe.policy`.

The ``--json`` shapes are a contract (docs/policy.md): ``policy check --json`` prints exactly one
object with at least ``allowed``, ``rule``, ``reason``, ``explanation`` and ``requires``.
"""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Optional

import typer

from childsafe.cli.common import DataDir, JsonFlag, cli_errors, emit
from childsafe.errors import InvalidInput

policy_app = typer.Typer(name="policy", no_args_is_help=True,
                         help="Safety-by-default policy: check an action, show the rules in force, lint a policy file.")
age_app = typer.Typer(name="age", no_args_is_help=True,
                      help="Stored age records: set, show, appeal, import a provider result.")

PolicyOption = Annotated[Optional[Path], typer.Option("--policy", help="Policy YAML file (default: the shipped policy).")]


def parse_age(text: str | None, what: str) -> int | None:
    if text is None or text.strip().lower() in ("unknown", ""):
        return None
    try:
        value = int(text.strip())
    except ValueError:
        raise InvalidInput(f"{what}: expected a whole number of years or 'unknown', got {text!r}", code="bad_age") from None
    from childsafe.policy.bands import check_age

    return check_age(value, what)


def _person(age_text: str | None, assurance: str | None, band: str | None, user_id: str | None,
            data_dir: Path | None, policy, what: str):
    from childsafe.policy import Person

    age = parse_age(age_text, f"--{what}-age")
    if user_id is not None and age_text is None and band is None and assurance is None:
        from childsafe.policy import AgeStore
        from childsafe.store import open_database

        return AgeStore(open_database(data_dir), policy).person(user_id)
    if assurance is None and (age is not None or band is not None):
        assurance = "self_declared"
    if assurance is not None:
        from childsafe.policy.assurance import check_method

        check_method(assurance, f"--{what}-assurance")
    return Person(id=user_id, age=age, band=band, assurance=assurance)


@policy_app.command("check")
def check(
    action: Annotated[str, typer.Option("--action", help="send_message, start_dm, send_media, friend_request, "
                                        "appear_in_suggestions, appear_in_search, match_random, start_live, watch_live, "
                                        "comment_live, gift_live, record_live, share_location")],
    actor_age: Annotated[Optional[str], typer.Option("--actor-age", help="Age in years or 'unknown'.")] = None,
    actor_assurance: Annotated[Optional[str], typer.Option("--actor-assurance", help="How the age was established "
                               "(self_declared, facial_estimation, id_document, credit_card, open_banking, "
                               "mobile_operator, digital_id, parental_confirmation).")] = None,
    actor_band: Annotated[Optional[str], typer.Option("--actor-band", help="Band name when only the band is known.")] = None,
    actor_id: Annotated[Optional[str], typer.Option("--actor-id", help="Use this user's stored age record (with --data-dir).")] = None,
    target_age: Annotated[Optional[str], typer.Option("--target-age", help="Age in years or 'unknown'.")] = None,
    target_assurance: Annotated[Optional[str], typer.Option("--target-assurance")] = None,
    target_band: Annotated[Optional[str], typer.Option("--target-band")] = None,
    target_id: Annotated[Optional[str], typer.Option("--target-id")] = None,
    connected: Annotated[bool, typer.Option("--connected", help="The target has accepted the actor as a connection.")] = False,
    parent_permission: Annotated[bool, typer.Option("--parent-permission", help="A parent allowed this action.")] = False,
    actor_flagged: Annotated[bool, typer.Option("--actor-flagged", help="The actor is flagged (conversation engine, moderator).")] = False,
    actor_child_blocks: Annotated[int, typer.Option("--actor-child-blocks", help="How many children blocked or reported the actor.")] = 0,
    policy: PolicyOption = None,
    data_dir: DataDir = None,
    json_out: JsonFlag = False,
) -> None:
    """May the actor do ACTION to the target? Prints the decision, the rule and what would allow it."""
    from childsafe.policy import Context, PolicyEngine
    from childsafe.policy.people import ACTIONS_WITHOUT_TARGET

    with cli_errors():
        engine = PolicyEngine(policy)
        actor = _person(actor_age, actor_assurance, actor_band, actor_id, data_dir, engine.policy, "actor")
        no_target = (action in ACTIONS_WITHOUT_TARGET and target_age is None and target_band is None
                     and target_id is None and target_assurance is None)
        target = None if no_target else _person(target_age, target_assurance, target_band, target_id, data_dir,
                                                 engine.policy, "target")
        if actor_child_blocks < 0:
            raise InvalidInput("--actor-child-blocks must not be negative", code="bad_context")
        context = Context(connected=connected, parent_permission=parent_permission, actor_flagged=actor_flagged,
                          actor_child_blocks=actor_child_blocks)
        decision = engine.check(action, actor, target, context)
    if json_out:
        out = decision.to_dict()
        out["action"] = action
        out["policy"] = engine.policy.name
        out["actor"] = engine.standing(actor)
        out["target"] = engine.standing(target) if target is not None else None
        emit(out)
        return
    verdict = "allowed" if decision.allowed else "denied"
    extra = f" (with {', '.join(decision.modifiers)})" if decision.modifiers else ""
    typer.echo(f"{verdict}{extra}: {action}  [rule {decision.rule}, reason {decision.reason}]")
    typer.echo(f"  {decision.explanation}")
    if decision.requires:
        typer.echo(f"  would be allowed with: {' or '.join(decision.requires)}")


@policy_app.command("show")
def show(policy: PolicyOption = None, json_out: JsonFlag = False,
         yaml_out: Annotated[bool, typer.Option("--yaml", help="Print the policy file itself (copy it to start your own).")] = False) -> None:
    """Print the rules in force, highest priority first per action."""
    from childsafe.policy import load_policy
    from childsafe.policy.policyfile import default_policy_text

    with cli_errors():
        loaded = load_policy(policy)
    if yaml_out:
        sys.stdout.write(default_policy_text() if policy is None else Path(policy).read_text(encoding="utf-8"))
        return
    if json_out:
        emit(loaded.to_dict())
        return
    typer.echo(f"policy {loaded.name}  ({loaded.source})")
    typer.echo(f"bands: {', '.join(b.name for b in loaded.bands.bands)}; adult at {loaded.bands.adult_age}; "
               f"when no rule applies: {loaded.spec.default_effect}")
    typer.echo(f"assured methods: {', '.join(sorted(loaded.assured_methods))}")
    for rule in sorted(loaded.rules, key=lambda r: (-r.spec.priority, r.order)):
        spec = rule.spec
        typer.echo(f"\n[{spec.priority}] {spec.effect.upper()} {spec.id}  (line {rule.line})")
        typer.echo(f"    actions: {', '.join(spec.actions)}")
        typer.echo(f"    when: {_describe_when(spec.when)}")
        typer.echo(f"    reason: {spec.reason}" + (f"; requires: {', '.join(spec.requires)}" if spec.requires else "")
                   + (f"; modifiers: {', '.join(spec.modifiers)}" if spec.modifiers else ""))
        typer.echo(f"    {spec.explanation.strip()}")


def _describe_when(when) -> str:
    parts = []
    for key, value in when.model_dump(exclude_none=True).items():
        if isinstance(value, dict):
            parts.extend(f"{key}.{k}={json.dumps(v)}" for k, v in value.items())
        else:
            parts.append(f"{key}={json.dumps(value)}")
    return ", ".join(parts) if parts else "always"


@policy_app.command("lint")
def lint(file: Annotated[Path, typer.Argument(help="Policy YAML file to validate.")], json_out: JsonFlag = False) -> None:
    """Validate a policy file: keys, values, band names, contradicting rules. Exit 2 if invalid."""
    from childsafe.policy import PolicyEngine, load_policy

    with cli_errors():
        loaded = load_policy(file)
        cells = PolicyEngine(loaded).compile_all()
    if json_out:
        emit({"ok": True, "file": str(file), "name": loaded.name, "rules": len(loaded.rules),
              "bands": [b.name for b in loaded.bands.bands], "decisions_compiled": cells})
    else:
        typer.echo(f"ok: {file}: policy {loaded.name!r}, {len(loaded.rules)} rules, "
                   f"bands {', '.join(b.name for b in loaded.bands.bands)}, {cells} decisions compiled")


# ------------------------------------------------------------------------------------------------
# age records
# ------------------------------------------------------------------------------------------------


def _store(data_dir: Path | None, policy: Path | None):
    from childsafe.policy import AgeStore
    from childsafe.store import open_database

    return AgeStore(open_database(data_dir), policy)


def _parse_when(text: str | None, what: str) -> datetime | None:
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"{what}: {text!r} is not an ISO 8601 time", code="bad_time") from None


def _record_out(store, record, json_out: bool) -> None:
    from childsafe.policy import PolicyEngine

    standing = PolicyEngine(store.policy).standing(record.to_person())
    if json_out:
        emit(record.to_dict() | {"standing": standing})
        return
    age = record.age_on()
    rng = f"{record.age_low if record.age_low is not None else '?'}..{record.age_high if record.age_high is not None else '?'}"
    shown = age if age is not None else (rng if record.outcome == "established" else "inconclusive")
    typer.echo(f"{record.user_id}: age {shown} by {record.method} ({record.level}); band {standing['band']}, "
               f"treated as {standing['treated_as']}{'' if record.is_trusted() else ' [not trusted]'}; "
               f"appeal {record.appeal_state}")


@age_app.command("set")
def age_set(
    user_id: Annotated[str, typer.Argument(help="The platform's user id.")],
    method: Annotated[str, typer.Option("--method", help="Assurance method (self_declared, id_document, ...).")] = "self_declared",
    age: Annotated[Optional[int], typer.Option("--age", help="Age in years.")] = None,
    birth_date: Annotated[Optional[str], typer.Option("--birth-date", help="YYYY-MM-DD.")] = None,
    over: Annotated[Optional[int], typer.Option("--over", help="Only known to be at least this age (threshold pass).")] = None,
    provider: Annotated[Optional[str], typer.Option("--provider")] = None,
    expires: Annotated[Optional[str], typer.Option("--expires", help="ISO time after which the check is not trusted.")] = None,
    policy: PolicyOption = None,
    data_dir: DataDir = None,
    json_out: JsonFlag = False,
) -> None:
    """Record how old a user is and how that was established."""
    from childsafe.policy.assurance import check_method

    with cli_errors():
        dob = None
        if birth_date is not None:
            try:
                dob = date.fromisoformat(birth_date)
            except ValueError:
                raise InvalidInput(f"--birth-date: {birth_date!r} is not YYYY-MM-DD", code="bad_age") from None
        if age is None and dob is None and over is None:
            raise InvalidInput("give --age, --birth-date or --over", code="bad_age")
        check_method(method, "--method")
        store = _store(data_dir, policy)
        record = store.set_age(user_id, method=method, age=age, birth_date=dob, age_low=over, provider=provider,
                               expires_at=_parse_when(expires, "--expires"))
        _record_out(store, record, json_out)


@age_app.command("show")
def age_show(user_id: Annotated[str, typer.Argument()], history: Annotated[bool, typer.Option("--history")] = False,
             policy: PolicyOption = None, data_dir: DataDir = None, json_out: JsonFlag = False) -> None:
    """Show the age record in force for a user (or all of them with --history)."""
    with cli_errors():
        store = _store(data_dir, policy)
        records = store.history(user_id) if history else [store.get(user_id)]
    for record in records:
        _record_out(store, record, json_out)


@age_app.command("appeal")
def age_appeal(user_id: Annotated[str, typer.Argument()],
               resolve: Annotated[Optional[str], typer.Option("--resolve", help="upheld or rejected")] = None,
               policy: PolicyOption = None, data_dir: DataDir = None, json_out: JsonFlag = False) -> None:
    """Open an appeal against a user's age result, or resolve it with --resolve upheld|rejected."""
    with cli_errors():
        store = _store(data_dir, policy)
        if resolve is None:
            record = store.appeal(user_id)
        elif resolve in ("upheld", "rejected"):
            record = store.resolve_appeal(user_id, upheld=resolve == "upheld")
        else:
            raise InvalidInput(f"--resolve must be upheld or rejected, got {resolve!r}", code="bad_appeal_state")
        _record_out(store, record, json_out)


@age_app.command("import-result")
def age_import_result(provider: Annotated[str, typer.Argument(help="Provider name, e.g. yoti.")],
                      file: Annotated[Path, typer.Argument(help="JSON file with one provider result.")],
                      policy: PolicyOption = None, data_dir: DataDir = None, json_out: JsonFlag = False) -> None:
    """Store an age-check result a provider returned (estimate, threshold or date of birth)."""
    with cli_errors():
        try:
            payload = json.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InvalidInput(f"{file}: not found", code="bad_file") from None
        except OSError as exc:
            raise InvalidInput(f"{file}: cannot read ({exc.strerror or exc})", code="bad_file") from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise InvalidInput(f"{file}: not valid JSON ({exc})", code="bad_file") from None
        store = _store(data_dir, policy)
        record = store.apply_provider_result(provider, payload)
        _record_out(store, record, json_out)


def register(app: typer.Typer) -> None:
    app.add_typer(policy_app, name="policy")
    app.add_typer(age_app, name="age")
