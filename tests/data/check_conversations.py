#!/usr/bin/env python3
"""Validate the labelled sales-conversation data set under tests/data/conversations/.

Run from the repository root:

    python3 tests/data/check_conversations.py            # validate and print a summary
    python3 tests/data/check_conversations.py --quiet    # errors only

Exit status 0 when every file is valid, 1 otherwise. Standard library only (Python 3.11).

What is checked, per file: required fields and their types, channel values, turns-or-text,
speakers are participants (or "Unknown"), label enums, people named in relations, roles and
next steps are listed in `people`, product_line keys exist in catalogue.json, dates parse,
and labels that imply each other agree (an economic_buyer role implies meddic.economic_buyer, …).
Per account, in occurred_at order: the `opportunity` labels follow the create/update rule
(see conversations/README.md). Across the set: minimum sizes of the splits, no account in
both splits, at least three long (>= 4,000 words) conversations.
"""

from __future__ import annotations

import argparse
import calendar
import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent
CONVERSATIONS_DIR = DATA_DIR / "conversations"
CATALOGUE_PATH = DATA_DIR / "catalogue.json"

SPLITS = ("dev", "holdout", "train", "test")
MIN_PER_SPLIT = {"dev": 45, "holdout": 15, "train": 0, "test": 0}
# Splits written after the labels gained per-person decision power and the outcome: there
# both are required; older files may leave them out (read as unknown / no outcome).
FULL_LABEL_SPLITS = {"train", "test"}
DECISION_POWER = {"high", "medium", "low"}
OUTCOMES = {"won", "lost"}
MIN_LONG = 3
LONG_WORDS = 4000

TOP_KEYS = {
    "external_id",
    "account",
    "occurred_at",
    "channel",
    "title",
    "participants",
    "turns",
    "text",
    "labels",
}
CHANNELS = {"call", "meeting", "email_thread", "chat"}
PARTICIPANT_SIDES = {"customer", "ours"}
PEOPLE_SIDES = {"customer", "ours", "third_party"}
OPPORTUNITY = {"create", "update", "none"}
RELATION_TYPES = {"defers_to", "reports_to", "influences", "backs", "opposes"}
ROLES = {
    "economic_buyer",
    "decision_maker",
    "champion",
    "blocker",
    "influencer",
    "technical_evaluator",
    "user",
}
MEDDIC_KEYS = {
    "metrics",
    "economic_buyer",
    "decision_criteria",
    "decision_process",
    "paper_process",
    "identified_pain",
    "champion",
    "competition",
}
BANT_KEYS = {"budget", "authority", "need", "timeline"}
SENTIMENTS = {"positive", "neutral", "negative"}
TRUST = {"shared_vulnerability", "referral", "internal_information"}
LABEL_KEYS = {
    "opportunity",
    "product_line",
    "amount",
    "close_date",
    "deal_potential",
    "people",
    "relations",
    "roles",
    "meddic",
    "bant",
    "competitors",
    "next_steps",
    "sentiment",
    "trust",
    "notes",
}
OPTIONAL_LABEL_KEYS = {"outcome"}
UNKNOWN_SPEAKER = "Unknown"
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
OCCURRED_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?Z$")


@dataclass
class Record:
    """The parts of a valid file the cross-file checks need."""

    path: Path
    split: str
    external_id: str
    account_name: str
    domain: str
    occurred_at: datetime
    channel: str
    opportunity: str
    product_line: str | None
    close_date: date | None
    words: int


@dataclass
class Opportunity:
    product_line: str
    close_date: date | None
    created_by: str


def add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    year = day.year + index // 12
    month = index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def within_three_months(a: date, b: date) -> bool:
    low, high = sorted((a, b))
    return high <= add_months(low, 3)


