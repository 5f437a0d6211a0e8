"""One module per Screen or ModalScreen."""
