"""The command line: parsers, commands, progress, exit codes, what a terminal shows."""
