"""Signalen: the page that lists what others say to and about the school's accounts, and the
background fetching at the site configuration's interval."""
