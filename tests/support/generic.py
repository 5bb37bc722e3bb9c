"""A URL configuration for the generic-layer tests: the project's URLs plus one child page, one action, one
download and one model page on the directory's committees and positions (``@pytest.mark.urls``)."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import path

from pckb.core import access, services
from pckb.core.views import Download, ModelPageView, ObjectActionView, ObjectChildView, ObjectFileView
from pckb.directory.choices import CommitteeRole
from pckb.directory.models import Committee, Position
from pckb.urls import urlpatterns as project_urlpatterns

REFUSED_POST = "chức vụ bị từ chối"
REFUSED_SECTOR = "ngành bị từ chối"


class PostForm(forms.Form):
    post = forms.CharField(label="Chức vụ", max_length=255)


class SectorForm(forms.Form):
    sector = forms.CharField(label="Bộ, ngành", max_length=255)


class AddPositionPage(ObjectChildView):
    model = Committee
    child_model = Position
    child_action = access.ADD
    form_class = PostForm
    template_name = "core/object_edit.html"
    title = "Thêm vị trí vào {name}"

    def perform(self, committee, form) -> str:
        if form.cleaned_data["post"] == REFUSED_POST:
            raise ValidationError({"post": ["Chức vụ này không được nhận."]})
        position = Position(
            committee=committee,
            role=CommitteeRole.DEPUTY,
            post=form.cleaned_data["post"],
            agency=committee.standing_agency,
        )
        services.object_create(actor=self.request.user, instance=position)
        return committee.get_absolute_url()


class SetSector(ObjectActionView):
    model = Committee
    form_class = SectorForm

    def perform(self, committee, form) -> str:
        if form.cleaned_data["sector"] == REFUSED_SECTOR:
            raise ValidationError("Ngành này không được nhận.")
        services.object_update(
            actor=self.request.user, instance=committee, changes={"sector": form.cleaned_data["sector"]}
        )
        return "Đã đổi ngành."


class CommitteeCard(ObjectFileView):
    model = Committee
    action = access.EXPORT
    audited = True

    def make(self, committee, kind) -> Download | None:
        if kind == "rong":
            return None
        return Download(
            committee.name.encode(), "text/plain; charset=utf-8", f"ban-{committee.pk}-{kind}.txt"
        )


class PositionsReport(ModelPageView):
    model = Position
    template_name = "core/home.html"
    title = "Báo cáo vị trí"


urlpatterns = [
    *project_urlpatterns,
    path("thu/ban/<int:pk>/vi-tri/", AddPositionPage.as_view(), name="generic_child"),
    path("thu/ban/<int:pk>/nganh/", SetSector.as_view(), name="generic_action"),
    path("thu/ban/<int:pk>/the/<str:kind>", CommitteeCard.as_view(), name="generic_file"),
    path("thu/vi-tri/bao-cao/", PositionsReport.as_view(), name="generic_page"),
]
