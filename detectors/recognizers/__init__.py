"""policyscan's own Presidio recognizers, one per file; built-ins register via `policyscan.recognizers`."""
