"""Textual CSS for the reader, shipped as package data so an installed app finds it."""

from pathlib import Path

STYLES_DIR = Path(__file__).parent
