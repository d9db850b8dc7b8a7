"""The ids of all rules, without loading them: the site configuration validates its policy
against this list at start-up, before the rules' lexicons are loaded."""

RULE_IDS = (
    "disclaimer",
    "personal_data",
    "sensitive_topics",
    "decency",
    "pupil_accounts",
    "lesson_hours",
    "media_consent",
    "tone",
    "hidden_characters",
    "suspended_account",
    "network_limits",
    "alt_text",
)
