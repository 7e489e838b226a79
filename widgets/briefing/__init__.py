"""Briefings: slides, presenter and audience views, annotation, minutes PDF."""
