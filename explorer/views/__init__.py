"""One module per group of views."""
