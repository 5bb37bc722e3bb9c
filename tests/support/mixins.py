"""Generic permission-matrix tests for a model's web views and API (in the spirit of NetBox's
ViewTestCases). A concrete test class supplies the model, the URL base, how to build valid input and — NetBox
style — its own test objects (``create_objects``: one in the writer's scope, one outside it, one above the
clearance of a Thường twin of the writer). It inherits list/get/create/edit/delete tests for anonymous users,
roles without the right, roles with it, objects outside the user's scope and above the user's clearance (which
must be 404, web and API), a reader who cannot edit, an edit that would move the object into another scope
(refused), plus the audit row every write must leave."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.urls import NoReverseMatch, reverse

from pckb.audit.models import AuditEntry
from pckb.core import access

#: Writer in Cần Thơ, a reader in Cần Thơ, and the outsider whose objects must stay invisible.
WRITER = "vptt.cantho"
READER = "lanhdao.cantho"
OUTSIDER = "vptt.hcm"
NO_CONTENT = "quantri"


def thuong_twin(users, username: str = WRITER):
    """An account with ``username``'s role and scope, cleared only for Thường."""
    from pckb.accounts.models import User

    base = users[username]
    twin, _created = User.objects.get_or_create(
        username=f"{username}.thuong",
        defaults={"role": base.role, "scope_unit": base.scope_unit, "clearance": 0},
    )
    return twin


