from bookingctl.cli import main

raise SystemExit(main())
