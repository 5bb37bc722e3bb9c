"""Generic permission-matrix tests for a model's web views and API (in the spirit of NetBox's
ViewTestCases). A concrete test class supplies the model, the URL base, and how to build valid input; it
inherits list/get/create/edit/delete tests for anonymous users, roles without the right, roles with it,
and objects outside the user's scope (which must be 404), plus the audit row every write must leave."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from pckb.audit.models import AuditEntry
from pckb.core import access

#: Writer in Cần Thơ, a reader in Cần Thơ, and the outsider whose objects must stay invisible.
WRITER = "vptt.cantho"
READER = "lanhdao.cantho"
OUTSIDER = "vptt.hcm"
NO_CONTENT = "quantri"


def in_scope(model, username: str, users, action: str = access.VIEW):
    return access.restrict(model.objects.all(), users[username], action)


def last_audit():
    return AuditEntry.objects.order_by("-seq").first()


class ViewTestCases:
    """Mix the inner classes into a concrete ``Test…`` class."""

    model = None
    namespace = "directory"
    base = ""  # URL name base: "<namespace>:<base>_list", "<namespace>:<base>", …

    def url(self, suffix: str = "", *args) -> str:
        name = f"{self.namespace}:{self.base}{'_' + suffix if suffix else ''}"
        return reverse(name, args=args)

    def list_columns(self):
        from django.urls import resolve

        return resolve(self.url("list")).func.view_class.columns

    def scoped(self, users, username=WRITER):
        obj = in_scope(self.model, username, users).order_by("pk").first()
        assert obj is not None, "demo data must hold an object in scope"
        return obj

    def outside(self, users, username=WRITER):
        visible = in_scope(self.model, username, users).values("pk")
        obj = self.model.objects.exclude(pk__in=visible).order_by("pk").first()
        assert obj is not None, "demo data must hold an object outside the scope"
        return obj

    class ListView:
        def test_anonymous_is_sent_to_login(self, client, db):
            response = client.get(self.url("list"))
            assert response.status_code == 302
            assert reverse("accounts:login") in response["Location"]

        def test_lists_only_objects_in_scope(self, client, login, users):
            login(WRITER)
            response = client.get(self.url("list"), {"per_page": 100})
            assert response.status_code == 200
            page = response.content.decode()
            assert f'href="{self.scoped(users).get_absolute_url()}"' in page
            assert f'href="{self.outside(users).get_absolute_url()}"' not in page

        def test_administrator_sees_no_content(self, client, login, users):
            login(NO_CONTENT)
            assert client.get(self.url("list")).status_code == 404

        def test_export_is_scoped_and_audited(self, client, login, users):
            login(WRITER)
            response = client.get(self.url("list"), {"export": "csv"})
            assert response.status_code == 200
            body = b"".join(response.streaming_content).decode("utf-8-sig")
            first_column = self.list_columns()[0]
            assert str(first_column.value(self.scoped(users))) in body
            assert str(first_column.value(self.outside(users))) not in body
            assert last_audit().action == "export"

    class GetView:
        def test_object_in_scope(self, client, login, users):
            login(WRITER)
            obj = self.scoped(users)
            response = client.get(self.url("", obj.pk))
            assert response.status_code == 200
            assert str(obj) in response.content.decode()

        def test_object_outside_scope_is_404(self, client, login, users):
            login(WRITER)
            assert client.get(self.url("", self.outside(users).pk)).status_code == 404

        def test_unknown_object_is_404(self, client, login):
            login(WRITER)
            assert client.get(self.url("", 987654321)).status_code == 404

    class CreateView:
        #: (users) → POST data for a valid object in WRITER's scope.
        valid_data: Callable
        #: (users) → POST data for an object in OUTSIDER's scope (WRITER cannot see the references).
        out_of_scope_data: Callable

        def test_create_in_scope_is_saved_and_audited(self, client, login, users):
            login(WRITER)
            before = self.model.objects.count()
            response = client.post(self.url("add"), self.valid_data(users))
            assert response.status_code == 302, response.content.decode()[:3000]
            assert self.model.objects.count() == before + 1
            entry = last_audit()
            assert entry.action == "create" and entry.username == WRITER
            assert entry.object_type == self.model._meta.label_lower

        def test_create_with_references_outside_scope_is_refused(self, client, login, users):
            login(WRITER)
            before = self.model.objects.count()
            response = client.post(self.url("add"), self.out_of_scope_data(users))
            assert response.status_code == 200
            assert "error-summary" in response.content.decode()
            assert self.model.objects.count() == before

        def test_reader_cannot_create(self, client, login, users):
            login(READER)
            before = self.model.objects.count()
            assert client.get(self.url("add")).status_code == 404
            assert client.post(self.url("add"), self.valid_data(users)).status_code == 404
            assert self.model.objects.count() == before

    class EditView:
        #: (obj) → a dict of POST changes on top of the object's current form data.
        edit_changes: Callable

        def form_data(self, client, obj) -> dict:
            response = client.get(self.url("edit", obj.pk))
            assert response.status_code == 200
            form = response.context["form"]
            data = {}
            for name, field in form.fields.items():
                value = form[name].value()
                if value is None:
                    continue
                if hasattr(field.widget, "format") and hasattr(value, "strftime"):
                    value = value.strftime("%d/%m/%Y")
                data[name] = value
            return data

        def test_edit_in_scope_is_saved_and_audited(self, client, login, users):
            login(WRITER)
            obj = self.scoped(users)
            data = {**self.form_data(client, obj), **self.edit_changes(obj)}
            response = client.post(self.url("edit", obj.pk), data)
            assert response.status_code == 302, response.content.decode()[:3000]
            obj.refresh_from_db()
            for name, value in self.edit_changes(obj).items():
                assert str(getattr(obj, name)) == str(value)
            entry = last_audit()
            assert entry.action == "update" and entry.object_id == str(obj.pk)
            assert entry.before != entry.after

        def test_edit_outside_scope_is_404(self, client, login, users):
            login(WRITER)
            obj = self.outside(users)
            assert client.get(self.url("edit", obj.pk)).status_code == 404
            assert client.post(self.url("edit", obj.pk), {}).status_code == 404

    class DeleteView:
        #: (users) → an object in WRITER's scope that nothing else refers to.
        deletable: Callable

        def test_delete_in_scope_is_audited(self, client, login, users):
            login(WRITER)
            obj = self.deletable(users)
            response = client.post(self.url("delete", obj.pk))
            assert response.status_code == 302
            assert not self.model.objects.filter(pk=obj.pk).exists()
            entry = last_audit()
            assert entry.action == "delete" and entry.object_id == str(obj.pk) and entry.before

        def test_delete_outside_scope_is_404(self, client, login, users):
            login(WRITER)
            obj = self.outside(users)
            assert client.post(self.url("delete", obj.pk)).status_code == 404
            assert self.model.objects.filter(pk=obj.pk).exists()

        def test_reader_cannot_delete(self, client, login, users):
            login(READER)
            obj = self.deletable(users)
            assert client.post(self.url("delete", obj.pk)).status_code == 404
            assert self.model.objects.filter(pk=obj.pk).exists()


class APITestCases:
    """Mix ``Read`` (and ``Write`` for writable endpoints) into a concrete class with ``model``/``prefix``."""

    model = None
    prefix = ""  # "/api/v1/<prefix>/"

    def api_url(self, pk=None) -> str:
        return f"/api/v1/{self.prefix}/" + (f"{pk}" if pk is not None else "")

    class Read:
        def test_api_requires_authentication(self, client, db):
            assert client.get(self.api_url()).status_code == 401

        def test_api_list_is_scoped_and_paginated(self, api_client, users):
            response = api_client(WRITER).get(self.api_url(), {"page_size": 100})
            assert response.status_code == 200
            payload = response.json()
            ids = {item["id"] for item in payload["items"]}
            assert payload["count"] == in_scope(self.model, WRITER, users).count()
            assert len(payload["items"]) == min(payload["count"], 100)
            assert self.scoped(users).pk in ids
            assert self.outside(users).pk not in ids

        def test_api_get_outside_scope_is_404(self, api_client, users):
            obj = self.outside(users)
            assert api_client(WRITER).get(self.api_url(obj.pk)).status_code == 404
            assert api_client(WRITER).get(self.api_url(self.scoped(users).pk)).status_code == 200

    class Write:
        #: (users) → JSON for a valid object in WRITER's scope.
        api_valid: Callable
        api_patch: dict

        def test_api_create_update_delete_are_audited(self, api_client, users):
            writer = api_client(WRITER)
            response = writer.post(self.api_url(), self.api_valid(users), content_type="application/json")
            assert response.status_code == 201, response.content
            pk = response.json()["id"]
            assert last_audit().action == "create"
            response = writer.patch(self.api_url(pk), self.api_patch, content_type="application/json")
            assert response.status_code == 200, response.content
            for key, value in self.api_patch.items():
                assert response.json()[key] == value
            assert last_audit().action == "update"
            assert writer.delete(self.api_url(pk)).status_code == 204
            assert not self.model.objects.filter(pk=pk).exists()
            assert last_audit().action == "delete"

        def test_api_missing_field_changes_nothing(self, api_client, users):
            before = self.model.objects.count()
            data = dict(self.api_valid(users))
            data.pop(next(iter(data)))
            response = api_client(WRITER).post(self.api_url(), data, content_type="application/json")
            assert response.status_code == 422
            assert self.model.objects.count() == before

        def test_api_reference_outside_scope_is_refused(self, api_client, users):
            before = self.model.objects.count()
            data = self.api_out_of_scope(users)
            response = api_client(WRITER).post(self.api_url(), data, content_type="application/json")
            assert response.status_code == 422, response.content
            assert self.model.objects.count() == before

        def test_api_reader_cannot_write(self, api_client, users):
            before = self.model.objects.count()
            response = api_client(READER).post(
                self.api_url(), self.api_valid(users), content_type="application/json"
            )
            assert response.status_code == 403
            assert self.model.objects.count() == before


class ReadOnlyAPIMatrix(
    ViewTestCases,
    ViewTestCases.ListView,
    ViewTestCases.GetView,
    ViewTestCases.CreateView,
    ViewTestCases.EditView,
    ViewTestCases.DeleteView,
    APITestCases,
    APITestCases.Read,
):
    """Every web view of a model plus its read-only API: mix into a ``Test…`` class."""


class FullMatrix(ReadOnlyAPIMatrix, APITestCases.Write):
    """Every web view of a model plus its read/write API."""