def token_client(user):
    from django.test import Client

    from pckb.accounts.services import api_token_issue

    key, _token = api_token_issue(user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


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

    #: A word in the searchable name of every object ``create_objects`` builds (lists are searched by it).
    marker: str | None = None

    def create_objects(self, users) -> dict:
        """The test's own objects: ``{"scoped": …, "outside": …, "classified": … or None}``.

        ``scoped`` lies in WRITER's scope; ``outside`` in OUTSIDER's; ``classified`` in WRITER's scope but
        above Thường (None when the model carries no classification). The default falls back on the demo."""
        visible = in_scope(self.model, WRITER, users)
        scoped = visible.order_by("pk").first()
        outside = self.model.objects.exclude(pk__in=visible.values("pk")).order_by("pk").first()
        assert scoped is not None and outside is not None, "demo data must hold objects in and out of scope"
        return {"scoped": scoped, "outside": outside, "classified": None}

    @pytest.fixture(autouse=True)
    def _build_objects(self, users):
        """Build the class's own objects before each test (lists and exports must already hold them)."""
        self.objects(users)

    def objects(self, users) -> dict:
        if "_objects" not in self.__dict__:
            self._objects = self.create_objects(users)
        return self._objects

    def scoped(self, users, username=WRITER):
        return self.objects(users)["scoped"]

    def outside(self, users, username=WRITER):
        return self.objects(users)["outside"]

    def classified(self, users):
        obj = self.objects(users).get("classified")
        if obj is None:
            pytest.skip(f"{self.model._meta.label} carries no classification")
        return obj

    def search(self) -> dict:
        return {"q": self.marker} if self.marker else {}

    def object_pages(self, obj) -> list[str]:
        """The object's own pages: detail (when it has one), edit and delete."""
        urls = []
        for suffix in ("", "edit", "delete"):
            try:
                urls.append(self.url(suffix, obj.pk))
            except NoReverseMatch:
                continue
        return urls

    def unit_path(self, obj) -> str:
        obj = type(obj).objects.get(pk=obj.pk)
        return obj.get_unit().path

    class ListView:
        def test_anonymous_is_sent_to_login(self, client, db):
            response = client.get(self.url("list"))
            assert response.status_code == 302
            assert reverse("accounts:login") in response["Location"]

        def test_lists_only_objects_in_scope(self, client, login, users):
            login(WRITER)
            response = client.get(self.url("list"), {"per_page": 100, **self.search()})
            assert response.status_code == 200
            page = response.content.decode()
            assert f'href="{self.scoped(users).get_absolute_url()}"' in page
            assert f'href="{self.outside(users).get_absolute_url()}"' not in page

        def test_administrator_sees_no_content(self, client, login, users):
            login(NO_CONTENT)
            assert client.get(self.url("list")).status_code == 404

        def test_export_is_scoped_and_audited(self, client, login, users):
            login(WRITER)
            response = client.get(self.url("list"), {"export": "csv", **self.search()})
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
                    value = value.strftime("%H:%M" if isinstance(value, dt.time) else "%d/%m/%Y")
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

        def test_reader_cannot_edit(self, client, login, users):
            obj = self.scoped(users)
            login(WRITER)
            data = {**self.form_data(client, obj), **self.edit_changes(obj)}
            login(READER)
            assert client.get(self.url("edit", obj.pk)).status_code == 404
            assert client.post(self.url("edit", obj.pk), data).status_code == 404
            assert last_audit().action != "update" or last_audit().object_id != str(obj.pk)

        #: (users) → POST changes that would move the object into OUTSIDER's scope.
        into_other_scope: Callable

        def test_edit_into_another_scope_is_refused(self, client, login, users):
            login(WRITER)
            obj = self.scoped(users)
            before = self.unit_path(obj)
            data = {**self.form_data(client, obj), **self.into_other_scope(users)}
            response = client.post(self.url("edit", obj.pk), data)
            assert response.status_code == 200
            assert "error-summary" in response.content.decode()
            assert self.unit_path(obj) == before

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

    class ClassifiedView:
        """An object above the reader's clearance does not exist for the reader: every page is a 404."""

        def test_object_above_clearance_is_404(self, client, users):
            obj = self.classified(users)
            pages = self.object_pages(obj)
            assert pages
            client.force_login(users[WRITER])  # cleared for Mật
            assert all(client.get(url).status_code == 200 for url in pages)
            client.force_login(thuong_twin(users))
            for url in pages:
                assert client.get(url).status_code == 404, url
                assert client.post(url, {}).status_code in {404, 405}, url
            assert self.model.objects.filter(pk=obj.pk).exists()
            assert not access.can(thuong_twin(users), access.VIEW, obj)


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
            response = api_client(WRITER).get(self.api_url(), {"page_size": 100, **self.search()})
            assert response.status_code == 200
            payload = response.json()
            ids = {item["id"] for item in payload["items"]}
            if not self.marker:
                assert payload["count"] == in_scope(self.model, WRITER, users).count()
            assert len(payload["items"]) == min(payload["count"], 100)
            assert self.scoped(users).pk in ids
            assert self.outside(users).pk not in ids

        def test_api_get_outside_scope_is_404(self, api_client, users):
            obj = self.outside(users)
            assert api_client(WRITER).get(self.api_url(obj.pk)).status_code == 404
            assert api_client(WRITER).get(self.api_url(self.scoped(users).pk)).status_code == 200

        def test_api_object_above_clearance_is_404(self, api_client, users):
            obj = self.classified(users)
            assert api_client(WRITER).get(self.api_url(obj.pk)).status_code == 200
            low = token_client(thuong_twin(users))
            assert low.get(self.api_url(obj.pk)).status_code == 404
            ids = {
                item["id"]
                for item in low.get(self.api_url(), {"page_size": 100, **self.search()}).json()["items"]
            }
            assert obj.pk not in ids

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

        #: (users) → PATCH JSON that would move the object into OUTSIDER's scope.
        api_into_other_scope: Callable
        #: True when the PATCH schema leaves out the fields that decide the scope (they are ignored).
        scope_fixed_in_api = False

        def test_api_edit_into_another_scope_is_refused(self, api_client, users):
            obj = self.scoped(users)
            before = self.unit_path(obj)
            response = api_client(WRITER).patch(
                self.api_url(obj.pk), self.api_into_other_scope(users), content_type="application/json"
            )
            # Refused with an error, or — where the API cannot change the scope at all — ignored.
            expected = {200, 403, 422} if self.scope_fixed_in_api else {403, 422}
            assert response.status_code in expected, response.content
            assert self.unit_path(obj) == before

        def test_api_reader_cannot_edit_or_delete(self, api_client, users):
            obj = self.scoped(users)
            reader = api_client(READER)
            assert (
                reader.patch(
                    self.api_url(obj.pk), self.api_patch, content_type="application/json"
                ).status_code
                == 404
            )
            assert reader.delete(self.api_url(obj.pk)).status_code == 404
            assert self.model.objects.filter(pk=obj.pk).exists()

        def test_api_object_above_clearance_cannot_be_edited(self, users):
            obj = self.classified(users)
            low = token_client(thuong_twin(users))
            assert (
                low.patch(self.api_url(obj.pk), self.api_patch, content_type="application/json").status_code
                == 404
            )
            assert low.delete(self.api_url(obj.pk)).status_code == 404
            assert self.model.objects.filter(pk=obj.pk).exists()

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
    ViewTestCases.ClassifiedView,
    APITestCases,
    APITestCases.Read,
):
    """Every web view of a model plus its read-only API: mix into a ``Test…`` class."""


class FullMatrix(ReadOnlyAPIMatrix, APITestCases.Write):
    """Every web view of a model plus its read/write API."""


class ChildMatrix(ViewTestCases, ViewTestCases.ClassifiedView):
    """A child shown on its parent's page (agenda item, invitation, delegate, test): its own pages answer 404
    outside the scope and above the clearance. Mix in ``EditView`` when it has an edit form."""

    def test_pages_outside_scope_are_404(self, client, login, users):
        login(WRITER)
        for url in self.object_pages(self.scoped(users)):
            assert client.get(url).status_code == 200, url
        for url in self.object_pages(self.outside(users)):
            assert client.get(url).status_code == 404, url
