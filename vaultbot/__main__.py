from vaultbot.cli import main

raise SystemExit(main())
