"""`python -m replyaudit`: the same command line as the `replyaudit` script."""

from replyaudit.cli import main

main()
