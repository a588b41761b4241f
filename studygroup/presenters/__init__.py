"""Models as JSON for the API, shaped for the viewer: one module per noun."""
