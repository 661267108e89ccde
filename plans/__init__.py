"""Accounts, stakeholders' identities, opportunities and their plans (Postgres side)."""
