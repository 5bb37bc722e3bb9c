"""Forms that are quick to fill: dates typed dd/mm/yyyy (or posted as ISO by a browser's picker), no retired
committee or agency offered for a new record, people chosen by name, position and agency, and no
"---------" anywhere — checked by crawling every form page of the demo as each office role."""

import re

import pytest
from django.urls import reverse

from pckb.core.forms import PckbForm, PckbModelForm
from pckb.directory.forms import PersonForm
from pckb.directory.models import Agency, Committee, Person
from pckb.training.forms import NominateForm, SessionForm, WalkInForm, person_label
from pckb.training.models import Conference
from tests.core.test_crawler import static_urls
from tests.support.demo import CAN_THO_COMMITTEE
from tests.training.test_services import HAU_GIANG_COMMITTEE, hau_giang, invitation_of, upcoming

HAU_GIANG_POLICE = "Công an tỉnh Hậu Giang"
CAN_THO_POLICE = "Công an thành phố Cần Thơ"
OFFICE_ROLES = ["vptt.quocgia", "vptt.cantho", "vptt.hcm"]


def page(response) -> str:
    return response.content.decode()


def options(html: str, name: str) -> list[str]:
    """The visible labels of the <select name=…> of a page."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select {name}"
    return [
        re.sub(r"\s+", " ", o).strip() for o in re.findall(r"<option[^>]*>(.*?)</option>", select.group(1))
    ]


def conference_data(conference: Conference, **changes) -> dict:
    data = {
        "committee": conference.committee_id,
        "title": conference.title,
        "start": "11/06/2030 08:00",
        "end": "11/06/2030 11:30",
        "venue": conference.venue,
        "venue_unit": conference.venue_unit.code,
        "format": conference.format,
        "status": conference.status,
        "pass_mark": conference.pass_mark,
        "classification": conference.classification,
    }
    data.update(changes)
    return data


# --- Dates ------------------------------------------------------------------------------------------------
def test_date_fields_are_typed_dd_mm_yyyy_with_a_calendar_and_accept_iso():
    class Form(PckbForm):
        from django import forms

        day = forms.DateField(label="Ngày")

    html = str(Form(initial={"day": "2025-07-01"})["day"])
    assert 'placeholder="dd/mm/yyyy"' in html and 'data-picker="date"' in html
    assert 'value="01/07/2025"' in html
    typed, picked = Form({"day": "01/07/2025"}), Form({"day": "2025-07-01"})
    assert typed.is_valid() and picked.is_valid()
    assert typed.cleaned_data["day"] == picked.cleaned_data["day"]
    wrong = Form({"day": "31/02/2025"})
    assert not wrong.is_valid()
    assert wrong.errors["day"] == ["Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 01/07/2025."]


def test_conference_form_shows_and_takes_dd_mm_yyyy_and_iso(client, login):
    login("vptt.cantho")
    conference = upcoming()
    url = reverse("training:conference_edit", args=[conference.pk])
    html = page(client.get(url))
    start = re.search(r'<input[^>]*name="start"[^>]*>', html).group(0)
    assert 'data-picker="datetime"' in start and 'placeholder="dd/mm/yyyy hh:mm"' in start
    assert re.search(r'value="\d{2}/\d{2}/\d{4} \d{2}:\d{2}"', start), start

    assert client.post(url, conference_data(conference)).status_code == 302
    conference.refresh_from_db()
    assert conference.start.astimezone().strftime("%d/%m/%Y %H:%M") == "11/06/2030 08:00"

    iso = conference_data(conference, start="2030-06-12T08:00", end="2030-06-12T11:30")
    assert client.post(url, iso).status_code == 302
    conference.refresh_from_db()
    assert conference.start.astimezone().strftime("%d/%m/%Y %H:%M") == "12/06/2030 08:00"

    response = client.post(url, conference_data(conference, start="32/06/2030 08:00"))
    assert response.status_code == 200
    assert "Ngày giờ không hợp lệ: nhập theo dạng ngày/tháng/năm giờ:phút" in page(response)
    conference.refresh_from_db()
    assert conference.start.astimezone().strftime("%d/%m/%Y") == "12/06/2030"


# --- Retired committees and agencies ------------------------------------------------------------------------
def test_retired_committee_and_agency_are_not_offered_for_a_new_record(client, login):
    login("vptt.quocgia")
    committees = options(page(client.get(reverse("training:conference_add"))), "committee")
    assert CAN_THO_COMMITTEE in committees
    assert HAU_GIANG_COMMITTEE not in committees
    agencies = options(page(client.get(reverse("directory:person_add"))), "agency")
    assert CAN_THO_POLICE in agencies
    assert HAU_GIANG_POLICE not in agencies  # merged into Cần Thơ's police
    assert not [a for a in agencies if a.endswith("tỉnh Hậu Giang")]  # its province no longer exists


def test_a_record_that_refers_to_a_retired_one_keeps_it(client, login):
    login("vptt.quocgia")
    conference = hau_giang()
    html = page(client.get(reverse("training:conference_edit", args=[conference.pk])))
    assert HAU_GIANG_COMMITTEE in options(html, "committee")
    assert re.search(rf'<option value="{conference.committee_id}" selected>', html)
    person = Person.objects.filter(agency__name=HAU_GIANG_POLICE).first()
    form = PersonForm(instance=person, user=person and _user("vptt.quocgia"))
    assert form.fields["agency"].queryset.filter(name=HAU_GIANG_POLICE).exists()
    assert not form.fields["agency"].queryset.filter(name="Sở Y tế tỉnh Hậu Giang").exists()


def _user(username):
    from pckb.accounts.models import User

    return User.objects.get(username=username)


def test_a_new_record_cannot_be_posted_with_a_retired_committee(client, login):
    login("vptt.quocgia")
    committee = Committee.objects.get(name=HAU_GIANG_COMMITTEE)
    data = conference_data(upcoming(), committee=committee.pk, title="Hội nghị thử ở tỉnh cũ")
    response = client.post(reverse("training:conference_add"), data)
    assert response.status_code == 200
    assert not Conference.objects.filter(title="Hội nghị thử ở tỉnh cũ").exists()


def test_list_filters_still_offer_retired_ones(client, login):
    login("vptt.quocgia")
    html = page(client.get(reverse("directory:person_list")))
    assert HAU_GIANG_COMMITTEE in options(html, "committee")
    assert options(html, "committee")[0] == "Tất cả"


def test_current_choices_are_declared_by_the_models(db):
    assert not Agency.objects.filter(Agency.current_choices_q(), name=HAU_GIANG_POLICE).exists()
    assert Agency.objects.filter(Agency.current_choices_q(), name=CAN_THO_POLICE).exists()
    assert not Committee.objects.filter(Committee.current_choices_q(), name=HAU_GIANG_COMMITTEE).exists()


# --- People with their position and agency ---------------------------------------------------------------
def test_presenter_and_nominee_choices_show_position_and_agency(users):
    user = users["vptt.cantho"]
    conference = upcoming()
    presenter = SessionForm(user=user, initial={"conference": conference.pk})
    labels = [str(label) for _value, label in presenter.fields["presenter"].choices]
    someone = Person.objects.filter(agency__name=CAN_THO_POLICE, classification=0).first()
    assert [label for label in labels if f"{someone.full_name} — {someone.title}" in label]
    assert [label for label in labels if label.endswith(f", {CAN_THO_POLICE}")]  # position, then agency

    invitation = invitation_of(conference, "Công an")
    nominee = NominateForm(invitation=invitation, user=user)
    labels = [str(label) for _value, label in nominee.fields["person"].choices]
    assert any(label.endswith(f", {invitation.agency.name}") and " — " in label for label in labels[1:])

    # An agency already named in the title is not repeated.
    leader = Person(full_name="Lê Văn Thử", title="Phó Chủ tịch Ủy ban nhân dân thành phố Cần Thơ")
    leader.agency = Agency(name="Ủy ban nhân dân thành phố Cần Thơ")
    leader.agency_id = 0
    assert person_label(leader) == "Lê Văn Thử — Phó Chủ tịch Ủy ban nhân dân thành phố Cần Thơ"

    walk_in = WalkInForm(user=user, conference=conference)
    labels = [str(label) for _value, label in walk_in.fields["person"].choices]
    assert labels[0] == "— Chọn —"
    assert all(" — " in label for label in labels[1:])


# --- No "---------" anywhere -------------------------------------------------------------------------------
def test_plain_and_model_forms_say_choose_not_dashes(users):
    from django import forms

    class Plain(PckbForm):
        person = forms.ModelChoiceField(queryset=Person.objects.all(), required=False)
        kind = forms.ChoiceField(choices=[("", "---------"), ("a", "A")])

    html = str(Plain())
    assert "---------" not in html and "— Chọn —" in html

    class Model(PckbModelForm):
        class Meta:
            model = Person
            fields = ["full_name", "agency"]

    assert "---------" not in str(Model(user=users["vptt.cantho"]))


FORM_LINK = re.compile(
    r'href="(/[^"#?]*/(?:them|sua|gui|cu-dai-bieu|diem-danh|kien-toan|nhap[^/"]*)/(?:\?[^"]*)?)"'
)


@pytest.mark.parametrize("username", OFFICE_ROLES)
def test_no_dashes_on_any_form_page_of_the_demo(client, login, username):
    """Every list (with its filters) and every form page linked from the pages of the demo, as each office
    role: no "---------" placeholder is left."""
    login(username)
    pages = [u for u in static_urls() if not u.startswith("/api/")]
    for conference in Conference.objects.restrict(_user(username)).order_by("pk")[:3]:
        pages.append(conference.get_absolute_url())
    for model in (Committee, Agency, Person):
        obj = model.objects.restrict(_user(username)).order_by("pk").first()
        if obj is not None:
            pages.append(obj.get_absolute_url())
    seen, forms_seen, queue = set(), 0, list(pages)
    while queue:
        url = queue.pop().replace("&amp;", "&")
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        html = page(response)
        assert "---------" not in html, f"{username}: {url}"
        forms_seen += "<select" in html
        queue += [link for link in FORM_LINK.findall(html) if link.replace("&amp;", "&") not in seen]
    assert forms_seen > 10, forms_seen
