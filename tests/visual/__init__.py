"""A visual check of a built report: every page and PDF page as a PNG (screenshots.py)."""
