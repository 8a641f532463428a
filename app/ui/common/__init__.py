"""What several pages share: the page base, error messages, prompts, keyboard helpers, dialog sizing, the gap tree."""
