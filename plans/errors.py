"""Errors of the plans package."""

from __future__ import annotations

from core.errors import Conflict, NotFound


class AccountNotFound(NotFound):
    code = "account_not_found"


class DuplicateAccountDomain(Conflict):
    code = "duplicate_account_domain"


class StakeholderNotFound(NotFound):
    code = "stakeholder_not_found"


class OpportunityNotFound(NotFound):
    code = "opportunity_not_found"


class ConversationNotFound(NotFound):
    code = "conversation_not_found"
