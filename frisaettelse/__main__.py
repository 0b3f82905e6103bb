from frisaettelse.cli import main

raise SystemExit(main())
