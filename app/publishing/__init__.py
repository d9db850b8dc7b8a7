"""Sending posts: the outbox (persisted before sending, never twice), the scheduler, and the
Geschiedenis page's view of past posts (post_log)."""
