"""Conversations: what the agent posts, stored first, then processed."""
