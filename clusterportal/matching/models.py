"""The matching app keeps no tables of its own: it reads the registry (and the postings
the partnersearch app registers). This module exists so that Django sends the app
`post_migrate`, which makes the "matching" data version it declares (lib/versioning.py)."""
