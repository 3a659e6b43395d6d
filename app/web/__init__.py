"""The HTML face: pages and htmx fragments over the same store and engine as the JSON API."""

from fastapi import APIRouter, Depends

from . import accounts, assignments, classes, guided, lab_life, language, pages
from .language import use_language

router = APIRouter(dependencies=[Depends(use_language)])
router.include_router(pages.router)
router.include_router(lab_life.router)
router.include_router(guided.router)
router.include_router(language.router)
router.include_router(accounts.router)
# Before the classes' routes: a class's password reset signs its student out (tests/access).
router.include_router(assignments.router)
router.include_router(classes.router)

__all__ = ["router"]
