"""What core itself puts on the start page: the to-do panel (first) and the next 30 days (second); both are
filled by the apps' own providers (``Registration.todo`` and ``Registration.agenda``)."""

from pckb.core.agenda import upcoming_panel
from pckb.core.registry import Registration, StartPanel
from pckb.core.todo import todo_panel

registration = Registration(
    start_panels=(
        StartPanel("core/_todo_panel.html", todo_panel, order=0),
        StartPanel("core/_upcoming_panel.html", upcoming_panel, order=5),
    ),
)
