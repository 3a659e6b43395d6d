"""The HTML face: pages and htmx fragments over the same store and engine as the JSON API."""

from .pages import router

__all__ = ["router"]
