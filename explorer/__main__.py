"""`python -m explorer` runs the coauthor-explorer command."""

from .cli import main

main()
