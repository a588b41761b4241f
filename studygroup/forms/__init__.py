"""HTML forms: field validation and CSRF via Flask-WTF; the work itself is in services."""
