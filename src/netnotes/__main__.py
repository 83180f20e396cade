"""``python -m netnotes`` runs the command line."""

from netnotes.cli import main

main()
