"""The Overview page: where the appraisal stands, and the worklist of what to do next."""
