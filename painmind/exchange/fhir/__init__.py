"""FHIR R4 out (`export.patient_bundle`) and in (`imports.do_import_fhir_bundle`); docs/exchange.md."""
