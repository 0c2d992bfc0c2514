"""The IMAP collector: a read-only, incremental scan of the test mailbox."""
