"""The web shell: app factory, layout, language handling, errors, sessions and CSRF."""
