"""`python -m passpredict.cli`: the same program as the installed `passpredict` script."""

from passpredict.cli.root import main

main(prog_name="passpredict")