def parse_date(value: Any) -> date | None:
    if not isinstance(value, str) or not DATE_RE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def is_str(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


class FileChecker:
    def __init__(self, path: Path, split: str, product_keys: set[str]) -> None:
        self.path = path
        self.split = split
        self.product_keys = product_keys
        self.full = split in FULL_LABEL_SPLITS
        self.errors: list[str] = []

    def error(self, message: str) -> None:
        self.errors.append(f"{self.path.relative_to(DATA_DIR)}: {message}")

    def check(self) -> Record | None:
        try:
            doc = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            self.error(f"cannot read JSON: {exc}")
            return None
        if not isinstance(doc, dict):
            self.error("top level is not an object")
            return None
        missing = TOP_KEYS - doc.keys()
        extra = doc.keys() - TOP_KEYS
        if missing:
            self.error(f"missing fields: {sorted(missing)}")
            return None
        if extra:
            self.error(f"unexpected fields: {sorted(extra)}")

        external_id = doc["external_id"]
        if not is_str(external_id):
            self.error("external_id must be a non-empty string")
            external_id = "?"
        else:
            if external_id != self.path.stem:
                self.error(f"external_id {external_id!r} does not match the file name")
            if not external_id.startswith(f"{self.split}-"):
                self.error(f"external_id {external_id!r} should start with {self.split!r}-")

        account = doc["account"]
        account_name, domain = "?", "?"
        if not isinstance(account, dict) or not is_str(account.get("name")):
            self.error("account.name must be a non-empty string")
        else:
            account_name = account["name"]
            domain = account.get("domain") or ""
            if not is_str(domain) or "." not in domain or " " in domain:
                self.error(f"account.domain {domain!r} does not look like a domain")
            if set(account) - {"name", "domain"}:
                self.error(
                    f"unexpected account fields: {sorted(set(account) - {'name', 'domain'})}"
                )

        occurred_at: datetime | None = None
        raw_occurred = doc["occurred_at"]
        if not isinstance(raw_occurred, str) or not OCCURRED_RE.match(raw_occurred):
            self.error(f"occurred_at {raw_occurred!r} is not an ISO UTC timestamp (…Z)")
        else:
            try:
                occurred_at = datetime.fromisoformat(raw_occurred.replace("Z", "+00:00"))
            except ValueError:
                self.error(f"occurred_at {raw_occurred!r} does not parse")

        channel = doc["channel"]
        if channel not in CHANNELS:
            self.error(f"channel {channel!r} not in {sorted(CHANNELS)}")
        if not is_str(doc["title"]):
            self.error("title must be a non-empty string")

        participant_names = self.check_participants(doc["participants"])
        words = self.check_body(doc, channel, participant_names)
        labels = doc["labels"]
        if not isinstance(labels, dict):
            self.error("labels must be an object")
            return None
        label_info = self.check_labels(labels, occurred_at, doc["participants"])
        if occurred_at is None or label_info is None or channel not in CHANNELS:
            return None
        opportunity, product_line, close_date = label_info
        return Record(
            path=self.path,
            split=self.split,
            external_id=external_id,
            account_name=account_name,
            domain=domain,
            occurred_at=occurred_at,
            channel=channel,
            opportunity=opportunity,
            product_line=product_line,
            close_date=close_date,
            words=words,
        )

    def check_participants(self, participants: Any) -> set[str]:
        names: set[str] = set()
        if not isinstance(participants, list) or not participants:
            self.error("participants must be a non-empty list")
            return names
        for index, person in enumerate(participants):
            where = f"participants[{index}]"
            if not isinstance(person, dict):
                self.error(f"{where} is not an object")
                continue
            unknown = set(person) - {"name", "email", "title", "side"}
            if unknown:
                self.error(f"{where} has unexpected fields {sorted(unknown)}")
            name = person.get("name")
            if not isinstance(name, str) or not name.strip():
                self.error(f"{where}.name must be a non-empty string")
                continue
            if name in names:
                self.error(f"participant {name!r} listed twice")
            names.add(name)
            email = person.get("email")
            if email is not None and (not isinstance(email, str) or "@" not in email):
                self.error(f"{where}.email {email!r} is not an email address")
            title = person.get("title")
            if title is not None and not isinstance(title, str):
                self.error(f"{where}.title must be a string or null")
            if person.get("side") not in PARTICIPANT_SIDES:
                self.error(
                    f"{where}.side {person.get('side')!r} not in {sorted(PARTICIPANT_SIDES)}"
                )
        return names

    def check_body(self, doc: dict[str, Any], channel: Any, names: set[str]) -> int:
        turns, text = doc["turns"], doc["text"]
        if (turns is None) == (text is None):
            self.error("exactly one of turns and text must be non-null")
            return 0
        if channel == "email_thread" and text is None:
            self.error("email threads are written as plain text, not turns")
        if channel in {"call", "chat"} and turns is None:
            self.error(f"{channel} conversations are written as speaker turns")
        if text is not None:
            if not is_str(text):
                self.error("text must be a non-empty string")
                return 0
            return len(text.split())
        if not isinstance(turns, list) or not turns:
            self.error("turns must be a non-empty list")
            return 0
        words = 0
        for index, turn in enumerate(turns):
            if not isinstance(turn, dict) or set(turn) != {"speaker", "text"}:
                self.error(f"turns[{index}] must be an object with exactly speaker and text")
                continue
            speaker, said = turn["speaker"], turn["text"]
            if speaker != UNKNOWN_SPEAKER and speaker not in names:
                self.error(f"turns[{index}] speaker {speaker!r} is not a participant")
            if not is_str(said):
                self.error(f"turns[{index}] text must be a non-empty string")
                continue
            words += len(said.split())
        return words

    def check_labels(
        self, labels: dict[str, Any], occurred_at: datetime | None, participants: Any
    ) -> tuple[str, str | None, date | None] | None:
        required = LABEL_KEYS | (OPTIONAL_LABEL_KEYS if self.full else set())
        missing = required - labels.keys()
        extra = labels.keys() - LABEL_KEYS - OPTIONAL_LABEL_KEYS
        if missing:
            self.error(f"labels missing: {sorted(missing)}")
            return None
        if extra:
            self.error(f"labels has unexpected keys: {sorted(extra)}")
        day = occurred_at.date() if occurred_at else None

        opportunity = labels["opportunity"]
        if opportunity not in OPPORTUNITY:
            self.error(f"labels.opportunity {opportunity!r} not in {sorted(OPPORTUNITY)}")
            return None

        product_line = labels["product_line"]
        if product_line is not None and product_line not in self.product_keys:
            self.error(f"labels.product_line {product_line!r} is not a catalogue key")
            product_line = None
        if opportunity != "none" and labels["product_line"] is None:
            self.error(f"an opportunity {opportunity!r} needs a product_line")

        amount = labels["amount"]
        if amount is not None:
            if not isinstance(amount, dict) or set(amount) != {"value", "currency"}:
                self.error("labels.amount must be null or {value, currency}")
            else:
                value = amount["value"]
                if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                    self.error(f"labels.amount.value {value!r} must be a positive number")
                if not isinstance(amount["currency"], str) or not CURRENCY_RE.match(
                    amount["currency"]
                ):
                    self.error(f"labels.amount.currency {amount['currency']!r} is not ISO 4217")

        close_date: date | None = None
        if labels["close_date"] is not None:
            close_date = parse_date(labels["close_date"])
            if close_date is None:
                self.error(f"labels.close_date {labels['close_date']!r} is not YYYY-MM-DD")
            elif day and opportunity != "none" and close_date < day:
                self.error(f"close_date {close_date} is before the conversation ({day})")

        potential = labels["deal_potential"]
        if isinstance(potential, bool) or not isinstance(potential, int | float):
            self.error("labels.deal_potential must be a number")
        elif not 0.0 <= potential <= 1.0:
            self.error(f"labels.deal_potential {potential} outside 0..1")
        elif opportunity != "none" and potential < 0.4:
            self.error(f"an opportunity {opportunity!r} with deal_potential {potential} < 0.4")
        elif opportunity == "none" and potential > 0.6:
            self.error(f"opportunity 'none' with deal_potential {potential} > 0.6")

        people = self.check_people(labels["people"], participants)
        self.check_relations(labels["relations"], people)
        self.check_roles(labels["roles"], people)
        self.check_flags("meddic", labels["meddic"], MEDDIC_KEYS)
        self.check_flags("bant", labels["bant"], BANT_KEYS)

        competitors = labels["competitors"]
        if not isinstance(competitors, list) or not all(is_str(c) for c in competitors):
            self.error("labels.competitors must be a list of names")
        elif len(set(competitors)) != len(competitors):
            self.error("labels.competitors has duplicates")
        elif any("lumen" in c.lower() for c in competitors):
            self.error("labels.competitors must not name Lumen itself")

        self.check_next_steps(labels["next_steps"], people, day)
        self.check_cross_fields(labels)

        if labels["sentiment"] not in SENTIMENTS:
            self.error(f"labels.sentiment {labels['sentiment']!r} not in {sorted(SENTIMENTS)}")
        trust = labels["trust"]
        if not isinstance(trust, list) or not all(t in TRUST for t in trust):
            self.error(f"labels.trust must be a list drawn from {sorted(TRUST)}")
        elif len(set(trust)) != len(trust):
            self.error("labels.trust has duplicates")
        outcome = labels.get("outcome")
        if outcome is not None and outcome not in OUTCOMES:
            self.error(f"labels.outcome {outcome!r} must be null or one of {sorted(OUTCOMES)}")
        if not is_str(labels["notes"]):
            self.error("labels.notes must be a non-empty string")
        return opportunity, product_line, close_date

    def check_cross_fields(self, labels: dict[str, Any]) -> None:
        """Labels that imply each other must agree."""
        meddic, bant = labels["meddic"], labels["bant"]
        if not isinstance(meddic, dict) or not isinstance(bant, dict):
            return
        roles = labels["roles"] if isinstance(labels["roles"], list) else []
        named_roles = {r.get("role") for r in roles if isinstance(r, dict)}
        implied = [
            ("economic_buyer" in named_roles, "meddic", "economic_buyer", "an economic_buyer role"),
            ("champion" in named_roles, "meddic", "champion", "a champion role"),
            (bool(labels["competitors"]), "meddic", "competition", "named competitors"),
            (labels["amount"] is not None, "bant", "budget", "an amount"),
            (labels["close_date"] is not None, "bant", "timeline", "a close_date"),
        ]
        for present, group, key, what in implied:
            flags = meddic if group == "meddic" else bant
            if present and flags.get(key) is False:
                self.error(f"{what} is labelled but {group}.{key} is false")

    def check_people(self, people: Any, participants: Any) -> dict[str, str]:
        sides: dict[str, str] = {}
        if not isinstance(people, list):
            self.error("labels.people must be a list")
            return sides
        for index, person in enumerate(people):
            where = f"labels.people[{index}]"
            keys = {"name", "title", "side"}
            if not isinstance(person, dict) or not keys <= set(person) <= keys | {"decision_power"}:
                self.error(f"{where} must be an object with name, title, side (and decision_power)")
                continue
            power = person.get("decision_power")
            if person["side"] == "customer" and self.full and power is None:
                self.error(f"{where} is on the customer side: decision_power is required")
            if power is not None and power not in DECISION_POWER:
                self.error(f"{where}.decision_power {power!r} not in {sorted(DECISION_POWER)}")
            if power is not None and person["side"] != "customer":
                self.error(f"{where}.decision_power is only for customer-side people")
            name = person["name"]
            if not is_str(name):
                self.error(f"{where}.name must be a non-empty string")
                continue
            if name in sides:
                self.error(f"labels.people lists {name!r} twice")
            if person["title"] is not None and not is_str(person["title"]):
                self.error(f"{where}.title must be a non-empty string or null")
            if person["side"] not in PEOPLE_SIDES:
                self.error(f"{where}.side {person['side']!r} not in {sorted(PEOPLE_SIDES)}")
            sides[name] = person["side"]
        if isinstance(participants, list):
            for participant in participants:
                if not isinstance(participant, dict) or not is_str(participant.get("name")):
                    continue
                name = participant["name"]
                if name not in sides:
                    self.error(f"participant {name!r} is missing from labels.people")
                elif sides[name] != participant.get("side"):
                    self.error(f"{name!r} has a different side in participants and people")
        return sides

    def check_relations(self, relations: Any, people: dict[str, str]) -> None:
        if not isinstance(relations, list):
            self.error("labels.relations must be a list")
            return
        seen: set[tuple[str, str, str]] = set()
        for index, rel in enumerate(relations):
            where = f"labels.relations[{index}]"
            if not isinstance(rel, dict) or set(rel) != {"from", "to", "type"}:
                self.error(f"{where} must be an object with exactly from, to, type")
                continue
            for end in ("from", "to"):
                if rel[end] not in people:
                    self.error(f"{where}.{end} {rel[end]!r} is not in labels.people")
            if rel["from"] == rel["to"]:
                self.error(f"{where} relates {rel['from']!r} to themself")
            if rel["type"] not in RELATION_TYPES:
                self.error(f"{where}.type {rel['type']!r} not in {sorted(RELATION_TYPES)}")
            key = (str(rel["from"]), str(rel["to"]), str(rel["type"]))
            if key in seen:
                self.error(f"{where} duplicates an earlier relation")
            seen.add(key)

    def check_roles(self, roles: Any, people: dict[str, str]) -> None:
        if not isinstance(roles, list):
            self.error("labels.roles must be a list")
            return
        seen: set[tuple[str, str]] = set()
        for index, role in enumerate(roles):
            where = f"labels.roles[{index}]"
            if not isinstance(role, dict) or set(role) != {"person", "role"}:
                self.error(f"{where} must be an object with exactly person and role")
                continue
            if role["person"] not in people:
                self.error(f"{where}.person {role['person']!r} is not in labels.people")
            elif people[role["person"]] == "ours":
                self.error(f"{where} gives a buying role to {role['person']!r}, who is ours")
            if role["role"] not in ROLES:
                self.error(f"{where}.role {role['role']!r} not in {sorted(ROLES)}")
            key = (str(role["person"]), str(role["role"]))
            if key in seen:
                self.error(f"{where} duplicates an earlier role")
            seen.add(key)

    def check_flags(self, name: str, flags: Any, keys: set[str]) -> None:
        if not isinstance(flags, dict) or set(flags) != keys:
            self.error(f"labels.{name} must have exactly the keys {sorted(keys)}")
            return
        for key, value in flags.items():
            if not isinstance(value, bool):
                self.error(f"labels.{name}.{key} must be true or false")

    def check_next_steps(self, steps: Any, people: dict[str, str], day: date | None) -> None:
        if not isinstance(steps, list):
            self.error("labels.next_steps must be a list")
            return
        for index, step in enumerate(steps):
            where = f"labels.next_steps[{index}]"
            if not isinstance(step, dict) or set(step) != {"action", "owner", "due"}:
                self.error(f"{where} must be an object with exactly action, owner, due")
                continue
            if not is_str(step["action"]):
                self.error(f"{where}.action must be a non-empty string")
            if step["owner"] is not None and step["owner"] not in people:
                self.error(f"{where}.owner {step['owner']!r} is not in labels.people")
            if step["due"] is not None:
                due = parse_date(step["due"])
                if due is None:
                    self.error(f"{where}.due {step['due']!r} is not YYYY-MM-DD")
                elif day and due < day:
                    self.error(f"{where}.due {due} is before the conversation ({day})")


def check_sequences(records: list[Record]) -> list[str]:
    """Per account, in occurred_at order, replay the create/update rule."""
    errors: list[str] = []
    by_account: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        by_account[record.domain].append(record)
    for domain, items in sorted(by_account.items()):
        items.sort(key=lambda r: r.occurred_at)
        names = {r.account_name for r in items}
        if len(names) > 1:
            errors.append(f"account {domain}: inconsistent names {sorted(names)}")
        splits = {r.split for r in items}
        if len(splits) > 1:
            errors.append(f"account {domain}: appears in both splits (keep holdout separate)")
        times = [r.occurred_at for r in items]
        if len(set(times)) != len(times):
            errors.append(f"account {domain}: two conversations share an occurred_at")
        opportunities: list[Opportunity] = []
        for record in items:
            if record.opportunity == "none" or record.product_line is None:
                continue
            match: Opportunity | None = None
            for opp in reversed(opportunities):
                if opp.product_line != record.product_line:
                    continue
                if (
                    record.close_date is None
                    or opp.close_date is None
                    or within_three_months(record.close_date, opp.close_date)
                ):
                    match = opp
                    break
            expected = "update" if match else "create"
            if record.opportunity != expected:
                if match:
                    why = (
                        f"{match.created_by} already opened a {record.product_line} "
                        f"opportunity closing {match.close_date} (within 3 months)"
                    )
                else:
                    why = f"no open {record.product_line} opportunity within 3 months"
                errors.append(
                    f"{record.external_id} ({domain}): labelled {record.opportunity!r} "
                    f"but the rule says {expected!r}: {why}"
                )
            if expected == "create":
                opportunities.append(
                    Opportunity(record.product_line, record.close_date, record.external_id)
                )
            elif match is not None and record.close_date is not None:
                match.close_date = record.close_date
    return errors


def summarise(records: list[Record]) -> str:
    lines: list[str] = []

    def table(title: str, counts: Counter[str]) -> None:
        lines.append(f"{title}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))

    table("split", Counter(r.split for r in records))
    table("channel", Counter(r.channel for r in records))
    table("opportunity", Counter(r.opportunity for r in records))
    table("product_line", Counter(r.product_line or "null" for r in records))
    for split in SPLITS:
        part = [r for r in records if r.split == split]
        if part:
            share = sum(r.opportunity != "none" for r in part) / len(part)
            lines.append(f"{split}: {len(part)} conversations, {share:.0%} create/update")
    words = sorted(r.words for r in records)
    if words:
        lines.append(
            f"words: min {words[0]}, median {words[len(words) // 2]}, max {words[-1]}; "
            f"long (>= {LONG_WORDS}): {sum(w >= LONG_WORDS for w in words)}"
        )
    lines.append("accounts (occurred_at order):")
    by_account: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        by_account[record.account_name].append(record)
    for name, items in sorted(by_account.items()):
        items.sort(key=lambda r: r.occurred_at)
        sequence = ", ".join(
            f"{r.external_id} {r.occurred_at:%Y-%m-%d} {r.channel} {r.opportunity}"
            + (f" {r.product_line}" if r.product_line else "")
            for r in items
        )
        lines.append(f"  {name}: {sequence}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quiet", action="store_true", help="print errors only")
    args = parser.parse_args(argv)

    errors: list[str] = []
    try:
        catalogue = json.loads(CATALOGUE_PATH.read_text(encoding="utf-8"))
        lines = catalogue["product_lines"]
        product_keys = {line["key"] for line in lines}
        for line in lines:
            if not 3 <= len(line["aliases"]) <= 8 or not 6 <= len(line["keywords"]) <= 15:
                errors.append(f"catalogue: {line['key']} needs 3-8 aliases and 6-15 keywords")
    except (OSError, KeyError, TypeError, json.JSONDecodeError) as exc:
        print(f"catalogue.json: {exc}", file=sys.stderr)
        return 1

    records: list[Record] = []
    ids: dict[str, Path] = {}
    for split in SPLITS:
        directory = CONVERSATIONS_DIR / split
        files = sorted(directory.glob("*.json"))
        if len(files) < MIN_PER_SPLIT[split]:
            errors.append(f"{split}: {len(files)} files, at least {MIN_PER_SPLIT[split]} expected")
        for path in files:
            checker = FileChecker(path, split, product_keys)
            record = checker.check()
            errors.extend(checker.errors)
            if record is None:
                continue
            if record.external_id in ids:
                errors.append(f"{path.name}: external_id also used by {ids[record.external_id]}")
            ids[record.external_id] = path
            records.append(record)

    errors.extend(check_sequences(records))
    long_count = sum(r.words >= LONG_WORDS for r in records)
    if long_count < MIN_LONG:
        errors.append(
            f"only {long_count} conversations of >= {LONG_WORDS} words, {MIN_LONG} needed"
        )

    if not args.quiet:
        print(summarise(records))
    for message in errors:
        print(f"ERROR {message}", file=sys.stderr)
    print(f"{len(records)} conversations checked, {len(errors)} errors", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
