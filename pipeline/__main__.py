from .cli import main

main(prog_name="l10n")
