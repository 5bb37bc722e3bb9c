"""URL patterns of a model's generic pages, named as the generic views expect them."""

from django.urls import path


def object_urls(prefix: str, base: str, *, list_view, detail, edit, delete, import_view=None) -> list:
    """``<prefix>/`` list, ``them/`` add, ``<pk>/`` detail, ``<pk>/sua/`` edit, ``<pk>/xoa/`` delete and
    ``nhap/`` import, named ``<base>_list``, ``<base>_add``, ``<base>``, ``<base>_edit``, ``<base>_delete``,
    ``<base>_import``."""
    patterns = [
        path(f"{prefix}/", list_view.as_view(), name=f"{base}_list"),
        path(f"{prefix}/them/", edit.as_view(), name=f"{base}_add"),
        path(f"{prefix}/<int:pk>/", detail.as_view(), name=base),
        path(f"{prefix}/<int:pk>/sua/", edit.as_view(), name=f"{base}_edit"),
        path(f"{prefix}/<int:pk>/xoa/", delete.as_view(), name=f"{base}_delete"),
    ]
    if import_view:
        patterns.append(path(f"{prefix}/nhap/", import_view.as_view(), name=f"{base}_import"))
    return patterns
