"""`python -m scanner.cli` runs the policyscan command (for subprocess tests and machines without the script)."""

from scanner.cli import main

main()
