"""The Models page: the CMMI / CERT-RMM model catalogs installed and in scope, as a tree."""
