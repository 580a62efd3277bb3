"""Jobs that survive anything: a durable ledger of rows, and the runner that drives them."""
