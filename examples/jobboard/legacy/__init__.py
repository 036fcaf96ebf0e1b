"""Bridge to the pre-2023 job store, kept until every legacy job is imported."""
