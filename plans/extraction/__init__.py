"""Turning a conversation into typed, evidenced signals (rule-based and Claude)."""
