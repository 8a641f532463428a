"""Automatic and manual backups, and changing the passphrase of an encrypted appraisal."""
