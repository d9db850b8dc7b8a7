"""The composer page: the editor and preview (composer), the checks beside it, the media strip, the
face-tagging dialog, and Voorleggen's PDF and answer."""
