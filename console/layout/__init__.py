"""Layouts and decks as data: model, schema, loader with path:line:col errors, library, editing."""
