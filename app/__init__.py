"""The service shell: settings, wiring, the HTTP API, the CLI and the web page."""
