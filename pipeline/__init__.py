"""A localization pipeline for Markdown pages with a medical disclaimer gate."""
