"""The clinician's workspace pages: the panel, one patient's page, and the public share-link page."""
