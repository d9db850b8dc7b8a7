"""A site like the demo with a school of eight accounts with long names: communication staff's
laptop, for the fit test and the screenshots."""

from __future__ import annotations

from pathlib import Path

from resources import resource_path

LONG_ACCOUNTS = (
    ("x", "Basisschool De Regenboog op X (voorheen Twitter)", "official", ""),
    ("bluesky", "Juf Annemarie van de onderbouw op Bluesky", "staff", ""),
    ("mastodon", "Basisschool De Regenboog op Mastodon (onderwijs.social)", "official",
     "https://onderwijs.social"),
    ("linkedin", "Meester Mohammed van groep 8 op LinkedIn", "staff", ""),
    ("facebook", "Ouders en kinderen van De Regenboog op Facebook", "official", ""),
    ("instagram", "Basisschool De Regenboog Amsterdam-Noord op Instagram", "official", ""),
    ("youtube", "De Regenboog vlogt: filmpjes van groep 1 tot en met 8", "official", ""),
)  # fmt: skip


def write_site(folder: Path) -> Path:
    """Writes the site file into `folder` and returns its path."""
    text = resource_path("demo-site.toml").read_text(encoding="utf-8")
    anchor = 'name = "Oefenaccount De Regenboog"\nkind = "official"\n'
    extra = ""
    for i, (network, name, kind, instance) in enumerate(LONG_ACCOUNTS):
        extra += (
            f'\n[[schools.accounts]]\nid = "regenboog-{network}-{i}"\nnetwork = "{network}"\n'
            f'name = "{name}"\nkind = "{kind}"\n'
        )
        if instance:
            extra += f'instance = "{instance}"\n'
    assert anchor in text
    path = Path(folder) / "acht-accounts.toml"
    path.write_text(text.replace(anchor, anchor + extra, 1), encoding="utf-8")
    return path
