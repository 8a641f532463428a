"""The Coverage page: the coverage table by practice and unit, and the gaps the rules find."""
