"""URL patterns of a model's generic pages, named as the generic views expect them."""

from django.urls import path


def object_urls(
    prefix: str,
    base: str,
    *,
    fields=None,
    list_view=None,
    detail=None,
    edit=None,
    delete=None,
    import_view=None,
) -> list:
    """``<prefix>/`` list, ``them/`` add, ``<pk>/`` detail, ``<pk>/sua/`` edit, ``<pk>/xoa/`` delete and
    ``nhap/`` import, named ``<base>_list``, ``<base>_add``, ``<base>``, ``<base>_edit``, ``<base>_delete``,
    ``<base>_import``. A view not given is the generic one for the field declaration ``fields``."""
    from pckb.core import views

    def default(view, generic):
        return view or type(f"{fields.model.__name__}{generic.__name__}", (generic,), {"fields": fields})

    list_view = default(list_view, views.ObjectListView)
    edit = default(edit, views.ObjectEditView)
    patterns = [
        path(f"{prefix}/", list_view.as_view(), name=f"{base}_list"),
        path(f"{prefix}/them/", edit.as_view(), name=f"{base}_add"),
        path(f"{prefix}/<int:pk>/", default(detail, views.ObjectDetailView).as_view(), name=base),
        path(f"{prefix}/<int:pk>/sua/", edit.as_view(), name=f"{base}_edit"),
        path(
            f"{prefix}/<int:pk>/xoa/",
            default(delete, views.ObjectDeleteView).as_view(),
            name=f"{base}_delete",
        ),
    ]
    if import_view:
        patterns.append(path(f"{prefix}/nhap/", import_view.as_view(), name=f"{base}_import"))
    return patterns
