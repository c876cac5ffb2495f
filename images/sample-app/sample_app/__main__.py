from sample_app.cli import main

raise SystemExit(main())
