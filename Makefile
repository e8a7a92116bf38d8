# The two commands of the README's quick start, and the fast loop for development.
.PHONY: demo test check screenshots

# Install, migrate, load the demo cohort (once), print the demo logins, serve on :8000.
demo:
	bash scripts/install.sh
	.venv/bin/painmind demo --serve

# Install, provide Chromium and a throwaway PostgreSQL, lint, type-check, test on both databases.
test:
	bash scripts/test.sh

# The fast loop: lint, format, types, import layers and the pure-core tests, in seconds.
check:
	bash scripts/check.sh

# Refresh the README's screenshots (docs/screenshots/) from the demo, at 1280 px and 360 px.
screenshots:
	bash scripts/screenshots.sh
