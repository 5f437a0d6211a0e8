"""One module per widget; widgets show and edit, they do not save."""
