"""The one-page report a clinician reads in 60 seconds, and the patient's plain-language version
(docs/exchange.md "The one-page report"): `content` reads, `render` draws (HTML and PDF),
`views` and `api` serve it."""
