"""``python -m bedeco`` runs the command line."""

from bedeco.cli import main

main()
